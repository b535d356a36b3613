"""Finding members and exchanges a page at a time, correcting a member's details, adding a
sign-in later, the contact log and "who to call this week", on SQLite and PostgreSQL."""
import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import HelpRequest
from timebank.domain.errors import CategoryTaken, EmailTaken, InvalidInput
from timebank.services import auth, banks, contact_log, ledger, members, requests_offers

TODAY = dt.date.today()
LAST_YEAR = dt.date(TODAY.year - 1, 6, 15)
PASSWORD = "a long enough password"


def joined(database, bank, name, days_ago=800, **details):
    return members.add_member(database, bank.slug, name, joined_on=TODAY - dt.timedelta(days=days_ago), **details)


# ---------------------------------------------------------------- finding members


def test_members_are_found_by_part_of_a_name_in_any_case(database, bank):
    jean = joined(database, bank, "Jean Paterson", area="Leith")
    joined(database, bank, "Siobhán Kerr", area="Pilton")
    found = members.search_members(database, bank.slug, text="PATER")
    assert [m.member.id for m in found.items] == [jean.id] and found.total == 1


def test_a_name_with_letters_beyond_a_to_z_is_found_in_any_case(database, bank):
    siobhan = joined(database, bank, "Siobhán Kerr")
    joined(database, bank, "Siobhan Other")
    assert [m.member.id for m in members.search_members(database, bank.slug, text="SIOBHÁN").items] == [siobhan.id]


def test_members_are_found_by_phone_area_or_email(database, bank):
    ann = joined(database, bank, "Ann", phone="0131 555 0101", area="Gorgie", email="ann@example.org")
    joined(database, bank, "Bob", phone="0131 555 0202", area="Leith", email="bob@example.org")
    for text in ("555 0101", "5550101", "0131-555-0101", "gorgie", "ANN@EXAMPLE"):
        assert [m.member.id for m in members.search_members(database, bank.slug, text=text).items] == [ann.id], text


def test_a_search_for_percent_or_underscore_matches_them_as_typed(database, bank):
    joined(database, bank, "Ann")
    assert members.search_members(database, bank.slug, text="%").total == 0
    assert members.search_members(database, bank.slug, text="_").total == 0


def test_the_status_filter_and_the_search_work_together(database, bank):
    kept = joined(database, bank, "Mary Active")
    left = joined(database, bank, "Mary Left")
    members.set_member_status(database, bank.slug, left.id, "closed")
    found = members.search_members(database, bank.slug, text="mary", status="active")
    assert [m.member.id for m in found.items] == [kept.id]


def test_members_come_a_page_at_a_time_by_name(database, bank):
    made = [joined(database, bank, f"Member {letter}") for letter in "EDCBA"]
    pages = [members.search_members(database, bank.slug, page=n, per_page=2) for n in (1, 2, 3)]
    assert [[m.member.name for m in p.items] for p in pages] == [
        ["Member A", "Member B"], ["Member C", "Member D"], ["Member E"]]
    assert pages[0].total == 5 and pages[0].pages == 3
    assert not pages[0].has_previous and pages[0].has_next and pages[2].has_previous and not pages[2].has_next
    assert len(made) == 5
    # A page past the end is empty, and a page that is not a number is the first.
    assert members.search_members(database, bank.slug, page=9, per_page=2).items == ()
    assert members.search_members(database, bank.slug, page="x", per_page=2).number == 1


def test_a_member_list_page_carries_each_balance(database, bank):
    ann, bob = joined(database, bank, "Ann"), joined(database, bank, "Bob")
    ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=90, recorded_by="test")
    balances = {m.member.name: m.balance_minutes for m in members.search_members(database, bank.slug).items}
    assert balances == {"Ann": 90, "Bob": -90}


def test_a_same_name_member_is_found_whatever_the_case_and_spaces(database, bank):
    jean = joined(database, bank, "Jean Paterson", area="Leith")
    joined(database, bank, "Jean Patersonne")
    assert [m.id for m in members.same_name_members(database, bank.slug, "  jean  PATERSON")] == [jean.id]
    assert members.same_name_members(database, bank.slug, "John Paterson") == []
    elodie = joined(database, bank, "Élodie Brun")
    assert [m.id for m in members.same_name_members(database, bank.slug, "élodie BRUN")] == [elodie.id]


# ---------------------------------------------------------------- finding exchanges


@pytest.fixture
def pair(database, bank):
    return joined(database, bank, "Ann"), joined(database, bank, "Bob")


def test_an_exchange_from_last_year_is_found_by_its_period(database, bank, pair):
    ann, bob = pair
    old = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=60,
                              recorded_by="test", given_on=LAST_YEAR, description="School pick-up")
    for _ in range(3):
        ledger.log_exchange(database, bank.slug, provider_id=bob.id, receiver_id=ann.id, minutes=30,
                            recorded_by="test", given_on=TODAY)
    found = ledger.find_exchanges(database, bank.slug, since=dt.date(LAST_YEAR.year, 1, 1),
                                  until=dt.date(LAST_YEAR.year, 12, 31))
    assert [x.id for x in found.items] == [old.id] and found.total == 1


def test_exchanges_are_found_by_words_in_any_case_or_by_a_reversal_reason(database, bank, pair):
    ann, bob = pair
    hedge = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=60,
                                recorded_by="test", description="Cut the HEDGE at Zoë's")
    wrong = ledger.log_exchange(database, bank.slug, provider_id=bob.id, receiver_id=ann.id, minutes=30,
                                recorded_by="test", description="Shopping")
    reversal = ledger.reverse_exchange(database, wrong.id, reason="Wrong year typed", recorded_by="test",
                                       bank_slug=bank.slug)
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, text="hedge").items] == [hedge.id]
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, text="ZOË").items] == [hedge.id]
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, text="wrong YEAR").items] == [reversal.id]
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, kind="reversal").items] == [reversal.id]


def test_a_members_exchanges_include_the_groups_they_received_in(database, bank, pair):
    ann, bob = pair
    cat = joined(database, bank, "Cat")
    group = ledger.log_group_exchange(database, bank.slug, provider_id=ann.id, receiver_ids=[bob.id, cat.id],
                                      minutes=60, recorded_by="test")
    ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=10, recorded_by="test")
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, member_id=cat.id).items] == [group.id]


def test_exchanges_come_a_page_at_a_time_newest_day_first(database, bank, pair):
    ann, bob = pair
    logged = [ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=10,
                                  recorded_by="test", given_on=TODAY - dt.timedelta(days=n)) for n in range(5)]
    first, last = (ledger.find_exchanges(database, bank.slug, page=n, per_page=2) for n in (1, 3))
    assert [x.id for x in first.items] == [logged[0].id, logged[1].id]
    assert [x.id for x in last.items] == [logged[4].id] and last.total == 5


def test_every_page_of_exchanges_read_in_turn_is_the_whole_list_in_order(database, bank, pair):
    """Pages past the middle are read from the oldest end and turned round (so the last
    page of a big bank is as quick as the first): together they are still the list, with
    exchanges of one day newest first."""
    ann, bob = pair
    for n in range(7):
        ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=10,
                            recorded_by="test", given_on=TODAY - dt.timedelta(days=n // 3))
    whole = [x.id for x in ledger.find_exchanges(database, bank.slug).items]
    pages = [ledger.find_exchanges(database, bank.slug, page=n, per_page=2) for n in range(1, 6)]
    assert [x.id for p in pages for x in p.items] == whole
    assert [len(p.items) for p in pages] == [2, 2, 2, 1, 0]


def test_a_period_that_ends_before_it_starts_is_refused(database, bank):
    with pytest.raises(InvalidInput):
        ledger.find_exchanges(database, bank.slug, since=TODAY, until=TODAY - dt.timedelta(days=1))


# ---------------------------------------------------------------- the statement


def test_the_statement_runs_by_the_day_of_the_help_with_reasons(database, bank, pair):
    ann, bob = pair
    recent = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=60,
                                 recorded_by="test", given_on=TODAY - dt.timedelta(days=1))
    old = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=30,
                              recorded_by="test", given_on=LAST_YEAR, description="x")
    ledger.grant(database, bank.slug, member_id=ann.id, minutes=15, reason="Welcome hours", recorded_by="test")
    ledger.reverse_exchange(database, old.id, reason="Wrong year typed", recorded_by="test", bank_slug=bank.slug)
    lines = ledger.statement(database, bank.slug, ann.id)
    assert [line.given_on for line in lines] == sorted(line.given_on for line in lines)
    assert lines[0].exchange_id == old.id and lines[0].balance_minutes == 30
    assert lines[1].exchange_id == recent.id and lines[1].balance_minutes == 90
    assert lines[-1].balance_minutes == ledger.balance(database, bank.slug, ann.id).balance_minutes == 75
    reasons = {line.kind: line.reason for line in lines}
    assert reasons["grant"] == "Welcome hours" and reasons["reversal"] == "Wrong year typed"


# ---------------------------------------------------------------- correcting a member


def test_a_members_details_are_corrected(database, bank):
    ann = joined(database, bank, "Ann", phone="0131 000")
    edited = members.edit_member(database, bank.slug, ann.id, name=" Ann Smith ", email="Ann@Example.org",
                                 phone="07700 900123", area="Leith", kind="organisation")
    again = members.get_member(database, bank.slug, ann.id)
    assert again == edited
    assert (again.name, again.email, again.phone, again.area, again.kind) == (
        "Ann Smith", "ann@example.org", "07700 900123", "Leith", "organisation")


def test_an_email_another_member_uses_is_refused_and_nothing_changes(database, bank):
    joined(database, bank, "Bob", email="bob@example.org")
    ann = joined(database, bank, "Ann", phone="0131 000")
    with pytest.raises(EmailTaken):
        members.edit_member(database, bank.slug, ann.id, name="Ann", email="BOB@example.org",
                            phone="0131 496 0999", area=None, kind="person")
    assert members.get_member(database, bank.slug, ann.id) == ann


def test_a_member_who_signs_in_signs_in_with_their_new_email_and_cannot_drop_it(database, bank):
    ann = joined(database, bank, "Ann", email="ann-old@example.org")
    auth.create_user(database, bank.slug, email=ann.email, name="Ann", password=PASSWORD, role="member",
                     member_id=ann.id)
    members.edit_member(database, bank.slug, ann.id, name="Ann", email="ann-new@example.org",
                        phone=None, area=None, kind="person")
    assert auth.authenticate(database, "ann-new@example.org", PASSWORD).member_id == ann.id
    with pytest.raises(InvalidInput):
        members.edit_member(database, bank.slug, ann.id, name="Ann", email="", phone=None, area=None, kind="person")


def test_a_member_without_email_gets_an_email_and_a_sign_in_later(database, bank):
    dot = joined(database, bank, "Dot")
    assert auth.user_for_member(database, bank.slug, dot.id) is None
    added = members.add_sign_in(database, bank.slug, dot.id, email="Dot@Example.org", password=PASSWORD)
    assert added.email == "dot@example.org"
    assert auth.authenticate(database, "dot@example.org", PASSWORD).member_id == dot.id
    with pytest.raises(InvalidInput):  # a second one
        members.add_sign_in(database, bank.slug, dot.id, email="dot@example.org", password=PASSWORD)


def test_a_sign_in_refused_for_its_password_leaves_the_member_without_an_email(database, bank):
    from timebank.domain.errors import WeakPassword

    dot = joined(database, bank, "Dot")
    with pytest.raises(WeakPassword):
        members.add_sign_in(database, bank.slug, dot.id, email="dot2@example.org", password="short")
    assert members.get_member(database, bank.slug, dot.id).email is None


# ---------------------------------------------------------------- service names


def test_a_service_name_is_held_once_whatever_its_case_and_spaces(database, bank):
    name = banks.list_categories(database, bank.slug)[0][1]
    with pytest.raises(CategoryTaken):
        banks.save_category(database, bank.slug, category="another_one", name=f"  {name.upper()} ",
                            adding=True)
    banks.save_category(database, bank.slug, category="dog_walking", name="Dog walking", adding=True)
    assert ("dog_walking", "Dog walking") in banks.list_categories(database, bank.slug)


# ---------------------------------------------------------------- the contact log and who to call


def test_notes_are_kept_newest_first_and_a_replayed_form_writes_one(database, bank):
    ann = joined(database, bank, "Ann")
    contact_log.add_note(database, bank.slug, ann.id, text="Left a message", author="Cora")
    later = contact_log.add_note(database, bank.slug, ann.id, text="Phoned, will ring back Thursday",
                                 author="Cora", follow_up_on=TODAY + dt.timedelta(days=2), idempotency_key="k1")
    again = contact_log.add_note(database, bank.slug, ann.id, text="Phoned, will ring back Thursday",
                                 author="Cora", follow_up_on=TODAY + dt.timedelta(days=2), idempotency_key="k1")
    assert again.replayed and again.id == later.id
    assert [n.text for n in contact_log.member_notes(database, bank.slug, ann.id)] == [
        "Phoned, will ring back Thursday", "Left a message"]


@pytest.mark.parametrize("text, follow_up_days", [("  ", None), ("Called", -1), ("x" * 2001, None)])
def test_an_empty_note_or_a_follow_up_in_the_past_is_refused(database, bank, text, follow_up_days):
    ann = joined(database, bank, "Ann")
    follow_up_on = None if follow_up_days is None else TODAY + dt.timedelta(days=follow_up_days)
    with pytest.raises(InvalidInput):
        contact_log.add_note(database, bank.slug, ann.id, text=text, author="Cora", follow_up_on=follow_up_on)
    assert contact_log.member_notes(database, bank.slug, ann.id) == []


def test_who_to_call_lists_quiet_and_new_members_and_honours_follow_ups(database, bank):
    quiet, later, due = (joined(database, bank, name) for name in ("Quentin Quiet", "Lena Later", "Dora Due"))
    new = joined(database, bank, "Nina New", days_ago=5)
    contact_log.add_note(database, bank.slug, later.id, text="Ring next week", author="Cora",
                         follow_up_on=TODAY + dt.timedelta(days=3))
    contact_log.add_note(database, bank.slug, due.id, text="Ring today", author="Cora", follow_up_on=TODAY)
    calls = contact_log.who_to_call(database, bank.slug)
    assert [m.id for m, _ in calls.due] == [due.id]
    assert [q.member.id for q in calls.quiet] == [quiet.id]
    assert [q.member.id for q in calls.welcome] == [new.id]
    # On the follow-up day, the one who waited comes back, first.
    on_the_day = contact_log.who_to_call(database, bank.slug, today=TODAY + dt.timedelta(days=3))
    assert [m.id for m, _ in on_the_day.due] == [due.id, later.id]


def test_the_overview_and_who_to_call_share_one_rule(database, bank):
    new = joined(database, bank, "Nina New", days_ago=5)
    listed = members.members_without_exchanges(database, bank.slug)
    assert [(q.member.id, q.standing) for q in listed] == [(new.id, "new")]


def test_who_to_call_lists_exchanges_waiting_on_someone_without_a_sign_in(database, bank):
    ann, dot = joined(database, bank, "Ann", email="ann-w@example.org"), joined(database, bank, "Dot")
    auth.create_user(database, bank.slug, email=ann.email, name="Ann", password=PASSWORD, role="member",
                     member_id=ann.id)
    waiting = ledger.propose_exchange(database, bank.slug, member_id=ann.id, provider_id=ann.id,
                                      receiver_id=dot.id, minutes=30)
    calls = contact_log.who_to_call(database, bank.slug)
    assert [(w.exchange_id, w.waiting_on.id, w.waiting_days) for w in calls.waiting] == [(waiting.id, dot.id, 0)]


def test_who_to_call_lists_requests_nobody_answered_for_a_week(database, bank):
    ann, bob = joined(database, bank, "Ann"), joined(database, bank, "Bob")
    old = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="A lift to the clinic")
    answered = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="Shopping")
    fresh = requests_offers.ask_for_help(database, bank.slug, member_id=bob.id, what="Tea")
    requests_offers.answer_request(database, bank.slug, answered.id, member_id=bob.id)
    with database.engine.begin() as connection:
        connection.execute(sa.update(HelpRequest).where(HelpRequest.id.in_([old.id, answered.id]))
                           .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10)))
    calls = contact_log.who_to_call(database, bank.slug)
    assert [(r.request_id, r.waiting_days) for r in calls.unanswered] == [(old.id, 10)]
    assert fresh.id not in [r.request_id for r in calls.unanswered]

    # Expired, it leaves the lists: the member's to renew, not a call for the coordinator.
    with database.engine.begin() as connection:
        connection.execute(sa.update(HelpRequest).where(HelpRequest.id == old.id)
                           .values(renewed_on=dt.date.today() - dt.timedelta(days=200)))
    assert contact_log.who_to_call(database, bank.slug).unanswered == ()


# ---------------------------------------------------------------- reports


def test_the_network_report_lists_the_overviews_quiet_and_new_members(database, bank):
    from timebank.services import reports

    quiet, partner = joined(database, bank, "Quentin Quiet"), joined(database, bank, "Pat Partner")
    joined(database, bank, "Nora Never")
    joined(database, bank, "Nina New", days_ago=5)
    ledger.log_exchange(database, bank.slug, provider_id=quiet.id, receiver_id=partner.id, minutes=60,
                        recorded_by="test", given_on=TODAY - dt.timedelta(days=120))
    report = reports.network_report(database, bank.slug, reports.make_period(TODAY - dt.timedelta(days=30), TODAY))
    listed = members.members_without_exchanges(database, bank.slug)
    assert sorted(report.at_risk) == sorted(q.member.name for q in listed if q.standing == "quiet") == [
        "Nora Never", "Pat Partner", "Quentin Quiet"]
    assert report.to_welcome == ("Nina New",)


def test_reports_tell_two_members_of_one_name_apart_by_area_and_number(database, bank):
    from timebank.services import reports

    leith = joined(database, bank, "Jean Paterson", area="Leith")
    pilton = joined(database, bank, "jean  paterson", area="Pilton")
    ann = joined(database, bank, "Ann")
    ledger.log_exchange(database, bank.slug, provider_id=leith.id, receiver_id=ann.id, minutes=60, recorded_by="t")
    report = reports.network_report(database, bank.slug, reports.make_period(TODAY - dt.timedelta(days=30), TODAY))
    assert report.no_links == (f"jean  paterson (Pilton, #{pilton.id})",)
    assert f"Jean Paterson (Leith, #{leith.id})" in {m.name for m in report.members}
    assert "Ann" in {m.name for m in report.members}


def test_the_upgrade_keeps_two_services_of_one_name_and_holds_new_ones_once(backend, database_factory):
    """Revision 0010 on a bank that already has two services of one name: both stay, the
    first keeps the name's key, and a third of that name is refused."""
    from timebank.db import migrate

    database = database_factory.empty(backend)
    migrate.upgrade(database, "0007")
    with database.engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO banks (slug, name, floor_minutes, ceiling_minutes, "
                                   "member_exchanges_need_confirmation, hourly_value_pence, created_at) "
                                   "VALUES ('old', 'Old bank', -600, 6000, true, 1000, CURRENT_TIMESTAMP)"))
        bank_id = connection.execute(sa.text("SELECT id FROM banks WHERE slug = 'old'")).scalar_one()
        for slug, name in (("shopping", "Shopping"), ("shopping_2", "shopping "), ("lifts", "Lifts")):
            connection.execute(sa.text("INSERT INTO service_categories (bank_id, slug, name, description, active) "
                                       "VALUES (:bank, :slug, :name, '', true)"),
                               {"bank": bank_id, "slug": slug, "name": name})
    migrate.upgrade(database)
    with database.engine.connect() as connection:
        keys = dict(connection.execute(sa.text("SELECT slug, name_key FROM service_categories")).all())
    assert keys == {"shopping": "shopping", "shopping_2": None, "lifts": "lifts"}
    with pytest.raises(CategoryTaken):
        banks.save_category(database, "old", category="shop", name="SHOPPING", adding=True)
