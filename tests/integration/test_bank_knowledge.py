"""A match run reads with the bank's own knowledge (its Services page: a service added
with example sentences), leaves rejected pairs out inside the engine, and places a person
whose area is a postcode district at its centre (issue 12 parts 1, 4 and 5), on both
databases."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from timebank.services import assessments, auth, banks, matches, places, service_examples

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
NEAR_LEITH = [55.9720, -3.1650]
NEED_WORDS = "Would love to join the dawn flowing movements on the meadows"
OFFER_WORDS = "I lead flowing movements on the meadows most mornings"
EXAMPLES = ("Join the slow flowing movements on the meadows at dawn\n"
            "Gentle flowing form practice outdoors with the meadows group\n"
            "Leading the dawn flowing movements, all ages welcome")


@pytest.fixture
def social_worker(database, bank):
    return auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                            name="Sam", password="a long enough password", role="social_worker")


def _assess(database, social_worker, name, *, location=LEITH, area="Leith", needs=(), capabilities=()):
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": area,
               "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities]}
    if location:
        content["latitude"], content["longitude"] = location
    return assessments.record_assessment(database, social_worker, person_name=name, content=content)


def _pairs(run) -> set[tuple[str, str | None]]:
    return {(p.need_person, p.capability_person) for p in run.proposals if p.status == "proposed"}


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
