"""Matching remembers what people decided and where people are (issue 12, B3 and B8):
a rejected pair is not proposed again, an introduced need is left out of the next run,
a person without a location is placed at their neighbourhood's centre, and the
readings a social worker corrects are kept as the bank's training examples.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import BankReader, ReadingExample
from timebank.domain.errors import NeighbourhoodTaken
from timebank.services import assessments, auth, banks, matches, places, readings, service_examples

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
NEAR_LEITH = [55.9720, -3.1650]
SHOPPING = {"text": "Someone to carry my shopping bags up the stair", "category": "shopping"}
HELPS_SHOP = {"text": "Happy to do a weekly shop for a neighbour", "category": "shopping", "status": "doing",
              "capacity": "3"}


def _assess(database, social_worker, name, *, location=LEITH, area="Leith", needs=(), capabilities=()):
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": area,
               "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities]}
    if location:
        content["latitude"], content["longitude"] = location
    return assessments.record_assessment(database, social_worker, person_name=name, content=content)


def _pairs(run) -> set[tuple[str, str | None]]:
    return {(p.need_person, p.capability_person) for p in run.proposals if p.status == "proposed"}


def test_a_rejected_pair_is_not_proposed_again_and_is_shown_as_rejected(database, social_worker):
    _assess(database, social_worker, "Jean", needs=[SHOPPING])
    _assess(database, social_worker, "Hamish", location=NEAR_LEITH, capabilities=[HELPS_SHOP])
    _assess(database, social_worker, "Kirsty", location=[55.9740, -3.1600], capabilities=[
        {**HELPS_SHOP, "text": "I can fetch shopping from the supermarket"}])
    first = matches.run_match(database, social_worker, today=TODAY)
    chosen = next(p for p in first.proposals if p.need_person == "Jean")
    assert chosen.capability_person in {"Hamish", "Kirsty"}
    matches.reject_proposal(database, social_worker, chosen.id, reason="Jean prefers a woman driver.")

    second = matches.run_match(database, social_worker, today=TODAY)

    assert ("Jean", chosen.capability_person) not in _pairs(second)
    other = ({"Hamish", "Kirsty"} - {chosen.capability_person}).pop()
    assert ("Jean", other) in _pairs(second), "the next helper is proposed instead"
    instead = next(p for p in second.proposals if p.need_person == "Jean")
    assert "was rejected for this need" in instead.reasons[0]
    assert any("km apart" in reason for reason in instead.reasons[1:]), "the new pair's own reasons"
    [held] = second.rejected_before
    assert (held.need_person, held.helper_person, held.reason) == (
        "Jean", chosen.capability_person, "Jean prefers a woman driver.")
    assert held.day == dt.datetime.now(dt.UTC).date()
    assert first.rejected_before == (), "the first run's page shows what stood at its time"


def test_a_need_whose_only_helper_was_rejected_is_left_unmatched_saying_why(database, social_worker):
    _assess(database, social_worker, "Jean", needs=[SHOPPING])
    _assess(database, social_worker, "Hamish", location=NEAR_LEITH, capabilities=[HELPS_SHOP])
    first = matches.run_match(database, social_worker, today=TODAY)
    matches.reject_proposal(database, social_worker, first.proposals[0].id, reason="They fell out.")

    second = matches.run_match(database, social_worker, today=TODAY)

    [unmatched] = second.unmatched
    assert "was rejected for this need" in unmatched.reasons[0]
    assert all(a.person_name != "Hamish" for a in unmatched.alternatives)


def test_an_accepted_need_is_left_out_of_the_next_run_and_shown_as_introduced(database, social_worker):
    _assess(database, social_worker, "Siobhan", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=NEAR_LEITH, capabilities=[HELPS_SHOP])
    first = matches.run_match(database, social_worker, today=TODAY)
    matches.accept_proposal(database, social_worker, first.proposals[0].id)

    second = matches.run_match(database, social_worker, today=TODAY)

    assert all(p.need_person != "Siobhan" for p in second.proposals)
    [held] = second.introduced_before
    assert (held.need_person, held.helper_person) == ("Siobhan", "Kirsty")
    runs = matches.list_runs(database, social_worker)
    assert [(r.id, r.accepted) for r in runs] == [(second.id, 0), (first.id, 1)]


def test_a_person_without_a_location_is_matched_by_their_neighbourhoods_centre(database, bank, social_worker):
    places.save_neighbourhood(database, bank.slug, name="Leith", latitude="55.9755", longitude="-3.1700")
    places.save_neighbourhood(database, bank.slug, name="Leith Walk", latitude="55.9650", longitude="-3.1770")
    # Written differently from the list, and without coordinates: B8.
    _assess(database, social_worker, "Siobhan", location=None, area="leith walk", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=None, area="  LEITH ", capabilities=[HELPS_SHOP])

    run = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(run) == {("Siobhan", "Kirsty")}
    assert any("km apart" in reason for reason in run.proposals[0].reasons)


def test_without_a_neighbourhood_list_areas_still_match_without_case_or_spaces(database, social_worker):
    _assess(database, social_worker, "Siobhan", location=None, area="Leith Walk", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=None, area="leithwalk", capabilities=[HELPS_SHOP])

    run = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(run) == {("Siobhan", "Kirsty")}


def test_a_neighbourhood_named_twice_is_refused(database, bank):
    places.save_neighbourhood(database, bank.slug, name="Leith Walk", latitude="55.965", longitude="-3.177")
    with pytest.raises(NeighbourhoodTaken):
        places.save_neighbourhood(database, bank.slug, name="leithwalk", latitude="55.9", longitude="-3.1")
    assert [n.name for n in places.list_neighbourhoods(database, bank.slug)] == ["Leith Walk"]


def test_a_corrected_reading_is_kept_as_a_training_example(database, bank, social_worker):
    words = "Needs a lift to the hospital on Tuesdays"
    [reading] = readings.read_services(database, bank.slug, [words])
    assert reading.service_id == "lifts" and reading.sure, reading
    # The social worker says it is shopping (the hospital shop), not the lift read.
    _assess(database, social_worker, "Jean", needs=[{"text": words, "category": "shopping"},
                                                    {"text": "Someone to walk my dog", "category": "pet_care"}])

    with database.session(readonly=True) as session:
        kept = session.execute(sa.select(ReadingExample.text, ReadingExample.service_id, ReadingExample.side,
                                         ReadingExample.source).where(ReadingExample.bank_id == bank.id)).all()
    assert kept == [(words, "shopping", "need", "correction")], "only the correction is kept"
    trained = readings.retrain_reader(database, bank.slug)
    assert trained.example_count == 1
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(BankReader.example_count).where(BankReader.bank_id == bank.id)) == 1


def test_an_accepted_match_keeps_both_texts_as_examples(database, bank, social_worker):
    _assess(database, social_worker, "Siobhan", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=NEAR_LEITH, capabilities=[HELPS_SHOP])
    run = matches.run_match(database, social_worker, today=TODAY)
    matches.accept_proposal(database, social_worker, run.proposals[0].id)

    with database.session(readonly=True) as session:
        kept = set(session.execute(sa.select(ReadingExample.side, ReadingExample.service_id,
                                             ReadingExample.source).where(ReadingExample.bank_id == bank.id)))
    assert kept == {("need", "shopping", "accepted_match"), ("capability", "shopping", "accepted_match")}


def test_a_services_examples_reach_the_engines_knowledge(database, bank):
    service_examples.set_service_examples(database, bank.slug, "shopping",
                                          "Fetch my messages from the Co-op\n\nFetch my messages from the Co-op")
    knowledge = {service_id: examples for service_id, _, _, examples in
                 service_examples.bank_services(database, bank.slug)}
    assert knowledge["shopping"] == ("Fetch my messages from the Co-op",)
    assert knowledge["gardening"] == ()


def test_reader_train_stores_the_count_of_the_banks_examples(backend, database_factory):
    from tests.conftest import PASSWORD_HASHING, cli_runner
    from timebank.db.engine import Database

    run = cli_runner(database_factory.url(backend))
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith Time Bank").exit_code == 0
    database = Database(run.url, password_hashing=PASSWORD_HASHING)
    try:
        worker = auth.create_user(database, "leith", email="sam@example.org", name="Sam",
                                  password="a long enough password", role="social_worker")
        _assess(database, worker, "Jean", needs=[{"text": "Needs a lift to the hospital", "category": "shopping"}])

        trained = run("reader", "train", "--bank", "leith")

        assert trained.exit_code == 0 and "leith: 1 example(s)" in trained.output, trained.output
        with database.session(readonly=True) as session:
            assert session.scalar(sa.select(BankReader.example_count)) == 1
        assert run("reader", "train", "--bank", "nowhere").exit_code == 1
    finally:
        database.dispose()


def test_a_pair_introduced_before_is_marked_when_proposed_again(database, social_worker):
    _assess(database, social_worker, "Siobhan", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=NEAR_LEITH, capabilities=[HELPS_SHOP])
    first = matches.run_match(database, social_worker, today=TODAY)
    introduction = matches.accept_proposal(database, social_worker, first.proposals[0].id)
    matches.close_introduction(database, social_worker, introduction.id)

    second = matches.run_match(database, social_worker, today=TODAY)

    [again] = second.proposals
    assert again.capability_person == "Kirsty" and again.introduced_on == dt.datetime.now(dt.UTC).date()
    assert first.proposals[0].introduced_on is None


def test_a_helpers_open_introductions_reduce_their_capacity_in_the_next_run(database, social_worker):
    _assess(database, social_worker, "Siobhan", needs=[SHOPPING])
    _assess(database, social_worker, "Kirsty", location=NEAR_LEITH, capabilities=[{**HELPS_SHOP, "capacity": "1"}])
    first = matches.run_match(database, social_worker, today=TODAY)
    matches.accept_proposal(database, social_worker, first.proposals[0].id)
    _assess(database, social_worker, "Jean", needs=[SHOPPING])

    second = matches.run_match(database, social_worker, today=TODAY)

    [jean] = second.proposals
    assert jean.need_person == "Jean" and jean.status == "unmatched", "Kirsty offered to help one person"


def test_an_area_recorded_before_the_list_may_stay_but_a_new_one_must_be_listed(database, bank, social_worker):
    from timebank.domain.errors import AssessmentInvalid

    mary = _assess(database, social_worker, "Mary", area="Pilrig", needs=[SHOPPING])
    places.save_neighbourhood(database, bank.slug, name="Leith", latitude="55.9755", longitude="-3.17")

    kept = assessments.update_assessment(database, social_worker, mary.id, content=mary.content)
    assert kept.content["area"] == "Pilrig"
    with pytest.raises(AssessmentInvalid) as refused:
        _assess(database, social_worker, "Jean", area="Pilrig", needs=[SHOPPING])
    assert set(refused.value.problems) == {"area"}


# Issue 12 parts 1, 4 and 5: a service the bank adds is read by the next run, a rejected
# pair takes no helper's capacity, and a postcode district places a person.
NEED_WORDS = "Would love to join the dawn flowing movements on the meadows"
OFFER_WORDS = "I lead flowing movements on the meadows most mornings"
EXAMPLES = ("Join the slow flowing movements on the meadows at dawn\n"
            "Gentle flowing form practice outdoors with the meadows group\n"
            "Leading the dawn flowing movements, all ages welcome")


def test_a_service_the_bank_adds_with_examples_is_read_by_the_next_run(database, bank, social_worker):
    _assess(database, social_worker, "Jean", needs=[{"text": NEED_WORDS}])
    _assess(database, social_worker, "Hamish", location=NEAR_LEITH,
            capabilities=[{"text": OFFER_WORDS, "status": "doing", "capacity": "1"}])
    before = matches.run_match(database, social_worker, today=TODAY)
    assert _pairs(before) == set(), "no shipped service reads these words"

    banks.save_category(database, bank.slug, category="tai_chi_in_the_park", name="Tai chi in the park",
                        description="Slow flowing movement outdoors, in a group.", adding=True)
    service_examples.set_service_examples(database, bank.slug, "tai_chi_in_the_park", EXAMPLES)
    after = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(after) == {("Jean", "Hamish")}
    [proposal] = [p for p in after.proposals if p.status == "proposed"]
    assert proposal.reasons[0].startswith("both about Tai chi in the park (read from the words")


def test_a_service_added_after_the_banks_reader_was_trained_is_read_by_the_next_run(database, bank,
                                                                                   social_worker):
    _assess(database, social_worker, "Jean", needs=[{"text": NEED_WORDS}])
    _assess(database, social_worker, "Hamish", location=NEAR_LEITH,
            capabilities=[{"text": OFFER_WORDS, "status": "doing", "capacity": "1"}])
    assert readings.retrain_reader(database, bank.slug).model_stored

    banks.save_category(database, bank.slug, category="tai_chi_in_the_park", name="Tai chi in the park",
                        description="Slow flowing movement outdoors, in a group.", adding=True)
    service_examples.set_service_examples(database, bank.slug, "tai_chi_in_the_park", EXAMPLES)
    after = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(after) == {("Jean", "Hamish")}
    # Both voters read it: the learned one is fitted again with the new service's examples.
    [reading] = readings.read_services(database, bank.slug, [NEED_WORDS])
    assert (reading.service_id, reading.agree) == ("tai_chi_in_the_park", True), reading


def test_a_rejected_pair_leaves_the_helpers_room_to_the_next_need(database, social_worker):
    shop = {"text": "Someone to do my weekly shop at the supermarket", "category": "shopping"}
    _assess(database, social_worker, "Jean", needs=[shop])
    _assess(database, social_worker, "Ann", needs=[{"text": "Help carrying bags home", "category": "shopping"}])
    _assess(database, social_worker, "Hamish", location=NEAR_LEITH, capabilities=[{
        "text": "Happy to do a weekly shop at the supermarket", "category": "shopping", "status": "doing",
        "capacity": "1"}])
    first = matches.run_match(database, social_worker, today=TODAY)
    assert _pairs(first) == {("Jean", "Hamish")}, "the better pair takes the helper's one place"
    chosen = next(p for p in first.proposals if p.need_person == "Jean")
    matches.reject_proposal(database, social_worker, chosen.id, reason="Jean knows Hamish and would rather not.")

    second = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(second) == {("Ann", "Hamish")}, "a filter after the run would have left Ann unmatched"
    jean = next(p for p in second.proposals if p.need_person == "Jean")
    assert jean.status == "unmatched" and "was rejected for this need" in jean.reasons[0]
    [held] = second.rejected_before
    assert (held.need_person, held.helper_person, held.reason) == (
        "Jean", "Hamish", "Jean knows Hamish and would rather not.")
    assert held.day == dt.datetime.now(dt.UTC).date()


def test_people_whose_areas_are_postcode_districts_are_placed_at_their_centres(database, bank, social_worker):
    places.save_neighbourhood(database, bank.slug, name="Leith Walk", latitude="55.965", longitude="-3.177")
    _assess(database, social_worker, "Jean", location=None, area="eh6",
            needs=[{"text": "Someone to do my weekly shop", "category": "shopping"}])
    _assess(database, social_worker, "Hamish", location=None, area="EH6 5", capabilities=[{
        "text": "Happy to do a weekly shop", "category": "shopping", "status": "doing", "capacity": "1"}])

    run = matches.run_match(database, social_worker, today=TODAY)

    assert _pairs(run) == {("Jean", "Hamish")}, "two districts' centres within the helper's reach"
    [proposal] = run.proposals
    assert any("km apart" in reason for reason in proposal.reasons)
