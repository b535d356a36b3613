"""The calendar's notices on both databases: what is due is written to the outbox with its
key, and the schedule run twice on a day (or on the next day of a notice's window) writes
nothing new; a key is unique in the outbox whatever writes it."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from tests.integration.test_outcome_measures import _introductions
from timebank.db.models import HelpRequest, Member, Notice
from timebank.services import auth, notices, outcome_measures, requests_offers
from timebank.services.scheduled_notices import write_due_notices

TODAY = dt.datetime.now(dt.UTC).date()


def _set(database, model, row_id: int, **values) -> None:
    with database.session() as session:
        session.execute(sa.update(model).where(model.id == row_id).values(**values))
        session.commit()


def _outbox(database, bank) -> list[tuple[str, int | None, int | None, str]]:
    with database.session(readonly=True) as session:
        return [tuple(r) for r in session.execute(
            sa.select(Notice.kind, Notice.member_id, Notice.user_id, Notice.notice_key)
            .where(Notice.bank_id == bank.id).order_by(Notice.id))]


@pytest.fixture
def calendar(database, bank, make_member):
    ann = make_member(bank, "Ann Smith", email=f"ann-{uuid.uuid4().hex[:6]}@example.org")
    bob = make_member(bank, "Bob Gray", email=f"bob-{uuid.uuid4().hex[:6]}@example.org")
    dot = make_member(bank, "Dot Brown")  # no email: no digest for her
    coordinator = auth.create_user(database, bank.slug, email=f"cora-{uuid.uuid4().hex[:8]}@example.org",
                                   name="Cora", password="a long enough password", role="coordinator")
    social_worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                                     name="Sam", password="a long enough password", role="social_worker")
    # Ann's request expires in three days: she is warned, with the Renew link.
    expiring = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="Hedge cutting")
    _set(database, HelpRequest, expiring.id, renewed_on=TODAY - dt.timedelta(days=89))
    # Bob and Dot offer gardening; Ann asked for gardening yesterday: Bob's digest lists it.
    requests_offers.offer_skill(database, bank.slug, member_id=bob.id, description="Lawns", category="gardening")
    requests_offers.offer_skill(database, bank.slug, member_id=dot.id, description="Weeding", category="gardening")
    new = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="Mow the green",
                                       category="gardening")
    _set(database, HelpRequest, new.id, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    # Dot's safeguarding check runs out in ten days.
    _set(database, Member, dot.id, safeguarding_checked_on=TODAY - dt.timedelta(days=1000),
         safeguarding_expires_on=TODAY + dt.timedelta(days=10))
    (introduction,) = _introductions(database, social_worker, 1)
    outcome_measures.set_follow_up_day(database, social_worker, introduction.id, TODAY, today=TODAY)
    return ann, bob, dot, coordinator, social_worker, expiring, introduction


def test_the_schedule_writes_each_notice_due_to_its_recipient(database, bank, calendar):
    ann, bob, dot, coordinator, social_worker, expiring, introduction = calendar
    written = write_due_notices(database, TODAY, bank_slug=bank.slug)
    assert dict(written.by_kind) == {"listing_expiring": 1, "weekly_digest": 1, "follow_up_due": 1,
                                     "safeguarding_expiring": 1}
    outbox = {kind: (member, user, key) for kind, member, user, key in _outbox(database, bank)}
    assert outbox["listing_expiring"][:2] == (ann.id, None)
    assert outbox["listing_expiring"][2].startswith(f"listing-expiring.request.{expiring.id}.")
    assert outbox["weekly_digest"][:2] == (bob.id, None)
    assert outbox["follow_up_due"] == (None, social_worker.id,
                                       f"follow-up-due.{introduction.id}.{TODAY.isoformat()}.u{social_worker.id}")
    assert outbox["safeguarding_expiring"][:2] == (None, coordinator.id)


def test_the_schedule_run_twice_writes_once_and_the_next_day_writes_nothing_new(database, bank, calendar):
    write_due_notices(database, TODAY, bank_slug=bank.slug)
    before = _outbox(database, bank)
    assert write_due_notices(database, TODAY, bank_slug=bank.slug).total == 0
    assert write_due_notices(database, TODAY + dt.timedelta(days=1), bank_slug=bank.slug).total == 0
    assert _outbox(database, bank) == before


def test_a_notice_key_is_unique_in_the_outbox(database, bank, calendar):
    ann = calendar[0]
    write_due_notices(database, TODAY, bank_slug=bank.slug)
    key = next(k for kind, _, _, k in _outbox(database, bank) if kind == "listing_expiring")
    with database.session() as session:
        session.add(Notice(bank_id=bank.id, member_id=ann.id, kind="listing_expiring", facts={}, channel="email",
                           state="waiting", attempts=0, next_attempt_at=dt.datetime.now(dt.UTC), notice_key=key))
        with pytest.raises(sa.exc.IntegrityError):
            session.commit()
    # Through the outbox's own API, the same key returns the first notice.
    with database.session() as session:
        member = session.get(Member, ann.id)
        first = notices.write(session, kind="listing_expiring", recipient=member, key=key, facts={
            "listing": "request", "listing_id": 1, "what": "x", "expires_on": TODAY.isoformat(), "page": "requests"})
        assert first.notice_key == key and first.facts != {}


def test_timebank_notices_schedule_run_twice_writes_once(database, bank, calendar):
    from tests.conftest import cli_runner

    run = cli_runner(database.engine.url.render_as_string(hide_password=False))
    first = run("notices", "schedule", "--today", TODAY.isoformat())
    assert first.exit_code == 0 and "1 listing expiring" in first.stdout, first.stdout
    again = run("notices", "schedule", "--today", TODAY.isoformat())
    assert again.exit_code == 0 and again.stdout.startswith("0 notices written"), again.stdout
    assert len(_outbox(database, bank)) == 4
