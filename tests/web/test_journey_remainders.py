"""The rest of the members' and coordinators' usability problems (issue 11): the browse
page a page at a time with a search by words and one "I can help" page per request;
coordinators' messages that name people and link to what was done; the CSV upload by
names, with a template and a list of what it recorded; reports with the period at the
top, no future days and a Print button; a group exchange naming every member who would
pass a limit; and a member taken on twice by Back and send again."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.web.conftest import csrf_from
from tests.web.test_coordinator_pages import error_beside, form_page, log_data, upload
from timebank.services import banks, ledger, members, requests_offers

TODAY = dt.date.today()


@pytest.fixture
def cora(signed_in, world):
    return signed_in(world.coordinator)


# ---------------------------------------------------------------- browsing (members 8)


def test_the_browse_page_shows_25_requests_a_page_newest_first_with_one_button_each(signed_in, world, web_database):
    slug = world.bank.slug
    asked = [requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what=f"Errand {n:02d}")
             for n in range(30)]
    bob = signed_in(world.bob)
    first = bob.get("/member/browse").text
    assert first.count("<h3>Errand") == 25 and "Errand 29" in first and "Errand 04" not in first
    assert "1 to 25 of 30" in first and "Next page" in first
    # One link per request to a page of its own; no message box on the list.
    assert "<textarea" not in first
    assert f'href="/member/requests/{asked[29].id}/answer"' in first
    second = bob.get("/member/browse?page=2").text
    assert second.count("<h3>Errand") == 5 and "Errand 00" in second and "Previous page" in second


def test_words_find_requests_and_offers_and_are_kept_on_the_answer_link(signed_in, world, web_database):
    slug = world.bank.slug
    requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Walk the DOG on Sunday")
    requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Carry the shopping")
    requests_offers.offer_skill(web_database, slug, member_id=world.ann.member_id, description="Dog sitting")
    requests_offers.offer_skill(web_database, slug, member_id=world.ann.member_id, description="Ironing")
    page = signed_in(world.bob).get("/member/browse?words=dog").text
    assert "Walk the DOG on Sunday" in page and "Carry the shopping" not in page
    assert "Dog sitting" in page and "Ironing" not in page
    assert 'value="dog"' in page and "words=dog" in page


def test_i_can_help_leads_to_the_request_s_own_page_where_the_message_is_sent(signed_in, world, web_database):
    slug = world.bank.slug
    asked = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Change a bulb",
                                         when_text="Any morning")
    bob = signed_in(world.bob)
    page = bob.get(f"/member/requests/{asked.id}/answer")
    assert page.status_code == 200
    assert "Change a bulb" in page.text and "Any morning" in page.text and "<textarea" in page.text
    sent = bob.post(f"/member/requests/{asked.id}/answer",
                    data={"csrf_token": csrf_from(page.text), f"answer-{asked.id}-message": "Tuesday suits me"})
    assert sent.status_code == 302
    answers = requests_offers.get_request(web_database, slug, asked.id).answers
    assert [(a.member_name, a.message) for a in answers] == [("Bob", "Tuesday suits me")]
    again = bob.get(f"/member/requests/{asked.id}/answer").text
    assert "You have said you can help" in again and "<textarea" not in again
    # Nobody answers their own request, nor another bank's.
    assert signed_in(world.ann).get(f"/member/requests/{asked.id}/answer").status_code == 403
    assert signed_in(world.other_member).get(f"/member/requests/{asked.id}/answer").status_code == 404


# ---------------------------------------------------------------- messages (coordinators 5)


def test_a_logged_exchange_is_named_with_a_link_to_see_it_and_one_to_reverse_it(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log")
    done = cora.post("/coordinator/log", data=log_data(world, token, key, hours="1h30m"), follow_redirects=True)
    exchange = ledger.list_exchanges(web_database, world.bank.slug)[0]
    notice = done.text.split('class="notice notice-success"', 1)[1].split("</div>", 1)[0]
    assert "Recorded: 1h 30m from Ann to Bob." in notice and f"Day of the help: {TODAY.day} " in notice
    assert f'href="/coordinator/members/{world.ann.member_id}#exchange-{exchange.id}">See it' in notice
    reverse = re.search(rf'href="(/coordinator/exchanges/{exchange.id}/reverse[^"]*)">Reverse this', notice)
    assert reverse
    confirm_page = cora.get(reverse.group(1).replace("&amp;", "&"))
    assert confirm_page.status_code == 200 and "reason" in confirm_page.text.lower()
    member_page = cora.get(f"/coordinator/members/{world.ann.member_id}").text
    assert f'id="exchange-{exchange.id}"' in member_page


def test_a_group_exchange_says_how_the_hours_were_shared_and_links_to_it(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log/group")
    done = cora.post("/coordinator/log/group", follow_redirects=True, data={
        "csrf_token": token, "idempotency_key": key, "provider": world.ann.member_id,
        "receivers": [world.bob.member_id, world.dot_member_id], "hours": "1h05m", "day": TODAY.isoformat()})
    exchange = ledger.list_exchanges(web_database, world.bank.slug)[0]
    notice = done.text.split('class="notice notice-success"', 1)[1].split("</div>", 1)[0]
    assert ("Recorded: 1h 05m from Ann to 2 members (32m each: 1m does not share out equally, so the time "
            "bank gives it from its community pot, the hours it keeps for everyone).") in notice
    assert f'#exchange-{exchange.id}">See it' in notice
    assert f'/coordinator/exchanges/{exchange.id}/reverse' in notice and ">Reverse this" in notice


def test_a_reversal_names_the_people_and_the_day(cora, world, web_database):
    exchange = ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                                   receiver_id=world.bob.member_id, minutes=60, recorded_by="test")
    page = cora.get(f"/coordinator/exchanges/{exchange.id}/reverse")
    key = re.search(r'name="idempotency_key" value="([^"]*)"', page.text).group(1)
    done = cora.post(f"/coordinator/exchanges/{exchange.id}/reverse", follow_redirects=True,
                     data={"csrf_token": csrf_from(page.text), "idempotency_key": key, "reason": "Logged twice"})
    assert re.search(r"is reversed: 1h from Ann \(Leith, #\d+\) to Bob \(Leith, #\d+\), on \d+ \w+ \d{4}\. "
                     "The balances are put back.", done.text)


# ---------------------------------------------------------------- the CSV upload (coordinators 6)


def test_a_file_may_name_members_and_kinds_of_help_and_lists_what_it_recorded(cora, world, web_database):
    slug = world.bank.slug
    code, name = banks.list_categories(web_database, slug)[0]
    text = (f"provider,receiver,hours,day,category,what\n ann ,BOB,1.5,{TODAY},{name.upper()},Hedge\n"
            f"Bob (Leith #{world.bob.member_id}),#{world.dot_member_id},45m,,,\n")
    token, key = form_page(cora, "/coordinator/log/upload")
    response = upload(cora, token, key, text)
    assert response.status_code == 302 and response.location.endswith("#recorded")
    recorded = sorted(ledger.list_exchanges(web_database, slug), key=lambda x: x.id)
    assert [(x.provider_member_id, x.receiver_member_id, x.amount_minutes, x.category) for x in recorded] == [
        (world.ann.member_id, world.bob.member_id, 90, code), (world.bob.member_id, world.dot_member_id, 45, None)]
    page = cora.get(response.location).text
    listed = page.split('id="recorded"', 1)[1].split("</table>", 1)[0]
    assert "Recorded 2 exchanges from the file." in page
    assert listed.count("<tr>") == 3 and "1h 30m" in listed and "45m" in listed
    assert f'/coordinator/members/{world.ann.member_id}#exchange-{recorded[0].id}' in listed


def test_a_name_two_members_share_is_refused_with_its_line_and_nothing_is_recorded(cora, world, web_database):
    slug = world.bank.slug
    first = members.add_member(web_database, slug, "Eve Stone", area="Leith")
    second = members.add_member(web_database, slug, "Eve Stone", area="Pilton")
    text = f"provider,receiver,hours\n{world.ann.member_id},{world.bob.member_id},1\nAnn,eve stone,1\nNobody,Ann,1\n"
    token, key = form_page(cora, "/coordinator/log/upload")
    refused = upload(cora, token, key, text)
    assert refused.status_code == 400
    assert re.search(r'<td class="num">3</td><td>receiver: 2 members are called Eve Stone \(Eve Stone \(Leith, '
                     rf'#{first.id}\); Eve Stone \(Pilton, #{second.id}\)\): write the number', refused.text)
    assert re.search(r'<td class="num">4</td><td>provider: no member is called', refused.text)
    assert ledger.list_exchanges(web_database, slug) == []
    wrong = upload(cora, token, key, f"provider,receiver,hours\nAnn #{world.bob.member_id},Dot,1\n")
    assert f"provider: member #{world.bob.member_id} is Bob, not Ann" in wrong.text


def test_the_template_file_has_the_header_and_two_lines_that_upload_as_they_are(cora, world, web_database):
    response = cora.get("/coordinator/log/upload/template.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "/coordinator/log/upload/template.csv" in cora.get("/coordinator/log/upload").text
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0] == ["provider", "receiver", "hours", "day", "category", "what"] and len(rows) == 3
    token, key = form_page(cora, "/coordinator/log/upload")
    assert upload(cora, token, key, response.text).status_code == 302
    assert len(ledger.list_exchanges(web_database, world.bank.slug)) == 2


def test_a_file_saved_as_windows_text_is_told_to_be_saved_as_csv_utf8(cora, world):
    token, key = form_page(cora, "/coordinator/log/upload")
    response = cora.post("/coordinator/log/upload", content_type="multipart/form-data", data={
        "csrf_token": token, "idempotency_key": key,
        "file": (io.BytesIO("provider,receiver,hours,what\n1,2,1,Siobhán\n".encode("cp1252")), "h.csv")})
    assert response.status_code == 400 and "CSV UTF-8 (Comma delimited)" in response.text


# ---------------------------------------------------------------- reports (coordinators 10)


@pytest.mark.parametrize("page", ["activity", "network", "funders"])
def test_a_report_has_its_period_at_the_top_and_a_print_button(cora, page):
    text = cora.get(f"/coordinator/reports/{page}").text
    main = text.split('id="main"', 1)[1]
    assert main.index('class="period"') < main.index("<h2") and "Other days" not in main
    assert "data-print" in main and "Print this report" in main


def test_a_period_in_the_future_is_refused_beside_its_field(cora):
    later = TODAY + dt.timedelta(days=40)
    response = cora.get(f"/coordinator/reports/activity?start={later}&end={later}")
    assert response.status_code == 400
    error_beside(response.text, "start", "The first day is in the future")
    error_beside(response.text, "end", "The last day is in the future")
    ends_later = cora.get(f"/coordinator/reports/funders?start={TODAY.replace(day=1)}&end={later}")
    assert ends_later.status_code == 400 and "The last day is in the future" in ends_later.text
    assert cora.get(f"/coordinator/reports/activity.csv?start={later}&end={later}").status_code == 400


# ---------------------------------------------------------------- group exchanges (coordinators 12)


def test_a_group_exchange_names_every_receiver_who_would_pass_the_floor(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log/group")
    response = cora.post("/coordinator/log/group", data={
        "csrf_token": token, "idempotency_key": key, "provider": world.ann.member_id,
        "receivers": [world.bob.member_id, world.dot_member_id], "hours": "24", "day": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Bob would go below the lowest balance allowed" in response.text
    assert "Dot would go below the lowest balance allowed" in response.text
    assert ledger.list_exchanges(web_database, world.bank.slug) == []


# ---------------------------------------------------------------- Back and send again (take-on)


def test_taking_on_again_from_a_fresh_form_asks_before_a_second_member(cora, world, web_database):
    """Back on the no-store take-on page fetches a fresh form with a new key: the
    same-name warning is what stops the same person being taken on twice."""
    data = {"name": "Flora Reid", "kind": "person", "phone": "0131 555 0101", "area": "Leith"}
    csrf, key = form_page(cora, "/coordinator/members/new")
    assert cora.post("/coordinator/members/new", data={**data, "csrf_token": csrf, "idempotency_key": key}
                     ).status_code == 302
    csrf, fresh = form_page(cora, "/coordinator/members/new")
    assert fresh != key
    again = cora.post("/coordinator/members/new", data={**data, "csrf_token": csrf, "idempotency_key": fresh})
    assert again.status_code == 400
    error_beside(again.text, "same_name_ok", "There is already a member called Flora Reid: Flora Reid (Leith, #")
    assert [m.name for m in members.list_members(web_database, world.bank.slug)].count("Flora Reid") == 1


# ---------------------------------------------------------------- one tap is never enough (members 7, missing 8)


def test_every_destructive_action_asks_first_and_changes_nothing_until_answered(signed_in, cora, world, web_database):
    slug, ann, bob = world.bank.slug, world.ann.member_id, world.bob.member_id
    asked = requests_offers.ask_for_help(web_database, slug, member_id=ann, what="Post a letter")
    offered = requests_offers.offer_skill(web_database, slug, member_id=ann, description="Knitting lessons")
    waiting = ledger.propose_exchange(web_database, slug, member_id=bob, provider_id=bob, receiver_id=ann,
                                      minutes=30, given_on=TODAY)
    member = signed_in(world.ann)
    for client, url, button in [
        (member, f"/member/requests/{asked.id}/close", "Yes, close it"),
        (member, f"/member/offers/{offered.id}/withdraw", "Yes, withdraw it"),
        (member, f"/member/exchanges/{waiting.id}/decline", "Yes, decline it"),
        (cora, f"/coordinator/requests/{asked.id}/close", "Yes, close the request"),
        (cora, f"/coordinator/members/{bob}/status?to=suspended", "Yes, suspend Bob"),
        (cora, f"/coordinator/members/{bob}/status?to=closed", "Yes, close Bob"),
    ]:
        page = client.get(url)
        assert page.status_code == 200 and button in page.text, url
    assert requests_offers.get_request(web_database, slug, asked.id).status == "open"
    assert [o.active for o in requests_offers.member_offers(web_database, slug, ann)] == [True]
    assert ledger.get_exchange(web_database, slug, waiting.id).state == "pending"
    assert members.get_member(web_database, slug, bob).status == "active"
