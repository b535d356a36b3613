"""A match run stores exactly what the engine proposed (issue 12's speed work writes the
proposals and the access log in bulk): every need's helper, score, reasons, alternatives
and status, in the engine's order, and one access-log row per assessment matched."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

import matching
from timebank.db.models import AssessmentAccess
from timebank.services import assessments, auth, matches
from timebank.services.rows import bank_row
from timebank.services.service_examples import bank_knowledge
from timebank.services.unit_of_work import UnitOfWork

TODAY = dt.date.today()
PEOPLE = [  # (name, location, needs, capabilities): words only, the engine reads them
    ("Jean", [55.9700, -3.1700], ["Someone to carry my shopping bags up the stair",
                                  "My hedge is taller than me now"], []),
    ("Agnes", [55.9710, -3.1690], ["Need a lift to the hospital on Tuesdays"], ["I can knit and sew"]),
    ("Hamish", [55.9720, -3.1650], [], ["Happy to do a weekly shop for a neighbour",
                                        "I drive and can take people to appointments"]),
    ("Kirsty", [55.9740, -3.1600], [], ["I can fetch shopping from the supermarket"]),
    ("Wei", [55.9690, -3.1720], [], ["Keen gardener, will cut grass and hedges", "Good with computers"]),
    ("Morag", [55.9750, -3.1750], ["Could someone take up my trousers"], []),
]


@pytest.fixture
def social_worker(database, bank):
    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                              name="Sam", password="a long enough password", role="social_worker")
    for name, location, needs, capabilities in PEOPLE:
        assessments.record_assessment(database, worker, person_name=name, content={
            "consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
            "latitude": location[0], "longitude": location[1],
            "needs": [{"text": text} for text in needs],
            "capabilities": [{"text": text, "status": "doing", "capacity": "2"} for text in capabilities]})
    return worker


def _engine_results(database, social_worker):
    """What the engine proposes for the bank now, as run_match asks for it."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, social_worker.bank_slug)
        profiles = matches.bank_profiles(uow.session, bank, TODAY)
        return matching.match(profiles, top_k=matches.CANDIDATES_ASKED, knowledge=bank_knowledge(uow.session, bank),
                              forbidden_pairs=set())


def test_a_run_stores_every_engine_result_as_it_was_proposed(database, social_worker):
    expected = _engine_results(database, social_worker)

    run = matches.run_match(database, social_worker, today=TODAY)

    stored = [(f"{p.need_assessment_id}:{p.need_text}", p.capability_assessment_id, p.score, p.reasons,
               tuple((a.capability_key, a.score) for a in p.alternatives), p.status) for p in run.proposals]
    assert len(stored) == len(expected) == 4
    for got, result in zip(stored, expected, strict=True):
        capability = int(result.capability.split(":")[0]) if result.capability else None
        assert got[1:] == (capability, round(result.score * 1000) / 1000 if result.score is not None else None,
                           tuple(result.reasons),
                           tuple((c.capability, c.score) for c in result.candidates
                                 if c.capability != result.capability)[:matches.TOP_CANDIDATES],
                           "proposed" if result.capability else "unmatched")
    assert run.needs_count == 4 and run.proposed_count == sum(1 for r in expected if r.capability)


def test_a_run_proposes_the_same_helpers_as_before_the_bulk_writes(database, social_worker):
    run = matches.run_match(database, social_worker, today=TODAY)

    # Pinned from the run as the proposals were written one ORM object at a time (the
    # scores are left out: they move with the reader; the test above checks them).
    assert sorted((p.need_person, p.need_text, p.capability_person or "", p.status)
                  for p in run.proposals) == PINNED


def test_a_run_logs_one_access_per_assessment_matched(database, social_worker):
    run = matches.run_match(database, social_worker, today=TODAY)

    with database.engine.connect() as connection:
        logged = connection.execute(sa.select(AssessmentAccess.assessment_id, AssessmentAccess.role).where(
            AssessmentAccess.action == "match", AssessmentAccess.why == f"match run {run.id}")).all()
    assert len(logged) == len(PEOPLE) == len({a for a, _ in logged})
    assert {role for _, role in logged} == {"social_worker"}


PINNED = [
    ("Agnes", "Need a lift to the hospital on Tuesdays", "Hamish", "proposed"),
    ("Jean", "My hedge is taller than me now", "Wei", "proposed"),
    ("Jean", "Someone to carry my shopping bags up the stair", "Kirsty", "proposed"),
    ("Morag", "Could someone take up my trousers", "Agnes", "proposed"),
]
