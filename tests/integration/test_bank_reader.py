"""A bank's reader learns its own words (issue 12 part 3): the readings its social
workers correct become examples, `retrain_reader` fits the bank's learned reader on the
shipped examples and those, stores it as plain arrays, and the next reading uses it."""
from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from timebank.db.models import BankReader
from timebank.services import assessments, auth, readings

TODAY = dt.date.today()
# "gorran" is this bank's own word for a shopping run: no shipped example has it.
CORRECTED = ["Needs a gorran on Mondays", "Would like a gorran every Friday", "gorran please, weekly"]


def test_a_banks_corrections_teach_its_reader_a_word_it_keeps(database, bank):
    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    asked = "Could somebody do my gorran"
    [before] = readings.read_services(database, bank.slug, [asked])
    assert before.service_id != "shopping" or not before.sure, before
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
               "needs": [{"text": text, "category": "shopping"} for text in CORRECTED], "capabilities": []}
    assessments.record_assessment(database, worker, person_name="Jean", content=content)

    trained = readings.retrain_reader(database, bank.slug)

    # Only the texts read as something else are corrections (kept as examples).
    assert trained.model_stored and 1 <= trained.example_count <= len(CORRECTED)
    with database.session(readonly=True) as session:
        model = session.scalar(sa.select(BankReader.model).where(BankReader.bank_id == bank.id))
    assert model[:2] == b"PK", "an npz of arrays, not a pickle"
    [after] = readings.read_services(database, bank.slug, [asked])
    assert after.service_id == "shopping", after


def test_a_reading_the_two_readers_disagree_on_is_asked_not_offered(database, bank):
    [reading] = readings.read_services(database, bank.slug,
                                       ["the leaflet for this wardrobe kit might as well be in Greek"])
    assert not reading.agree and not reading.sure, reading


def test_saving_an_assessment_retrains_only_when_it_taught_the_reader_something(database, bank):
    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    plain = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
             "needs": [{"text": "Someone to walk my dog"}], "capabilities": []}
    assessments.record_assessment(database, worker, person_name="Ann", content=plain)
    assert readings.retrain_when_taught(database, bank.slug) is None, "nothing corrected, nothing to learn"

    taught = dict(plain, needs=[{"text": text, "category": "shopping"} for text in CORRECTED])
    assessments.record_assessment(database, worker, person_name="Jean", content=taught)
    trained = readings.retrain_when_taught(database, bank.slug)

    assert trained is not None and trained.model_stored and trained.example_count >= 1
    assert readings.retrain_when_taught(database, bank.slug) is None, "learned once, not again"


def test_the_web_app_retrains_after_the_save_on_a_thread_and_learns_every_correction(database, bank):
    """The page's save does not wait for retraining (seconds of CPU); a save made while
    one runs asks for another pass, so the last correction is learned too."""
    from timebank.web import create_app, retraining

    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    app = create_app({"DATABASE": database, "SECRET_KEY": "x", "RETRAIN_IN_BACKGROUND": True})
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith", "capabilities": []}
    with app.app_context():
        assessments.record_assessment(database, worker, person_name="Jean", content=dict(
            content, needs=[{"text": text, "category": "shopping"} for text in CORRECTED]))
        retraining.retrain_soon(database, bank.slug)
        assessments.record_assessment(database, worker, person_name="Ann", content=dict(
            content, needs=[{"text": "a wee gorran to the Co-op", "category": "shopping"}]))
        retraining.retrain_soon(database, bank.slug)  # while the first may still run
        retraining.wait_for_retraining(timeout_seconds=600)
    assert readings.retrain_when_taught(database, bank.slug) is None, "every correction was learned"
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(BankReader.model).where(BankReader.bank_id == bank.id)) is not None


def test_no_transaction_is_open_while_the_reader_fits_and_what_came_meanwhile_is_learned_next(
        database, bank, monkeypatch):
    """A fit takes seconds to half a minute: a social worker saving a correction meanwhile
    is not held back (on SQLite a write transaction open around the fit would hold them
    for the whole of it), and the next retrain learns what they saved."""
    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith", "capabilities": []}
    assessments.record_assessment(database, worker, person_name="Jean", content=dict(
        content, needs=[{"text": text, "category": "shopping"} for text in CORRECTED]))
    real_train = readings._train

    def saving_meanwhile(*args, **kwargs):
        # Another writer while it "fits": on SQLite it would wait out the busy timeout and
        # fail "database is locked" if a write transaction were open around the fit.
        assessments.record_assessment(database, worker, person_name="Ann", content=dict(
            content, needs=[{"text": "Could somebody do my gorran on Tuesdays", "category": "shopping"}]))
        return real_train(*args, **kwargs)
    monkeypatch.setattr(readings, "_train", saving_meanwhile)

    first = readings.retrain_reader(database, bank.slug)

    monkeypatch.setattr(readings, "_train", real_train)
    assert first.model_stored
    again = readings.retrain_when_taught(database, bank.slug)
    assert again is not None and again.example_count > first.example_count, "what came meanwhile is learned next"
