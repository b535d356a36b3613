""""Find matches for this person" (issue 12's speed target): a run of only the pairs
involving one assessment, under the same rules and decisions as a run over the whole
bank, kept in the history like the others."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.db.models import AssessmentAccess, MatchProposal, MatchRun
from timebank.domain.errors import IdempotencyKeyReusedWithOtherDetails, NotAllowed, UnknownAssessment
from timebank.services import assessments, auth, consent, matches

TODAY = dt.date.today()
NEAR = [55.9700, -3.1700]
SHOPPING = "Someone to carry my shopping bags up the stair"
HEDGE = "My hedge is taller than me now"
LIFT = "Need a lift to the hospital on Tuesdays"
SHOPS = "Happy to do a weekly shop for a neighbour"
DRIVES = "I drive and can take people to appointments"
GARDENS = "Keen gardener, will cut grass and hedges"


def _assess(database, worker, name, *, needs=(), capabilities=(), capacity="1", **extra):
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
               "latitude": NEAR[0], "longitude": NEAR[1], "needs": [{"text": t} for t in needs],
               "capabilities": [{"text": t, "status": "doing", "capacity": capacity} for t in capabilities], **extra}
    return assessments.record_assessment(database, worker, person_name=name, content=content)


@pytest.fixture
def bank_of_people(database, social_worker):
    """Jean needs shopping done; Agnes needs a lift; Hamish shops and drives; Wei gardens."""
    return {name: _assess(database, social_worker, name, needs=needs, capabilities=capabilities).id
            for name, needs, capabilities in (("Jean", [SHOPPING], []), ("Agnes", [LIFT], []),
                                              ("Hamish", [], [SHOPS, DRIVES]), ("Wei", [], [GARDENS]))}


def _pairs(run) -> set[tuple[str, str, str | None]]:
    return {(p.need_person, p.need_text, p.capability_person) for p in run.proposals}


def test_only_the_pairs_involving_the_person_are_run_and_they_score_as_in_a_whole_run(
        database, social_worker, bank_of_people):
    morag = _assess(database, social_worker, "Morag", needs=[HEDGE], capabilities=[
        "I can fetch shopping from the supermarket"]).id

    found = matches.find_matches_for(database, social_worker, morag, today=TODAY)

    assert found.for_assessment_id == morag and found.for_person == "Morag"
    # Morag's need, and the need Morag could help with; Agnes's lift does not involve her.
    assert _pairs(found) == {("Morag", HEDGE, "Wei"), ("Jean", SHOPPING, "Morag")}
    assert found.needs_count == 2 and found.proposed_count == 2
    whole = matches.run_match(database, social_worker, today=TODAY)
    scores = {(p.need_text, p.capability_person): p.score for p in whole.proposals}
    scores |= {(p.need_text, a.person_name): a.score for p in whole.proposals for a in p.alternatives}
    for p in found.proposals:
        assert p.score == scores[(p.need_text, p.capability_person)], p
        assert p.reasons and "both about" in p.reasons[0]


def test_a_run_for_one_person_is_in_the_history_and_logs_the_assessments_it_read(
        database, social_worker, bank_of_people):
    found = matches.find_matches_for(database, social_worker, bank_of_people["Jean"], today=TODAY)

    [summary] = matches.list_runs(database, social_worker)
    assert (summary.id, summary.for_person, summary.waiting) == (found.id, "Jean", 1)
    again = matches.get_run(database, social_worker, found.id)
    assert again.for_person == "Jean" and _pairs(again) == _pairs(found) == {("Jean", SHOPPING, "Hamish")}
    with database.engine.connect() as connection:
        read = connection.scalars(sa.select(AssessmentAccess.assessment_id).where(
            AssessmentAccess.action == "match", AssessmentAccess.why == f"match run {found.id}")).all()
    # Every text was read with all the others (so pairs score as in a whole run): all logged.
    assert sorted(read) == sorted(bank_of_people.values())


def test_a_run_for_one_person_does_not_hide_the_banks_latest_run(database, social_worker, bank_of_people):
    """The dashboard and Matches page show the latest run over the whole bank, whose
    proposals wait for decisions; a person's run is in the history and on their page."""
    assert matches.latest_run(database, social_worker) is None
    whole = matches.run_match(database, social_worker, today=TODAY)
    matches.find_matches_for(database, social_worker, bank_of_people["Jean"], today=TODAY)
    assert matches.latest_run(database, social_worker).id == whole.id


def test_decisions_are_remembered_in_a_run_for_one_person(database, social_worker, bank_of_people):
    kirsty = _assess(database, social_worker, "Kirsty", capabilities=["I can fetch shopping from the supermarket"]).id
    jean = bank_of_people["Jean"]
    first = matches.find_matches_for(database, social_worker, jean, today=TODAY)
    [chosen] = first.proposals
    matches.reject_proposal(database, social_worker, chosen.id, reason="Jean would rather not.")

    second = matches.find_matches_for(database, social_worker, jean, today=TODAY)
    [instead] = second.proposals
    assert instead.capability_person != chosen.capability_person, "a rejected pair is never proposed again"
    assert [(h.kind, h.helper_person, h.reason) for h in second.held_back] == [
        ("rejected", chosen.capability_person, "Jean would rather not.")]
    matches.accept_proposal(database, social_worker, instead.id)

    third = matches.find_matches_for(database, social_worker, jean, today=TODAY)
    assert third.proposals == () and [h.kind for h in third.introduced_before] == ["introduced"], \
        "a need with an open introduction is left out"
    # The helper now introduced had room for one: their capability is full for others too.
    helper = kirsty if instead.capability_person == "Kirsty" else bank_of_people["Hamish"]
    _assess(database, social_worker, "Isla", needs=[SHOPPING])
    for_helper = matches.find_matches_for(database, social_worker, helper, today=TODAY)
    assert all(p.capability_text != instead.capability_text for p in for_helper.proposals)


def test_an_assessment_without_consent_or_of_another_bank_is_refused_and_nothing_is_written(
        database, bank, social_worker, bank_of_people, make_bank):
    withdrawn = bank_of_people["Agnes"]
    consent.withdraw_consent(database, social_worker, withdrawn, withdrawn_on=TODAY, note="Moved away.")
    other_bank = make_bank()
    stranger = auth.create_user(database, other_bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                                name="Kim", password="a long enough password", role="social_worker")

    with pytest.raises(NotAllowed, match="cannot be matched"):
        matches.find_matches_for(database, social_worker, withdrawn, today=TODAY)
    with pytest.raises(UnknownAssessment):
        matches.find_matches_for(database, stranger, bank_of_people["Jean"], today=TODAY)
    with database.engine.connect() as connection:
        for table in (MatchRun, MatchProposal):
            assert connection.scalar(sa.select(sa.func.count()).select_from(table).where(
                table.bank_id == bank.id)) == 0


def test_the_same_form_sent_twice_finds_once_and_its_key_is_not_reused_for_another_person(
        database, social_worker, bank_of_people):
    first = matches.find_matches_for(database, social_worker, bank_of_people["Jean"], idempotency_key="find-1")
    again = matches.find_matches_for(database, social_worker, bank_of_people["Jean"], idempotency_key="find-1")

    assert again.replayed and again.id == first.id and _pairs(again) == _pairs(first)
    with pytest.raises(IdempotencyKeyReusedWithOtherDetails):
        matches.find_matches_for(database, social_worker, bank_of_people["Agnes"], idempotency_key="find-1")
    assert len(matches.list_runs(database, social_worker)) == 1


def test_a_big_runs_page_logs_each_assessment_it_quotes_once(database, social_worker):
    # More assessments than are logged one object at a time: the page's log is one statement.
    people = matches._LOGGED_ONE_BY_ONE // 2 + 5
    for n in range(people):
        _assess(database, social_worker, f"Asker {n}", needs=[SHOPPING])
        _assess(database, social_worker, f"Helper {n}", capabilities=[SHOPS])
    run = matches.run_match(database, social_worker, today=TODAY)

    shown = matches.get_run(database, social_worker, run.id)

    quoted = matches._run_assessments(shown) - {None}
    assert len(quoted) > matches._LOGGED_ONE_BY_ONE
    with database.engine.connect() as connection:
        logged = connection.execute(sa.select(AssessmentAccess.assessment_id, AssessmentAccess.role,
                                              AssessmentAccess.user_id).where(
            AssessmentAccess.action == "view", AssessmentAccess.why == f"reviewed match run {run.id}")).all()
    assert sorted(a for a, _, _ in logged) == sorted(quoted)
    assert {(role, user) for _, role, user in logged} == {("social_worker", social_worker.id)}


def test_a_remembered_reading_is_the_readers_own_whatever_it_is_read_with():
    import numpy as np

    from matching.learned import default_reader

    reader = default_reader()
    texts = [SHOPPING, HEDGE, LIFT, SHOPS, DRIVES, GARDENS]
    remembered = matches._remembering(reader)

    assert np.array_equal(remembered(texts[:2]), reader(texts[:2]))
    assert np.array_equal(remembered(texts[::-1]), reader(texts[::-1])), "read before, apart, or with others"
    assert np.array_equal(remembered([HEDGE, HEDGE]), reader([HEDGE, HEDGE]))
    reader.encoder = "a part the memory does not know of"
    try:
        assert matches._remembering(reader) is reader, "then every text is read again"
    finally:
        del reader.encoder
    # A way to embed texts is remembered by its encoder's name, and only when it has one.
    reader.embed = type("Encoder", (), {"name": "an encoder"})()
    try:
        assert matches._remembering(reader) is not reader
        reader.embed = object()
        assert matches._remembering(reader) is reader
    finally:
        del reader.embed


def test_a_need_whose_only_helper_is_fully_booked_is_told_so_not_that_no_one_offers_it(
        database, social_worker, bank_of_people):
    """Hamish drives, with room for one; introduced to Agnes, he has no room for Moira's
    lift, and her run says so in words, where it used to say no one offered lifts."""
    whole = matches.run_match(database, social_worker, today=TODAY)
    [agnes_lift] = [p for p in whole.proposals if p.need_person == "Agnes"]
    assert agnes_lift.capability_person == "Hamish"
    matches.accept_proposal(database, social_worker, agnes_lift.id)
    moira = _assess(database, social_worker, "Moira", needs=["Lifts to appointments"]).id

    found = matches.find_matches_for(database, social_worker, moira, today=TODAY)

    [left] = found.unmatched
    assert left.need_person == "Moira" and left.alternatives == ()
    assert not any("no one offers" in reason for reason in left.reasons), left.reasons
    assert ("the one helper within reach who offers Lifts to appointments is fully booked: "
            "their open introductions take all the help they offered") in left.reasons, left.reasons
    assert found.needs_count == 1 and found.proposed_count == 0
