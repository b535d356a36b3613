"""`timebank demo`: the demonstration bank `make run` serves, made through the services.

One demonstration database for the module (it takes a few seconds to make), on SQLite,
the database `make run` uses.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from tests.conftest import PASSWORD_HASHING, cli_runner
from timebank.db.engine import Database
from timebank.demo import (
    COORDINATOR_EMAIL,
    DEMO_BANK_SLUG,
    DEMO_PASSWORD,
    MEMBER_EMAIL,
    SOCIAL_WORKER_EMAIL,
)
from timebank.demo.outcomes import INTRODUCED
from timebank.services import assessments, auth, ledger, matches, members, outcome_measures, reports, requests_offers
from timebank.services.banks import get_bank


@pytest.fixture(scope="module")
def demo(database_factory):
    """The demonstration bank, made by the command as `make run` makes it."""
    url = database_factory.url("sqlite")
    run = cli_runner(url)
    assert run("init").exit_code == 0
    made = run("demo", "--if-empty")
    assert made.exit_code == 0, made.output
    database = Database(url, password_hashing=PASSWORD_HASHING)
    yield run, database, made.stdout
    database.dispose()


@pytest.fixture(scope="module")
def exchanges(demo):
    _, database, _ = demo
    return ledger.list_exchanges(database, DEMO_BANK_SLUG, limit=100_000)


def test_demo_prints_the_three_sign_ins_and_their_password(demo):
    _, _, output = demo
    for email in (COORDINATOR_EMAIL, MEMBER_EMAIL, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD):
        assert email in output


def test_the_command_hashes_the_sign_ins_at_the_cost_it_was_given(demo):
    """`--password-hashing fast` (cli_runner) reaches the database the command writes to."""
    import sqlalchemy as sa

    from timebank.db.models import User

    _, database, _ = demo
    with database.session(readonly=True) as session:
        stored = session.scalar(sa.select(User.password_hash).where(User.email == COORDINATOR_EMAIL))
    assert "$m=8,t=1,p=1$" in stored


def test_demo_bank_has_forty_members_people_and_organisations_across_edinburgh(demo):
    _, database, _ = demo
    everyone = members.list_members(database, DEMO_BANK_SLUG)
    assert len(everyone) >= 40
    kinds = Counter(m.kind for m in everyone)
    assert kinds["organisation"] >= 3 and kinds["person"] >= 35
    assert {"Leith", "Portobello", "Gorgie", "Corstorphine"} <= {m.area for m in everyone}
    assert sum(1 for m in everyone if m.phone) >= 10
    assert any(m.email is None for m in everyone), "a member run by the coordinator"
    assert any(m.status == "closed" for m in everyone), "a member who left, history kept"
    # The number printed on letters and paper: one Ofcom keeps for drama.
    assert get_bank(database, DEMO_BANK_SLUG).contact_phone == "0131 496 0000"


def test_demo_exchanges_cover_the_last_year_in_several_categories(exchanges):
    today = dt.date.today()
    posted = [e for e in exchanges if e.kind in ("exchange", "group") and e.state in ("posted", "reversed")]
    assert len(posted) >= 300
    assert min(e.given_on for e in posted) >= today - dt.timedelta(days=366)
    assert max(e.given_on for e in posted) <= today
    assert len({(e.given_on.year, e.given_on.month) for e in posted}) >= 12
    assert len({e.category for e in posted if e.category}) >= 5
    kinds = Counter(e.kind for e in exchanges)
    assert kinds["group"] >= 3 and kinds["grant"] >= 3 and kinds["donation"] >= 1
    reversals = [e for e in exchanges if e.kind == "reversal"]
    assert len(reversals) == 1 and reversals[0].reason
    states = Counter(e.state for e in exchanges)
    assert states["pending"] >= 3


def test_demo_has_offers_and_open_requests_some_answered(demo):
    _, database, _ = demo
    assert len(requests_offers.list_offers(database, DEMO_BANK_SLUG)) >= 20
    open_requests = requests_offers.list_requests(database, DEMO_BANK_SLUG)
    assert len(open_requests) >= 8
    assert any(r.answers for r in open_requests) and any(not r.answers for r in open_requests)
    member = auth.authenticate(database, MEMBER_EMAIL, DEMO_PASSWORD)
    mine = requests_offers.member_requests(database, DEMO_BANK_SLUG, member.member_id)
    assert any(r.answers for r in mine) and any(r.status == "closed" for r in mine)


def test_demo_shows_each_state_of_a_request_s_journey(demo):
    """No answer, two answers waiting for the asker, a chosen helper whose phone the asker
    sees, done with its exchange logged, and an offer whose member was asked directly."""
    from timebank.services import helping

    _, database, _ = demo
    page = helping.coordinator_requests(database, DEMO_BANK_SLUG)
    stages = Counter(row.request.stage.code for row in page.rows)
    assert stages["no_answer"] >= 1 and stages["helper_chosen"] >= 1 and stages["asked"] >= 1
    assert any(row.request.stage.code == "waiting_for_choice" and len(row.request.answers) >= 2
               for row in page.rows)
    chosen = next(row.request for row in page.rows if row.request.stage.code == "helper_chosen")
    asker = helping.request_detail(database, DEMO_BANK_SLUG, chosen.id, viewer_id=chosen.member_id)
    assert asker.helper_contact.shared and asker.asker_contact.phone
    member = auth.authenticate(database, MEMBER_EMAIL, DEMO_PASSWORD)
    mine = [helping.request_detail(database, DEMO_BANK_SLUG, r.id, viewer_id=member.member_id)
            for r in requests_offers.member_requests(database, DEMO_BANK_SLUG, member.member_id)]
    done = [r for r in mine if r.stage.code == "done"]
    assert done and ledger.get_exchange(database, DEMO_BANK_SLUG, done[0].exchange_id).state == "posted"
    asked_of_member = [a for a in helping.my_answers(database, DEMO_BANK_SLUG, member.member_id)
                       if a.answer.status == "asked"]
    assert asked_of_member, "someone asked the demo member from their offer"


def test_demo_has_safeguarding_checks_one_expiring_within_thirty_days(demo):
    _, database, _ = demo
    checked = [m for m in members.list_members(database, DEMO_BANK_SLUG) if m.safeguarding_expires_on]
    assert len(checked) >= 5
    assert len(members.safeguarding_expiring(database, DEMO_BANK_SLUG, within_days=30)) == 1


def test_demo_has_a_few_members_quiet_for_more_than_ninety_days(demo, exchanges):
    """The coordinator's list of people at risk of isolation, checked against the exchanges."""
    _, database, _ = demo
    since = dt.date.today() - dt.timedelta(days=90)
    last: dict[int, dt.date] = {}
    for e in exchanges:
        if e.kind in ("exchange", "group") and e.state == "posted":
            for key in e.entries:
                if key.isdigit():
                    last[int(key)] = max(e.given_on, last.get(int(key), e.given_on))
    quiet = [m for m in members.list_members(database, DEMO_BANK_SLUG, status="active")
             if m.joined_on <= since and last.get(m.id, dt.date.min) <= since]
    assert 3 <= len(quiet) <= 6
    listed = members.members_without_exchanges(database, DEMO_BANK_SLUG, days=90)
    assert sorted(q.member.name for q in listed if q.standing == "quiet") == sorted(m.name for m in quiet)


def test_demo_has_an_exchange_from_last_year_and_a_call_due_this_week(demo):
    from timebank.services import contact_log, ledger

    _, database, _ = demo
    today = dt.date.today()
    last_year = ledger.find_exchanges(database, DEMO_BANK_SLUG, text="school pick-up from leith",
                                      since=dt.date(today.year - 1, 1, 1), until=dt.date(today.year - 1, 12, 31))
    assert last_year.total == 1 and last_year.items[0].state == "posted"
    calls = contact_log.who_to_call(database, DEMO_BANK_SLUG)
    assert len(calls.due) == 1 and calls.due[0][1].follow_up_on == today
    assert calls.quiet and calls.safeguarding


@pytest.mark.parametrize("email, role", [
    (COORDINATOR_EMAIL, "coordinator"),
    (MEMBER_EMAIL, "member"),
    (SOCIAL_WORKER_EMAIL, "social_worker"),
])
def test_demo_sign_ins_work_with_the_printed_password(demo, email, role):
    _, database, _ = demo
    user = auth.authenticate(database, email, DEMO_PASSWORD)
    assert user.role == role and user.bank_slug == DEMO_BANK_SLUG
    assert (user.member_id is not None) == (role == "member")


def test_demo_bank_passes_timebank_check(demo):
    run, _, _ = demo
    result = run("check", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True


def test_demo_if_empty_twice_adds_nothing_and_without_it_refuses(demo):
    run, database, _ = demo
    before = (ledger.account_balances(database, DEMO_BANK_SLUG),
              len(ledger.list_exchanges(database, DEMO_BANK_SLUG, limit=100_000)),
              len(members.list_members(database, DEMO_BANK_SLUG)))
    again = run("demo", "--if-empty")
    assert again.exit_code == 0 and "nothing added" in again.stdout
    refused = run("demo")
    assert refused.exit_code == 1 and "already" in refused.stderr
    after = (ledger.account_balances(database, DEMO_BANK_SLUG),
             len(ledger.list_exchanges(database, DEMO_BANK_SLUG, limit=100_000)),
             len(members.list_members(database, DEMO_BANK_SLUG)))
    assert after == before



def test_demo_assessments_give_a_match_with_reasons_and_an_unmatched_need(demo):
    """The social worker's assessments: a match proposes helpers, and one need that asks for
    a checked helper stays unmatched, saying why. The demonstration itself ran one match, and
    accepted a few of its proposals to show follow-ups (timebank/demo/outcomes.py)."""
    _, database, _ = demo
    worker = auth.authenticate(database, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)
    recorded = assessments.list_assessments(database, worker)
    assert len(recorded) >= 10 and all(a.consent for a in recorded)
    assert sum(1 for a in recorded if a.member_id is None) >= 2, "people not yet members"
    assert sum(p.status == "accepted" for p in matches.latest_run(database, worker).proposals) == INTRODUCED

    run = matches.run_match(database, worker)
    proposed = [p for p in run.proposals if p.status == "proposed"]
    assert len(proposed) >= 5
    assert all(p.reasons and p.capability_person for p in proposed)
    assert any(any("km apart" in r for r in p.reasons) for p in proposed)
    assert len({p.need_category for p in proposed}) >= 4
    unmatched = run.unmatched
    assert unmatched and all(p.reasons for p in unmatched)
    assert any("checked" in " ".join(p.reasons) for p in unmatched), [p.reasons for p in unmatched]


def test_demo_introductions_show_a_reportable_change_in_wellbeing(demo):
    """Six people asked before and after: the funders' summary reports each ONS item, and
    anxiety, which fell, reads as an improvement."""
    _, database, _ = demo
    worker = auth.authenticate(database, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)
    period = reports.default_period()
    change = outcome_measures.wellbeing_change(database, DEMO_BANK_SLUG, period.start, period.end)
    assert change.people == 2 * INTRODUCED
    by_key = {c.question_key: c for c in change.changes}
    assert not any(c.suppressed for c in change.changes)
    assert by_key["anxiety"].mean_change < 0 < by_key["anxiety"].mean_improvement
    assert by_key["loneliness"].share_better > 0.5
    days = outcome_measures.follow_up_days(database, worker)
    assert sorted(d for d in days.values() if d)[0] == dt.date.today(), "one follow-up is due today"


def test_bulk_loading_relaxes_sqlite_syncing_only_inside_the_block(database_factory):
    """The demonstration is written with synchronous=NORMAL; every connection after it is FULL again."""
    database = database_factory.migrated("sqlite")

    def synchronous() -> int:  # 1 NORMAL, 2 FULL
        with database.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA synchronous").scalar()

    assert synchronous() == 2
    with database.bulk_loading() as loading:
        assert loading is database and synchronous() == 1
    assert synchronous() == 2


def test_demo_has_an_expired_request_to_renew_and_an_offer_expiring_this_week(demo):
    _, database, _ = demo
    member = auth.authenticate(database, MEMBER_EMAIL, DEMO_PASSWORD)
    expired = [r for r in requests_offers.member_requests(database, DEMO_BANK_SLUG, member.member_id)
               if r.status == "open" and r.expired]
    assert expired and expired[0].id not in {r.id for r in requests_offers.list_requests(database, DEMO_BANK_SLUG)}
    week = dt.date.today() + dt.timedelta(days=7)
    assert any(o.expires_on <= week for o in requests_offers.list_offers(database, DEMO_BANK_SLUG))
