"""Coordinators' pages for finding and putting right: searches and their pages, a member's
page, editing details, adding a sign-in, notes, confirmations and who to call."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import escape

from tests.web.conftest import csrf_from
from tests.web.test_coordinator_pages import error_beside, form_page, snapshot
from timebank.services import auth, banks, contact_log, ledger, members

TODAY = dt.date.today()
LAST_YEAR = dt.date(TODAY.year - 1, 4, 1)
PASSWORD = "a long enough password"


@pytest.fixture
def cora(signed_in, world):
    return signed_in(world.coordinator)


def token(client, url="/coordinator/") -> str:
    return csrf_from(client.get(url).text)


def listed_names(html: str) -> list[str]:
    return re.findall(r'<a href="/coordinator/members/\d+">([^<]*)</a>', html)


# ---------------------------------------------------------------- finding


def test_a_member_is_found_by_part_of_their_name_in_any_case(cora, world, web_database):
    members.add_member(web_database, world.bank.slug, "Jean Paterson", area="Pilton", phone="0131 496 0000")
    page = cora.get("/coordinator/members?q=PATER").text
    assert listed_names(page) == ["Jean Paterson"]
    assert 'href="tel:01314960000"' in page
    assert "No member matches" in cora.get("/coordinator/members?q=nobody-at-all").text


def test_the_member_list_pages_fifty_at_a_time_with_previous_and_next(cora, world, web_database):
    for n in range(52):
        members.add_member(web_database, world.bank.slug, f"Zed {n:02d}")
    first = cora.get("/coordinator/members?q=zed").text
    assert len(listed_names(first)) == 50 and "Next page" in first and "Previous page" not in first
    assert re.search(r'href="/coordinator/members\?(page=2&amp;q=zed|q=zed&amp;page=2)"', first)
    second = cora.get("/coordinator/members?q=zed&page=2").text
    assert listed_names(second) == ["Zed 50", "Zed 51"] and "Previous page" in second


def test_an_exchange_from_last_year_is_found_by_period_and_its_service_is_named(cora, world, web_database):
    slug = world.bank.slug
    old = ledger.log_exchange(web_database, slug, provider_id=world.ann.member_id, receiver_id=world.bob.member_id,
                              minutes=60, recorded_by="test", given_on=LAST_YEAR, category="gardening",
                              description="School pick-up")
    page = cora.get(f"/coordinator/exchanges?since={LAST_YEAR.year}-01-01&until={LAST_YEAR.year}-12-31").text
    assert f'id="exchange-{old.id}"' in page and "School pick-up" in page
    assert dict(banks.list_categories(web_database, slug))["gardening"] in page  # the name, not the code (B15)
    assert ">gardening<" not in page


def test_a_search_with_a_wrong_day_is_refused_beside_the_field(cora):
    response = cora.get("/coordinator/exchanges?since=2026-02-31")
    assert response.status_code == 400
    error_beside(response.text, "since", "Enter a real day as YYYY-MM-DD")
    reversed_days = cora.get("/coordinator/exchanges?since=2026-05-02&until=2026-05-01")
    assert reversed_days.status_code == 400
    error_beside(reversed_days.text, "until", "The last day must be on or after the first day.")


# ---------------------------------------------------------------- a member's page


def test_a_members_page_reverses_any_exchange_and_comes_back(cora, world, web_database):
    slug, ann = world.bank.slug, world.ann.member_id
    old = ledger.log_exchange(web_database, slug, provider_id=ann, receiver_id=world.bob.member_id,
                              minutes=60, recorded_by="test", given_on=LAST_YEAR)
    page = cora.get(f"/coordinator/members/{ann}").text
    assert f"/coordinator/log?provider={ann}" in page and "Make a one-time reset link" in page
    link = re.search(rf'href="(/coordinator/exchanges/{old.id}/reverse\?back=[^"]+)"', page).group(1)
    confirm = cora.get(link.replace("&amp;", "&"))
    csrf, key = csrf_from(confirm.text), re.search(r'name="idempotency_key" value="([^"]+)"', confirm.text).group(1)
    back = re.search(r'name="back" value="([^"]+)"', confirm.text).group(1)
    refused = cora.post(f"/coordinator/exchanges/{old.id}/reverse",
                        data={"csrf_token": csrf, "idempotency_key": key, "back": back, "reason": " "})
    assert refused.status_code == 400
    error_beside(refused.text, "reason", "Give a reason for the reversal.")
    done = cora.post(f"/coordinator/exchanges/{old.id}/reverse",
                     data={"csrf_token": csrf, "idempotency_key": key, "back": back, "reason": "Wrong year typed"})
    assert done.status_code == 302 and done.location.endswith(f"/coordinator/members/{ann}")
    after = cora.get(done.location).text
    assert "Wrong year typed" in after  # the reversal's reason, not the original's words (B21)
    assert ledger.balance(web_database, slug, ann).balance_minutes == 0


def test_a_reverse_sends_nowhere_but_this_application(cora, world, web_database):
    logged = ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                                 receiver_id=world.bob.member_id, minutes=5, recorded_by="test")
    csrf, key = form_page(cora, f"/coordinator/exchanges/{logged.id}/reverse")
    done = cora.post(f"/coordinator/exchanges/{logged.id}/reverse",
                     data={"csrf_token": csrf, "idempotency_key": key, "back": "//evil.example/x", "reason": "r"})
    assert done.status_code == 302 and done.location.endswith("/coordinator/exchanges")


def test_log_hours_for_this_member_chooses_them(cora, world):
    page = cora.get(f"/coordinator/log?provider={world.ann.member_id}").text
    assert re.search(rf'<input type="radio" name="provider" id="provider-{world.ann.member_id}" '
                     rf'value="{world.ann.member_id}" checked>', page), page
    assert "Ann (Leith, #" in page


def test_suspend_and_close_ask_first(cora, world, web_database):
    ann = world.ann.member_id
    confirm = cora.get(f"/coordinator/members/{ann}/status?to=closed")
    assert confirm.status_code == 200 and "Yes, close Ann" in confirm.text and "Cancel" in confirm.text
    assert members.get_member(web_database, world.bank.slug, ann).status == "active"
    cora.post(f"/coordinator/members/{ann}/status", data={"csrf_token": csrf_from(confirm.text), "status": "closed"})
    assert members.get_member(web_database, world.bank.slug, ann).status == "closed"


# ---------------------------------------------------------------- editing and sign-ins


def test_editing_a_member_saves_their_details(cora, world, web_database):
    csrf, _ = form_page(cora, f"/coordinator/members/{world.ann.member_id}/edit")
    done = cora.post(f"/coordinator/members/{world.ann.member_id}/edit",
                     data={"csrf_token": csrf, "name": "Ann Smith", "kind": "person", "email": world.ann.email,
                           "phone": "07700 900123", "area": "Leith"})
    assert done.status_code == 302
    assert members.get_member(web_database, world.bank.slug, world.ann.member_id).phone == "07700 900123"


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Enter the member's name."),
    ({"email": "not an email"}, "email", "is not an email address"),
    ({"email": "BOB"}, "email", "already uses"),
    ({"phone": "9" * 51}, "phone", "50"),
    ({"phone": "hello"}, "phone", "is not a phone number"),
    ({"phone": "999"}, "phone", "is not a phone number"),
])
def test_a_bad_edit_is_refused_beside_its_field_and_changes_nothing(cora, world, web_database, changes, field,
                                                                     message):
    before = snapshot(web_database, world)
    url = f"/coordinator/members/{world.ann.member_id}/edit"
    data = {"csrf_token": form_page(cora, url)[0], "name": "Ann", "kind": "person", "email": world.ann.email,
            "phone": "", "area": "Leith", **changes}
    if data["email"] == "BOB":
        data["email"] = world.bob.email.upper()
    response = cora.post(url, data=data)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error">.*?{re.escape(str(escape(message)))}', response.text, re.S), response.text
    assert snapshot(web_database, world) == before


def test_a_sign_in_is_added_later_for_a_member_without_email(cora, world, web_database):
    dot = world.dot_member_id
    page = cora.get(f"/coordinator/members/{dot}").text
    assert "Add a sign-in" in page
    weak = cora.post(f"/coordinator/members/{dot}/sign-in/new",
                     data={"csrf_token": csrf_from(page), "email": "dot@example.org", "password": "short"})
    assert weak.status_code == 400 and 'id="password-error"' in weak.text
    assert members.get_member(web_database, world.bank.slug, dot).email is None
    done = cora.post(f"/coordinator/members/{dot}/sign-in/new",
                     data={"csrf_token": csrf_from(page), "email": "dot@example.org", "password": PASSWORD})
    assert done.status_code == 302
    assert auth.authenticate(web_database, "dot@example.org", PASSWORD).member_id == dot
    assert "Make a one-time reset link" in cora.get(f"/coordinator/members/{dot}").text


# ---------------------------------------------------------------- take-on, services


def test_taking_on_a_second_member_of_one_name_asks_first(cora, world, web_database):
    csrf, key = form_page(cora, "/coordinator/members/new")
    data = {"csrf_token": csrf, "idempotency_key": key, "name": " ann ", "kind": "person", "area": "Pilton"}
    warned = cora.post("/coordinator/members/new", data=data)
    assert warned.status_code == 400
    error_beside(warned.text, "same_name_ok",
                 f"There is already a member called ann: Ann (Leith, #{world.ann.member_id})")
    assert [m.name for m in members.list_members(web_database, world.bank.slug)].count("ann") == 0
    done = cora.post("/coordinator/members/new", data={**data, "same_name_ok": "y"})
    assert done.status_code == 302
    assert [m.name for m in members.list_members(web_database, world.bank.slug)].count("ann") == 1


def test_a_service_name_already_on_the_list_is_refused_beside_the_name(cora, world, web_database):
    name = banks.list_categories(web_database, world.bank.slug)[0][1]
    csrf = form_page(cora, "/coordinator/categories")[0]
    response = cora.post("/coordinator/categories", data={"csrf_token": csrf, "idempotency_key": "service-1",
                                                        "name": f" {name.lower()}  ", "description": "", "active": "y"})
    assert response.status_code in (400, 409)
    error_beside(response.text, "name", "There is already a service called")


# ---------------------------------------------------------------- notes and who to call


def test_a_note_from_who_to_call_sets_a_follow_up_and_leaves_the_list_until_then(cora, world, web_database):
    slug = world.bank.slug
    new = members.add_member(web_database, slug, "Nina New", phone="0131 496 0001", area="Leith")
    page = cora.get("/coordinator/calls")
    assert page.status_code == 200 and "Nina New" in page.text and 'href="tel:01314960001"' in page.text
    key = re.search(rf'name="idempotency_key" value="([^"]+:{new.id}:welcome)"', page.text).group(1)
    data = {"csrf_token": csrf_from(page.text), "idempotency_key": key, "back": "calls",
            "text": "Phoned, will ring back Thursday", "follow_up_on": (TODAY + dt.timedelta(days=2)).isoformat()}
    done = cora.post(f"/coordinator/members/{new.id}/notes", data=data)
    assert done.status_code == 302 and done.location.endswith("/coordinator/calls")
    assert "Nina New" not in cora.get("/coordinator/calls").text
    assert "Phoned, will ring back Thursday" in cora.get(f"/coordinator/members/{new.id}").text
    assert contact_log.who_to_call(web_database, slug, today=TODAY + dt.timedelta(days=2)).due[0][0].id == new.id


@pytest.mark.parametrize("text, follow_up, field, message", [
    ("", "", "text", "Write what happened"),
    ("Called", "2001-01-01", "follow_up_on", "A day to call again is today or later."),
    ("Called", "someday", "follow_up_on", "Enter a real day"),
])
def test_a_bad_note_is_refused_beside_its_field(cora, world, web_database, text, follow_up, field, message):
    ann = world.ann.member_id
    csrf, key = form_page(cora, f"/coordinator/members/{ann}")
    response = cora.post(f"/coordinator/members/{ann}/notes",
                         data={"csrf_token": csrf, "idempotency_key": key, "text": text, "follow_up_on": follow_up})
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error">.*?{re.escape(message)}', response.text, re.S)
    assert contact_log.member_notes(web_database, world.bank.slug, ann) == []


def test_the_member_list_download_writes_hours_with_two_decimals(cora, world, web_database):
    ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                        receiver_id=world.bob.member_id, minutes=473, recorded_by="test")
    rows = cora.get("/coordinator/members.csv").text.splitlines()
    by_name = {row.split(",")[1]: row.split(",")[-1] for row in rows[1:]}
    assert by_name["Ann"] == "7.88" and by_name["Bob"].lstrip("'") == "-7.88" and by_name["Dot"] == "0.00"


def test_a_long_statement_comes_fifty_lines_a_page_with_the_running_balance(cora, world, web_database):
    slug, ann = world.bank.slug, world.ann.member_id
    for n in range(55):
        ledger.log_exchange(web_database, slug, provider_id=ann, receiver_id=world.bob.member_id, minutes=1,
                            recorded_by="test", given_on=TODAY - dt.timedelta(days=n))
    first = cora.get(f"/coordinator/members/{ann}").text
    statement = first[first.index('id="statement"'):]
    assert statement.count("<tr>") == 51 and "Next page" in statement and "1 to 50 of 55" in statement
    second = cora.get(f"/coordinator/members/{ann}?page=2").text
    rows = re.findall(r'<td class="num" data-label="Hours">([^<]*)</td>\s*'
                      r'<td class="num" data-label="Balance">([^<]*)</td>', second[second.index('id="statement"'):])
    assert [balance for _, balance in rows] == ["5m", "4m", "3m", "2m", "1m"]


def test_waiting_exchanges_name_their_service_not_its_code(cora, world, web_database):
    slug = world.bank.slug
    ledger.propose_exchange(web_database, slug, member_id=world.ann.member_id, provider_id=world.ann.member_id,
                            receiver_id=world.bob.member_id, minutes=15, category="tech_help")
    page = cora.get("/coordinator/pending").text
    assert dict(banks.list_categories(web_database, slug))["tech_help"] in page and ">tech_help<" not in page
