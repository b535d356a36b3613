"""The members' pages: each renders, each form refuses what it must and writes nothing then,
a double-clicked submit records once, user text is shown escaped, and a member only ever
sees and settles what is theirs."""
from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pypdf
import pytest
from markupsafe import escape

from tests.web.conftest import World, _person, csrf_from, sign_in
from timebank.services import banks, ledger, members, requests_offers

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
KEY_INPUT = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')


# ---------------------------------------------------------------- helpers


def _build_town(database) -> World:
    """Like conftest's `world`, built once for the module: each test names its own things
    and compares before with after, so tests do not depend on each other."""
    slug = f"leith-{uuid.uuid4().hex[:8]}"
    bank = banks.create_bank(database, slug, "Leith Time Bank")
    other = banks.create_bank(database, f"gorgie-{uuid.uuid4().hex[:8]}", "Gorgie Time Bank")
    return World(
        bank=bank, other_bank=other,
        coordinator=_person(database, bank, "coordinator", "Cora", member=False),
        ann=_person(database, bank, "member", "Ann"),
        bob=_person(database, bank, "member", "Bob"),
        dot_member_id=members.add_member(database, slug, "Dot", area="Leith").id,
        social_worker=_person(database, bank, "social_worker", "Sam", member=False),
        other_coordinator=_person(database, other, "coordinator", "Olga", member=False),
        other_member=_person(database, other, "member", "Otto"),
    )


@pytest.fixture(scope="module")
def town(web_database) -> World:
    return _build_town(web_database)


@pytest.fixture(scope="module")
def member_app(web_database):
    from timebank.web import create_app
    from timebank.web.extensions import limiter

    # Staff are signed in here only to be refused the member pages (tests/web/conftest.py).
    app = create_app({"DATABASE": web_database, "SECRET_KEY": "test-secret", "TESTING": True,
                      "SERVER_NAME": "localhost", "STAFF_SECOND_FACTOR_REQUIRED": False})
    limiter.reset()
    return app


def _client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


@pytest.fixture(scope="module")
def ann(member_app, town):
    return _client(member_app, town.ann)


@pytest.fixture(scope="module")
def bob(member_app, town):
    return _client(member_app, town.bob)


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:6]}"


def new_ids(before: list, after: list) -> list[int]:
    return sorted({x.id for x in after} - {x.id for x in before})


def fields_of(client, url: str) -> dict:
    """What the page's form carries hidden: its CSRF token and its idempotency key."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    fields = {"csrf_token": csrf_from(page.text)}
    key = KEY_INPUT.search(page.text)
    if key:
        fields["idempotency_key"] = key.group(1)
    return fields


def submit(client, url: str, data: dict, *, page: str | None = None):
    """Fill in the form shown at `page` (default: `url`) and send it to `url`."""
    return client.post(url, data={**fields_of(client, page or url), **data})


def written(database, world) -> dict:
    """Everything a member's form can write in the bank, to compare before and after."""
    slug = world.bank.slug
    people = (world.ann.member_id, world.bob.member_id)
    return {
        "exchanges": ledger.list_exchanges(database, slug),
        "balances": ledger.account_balances(database, slug),
        "requests": [requests_offers.member_requests(database, slug, m) for m in people],
        "offers": [requests_offers.member_offers(database, slug, m) for m in people],
    }


def assert_refused(response, fragment: str, field_id: str) -> None:
    """400, with the message in the error summary (linked to the field) and beside the field."""
    html = response.text
    assert response.status_code == 400, html
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary"
    link = re.search(rf'<a href="#{re.escape(field_id)}(?:-0)?">([^<]*)</a>', summary.group(0))
    assert link and str(escape(fragment)) in link.group(1), summary.group(0)
    beside = re.search(rf'<p class="error-message" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert beside and str(escape(fragment)) in beside.group(1)


def log_data(world, **changes) -> dict:
    # The tests of this module share one town and log the same help again and again: each
    # says it means it ("again"), as the duplicate rule asks; its own tests leave it out.
    data = {"other_member": str(world.bob.member_id), "direction": "gave", "hours": "1h30m",
            "day": dt.date.today().isoformat(), "category": "", "description": "Fixed a shelf",
            "again": "y"}
    return {**data, **changes}


def propose(database, world, *, by, to, minutes=60, description="Gardening", gave=True):
    return ledger.propose_exchange(
        database, world.bank.slug, member_id=by.member_id,
        provider_id=by.member_id if gave else to.member_id,
        receiver_id=to.member_id if gave else by.member_id, minutes=minutes, description=description)


def balance_of(database, world, person) -> int:
    return ledger.balance(database, world.bank.slug, person.member_id).balance_minutes


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("url, heading", [
    ("/member/", "My hours"),
    ("/member/statement", "My statement"),
    ("/member/ask", "Ask for help"),
    ("/member/requests", "My requests for help"),
    ("/member/offer", "Offer your help"),
    ("/member/browse", "Offers and requests"),
    ("/member/log", "Log an exchange"),
])
def test_each_page_renders_for_a_member_with_one_heading(ann, url, heading):
    response = ann.get(url)
    assert response.status_code == 200
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", response.text, re.S) == [heading]
    assert "no-store" in response.headers["Cache-Control"]


def test_a_coordinator_is_refused_the_member_pages(member_app, town):
    assert _client(member_app, town.coordinator).get("/member/").status_code == 403


def test_the_home_page_shows_balance_hours_given_and_received(signed_in, world, web_database):
    ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                        receiver_id=world.bob.member_id, minutes=150, recorded_by="test")
    ledger.log_exchange(web_database, world.bank.slug, provider_id=world.bob.member_id,
                        receiver_id=world.ann.member_id, minutes=30, recorded_by="test")
    html = signed_in(world.ann).get("/member/").text
    balance = re.search(r'<dl class="balance">.*?</dl>', html, re.S).group(0)
    figures = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", balance)
    assert figures == [("My balance", "+2h"), ("Hours I have given", "2h 30m"),
                       ("Hours I have received", "30m")]


def test_the_statement_lists_my_entries_oldest_first_with_a_running_balance(signed_in, world, web_database):
    for minutes, description in ((60, "First help"), (45, "Second help")):
        ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                            receiver_id=world.bob.member_id, minutes=minutes, recorded_by="test",
                            description=description)
    html = signed_in(world.ann).get("/member/statement?order=oldest").text
    assert html.index("First help") < html.index("Second help")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    assert [re.findall(r'<td data-label="[^"]*" class="num">(.*?)</td>', r) for r in rows] == [
        ["+1h", "+1h"], ["+45m", "+1h 45m"]]


def test_a_correction_on_my_statement_says_why_and_the_printed_one_too(signed_in, world, web_database):
    wrong = ledger.log_exchange(web_database, world.bank.slug, provider_id=world.ann.member_id,
                                receiver_id=world.bob.member_id, minutes=45, recorded_by="test",
                                description="School pick-up")
    ledger.reverse_exchange(web_database, wrong.id, reason="Logged for the wrong year", recorded_by="test",
                            bank_slug=world.bank.slug)
    ann = signed_in(world.ann)
    assert "(why: Logged for the wrong year)" in ann.get("/member/statement").text
    printed = ann.get("/member/statement.pdf")
    assert printed.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(printed.data)).pages)
    assert "Logged for the wrong year" in " ".join(text.split())


# ---------------------------------------------------------------- CSRF on every form


def _csrf_cases():
    """(url, data) for each form; making the object the URL names where there is one."""
    return {
        "ask": lambda db, w: ("/member/ask", {"what": "A lift"}),
        "offer": lambda db, w: ("/member/offer", {"description": "Baking"}),
        "log": lambda db, w: ("/member/log", log_data(w)),
        "answer": lambda db, w: (
            f"/member/requests/"
            f"{requests_offers.ask_for_help(db, w.bank.slug, member_id=w.bob.member_id, what='Shopping').id}/answer",
            {}),
        "close": lambda db, w: (
            f"/member/requests/"
            f"{requests_offers.ask_for_help(db, w.bank.slug, member_id=w.ann.member_id, what='Shopping').id}/close",
            {}),
        "withdraw": lambda db, w: (
            f"/member/offers/"
            f"{requests_offers.offer_skill(db, w.bank.slug, member_id=w.ann.member_id, description='Baking').id}"
            "/withdraw",
            {}),
        "confirm": lambda db, w: (f"/member/exchanges/{propose(db, w, by=w.bob, to=w.ann).id}/confirm", {}),
        "decline": lambda db, w: (f"/member/exchanges/{propose(db, w, by=w.bob, to=w.ann).id}/decline", {}),
    }


@pytest.mark.parametrize("form", sorted(_csrf_cases()))
def test_a_form_sent_without_its_csrf_token_is_refused_and_writes_nothing(ann, town, web_database, form):
    url, data = _csrf_cases()[form](web_database, town)
    before = written(web_database, town)
    response = ann.post(url, data={**data, "idempotency_key": unique("key")})
    assert response.status_code == 400
    assert "This form had expired" in response.text
    assert written(web_database, town) == before


# ---------------------------------------------------------------- asking for help


def test_asking_for_help_records_the_request_and_shows_it(ann, town, web_database):
    what = unique("A lift to the surgery")
    before = requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id)
    response = submit(ann, "/member/ask", {"what": what, "when_text": "Tuesday",
                                           "where_text": "12 Shore Road", "helper_notes": "I use a stick"})
    assert response.status_code == 302 and response.location.endswith("/member/requests")
    after = requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id)
    [new] = new_ids(before, after)
    request = requests_offers.get_request(web_database, town.bank.slug, new)
    assert (request.what, request.when_text, request.where_text, request.helper_notes) == (
        what, "Tuesday", "12 Shore Road", "I use a stick")
    page = ann.get("/member/requests").text
    assert what in page and "Your request is on the list" in page
    assert what in ann.get("/member/").text


def test_asking_without_saying_what_is_refused_and_keeps_the_input(ann, town, web_database):
    before = written(web_database, town)
    response = submit(ann, "/member/ask", {"what": "  ", "when_text": "Friday morning",
                                           "where_text": "The library", "helper_notes": "Ring twice"})
    assert_refused(response, "Say what you would like help with", "what")
    assert 'value="Friday morning"' in response.text and 'value="The library"' in response.text
    assert "Ring twice</textarea>" in response.text
    assert written(web_database, town) == before


def test_asking_in_a_category_the_bank_does_not_have_is_refused_beside_the_category(ann, town, web_database):
    before = written(web_database, town)
    response = submit(ann, "/member/ask", {"what": "A lift", "category": "no-such-thing"})
    assert_refused(response, "is not one of this bank", "category")
    assert "A lift</textarea>" in response.text
    assert written(web_database, town) == before


def test_a_request_sent_twice_with_one_key_is_recorded_once(ann, town, web_database):
    before = requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id)
    fields = fields_of(ann, "/member/ask")
    for _ in range(2):
        assert ann.post("/member/ask", data={**fields, "what": "Help with a form"}).status_code == 302
    after = requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id)
    assert len(new_ids(before, after)) == 1


def test_the_ask_form_offers_the_banks_categories_after_not_sure(ann, town, web_database):
    html = ann.get("/member/ask").text
    select = re.search(r'<select[^>]*id="category".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option[^>]*value="([^"]*)"', select)
    assert options == [""] + [slug for slug, _ in banks.list_categories(web_database, town.bank.slug)]
    assert ">Not sure</option>" in select
    # The list is read by every member: the hint must never invite a home address (review 10).
    assert "Don&#39;t put your home address here" in html or "Don't put your home address here" in html
    assert "Your address" not in html and "street-address" not in html
    assert re.search(r'name="idempotency_key" type="hidden" value="[^"]{20,}"', html)


def test_a_member_closes_their_own_request_but_not_another_members(ann, town, web_database):
    mine = requests_offers.ask_for_help(web_database, town.bank.slug, member_id=town.ann.member_id, what="Mine")
    bobs = requests_offers.ask_for_help(web_database, town.bank.slug, member_id=town.bob.member_id, what="Bob's")
    token = fields_of(ann, "/member/requests")["csrf_token"]
    assert ann.post(f"/member/requests/{mine.id}/close", data={"csrf_token": token}).status_code == 302
    assert requests_offers.get_request(web_database, town.bank.slug, mine.id).status == "closed"
    assert ann.post(f"/member/requests/{bobs.id}/close", data={"csrf_token": token}).status_code == 403
    assert requests_offers.get_request(web_database, town.bank.slug, bobs.id).status == "open"


# ---------------------------------------------------------------- offering and browsing


def test_offering_a_skill_shows_it_and_it_can_be_withdrawn(ann, town, web_database):
    category = banks.list_categories(web_database, town.bank.slug)[0][0]
    text = unique("Walking Rex the spaniel")
    before = requests_offers.member_offers(web_database, town.bank.slug, town.ann.member_id)
    assert submit(ann, "/member/offer", {"category": category, "description": text}).status_code == 302
    [new] = new_ids(before, requests_offers.member_offers(web_database, town.bank.slug, town.ann.member_id))
    assert text in ann.get("/member/offer").text
    token = fields_of(ann, "/member/offer")["csrf_token"]
    assert ann.post(f"/member/offers/{new}/withdraw", data={"csrf_token": token}).status_code == 302
    offers = {o.id: o for o in requests_offers.member_offers(web_database, town.bank.slug, town.ann.member_id)}
    assert offers[new].category == category and not offers[new].active
    assert text not in ann.get("/member/offer").text


def test_a_member_cannot_withdraw_another_members_offer(ann, town, web_database):
    offer = requests_offers.offer_skill(web_database, town.bank.slug, member_id=town.bob.member_id, description="Bob's")
    token = fields_of(ann, "/member/offer")["csrf_token"]
    assert ann.post(f"/member/offers/{offer.id}/withdraw", data={"csrf_token": token}).status_code == 403
    assert requests_offers.member_offers(web_database, town.bank.slug, town.bob.member_id)[0].active


def test_an_empty_offer_is_refused_and_writes_nothing(ann, town, web_database):
    before = written(web_database, town)
    assert_refused(submit(ann, "/member/offer", {"description": ""}), "Say what you can offer", "description")
    assert written(web_database, town) == before


def test_an_offer_sent_twice_with_one_key_is_recorded_once(ann, town, web_database):
    before = requests_offers.member_offers(web_database, town.bank.slug, town.ann.member_id)
    fields = fields_of(ann, "/member/offer")
    for _ in range(2):
        assert ann.post("/member/offer", data={**fields, "description": "Ironing"}).status_code == 302
    after = requests_offers.member_offers(web_database, town.bank.slug, town.ann.member_id)
    assert len(new_ids(before, after)) == 1


def test_browse_shows_others_offers_and_requests_filtered_by_category_and_area(ann, town, web_database):
    slug = town.bank.slug
    (first, _), (second, _) = banks.list_categories(web_database, slug)[:2]
    area = unique("Portobello")
    far = members.add_member(web_database, slug, "Flo", area=area)
    bakes, knits, lift, sings = (unique(t) for t in ("Bob bakes", "Flo knits", "Flo needs a lift", "Ann sings"))
    requests_offers.offer_skill(web_database, slug, member_id=town.bob.member_id, description=bakes, category=first)
    requests_offers.offer_skill(web_database, slug, member_id=far.id, description=knits, category=second)
    requests_offers.ask_for_help(web_database, slug, member_id=far.id, what=lift, category=second)
    requests_offers.offer_skill(web_database, slug, member_id=town.ann.member_id, description=sings, category=first)
    everything = ann.get("/member/browse").text
    assert all(t in everything for t in (bakes, knits, lift))
    assert sings not in everything  # my own offers are on my offer page, not here
    by_category = ann.get(f"/member/browse?category={first}").text
    assert bakes in by_category and knits not in by_category and lift not in by_category
    by_area = ann.get("/member/browse", query_string={"area": area}).text
    assert knits in by_area and lift in by_area and bakes not in by_area
    assert f'<option selected value="{area}">' in by_area


def test_i_can_help_records_an_answer_the_asker_sees(ann, bob, town, web_database):
    what, note = unique("Shopping on Friday"), unique("Saturday suits me")
    request = requests_offers.ask_for_help(web_database, town.bank.slug, member_id=town.ann.member_id, what=what)
    token = fields_of(bob, "/member/browse")["csrf_token"]
    response = bob.post(f"/member/requests/{request.id}/answer",
                        data={"csrf_token": token, f"answer-{request.id}-message": note})
    assert response.status_code == 302 and response.location.endswith("/member/browse")
    answered = requests_offers.get_request(web_database, town.bank.slug, request.id)
    assert [a.member_name for a in answered.answers] == ["Bob"]
    assert note in ann.get("/member/requests").text
    card = re.search(rf"<li>\s*<p>{what}</p>.*?</li>", ann.get("/member/").text, re.S).group(0)
    assert "Bob" in card
    browse = bob.get("/member/browse").text
    assert "You have said you can help" in browse[browse.index(what):]


def test_a_too_long_answer_is_refused_beside_its_field_and_writes_nothing(bob, town, web_database):
    request = requests_offers.ask_for_help(web_database, town.bank.slug, member_id=town.ann.member_id, what="Shopping")
    token = fields_of(bob, "/member/browse")["csrf_token"]
    response = bob.post(f"/member/requests/{request.id}/answer",
                        data={"csrf_token": token, f"answer-{request.id}-message": "x" * 1001})
    assert_refused(response, "1000 characters", f"answer-{request.id}-message")
    assert "x" * 1001 in response.text
    assert requests_offers.get_request(web_database, town.bank.slug, request.id).answers == ()


def test_a_member_cannot_answer_their_own_request(ann, town, web_database):
    request = requests_offers.ask_for_help(web_database, town.bank.slug, member_id=town.ann.member_id, what="Shopping")
    assert f"/member/requests/{request.id}/answer" not in ann.get("/member/browse").text
    token = fields_of(ann, "/member/browse")["csrf_token"]
    assert ann.post(f"/member/requests/{request.id}/answer", data={"csrf_token": token}).status_code == 403
    assert requests_offers.get_request(web_database, town.bank.slug, request.id).answers == ()


# ---------------------------------------------------------------- logging an exchange


@pytest.mark.parametrize("changes, fragment, field_id", [
    ({"hours": "0"}, "more than zero", "hours"),
    ({"hours": "abc"}, "is not a number of hours", "hours"),
    ({"hours": "0.001"}, "not a whole number of minutes", "hours"),
    ({"hours": "25"}, "at most 24 hours", "hours"),
    ({"hours": ""}, "Enter how long it took", "hours"),
    ({"day": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "in the future", "day"),
    ({"day": "yesterday"}, "is not a day", "day"),
    ({"other_member": "ME"}, "cannot give hours to themself", "other_member"),
    ({"other_member": ""}, "Choose the other member", "other_member"),
    ({"direction": "sideways"}, "Say whether you gave the help or received it", "direction"),
])
def test_a_wrong_exchange_is_refused_beside_its_field_keeps_the_input_and_writes_nothing(
        ann, town, web_database, changes, fragment, field_id):
    if changes.get("other_member") == "ME":
        changes = {"other_member": str(town.ann.member_id)}
    before = written(web_database, town)
    response = submit(ann, "/member/log", log_data(town, description="Painted the fence", **changes))
    assert_refused(response, fragment, field_id)
    assert "Painted the fence</textarea>" in response.text
    if changes.get("hours"):
        assert f'value="{changes["hours"]}"' in response.text
    if changes.get("day"):
        assert f'value="{changes["day"]}"' in response.text
    assert written(web_database, town) == before


def test_a_member_of_another_bank_cannot_be_the_other_member(ann, town, web_database):
    before = written(web_database, town)
    response = submit(ann, "/member/log", log_data(town, other_member=str(town.other_member.member_id)))
    assert_refused(response, "Choose a member from the list", "other_member")
    assert written(web_database, town) == before


@pytest.mark.parametrize("status", ["closed", "suspended"])
def test_a_closed_or_suspended_member_cannot_be_the_other_member_and_their_name_is_not_shown(
        signed_in, world, web_database, status):
    members.set_member_status(web_database, world.bank.slug, world.dot_member_id, status)
    client = signed_in(world.ann)
    response = submit(client, "/member/log", log_data(world, other_member=str(world.dot_member_id)))
    assert_refused(response, "Choose a member from the list", "other_member")
    assert "Dot" not in response.text and f"is {status}" not in response.text


def test_the_other_member_list_has_the_banks_active_members_but_not_me(signed_in, world, web_database):
    members.set_member_status(web_database, world.bank.slug, world.dot_member_id, "suspended")
    html = signed_in(world.ann).get("/member/log").text
    select = re.search(r'<select[^>]*id="other_member".*?</select>', html, re.S).group(0)
    assert re.findall(r'value="(\d+)"', select) == [str(world.bob.member_id)]
    assert f'value="{dt.date.today().isoformat()}"' in html and 'type="date"' in html


def test_an_exchange_sent_twice_with_one_key_is_recorded_once(ann, town, web_database):
    before = ledger.list_exchanges(web_database, town.bank.slug)
    fields = fields_of(ann, "/member/log")
    responses = [ann.post("/member/log", data={**fields, **log_data(town)}) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert len(new_ids(before, ledger.list_exchanges(web_database, town.bank.slug))) == 1


def test_reusing_a_key_for_other_details_is_refused_and_gives_a_fresh_key(ann, town, web_database):
    before = ledger.list_exchanges(web_database, town.bank.slug)
    fields = fields_of(ann, "/member/log")
    assert ann.post("/member/log", data={**fields, **log_data(town)}).status_code == 302
    response = ann.post("/member/log", data={**fields, **log_data(town, hours="2")})
    assert response.status_code == 400 and "already sent with other details" in response.text
    assert KEY_INPUT.search(response.text).group(1) != fields["idempotency_key"]
    assert len(new_ids(before, ledger.list_exchanges(web_database, town.bank.slug))) == 1


def test_ann_logs_an_exchange_bob_confirms_it_and_both_balances_change(ann, bob, town, web_database):
    description = unique("Fixed a shelf")
    start = {p.name: balance_of(web_database, town, p) for p in (town.ann, town.bob)}
    pending = ledger.list_exchanges(web_database, town.bank.slug, state="pending")
    assert submit(ann, "/member/log", log_data(town, description=description)).status_code == 302
    home = ann.get("/member/").text
    assert "waits for Bob" in home and description in home[home.index("Waiting for the other member"):]
    assert balance_of(web_database, town, town.ann) == start["Ann"]
    [exchange_id] = new_ids(pending, ledger.list_exchanges(web_database, town.bank.slug, state="pending"))
    bobs_home = bob.get("/member/").text
    assert description in bobs_home and f"/member/exchanges/{exchange_id}/confirm" in bobs_home
    confirmed = bob.post(f"/member/exchanges/{exchange_id}/confirm", data={"csrf_token": csrf_from(bobs_home)})
    assert confirmed.status_code == 302 and confirmed.location.endswith("/member/")
    assert balance_of(web_database, town, town.ann) == start["Ann"] + 90
    assert balance_of(web_database, town, town.bob) == start["Bob"] - 90
    assert "both balances have changed" in bob.get("/member/").text
    assert description in ann.get("/member/statement").text


def test_bob_declines_and_no_balance_changes(bob, town, web_database):
    exchange = propose(web_database, town, by=town.ann, to=town.bob)
    before = ledger.account_balances(web_database, town.bank.slug)
    token = csrf_from(bob.get("/member/").text)
    assert bob.post(f"/member/exchanges/{exchange.id}/decline", data={"csrf_token": token}).status_code == 302
    assert ledger.get_exchange(web_database, town.bank.slug, exchange.id).state == "declined"
    assert ledger.account_balances(web_database, town.bank.slug) == before
    assert "No balance has changed" in bob.get("/member/").text


@pytest.mark.parametrize("action", ["confirm", "decline"])
def test_ann_cannot_settle_the_exchange_she_logged(ann, town, web_database, action):
    exchange = propose(web_database, town, by=town.ann, to=town.bob)
    home = ann.get("/member/").text
    assert f"/member/exchanges/{exchange.id}/{action}" not in home
    response = ann.post(f"/member/exchanges/{exchange.id}/{action}", data={"csrf_token": csrf_from(home)})
    assert response.status_code == 403
    assert ledger.get_exchange(web_database, town.bank.slug, exchange.id).state == "pending"


@pytest.mark.parametrize("action", ["confirm", "decline"])
def test_a_member_cannot_settle_an_exchange_of_another_bank(ann, town, web_database, action):
    slug, otto = town.other_bank.slug, town.other_member
    partner = members.add_member(web_database, slug, "Pat")
    exchange = ledger.propose_exchange(web_database, slug, member_id=otto.member_id, provider_id=otto.member_id,
                                       receiver_id=partner.id, minutes=30)
    token = csrf_from(ann.get("/member/").text)
    assert ann.post(f"/member/exchanges/{exchange.id}/{action}", data={"csrf_token": token}).status_code == 404
    assert ledger.get_exchange(web_database, slug, exchange.id).state == "pending"


def test_a_confirmation_refused_by_a_balance_limit_is_told_and_writes_nothing(signed_in, world, web_database):
    # Bob would receive an hour he cannot pay for once the bank's floor is zero.
    exchange = propose(web_database, world, by=world.ann, to=world.bob, minutes=60)
    banks.set_bank_limits(web_database, world.bank.slug, floor_minutes=0, ceiling_minutes=6000)
    bob = signed_in(world.bob)
    before = written(web_database, world)
    response = bob.post(f"/member/exchanges/{exchange.id}/confirm",
                        data={"csrf_token": csrf_from(bob.get("/member/").text)})
    assert response.status_code == 302 and response.location.endswith("/member/")
    home = bob.get("/member/").text
    assert "Nothing was changed. You cannot owe hours in this time bank. Please ask your coordinator." in home
    assert "would go below the lowest balance allowed" not in home  # the coordinator's words, not Bob's
    assert written(web_database, world) == before


def test_without_confirmation_an_exchange_counts_at_once_and_the_flash_says_so(signed_in, world, web_database):
    banks.set_confirmation_mode(web_database, world.bank.slug, need_confirmation=False)
    ann = signed_in(world.ann)
    assert "It counts at once." in ann.get("/member/log").text
    assert submit(ann, "/member/log", log_data(world, hours="1:30")).status_code == 302
    assert "does not ask the other member to confirm" in ann.get("/member/").text
    assert balance_of(web_database, world, world.ann) == 90
    assert balance_of(web_database, world, world.bob) == -90


def test_a_balance_limit_refuses_an_exchange_beside_the_hours(signed_in, world, web_database):
    banks.set_confirmation_mode(web_database, world.bank.slug, need_confirmation=False)
    banks.set_bank_limits(web_database, world.bank.slug, floor_minutes=0, ceiling_minutes=6000)
    before = written(web_database, world)
    response = submit(signed_in(world.ann), "/member/log", log_data(world, direction="received"))
    # In the member's own words, not the coordinator's figures (members' problem 5).
    assert_refused(response, "You cannot owe hours in this time bank. Please ask your coordinator.", "hours")
    assert "would go below the lowest balance allowed" not in response.text
    assert written(web_database, world) == before


def test_a_member_over_their_own_floor_is_told_in_their_words(signed_in, world, web_database):
    banks.set_confirmation_mode(web_database, world.bank.slug, need_confirmation=False)
    banks.set_bank_limits(web_database, world.bank.slug, floor_minutes=-300, ceiling_minutes=6000)
    before = written(web_database, world)
    response = submit(signed_in(world.ann), "/member/log", log_data(world, direction="received", hours="6"))
    assert_refused(response, "You can owe at most 5 hours. Please ask your coordinator.", "hours")
    assert written(web_database, world) == before


# ---------------------------------------------------------------- escaping


def assert_escaped(html: str, where: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html, f"{where}: {payload} shown raw"
        assert str(escape(payload)) in html, f"{where}: {payload} not shown at all"


def test_user_text_is_shown_escaped_everywhere_it_appears(ann, bob, town, web_database):
    text = " ".join(PAYLOADS)
    requests_before = requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id)
    pending_before = ledger.list_exchanges(web_database, town.bank.slug, state="pending")
    assert submit(ann, "/member/ask", {"what": text, "when_text": text, "where_text": text,
                                       "helper_notes": text}).status_code == 302
    assert submit(ann, "/member/offer", {"description": text}).status_code == 302
    assert submit(ann, "/member/log", log_data(town, description=text)).status_code == 302
    assert_escaped(bob.get("/member/browse").text, "Bob's browse page, with the request's form")
    [request_id] = new_ids(requests_before,
                           requests_offers.member_requests(web_database, town.bank.slug, town.ann.member_id))
    token = csrf_from(bob.get("/member/browse").text)
    assert bob.post(f"/member/requests/{request_id}/answer",
                    data={"csrf_token": token, f"answer-{request_id}-message": text}).status_code == 302
    assert_escaped(ann.get("/member/").text, "Ann's home")
    assert_escaped(ann.get("/member/requests").text, "Ann's requests, with Bob's answer")
    assert_escaped(ann.get("/member/offer").text, "Ann's offers")
    assert_escaped(bob.get("/member/browse").text, "Bob's browse page, answered")
    bobs_home = bob.get("/member/").text
    assert_escaped(bobs_home, "Bob's home, where the exchange waits")
    [exchange_id] = new_ids(pending_before, ledger.list_exchanges(web_database, town.bank.slug, state="pending"))
    bob.post(f"/member/exchanges/{exchange_id}/confirm", data={"csrf_token": csrf_from(bobs_home)})
    assert_escaped(ann.get("/member/statement").text, "Ann's statement")
    # A refused form shows the text it keeps, escaped too.
    assert_escaped(submit(ann, "/member/log", log_data(town, hours="0", description=text)).text,
                   "the refused log form")
    assert_escaped(submit(ann, "/member/ask", {"what": "", "where_text": text}).text, "the refused ask form")


# ---------------------------------------------------------------- only my own data


def test_no_member_page_takes_a_member_id(member_app):
    arguments = {a for rule in member_app.url_map.iter_rules() if rule.endpoint.startswith("member.")
                 for a in rule.arguments}
    # An answer is named by its own number, looked up within its request, never a member.
    assert arguments == {"exchange_id", "request_id", "offer_id", "answer_id"}


def test_a_member_sees_only_their_own_statement_and_exchanges(ann, town, web_database):
    theirs, mine = unique("Bob visited Dot"), unique("Ann read to Dot")
    ledger.log_exchange(web_database, town.bank.slug, provider_id=town.bob.member_id,
                        receiver_id=town.dot_member_id, minutes=60, recorded_by="test", description=theirs)
    ledger.log_exchange(web_database, town.bank.slug, provider_id=town.ann.member_id,
                        receiver_id=town.dot_member_id, minutes=30, recorded_by="test", description=mine)
    for url in ("/member/statement", f"/member/statement?member_id={town.bob.member_id}", "/member/"):
        assert theirs not in ann.get(url).text, url
    assert mine in ann.get(f"/member/statement?member_id={town.bob.member_id}").text


def test_a_member_logging_the_same_exchange_again_is_asked_first(signed_in, world, web_database):
    """B1 for members: Back and send again (a new key) writes nothing until they say so."""
    ann = signed_in(world.ann)
    data = {k: v for k, v in log_data(world, hours="45m").items() if k != "again"}
    assert submit(ann, "/member/log", data).status_code == 302
    before = written(web_database, world)
    asked = submit(ann, "/member/log", data)
    assert_refused(asked, "An exchange with the same people, day and hours was recorded", "again")
    assert written(web_database, world) == before
    assert submit(ann, "/member/log", {**data, "again": "y"}).status_code == 302
    assert len(ledger.list_exchanges(web_database, world.bank.slug)) == 2


def test_the_same_request_asked_again_is_asked_about_first(signed_in, world, web_database):
    """B1: Ask for help, Back, send again: one request unless the member says so."""
    ann = signed_in(world.ann)
    data = {"what": "A lift to the optician on Friday", "category": "", "when_text": "", "where_text": "",
            "helper_notes": ""}
    assert submit(ann, "/member/ask", data).status_code == 302
    before = written(web_database, world)
    asked = submit(ann, "/member/ask", {**data, "what": "a lift to the optician on  Friday."})
    assert_refused(asked, "A request with the same words was recorded", "again")
    assert written(web_database, world) == before
    assert submit(ann, "/member/ask", {**data, "again": "y"}).status_code == 302
    mine = requests_offers.member_requests(web_database, world.bank.slug, world.ann.member_id)
    assert len(mine) == 2


def test_the_same_offer_made_again_is_asked_about_first(signed_in, world, web_database):
    ann = signed_in(world.ann)
    data = {"description": "I can walk a dog", "category": ""}
    assert submit(ann, "/member/offer", data).status_code == 302
    before = written(web_database, world)
    assert_refused(submit(ann, "/member/offer", data), "An offer with the same words was recorded", "again")
    assert written(web_database, world) == before


def test_declining_is_a_second_step_and_the_member_who_logged_it_sees_why(ann, bob, town, web_database):
    """Members' problems 6 and 7: no one-tap decline; a decline is not silent."""
    exchange = propose(web_database, town, by=town.ann, to=town.bob, description=unique("Walked the dog"))
    home = bob.get("/member/").text
    url = f"/member/exchanges/{exchange.id}/decline"
    assert f'href="{url}"' in home  # a link to the question, not a button that acts
    page = bob.get(url)
    assert page.status_code == 200 and "Decline this exchange?" in page.text
    assert ledger.get_exchange(web_database, town.bank.slug, exchange.id).state == "pending"
    done = bob.post(url, data={"csrf_token": csrf_from(page.text), "reason": "It was 30 minutes, not an hour"})
    assert done.status_code == 302
    declined = ledger.get_exchange(web_database, town.bank.slug, exchange.id)
    assert declined.state == "declined" and declined.decline_reason == "It was 30 minutes, not an hour"
    anns_home = ann.get("/member/").text
    section = anns_home[anns_home.index("<h2>Declined</h2>"):]
    assert re.search(r"Declined by Bob on \d+ \w+ \d{4}: It was 30 minutes, not an hour", section), section
