"""Idempotency keys on taking a member on, recording an assessment or a version, and
running a match, on both databases.

The same key with the same details returns the first result and writes no second row;
the same key with other details is refused and writes nothing; eight writers sending one
key at the same instant make exactly one row, and none of them sees a database error.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from tests.integration.bank_harness import run_together
from timebank.db import migrate
from timebank.db.models import (
    Account,
    Assessment,
    AssessmentAccess,
    AssessmentVersion,
    Bank,
    Introduction,
    MatchProposal,
    MatchRun,
    Member,
    Outcome,
)
from timebank.domain.errors import (
    CategoryTaken,
    IdempotencyKeyReusedWithOtherDetails,
    InvalidInput,
    NotAllowed,
)
from timebank.services import assessments, auth, banks, matches, members

TODAY = dt.date.today()
WRITERS = 8


# ---------------------------------------------------------------- helpers


def _count(database, model, *where) -> int:
    with database.engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _bank_id(database, bank) -> int:
    with database.engine.connect() as connection:
        return connection.scalar(sa.select(Bank.id).where(Bank.slug == bank.slug))


def _rows(database, bank) -> dict[str, int]:
    """What these writes can add to one bank, the access log included."""
    bank_id = _bank_id(database, bank)
    return {
        "members": _count(database, Member, Member.bank_id == bank_id),
        "accounts": _count(database, Account, Account.bank_id == bank_id),
        "assessments": _count(database, Assessment, Assessment.bank_id == bank_id),
        "versions": _count(database, AssessmentVersion, AssessmentVersion.assessment_id.in_(
            sa.select(Assessment.id).where(Assessment.bank_id == bank_id))),
        "runs": _count(database, MatchRun, MatchRun.bank_id == bank_id),
        "proposals": _count(database, MatchProposal, MatchProposal.bank_id == bank_id),
        "accesses": _count(database, AssessmentAccess, AssessmentAccess.bank_id == bank_id),
    }


def _errors(outcomes) -> list[str]:
    return [repr(o) for o in outcomes if isinstance(o, Exception)]


def content(needs=(), capabilities=(), location=(55.9700, -3.1700)):
    return {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
            "latitude": location[0], "longitude": location[1], "availability": None,
            "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities]}


SHOPPING = content(needs=[{"text": "Help with my weekly shop", "category": "shopping"}])


@pytest.fixture
def matchable(database, social_worker):
    """Mary needs shopping; Hamish, nearby, does it."""
    assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING)
    assessments.record_assessment(database, social_worker, person_name="Hamish", content=content(
        location=(55.9720, -3.1650),
        capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))


# ---------------------------------------------------------------- taking a member on


def test_a_member_sent_twice_with_one_key_is_taken_on_once(database, bank):
    first = members.add_member(database, bank.slug, "Eve", email="eve@example.org", area="Leith",
                               idempotency_key="new-member-1")
    before = _rows(database, bank)
    again = members.add_member(database, bank.slug, " Eve ", email="EVE@example.org", area="Leith",
                               idempotency_key="new-member-1")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.id == first.id and again.name == "Eve"
    assert _rows(database, bank) == before


def test_a_member_key_used_with_other_details_is_refused_and_nothing_is_written(database, bank):
    first = members.add_member(database, bank.slug, "Eve", idempotency_key="new-member-1")
    before = _rows(database, bank)
    for other in ({"name": "Eva"}, {"name": "Eve", "email": "eve@example.org"},
                  {"name": "Eve", "organisation": True}, {"name": "Eve", "joined_on": TODAY}):
        with pytest.raises(IdempotencyKeyReusedWithOtherDetails, match=f"member {first.id}"):
            members.add_member(database, bank.slug, idempotency_key="new-member-1", **other)
    assert _rows(database, bank) == before


def test_a_member_key_is_the_banks_own_and_no_key_means_no_memory(database, bank, make_bank):
    other_bank = make_bank()
    here = members.add_member(database, bank.slug, "Eve", idempotency_key="k")
    there = members.add_member(database, other_bank.slug, "Eve", idempotency_key="k")
    assert there.id != here.id and not there.replayed
    members.add_member(database, bank.slug, "Eve")
    members.add_member(database, bank.slug, "Eve")
    assert _rows(database, bank)["members"] == 3


def test_a_key_too_long_is_refused_before_anything_is_written(database, bank):
    before = _rows(database, bank)
    with pytest.raises(InvalidInput, match="at most 200 characters"):
        members.add_member(database, bank.slug, "Eve", idempotency_key="k" * 201)
    assert _rows(database, bank) == before


def test_eight_writers_taking_one_member_on_with_one_key_make_one_member(database, bank):
    before = _rows(database, bank)
    outcomes = run_together(WRITERS, lambda i: members.add_member(
        database, bank.slug, "Eve", email="eve@example.org", idempotency_key="race"))
    assert _errors(outcomes) == []
    assert len({o.id for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1
    after = _rows(database, bank)
    assert (after["members"], after["accounts"]) == (before["members"] + 1, before["accounts"] + 1)


def test_eight_writers_taking_on_one_email_without_a_key_get_one_member_and_clear_refusals(database, bank):
    """The loser of the race on the email's unique key is run again and told why."""
    outcomes = run_together(WRITERS, lambda i: members.add_member(
        database, bank.slug, f"Eve {i}", email="eve@example.org"))
    taken_on = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(taken_on) == 1
    assert {type(o).__name__ for o in outcomes if isinstance(o, Exception)} == {"EmailTaken"}


# ---------------------------------------------------------------- recording an assessment


def test_an_assessment_sent_twice_with_one_key_is_recorded_once(database, bank, social_worker):
    first = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING,
                                          idempotency_key="assessment-1")
    before = _rows(database, bank)
    again = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING,
                                          idempotency_key="assessment-1")
    assert (first.replayed, again.replayed) == (False, True)
    assert (again.id, again.version, again.content) == (first.id, 1, first.content)
    after = _rows(database, bank)
    # Nothing recorded again; showing what was recorded is an access, and logged.
    assert after == {**before, "accesses": before["accesses"] + 1}
    assert assessments.access_log(database, social_worker, first.id)[0][3] == "view"


def test_an_assessment_key_used_with_other_details_is_refused_and_nothing_is_written(
        database, bank, social_worker):
    first = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING,
                                          idempotency_key="assessment-1")
    other_worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                                    name="Sue", password="a long enough password", role="social_worker")
    before = _rows(database, bank)
    for actor, name, asked in ((social_worker, "Maria", SHOPPING),
                               (social_worker, "Mary", content(needs=[{"text": "Lifts"}])),
                               (other_worker, "Mary", SHOPPING)):
        with pytest.raises(IdempotencyKeyReusedWithOtherDetails, match=f"assessment {first.id}"):
            assessments.record_assessment(database, actor, person_name=name, content=asked,
                                          idempotency_key="assessment-1")
    assert _rows(database, bank) == before


def test_eight_writers_recording_one_assessment_with_one_key_record_one(database, bank, social_worker):
    before = _rows(database, bank)
    outcomes = run_together(WRITERS, lambda i: assessments.record_assessment(
        database, social_worker, person_name="Mary", content=SHOPPING, idempotency_key="race"))
    assert _errors(outcomes) == []
    assert len({o.id for o in outcomes}) == 1 and {o.version for o in outcomes} == {1}
    after = _rows(database, bank)
    assert (after["assessments"], after["versions"]) == (before["assessments"] + 1, before["versions"] + 1)


# ---------------------------------------------------------------- recording a new version


def test_a_new_version_sent_twice_with_one_key_is_recorded_once(database, bank, social_worker):
    recorded = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING)
    edited = content(needs=[{"key": recorded.content["needs"][0]["key"], "text": "Shopping on Fridays"}])
    first = assessments.update_assessment(database, social_worker, recorded.id, content=edited,
                                          idempotency_key="edit-1")
    before = _rows(database, bank)
    again = assessments.update_assessment(database, social_worker, recorded.id, content=edited,
                                          idempotency_key="edit-1")
    assert (first.version, again.version, again.replayed) == (2, 2, True)
    assert _rows(database, bank) == {**before, "accesses": before["accesses"] + 1}
    assert assessments.get_assessment(database, social_worker, recorded.id).version == 2


def test_a_version_key_used_with_other_details_or_another_assessment_is_refused(
        database, bank, social_worker):
    mary = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING)
    hamish = assessments.record_assessment(database, social_worker, person_name="Hamish", content=SHOPPING)
    assessments.update_assessment(database, social_worker, mary.id, content=SHOPPING, idempotency_key="edit-1")
    before = _rows(database, bank)
    for assessment_id, asked, name in ((mary.id, content(needs=[{"text": "Lifts"}]), None),
                                       (mary.id, SHOPPING, "Mary Brown"),
                                       (hamish.id, SHOPPING, None)):
        with pytest.raises(IdempotencyKeyReusedWithOtherDetails, match=f"version 2 of assessment {mary.id}"):
            assessments.update_assessment(database, social_worker, assessment_id, content=asked,
                                          person_name=name, idempotency_key="edit-1")
    assert _rows(database, bank) == before


def test_eight_writers_recording_one_version_with_one_key_record_one(database, bank, social_worker):
    recorded = assessments.record_assessment(database, social_worker, person_name="Mary", content=SHOPPING)
    before = _rows(database, bank)
    outcomes = run_together(WRITERS, lambda i: assessments.update_assessment(
        database, social_worker, recorded.id, content=SHOPPING, idempotency_key="race"))
    assert _errors(outcomes) == []
    assert {o.version for o in outcomes} == {2}
    assert _rows(database, bank)["versions"] == before["versions"] + 1
    assert assessments.get_assessment(database, social_worker, recorded.id).version == 2


# ---------------------------------------------------------------- running a match


def test_a_match_run_sent_twice_with_one_key_runs_once(database, bank, social_worker, matchable):
    first = matches.run_match(database, social_worker, today=TODAY, idempotency_key="run-1")
    before = _rows(database, bank)
    again = matches.run_match(database, social_worker, today=TODAY, idempotency_key="run-1")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.id == first.id and [p.id for p in again.proposals] == [p.id for p in first.proposals]
    assert first.proposed_count == 1
    # The replay shows the run again: one access-log row for each assessment it quotes.
    shown = {p.need_assessment_id for p in first.proposals} | {p.capability_assessment_id for p in first.proposals}
    assert _rows(database, bank) == {**before, "accesses": before["accesses"] + len(shown - {None})}


def test_a_match_run_key_used_with_other_details_is_refused_and_nothing_is_written(
        database, bank, social_worker, matchable):
    first = matches.run_match(database, social_worker, today=TODAY, idempotency_key="run-1")
    other_worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                                    name="Sue", password="a long enough password", role="social_worker")
    before = _rows(database, bank)
    for actor, day in ((social_worker, TODAY - dt.timedelta(days=1)), (other_worker, TODAY)):
        with pytest.raises(IdempotencyKeyReusedWithOtherDetails, match=f"match run {first.id}"):
            matches.run_match(database, actor, today=day, idempotency_key="run-1")
    assert _rows(database, bank) == before


def test_eight_writers_running_one_match_with_one_key_make_one_run(database, bank, social_worker, matchable):
    before = _rows(database, bank)
    outcomes = run_together(WRITERS, lambda i: matches.run_match(
        database, social_worker, today=TODAY, idempotency_key="race"))
    assert _errors(outcomes) == []
    assert len({o.id for o in outcomes}) == 1
    after = _rows(database, bank)
    assert (after["runs"], after["proposals"]) == (before["runs"] + 1, before["proposals"] + 1)


# ---------------------------------------------------------------- decisions, outcomes, closing, services


def _decisions(database, bank) -> tuple[int, ...]:
    bank_id = _bank_id(database, bank)
    return (_count(database, MatchProposal, MatchProposal.bank_id == bank_id, MatchProposal.status != "proposed"),
            _count(database, Introduction, Introduction.bank_id == bank_id),
            _count(database, Outcome, Outcome.introduction_id.in_(
                sa.select(Introduction.id).where(Introduction.bank_id == bank_id))))


def _proposal_id(database, social_worker) -> int:
    return matches.run_match(database, social_worker, today=TODAY).proposals[0].id


def test_eight_writers_accepting_one_proposal_with_one_key_make_one_introduction(
        database, bank, social_worker, matchable):
    proposal = _proposal_id(database, social_worker)
    outcomes = run_together(WRITERS, lambda i: matches.accept_proposal(
        database, social_worker, proposal, idempotency_key="accept"))
    assert _errors(outcomes) == []
    assert len({o.id for o in outcomes}) == 1 and sum(not o.replayed for o in outcomes) == 1
    assert _decisions(database, bank)[:2] == (1, 1)
    with pytest.raises(IdempotencyKeyReusedWithOtherDetails):
        matches.reject_proposal(database, social_worker, proposal, reason="No", idempotency_key="accept")
    with pytest.raises(NotAllowed):  # another acceptance form: the proposal is decided
        matches.accept_proposal(database, social_worker, proposal, idempotency_key="another")


def test_a_rejection_sent_twice_is_recorded_once(database, bank, social_worker, matchable):
    proposal = _proposal_id(database, social_worker)
    matches.reject_proposal(database, social_worker, proposal, reason="Too far", idempotency_key="reject")
    before = _rows(database, bank), _decisions(database, bank)
    matches.reject_proposal(database, social_worker, proposal, reason="Too far", idempotency_key="reject")
    assert (_rows(database, bank), _decisions(database, bank)) == before
    with pytest.raises(IdempotencyKeyReusedWithOtherDetails):
        matches.reject_proposal(database, social_worker, proposal, reason="Too near", idempotency_key="reject")


def test_an_outcome_and_a_close_sent_twice_are_recorded_once(database, bank, social_worker, matchable):
    introduction = matches.accept_proposal(database, social_worker, _proposal_id(database, social_worker))
    view = {"side": "helped", "help_happened": True, "difference": "a_lot", "comment": "Lovely"}
    first = matches.record_outcome(database, social_worker, introduction.id, idempotency_key="o", **view)
    again = matches.record_outcome(database, social_worker, introduction.id, idempotency_key="o", **view)
    assert (first.replayed, again.replayed, len(again.outcomes)) == (False, True, 1)
    with pytest.raises(IdempotencyKeyReusedWithOtherDetails):
        matches.record_outcome(database, social_worker, introduction.id, idempotency_key="o",
                               **{**view, "difference": "none"})
    closed = matches.close_introduction(database, social_worker, introduction.id, idempotency_key="c")
    again = matches.close_introduction(database, social_worker, introduction.id, idempotency_key="c")
    assert (closed.replayed, again.replayed, again.status) == (False, True, "closed")
    with pytest.raises(NotAllowed):
        matches.close_introduction(database, social_worker, introduction.id, idempotency_key="other")
    assert _decisions(database, bank)[2] == 1


def test_eight_writers_adding_one_service_with_one_key_add_one(database, bank):
    outcomes = run_together(WRITERS, lambda i: banks.save_category(
        database, bank.slug, category="clock_winding", name="Clock winding", adding=True,
        idempotency_key="add"))
    assert _errors(outcomes) == [] and sorted(outcomes) == [False] + [True] * (WRITERS - 1)
    assert ("clock_winding", "Clock winding") in banks.list_categories(database, bank.slug)
    with pytest.raises(CategoryTaken):  # another add form with the same name
        banks.save_category(database, bank.slug, category="clock_winding", name="Clocks", adding=True,
                            idempotency_key="another")
    with pytest.raises(IdempotencyKeyReusedWithOtherDetails):
        banks.save_category(database, bank.slug, category="clock_winding", name="Clocks", adding=True,
                            idempotency_key="add")


# ---------------------------------------------------------------- the migration


def test_the_key_migration_goes_down_and_up_and_versions_stay_append_only(backend, database_factory):
    """Down to 0003 and up again: rows kept, keys back (empty), versions still append-only."""
    from timebank.services.banks import create_bank

    database = database_factory.migrated(backend)
    bank = create_bank(database, "keys", "Keys bank")
    member = members.add_member(database, bank.slug, "Eve", idempotency_key="k")
    worker = auth.create_user(database, bank.slug, email="sw@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    recorded = assessments.record_assessment(database, worker, person_name="Mary", content=SHOPPING,
                                             idempotency_key="k")
    assessments.update_assessment(database, worker, recorded.id, content=SHOPPING, idempotency_key="k2")
    before = _rows(database, bank)

    migrate.downgrade(database, "0003")
    with database.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("assessment_versions")}
    assert "idempotency_key" not in columns
    migrate.upgrade(database)

    assert _rows(database, bank) == before
    for statement in ("UPDATE assessment_versions SET version = version", "DELETE FROM assessment_versions"):
        with pytest.raises(sa.exc.DBAPIError), database.engine.begin() as connection:
            connection.execute(sa.text(statement))
    # The keys went with the columns: the same key now takes a new member on.
    assert members.add_member(database, bank.slug, "Eve", idempotency_key="k").id != member.id
