"""Social workers accepting matches at the same moment: one need gets one introduction,
and a helper is never introduced to more people than they offered to help.

Each test releases its accepts behind a barrier (`run_together`), on both databases. On
PostgreSQL the accepts run at READ COMMITTED, so without locks each one reads "no open
introduction" before any of them has committed; on SQLite BEGIN IMMEDIATE serialises
them. The losers must get a refusal with a stable code (a 409) and write nothing.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.integration.bank_harness import run_together
from timebank.db.models import Bank, HelpRequest, Introduction, MatchProposal, Offer
from timebank.domain.errors import Conflict
from timebank.services import assessments, auth, matches, members

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
NEAR_LEITH = [55.9720, -3.1650]
SOCIAL_WORKERS = 8  # one click each, released together


def _assess(database, social_worker, name, *, location=LEITH, needs=(), capabilities=()):
    # Members, so that an accept writes a request and an offer as well as the introduction.
    member = members.add_member(database, social_worker.bank_slug, name)
    return assessments.record_assessment(database, social_worker, person_name=name, member_id=member.id, content={
        "consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
        "latitude": location[0], "longitude": location[1],
        "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities],
    })


def _need(database, social_worker, name):
    return _assess(database, social_worker, name, needs=[{
        "text": "Someone to sit with my husband who has dementia", "category": "dementia_sitting"}])


def _helper(database, social_worker, *, capacity):
    return _assess(database, social_worker, "Hamish", location=NEAR_LEITH, capabilities=[{
        "text": "Can sit with a person with dementia", "category": "dementia_sitting",
        "status": "doing", "capacity": str(capacity)}])


def _written(database, bank) -> dict[str, int]:
    """What accepting writes, counted for one bank."""
    with database.session(readonly=True) as session:
        bank_id = session.scalar(sa.select(Bank.id).where(Bank.slug == bank.slug))

        def count(model, *where):
            return session.scalar(sa.select(sa.func.count()).select_from(model).where(
                model.bank_id == bank_id, *where))

        return {"open introductions": count(Introduction, Introduction.status == "open"),
                "accepted proposals": count(MatchProposal, MatchProposal.status == "accepted"),
                "requests": count(HelpRequest), "offers": count(Offer)}


def _sorted(outcomes, code):
    accepted = [o for o in outcomes if isinstance(o, matches.IntroductionView)]
    refused = [o for o in outcomes if isinstance(o, Conflict) and o.code == code]
    other = [repr(o) for o in outcomes if o not in accepted and o not in refused]
    return accepted, refused, other


def test_social_workers_accepting_one_need_at_once_make_one_introduction(database, bank, social_worker):
    # The helper could take everyone: only the need can refuse the second accept.
    _need(database, social_worker, "Mary")
    _helper(database, social_worker, capacity=SOCIAL_WORKERS)
    # Every run before the first accept proposes the same need: one proposal per worker.
    proposals = [matches.run_match(database, social_worker, today=TODAY).proposals[0]
                 for _ in range(SOCIAL_WORKERS)]
    assert {p.status for p in proposals} == {"proposed"}

    outcomes = run_together(SOCIAL_WORKERS, lambda i: matches.accept_proposal(
        database, social_worker, proposals[i].id))

    accepted, refused, other = _sorted(outcomes, "need_already_introduced")
    assert other == []
    assert (len(accepted), len(refused)) == (1, SOCIAL_WORKERS - 1)
    assert all(r.http_status == 409 for r in refused)
    # The refused accepts wrote nothing: no request, offer or introduction of their own.
    assert _written(database, bank) == {"open introductions": 1, "accepted proposals": 1,
                                        "requests": 1, "offers": 1}


@pytest.mark.parametrize("capacity", [1, 2])
def test_social_workers_accepting_at_once_never_give_a_helper_more_people_than_offered(
        database, bank, social_worker, capacity):
    for n in range(SOCIAL_WORKERS):
        _need(database, social_worker, f"Person {n}")
    helper = _helper(database, social_worker, capacity=capacity)
    # One run: the helper is proposed for `capacity` needs and is the alternative for the rest.
    run = matches.run_match(database, social_worker, today=TODAY)
    hamish = matches.item_id(helper.id, helper.content["capabilities"][0]["key"])
    assert len(run.proposals) == SOCIAL_WORKERS and run.proposed_count == capacity

    outcomes = run_together(SOCIAL_WORKERS, lambda i: matches.accept_proposal(
        database, social_worker, run.proposals[i].id, capability=hamish))

    accepted, refused, other = _sorted(outcomes, "helper_at_capacity")
    assert other == []
    assert (len(accepted), len(refused)) == (capacity, SOCIAL_WORKERS - capacity)
    assert all(r.http_status == 409 for r in refused)
    assert _written(database, bank) == {"open introductions": capacity, "accepted proposals": capacity,
                                        "requests": capacity, "offers": capacity}


def _two_runs_for_one_need(database, social_worker):
    _need(database, social_worker, "Mary")
    _helper(database, social_worker, capacity=2)
    return [matches.run_match(database, social_worker, today=TODAY).proposals[0] for _ in range(2)]


def test_the_database_refuses_a_second_open_introduction_for_one_need(database, bank, social_worker, monkeypatch):
    first, second = _two_runs_for_one_need(database, social_worker)
    matches.accept_proposal(database, social_worker, first.id)
    before = _written(database, bank)
    # A writer that neither locks nor counts (as accepts racing before the fix did) is
    # refused by the partial unique index, with the same error, and writes nothing.
    monkeypatch.setattr(matches, "_lock_assessments", lambda *args: None)
    monkeypatch.setattr(matches, "_open_load", lambda *args: (set(), {}))
    with pytest.raises(Conflict) as refused:
        matches.accept_proposal(database, social_worker, second.id)
    assert refused.value.code == "need_already_introduced"
    assert _written(database, bank) == before


def test_a_need_whose_introduction_closed_can_be_introduced_again(database, bank, social_worker):
    first, second = _two_runs_for_one_need(database, social_worker)
    introduction = matches.accept_proposal(database, social_worker, first.id)
    matches.close_introduction(database, social_worker, introduction.id)
    again = matches.accept_proposal(database, social_worker, second.id)
    assert again.status == "open" and _written(database, bank)["open introductions"] == 1


def test_the_upgrade_stops_and_names_needs_that_raced_to_two_open_introductions(backend, database_factory):
    from timebank.db import migrate
    from timebank.services.banks import create_bank

    database = database_factory.migrated(backend)
    raced = create_bank(database, "raced", "Raced bank")
    social_worker = auth.create_user(database, raced.slug, email="sw@example.org", name="Sam",
                                     password="a long enough password", role="social_worker")
    first, second = _two_runs_for_one_need(database, social_worker)
    matches.accept_proposal(database, social_worker, first.id)
    migrate.downgrade(database, "0005")
    # What two accepts racing before the fix left behind: a second open introduction.
    with database.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO introductions (bank_id, proposal_id, status, created_at) "
            "SELECT bank_id, :second, 'open', created_at FROM introductions"), {"second": second.id})
    with pytest.raises(RuntimeError, match=f"assessment {first.need_assessment_id} need .* \\(2 open\\)"):
        migrate.upgrade(database)
    assert migrate.current_revision(database) == "0005"
    # Nothing of the failed upgrade stayed: once one is closed, the upgrade goes through.
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE introductions SET status = 'closed' WHERE proposal_id = :second"),
                           {"second": second.id})
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision(database)


def test_accepts_that_lock_two_people_in_opposite_roles_all_finish_without_deadlock(
        database, bank, social_worker):
    # Ann and Bob each need help and each can help the other: half the accepts lock Ann's
    # assessment for the need and Bob's for the helper, half the other way round.
    sitting = {"text": "Can sit with a person with dementia", "category": "dementia_sitting",
               "status": "doing", "capacity": str(SOCIAL_WORKERS)}
    need = {"text": "Someone to sit with my husband who has dementia", "category": "dementia_sitting"}
    for name in ("Ann", "Bob"):
        _assess(database, social_worker, name, needs=[need], capabilities=[sitting])
    runs = [matches.run_match(database, social_worker, today=TODAY) for _ in range(SOCIAL_WORKERS // 2)]
    proposals = [p for run in runs for p in run.proposals]
    assert len(proposals) == SOCIAL_WORKERS and {p.status for p in proposals} == {"proposed"}
    assert len({(p.need_assessment_id, p.capability_assessment_id) for p in proposals}) == 2

    outcomes = run_together(SOCIAL_WORKERS, lambda i: matches.accept_proposal(
        database, social_worker, proposals[i].id))

    accepted, refused, other = _sorted(outcomes, "need_already_introduced")
    assert other == []  # a deadlock would be here, as psycopg's DeadlockDetected
    assert (len(accepted), len(refused)) == (2, SOCIAL_WORKERS - 2)
