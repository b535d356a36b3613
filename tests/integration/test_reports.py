"""Coordinators' reports on a small fixed bank, every figure worked out by hand.

The bank, for the period 1 January to 31 March 2025 (90 days, so the 90-day window of
"active members" is the period itself):

    E0  Ann -> Bob        30m  gardening   2024-12-20  before the period
    E1  Ann -> Bob       120m  gardening   2025-01-10
    E2  Bob -> Cat        90m  shopping    2025-02-15
    E7  Hal -> Ivy        60m  shopping    2025-02-18
    E3  Ann -> Bob, Cat, Dan (group) 100m  gardening 2025-03-20: 33m each, 1m from the pot
    E4  Cat -> Ann        80m  no category 2025-03-25
    E5  Bob -> Dan        45m  shopping    2025-02-01, reversed on 2025-03-10: neither counts
    E6  Dan -> Bob        15m              2025-04-02  after the period
    a grant to Eve, a donation from Ann, a pending exchange Eve -> Ann: none is help

Help in the period: 120 + 90 + 60 + 100 + 80 = 450 minutes (7h 30m) in 5 exchanges.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from timebank.domain.errors import InvalidInput
from timebank.domain.money import format_pence
from timebank.services import banks, ledger, members, reports
from timebank.web.reports.tables import activity_rows, funders_rows, network_rows

D = dt.date
LATER = D(2025, 6, 1)  # "today" for the ledger, so every day above is in the past
PERIOD = reports.make_period(D(2025, 1, 1), D(2025, 3, 31))


# Built once per database and only read afterwards (tests that change a bank's settings
# use a bank of their own): building it takes a second or two.
_BUILT: dict[str, tuple] = {}


@pytest.fixture
def fixed_bank(backend, database, make_bank, make_member):
    if backend not in _BUILT:
        _BUILT[backend] = _build(database, make_bank, make_member)
    return _BUILT[backend]


def _build(database, make_bank, make_member):
    bank = make_bank()

    def member(name, joined_on, status=None):
        made = make_member(bank, name, joined_on=joined_on)
        if status:
            members.set_member_status(database, bank.slug, made.id, status)
        return made.id

    ids = {
        "Ann": member("Ann", D(2024, 6, 1)),
        "Bob": member("Bob", D(2024, 6, 1)),
        "Cat": member("Cat", D(2025, 1, 15)),  # new in the period
        "Dan": member("Dan", D(2025, 1, 20)),  # new in the period
        "Eve": member("Eve", D(2024, 1, 1)),  # active, but exchanges with nobody
        "Fay": member("Fay", D(2025, 4, 10)),  # joins after the period
        "Gus": member("Gus", D(2024, 1, 1), "suspended"),
        "Hal": member("Hal", D(2024, 3, 1)),
        "Ivy": member("Ivy", D(2024, 3, 1)),
        "Jay": member("Jay", D(2024, 3, 1), "closed"),
    }

    def log(provider, receiver, minutes, day, category=None):
        return ledger.log_exchange(database, bank.slug, provider_id=ids[provider],
                                   receiver_id=ids[receiver], minutes=minutes, given_on=day,
                                   category=category, recorded_by="test", today=LATER)

    log("Ann", "Bob", 30, D(2024, 12, 20), "gardening")
    log("Ann", "Bob", 120, D(2025, 1, 10), "gardening")
    log("Bob", "Cat", 90, D(2025, 2, 15), "shopping")
    log("Hal", "Ivy", 60, D(2025, 2, 18), "shopping")
    ledger.log_group_exchange(database, bank.slug, provider_id=ids["Ann"],
                              receiver_ids=[ids["Bob"], ids["Cat"], ids["Dan"]], minutes=100,
                              given_on=D(2025, 3, 20), category="gardening", recorded_by="test",
                              today=LATER)
    log("Cat", "Ann", 80, D(2025, 3, 25))
    mistake = log("Bob", "Dan", 45, D(2025, 2, 1), "shopping")
    ledger.reverse_exchange(database, mistake.id, reason="logged twice", recorded_by="test",
                            bank_slug=bank.slug, today=D(2025, 3, 10))
    log("Dan", "Bob", 15, D(2025, 4, 2))
    ledger.grant(database, bank.slug, member_id=ids["Eve"], minutes=300, reason="welcome",
                 recorded_by="test", today=D(2025, 3, 15))
    ledger.donate(database, bank.slug, member_id=ids["Ann"], minutes=30, recorded_by="test",
                  today=D(2025, 3, 16))
    ledger.propose_exchange(database, bank.slug, member_id=ids["Eve"], provider_id=ids["Eve"],
                            receiver_id=ids["Ann"], minutes=30, given_on=D(2025, 2, 20), today=LATER)

    # Another bank's help in the same days must not appear anywhere.
    other = make_bank()
    x, y = (make_member(other, name, joined_on=D(2024, 1, 1)).id for name in ("Xan", "Yul"))
    ledger.log_exchange(database, other.slug, provider_id=x, receiver_id=y, minutes=600,
                        given_on=D(2025, 2, 2), recorded_by="test", today=LATER)
    return bank, ids


def test_activity_report_figures(database, fixed_bank):
    bank, ids = fixed_bank
    report = reports.activity_report(database, bank.slug, PERIOD)

    assert [(m.month, m.exchanges, m.minutes) for m in report.months] == [
        (D(2025, 1, 1), 1, 120), (D(2025, 2, 1), 2, 150), (D(2025, 3, 1), 2, 180)]
    assert (report.exchanges, report.minutes) == (5, 450)
    assert [(m.name, m.given_minutes, m.received_minutes) for m in report.members] == [
        ("Ann", 220, 80), ("Bob", 90, 153), ("Cat", 80, 123), ("Dan", 0, 33),
        ("Hal", 60, 0), ("Ivy", 0, 60)]
    # The group exchange's odd minute came from the community pot, not from a member.
    assert (report.given_minutes, report.received_minutes) == (450, 449)
    assert report.active_since == D(2025, 1, 1)
    assert report.active_members == 6
    assert [m.name for m in report.new_members] == ["Cat", "Dan"]
    assert [(c.category, c.name, c.exchanges, c.minutes) for c in report.categories] == [
        ("gardening", "Gardening: weeding, grass, hedges", 2, 220),
        ("shopping", "Shopping and errands", 2, 150),
        (None, "No category", 1, 80)]


def test_active_members_look_back_90_days_from_the_last_day(database, fixed_bank):
    bank, _ = fixed_bank
    january = reports.activity_report(database, bank.slug, reports.make_period(D(2025, 1, 1), D(2025, 1, 31)))

    # From 3 November 2024: Ann and Bob (E0 in December, E1 in January).
    assert january.active_since == D(2024, 11, 3)
    assert january.active_members == 2
    assert [(m.month, m.minutes) for m in january.months] == [(D(2025, 1, 1), 120)]


def test_every_month_of_the_period_is_listed_with_zeros(database, fixed_bank):
    bank, _ = fixed_bank
    report = reports.activity_report(database, bank.slug, reports.make_period(D(2024, 11, 15), D(2025, 4, 30)))

    assert [(f"{m.month:%Y-%m}", m.minutes) for m in report.months] == [
        ("2024-11", 0), ("2024-12", 30), ("2025-01", 120), ("2025-02", 150), ("2025-03", 180),
        ("2025-04", 15)]


def test_network_report(database, fixed_bank):
    bank, ids = fixed_bank
    report = reports.network_report(database, bank.slug, PERIOD)

    # Eve is an active member with no links; Gus (suspended), Jay (closed) and Fay
    # (joined later) are not in the picture.
    assert sorted(report.graph.nodes) == sorted(ids[n] for n in ("Ann", "Bob", "Cat", "Dan", "Eve", "Hal", "Ivy"))
    assert [(link.member_a, link.member_b, link.minutes) for link in report.links] == [
        ("Ann", "Bob", 153), ("Ann", "Cat", 113), ("Bob", "Cat", 90), ("Hal", "Ivy", 60),
        ("Ann", "Dan", 33)]
    assert report.graph[ids["Ann"]][ids["Cat"]]["minutes"] == 113
    assert report.minutes == 449
    assert report.no_links == ("Eve",)
    # Most links first, ties by name: Ivy (1 link) is sixth and left out.
    assert [(m.name, m.links) for m in report.most_connected] == [
        ("Ann", 3), ("Bob", 2), ("Cat", 2), ("Dan", 1), ("Hal", 1)]
    assert report.groups == 2


def test_funders_summary_and_social_value(database, fixed_bank):
    bank, _ = fixed_bank
    report = reports.funders_report(database, bank.slug, PERIOD)

    assert (report.minutes, report.exchanges) == (450, 5)
    assert (report.active_members, report.new_members) == (6, 2)
    # Joined by 31 March and not closed: all but Fay (later) and Jay (closed).
    assert report.total_members == 8
    assert report.hourly_value_pence == 1200
    # 7h 30m at £12.00 an hour.
    assert report.social_value_pence == 9000
    assert format_pence(report.social_value_pence) == "£90.00"
    # 450 x 1001 / 60 = 7507.5 pence: whole pence, rounded down.
    assert dataclasses.replace(report, hourly_value_pence=1001).social_value_pence == 7507


def test_a_bank_sets_its_hourly_value(database, bank):
    assert banks.set_hourly_value(database, bank.slug, 1350) == 1350
    assert reports.funders_report(database, bank.slug, PERIOD).hourly_value_pence == 1350


@pytest.mark.parametrize("pence", [0, -5, 100_001, 12.5, True, "1200"])
def test_an_absurd_hourly_value_is_refused(database, bank, pence):
    with pytest.raises(InvalidInput):
        banks.set_hourly_value(database, bank.slug, pence)
    assert reports.funders_report(database, bank.slug, PERIOD).hourly_value_pence == 1200


def test_matches_made_and_their_outcomes(database, fixed_bank):
    from timebank.db.models import Assessment, Introduction, MatchProposal, MatchRun
    from timebank.services import auth, matches

    bank, ids = fixed_bank
    worker = auth.create_user(database, bank.slug, email=f"sam-{bank.slug}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    # The match service records introductions "now": rows with fixed days are written
    # here, then the outcomes through the service.
    with database.session() as session, session.begin():
        bank_id = worker.bank_id
        assessment = Assessment(bank_id=bank_id, person_name="Ann", created_by_user_id=worker.id)
        session.add(assessment)
        session.flush()
        run = MatchRun(bank_id=bank_id, run_by_user_id=worker.id, needs_count=3, proposed_count=3)
        session.add(run)
        session.flush()
        made = []
        for n, day in enumerate([D(2025, 2, 1), D(2025, 3, 31), D(2025, 4, 1)]):
            proposal = MatchProposal(bank_id=bank_id, run_id=run.id, need_assessment_id=assessment.id,
                                     need_key=f"n{n}", reasons=[], alternatives=[], status="accepted")
            session.add(proposal)
            session.flush()
            introduction = Introduction(
                bank_id=bank_id, proposal_id=proposal.id,
                created_at=dt.datetime.combine(day, dt.time(23, 30), tzinfo=dt.UTC))
            session.add(introduction)
            session.flush()
            made.append(introduction.id)
    first, second, after = made
    matches.record_outcome(database, worker, first, side="helped", help_happened=True, difference="a_lot")
    matches.record_outcome(database, worker, first, side="helper", help_happened=True, difference="a_little")
    matches.record_outcome(database, worker, second, side="helped", help_happened=False, difference="none")
    matches.record_outcome(database, worker, after, side="helped", help_happened=True, difference="a_lot")

    report = reports.funders_report(database, bank.slug, PERIOD)

    assert report.matches_made == 2
    assert report.outcomes == reports.OutcomeCounts(recorded=3, help_happened=2, help_did_not_happen=1,
                                                    a_lot=1, a_little=1, none=1, not_sure=0)


def test_csv_rows_have_their_columns_and_add_up(database, fixed_bank):
    bank, _ = fixed_bank
    activity = reports.activity_report(database, bank.slug, PERIOD)

    months = activity_rows(activity, "months")
    assert months[0] == ["month", "exchanges", "minutes", "hours"]
    assert months[1:] == [["2025-01", 1, 120, "2.00"], ["2025-02", 2, 150, "2.50"], ["2025-03", 2, 180, "3.00"]]
    assert sum(row[2] for row in months[1:]) == 450

    people = activity_rows(activity, "members")
    assert people[0] == ["member_id", "name", "given_minutes", "given_hours", "received_minutes", "received_hours"]
    assert people[1][1:] == ["Ann", 220, "3.67", 80, "1.33"]
    assert (sum(r[2] for r in people[1:]), sum(r[4] for r in people[1:])) == (450, 449)

    categories = activity_rows(activity, "categories")
    assert categories[0] == ["category", "name", "exchanges", "minutes", "hours"]
    assert categories[-1] == ["", "No category", 1, 80, "1.33"]
    assert sum(r[3] for r in categories[1:]) == 450
    with pytest.raises(InvalidInput):
        activity_rows(activity, "passwords")

    network = reports.network_report(database, bank.slug, PERIOD)
    links = network_rows(network, "links")
    assert links[0] == ["member_a_id", "member_a", "member_b_id", "member_b", "minutes", "hours"]
    assert len(links) == 1 + 5 and sum(r[4] for r in links[1:]) == 449
    nodes = network_rows(network, "members")
    assert nodes[0] == ["member_id", "name", "links", "minutes", "hours"]
    assert [r[1:3] for r in nodes[1:]] == [["Ann", 3], ["Bob", 2], ["Cat", 2], ["Dan", 1], ["Eve", 0],
                                           ["Hal", 1], ["Ivy", 1]]

    funders = dict(funders_rows(reports.funders_report(database, bank.slug, PERIOD)))
    assert funders["figure"] == "value"
    assert funders["hours_exchanged"] == "7.50"
    assert funders["minutes_exchanged"] == 450
    assert funders["social_value_pence"] == 9000
    assert funders["social_value_pounds"] == "90.00"
    assert (funders["members_active_90_days"], funders["members_new"], funders["members_total"]) == (6, 2, 8)


def test_a_period_must_run_forwards_and_not_for_ever():
    with pytest.raises(InvalidInput):
        reports.make_period(D(2025, 3, 1), D(2025, 2, 28))
    with pytest.raises(InvalidInput):
        reports.make_period(D(2000, 1, 1), D(2025, 1, 1))
    assert reports.make_period(D(2025, 3, 1), D(2025, 3, 1)).days == 1
    assert reports.default_period(D(2025, 3, 14)) == reports.Period(D(2024, 4, 1), D(2025, 3, 14))
    assert len(reports.default_period(D(2025, 3, 14)).months) == 12


def test_an_unknown_bank_is_refused(database):
    from timebank.domain.errors import UnknownBank

    with pytest.raises(UnknownBank):
        reports.activity_report(database, "no-such-bank", PERIOD)
