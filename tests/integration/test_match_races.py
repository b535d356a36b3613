"""Social workers accepting matches at the same moment: one need gets one introduction,
and a helper is never introduced to more people than they offered to help.

Each test releases its accepts behind a barrier (`run_together`), on both databases. On
PostgreSQL the accepts run at READ COMMITTED, so without locks each one reads "no open
introduction" before any of them has committed; on SQLite BEGIN IMMEDIATE serialises
them. The losers must get a refusal with a stable code (a 409) and write nothing.
"""
from __future__ import annotations

import datetime as dt
import uuid

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


@pytest.fixture
def social_worker(database, bank):
    return auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                            name="Sam", password="a long enough password", role="social_worker")


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
