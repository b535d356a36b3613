"""The pages of a request's journey: choosing, contacts, logging the hours from the
request, and their refusals (another member's request, a withdrawn answer) that write
nothing; the coordinator's list and acting for Dot, who has no sign-in."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.web.conftest import csrf_from, sign_in
from timebank.services import helping, ledger, requests_offers

KEY_INPUT = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def _client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def _form(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.text
    fields = {"csrf_token": csrf_from(page.text)}
    key = KEY_INPUT.search(page.text)
    if key:
        fields["idempotency_key"] = key.group(1)
    return fields


@pytest.fixture
def journey(web_database, world):
    """Ann asks; Bob and Dot (no sign-in, answered for by the coordinator) can help."""
    slug = world.bank.slug
    helping.set_contact_sharing(web_database, slug, world.bob.member_id, share_phone=False, share_email=True)
    helping.set_contact_sharing(web_database, slug, world.ann.member_id, share_phone=False, share_email=True)
    asked = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Shopping on Friday")
    requests_offers.answer_request(web_database, slug, asked.id, member_id=world.bob.member_id, message="Friday ok")
    helping.answer_for(web_database, slug, asked.id, answerer_id=world.dot_member_id)
    detail = helping.request_detail(web_database, slug, asked.id, viewer_id=None)
    return detail, {a.member_id: a.id for a in detail.answers}


def _statuses(database, world, request_id):
    return {a.member_id: a.status for a in
            helping.request_detail(database, world.bank.slug, request_id, viewer_id=None).answers}


def test_the_asker_chooses_and_both_see_each_others_email(app, world, web_database, journey):
    detail, answers = journey
    ann, bob = _client(app, world.ann), _client(app, world.bob)
    page = ann.get("/member/requests").text
    assert "Choose Bob" in page and "Choose Dot" in page and world.bob.email not in page

    chosen = ann.post(f"/member/requests/{detail.id}/choose/{answers[world.bob.member_id]}",
                      data=_form(ann, "/member/requests"), follow_redirects=True)

    assert chosen.status_code == 200 and "You chose Bob" in chosen.text
    assert world.bob.email in chosen.text and "Log the hours" in chosen.text
    assert world.ann.email in bob.get("/member/answers").text
    assert _statuses(web_database, world, detail.id) == {world.bob.member_id: "chosen", world.dot_member_id: "thanked"}


def test_choosing_on_someone_elses_request_is_refused_and_writes_nothing(app, world, web_database, journey):
    detail, answers = journey
    bob = _client(app, world.bob)
    response = bob.post(f"/member/requests/{detail.id}/choose/{answers[world.bob.member_id]}",
                        data=_form(bob, "/member/requests"))
    assert response.status_code in (403, 404)
    assert _statuses(web_database, world, detail.id) == {world.bob.member_id: "waiting",
                                                         world.dot_member_id: "waiting"}


def test_choosing_a_withdrawn_answer_is_refused_clearly_and_writes_nothing(app, world, web_database, journey):
    detail, answers = journey
    ann, bob = _client(app, world.ann), _client(app, world.bob)
    withdrawn = bob.post(f"/member/answers/{detail.id}/withdraw",
                         data=_form(bob, f"/member/answers/{detail.id}/withdraw"))
    assert withdrawn.status_code == 302

    response = ann.post(f"/member/requests/{detail.id}/choose/{answers[world.bob.member_id]}",
                        data=_form(ann, "/member/requests"))

    assert response.status_code == 409
    assert "Nothing was changed" in response.text and "withdrawn" in response.text
    assert _statuses(web_database, world, detail.id) == {world.bob.member_id: "withdrawn",
                                                         world.dot_member_id: "waiting"}


def test_withdrawing_asks_first(app, world, web_database, journey):
    detail, _ = journey
    bob = _client(app, world.bob)
    page = bob.get(f"/member/answers/{detail.id}/withdraw")
    assert page.status_code == 200 and "Yes, withdraw my answer" in page.text and "No, go back" in page.text
    assert _statuses(web_database, world, detail.id)[world.bob.member_id] == "waiting"
    close = _client(app, world.ann).get(f"/member/requests/{detail.id}/close")
    assert "Yes, close it" in close.text
    assert helping.request_detail(web_database, world.bank.slug, detail.id, viewer_id=None).status == "open"


def test_the_hours_are_logged_from_the_request_once(app, world, web_database, journey):
    detail, answers = journey
    helping.choose_helper(web_database, world.bank.slug, detail.id, answers[world.bob.member_id],
                          member_id=world.ann.member_id)
    ann = _client(app, world.ann)
    url = f"/member/requests/{detail.id}/hours"
    form = {**_form(ann, url), "hours": "1.5", "day": YESTERDAY}
    first = ann.post(url, data=form)
    assert first.status_code == 302
    again = ann.post(url, data=form)  # Back, then send again
    assert again.status_code == 400 and "already logged" in again.text
    logged = [e for e in ledger.list_exchanges(web_database, world.bank.slug)
              if e.description == "Shopping on Friday"]
    assert [(e.provider_member_id, e.receiver_member_id, e.amount_minutes) for e in logged] == [
        (world.bob.member_id, world.ann.member_id, 90)]


def test_a_bad_number_of_hours_is_refused_beside_the_field(app, world, web_database, journey):
    detail, answers = journey
    helping.choose_helper(web_database, world.bank.slug, detail.id, answers[world.bob.member_id], member_id=None)
    ann = _client(app, world.ann)
    url = f"/member/requests/{detail.id}/hours"
    response = ann.post(url, data={**_form(ann, url), "hours": "lots", "day": YESTERDAY})
    assert response.status_code == 400 and 'id="hours-error"' in response.text
    assert helping.request_detail(web_database, world.bank.slug, detail.id, viewer_id=None).exchange_id is None


def test_answering_a_member_without_sign_in_promises_nothing_they_cannot_do(app, world, web_database):
    """B17: Dot has no sign-in, so the coordinator passes the answer on."""
    slug = world.bank.slug
    dots = requests_offers.ask_for_help(web_database, slug, member_id=world.dot_member_id, what="A lift")
    bob = _client(app, world.bob)
    response = bob.post(f"/member/requests/{dots.id}/answer", data={"csrf_token": _form(bob, "/member/browse")[
        "csrf_token"]}, follow_redirects=True)
    assert "Dot has no sign-in: the coordinator will pass this on" in response.text
    assert "can now see that you can help" not in response.text
    listed = _client(app, world.coordinator).get("/coordinator/requests").text
    assert "Answered, waiting for Dot to choose" in listed and "Dot has no sign-in" in listed


def test_the_coordinator_chooses_and_logs_for_dot(app, world, web_database):
    slug = world.bank.slug
    cora = _client(app, world.coordinator)
    made = cora.post("/coordinator/requests/new", data={
        **_form(cora, "/coordinator/requests/new"), "member": world.dot_member_id, "what": "Curtains up"})
    assert made.status_code == 302
    request_id = int(made.location.rstrip("/").rsplit("/", 1)[1])
    answered = cora.post(f"/coordinator/requests/{request_id}/answer", data={
        "csrf_token": _form(cora, f"/coordinator/requests/{request_id}")["csrf_token"],
        "member": world.bob.member_id})
    assert answered.status_code == 302
    [answer] = helping.request_detail(web_database, slug, request_id, viewer_id=None).answers
    chosen = cora.post(f"/coordinator/requests/{request_id}/choose/{answer.id}",
                       data=_form(cora, f"/coordinator/requests/{request_id}"), follow_redirects=True)
    assert "Bob is chosen to help Dot" in chosen.text and "Please tell Dot" in chosen.text
    url = f"/coordinator/requests/{request_id}/hours"
    logged = cora.post(url, data={**_form(cora, url), "hours": "2", "day": YESTERDAY})
    assert logged.status_code == 302
    done = helping.request_detail(web_database, slug, request_id, viewer_id=None)
    assert done.stage.code == "done"
    assert ledger.get_exchange(web_database, slug, done.exchange_id).state == "posted"


def test_ask_this_person_and_their_answer(app, world, web_database):
    slug = world.bank.slug
    offer = requests_offers.offer_skill(web_database, slug, member_id=world.bob.member_id, description="Baking")
    helping.set_contact_sharing(web_database, slug, world.bob.member_id, share_phone=False, share_email=True)
    ann, bob = _client(app, world.ann), _client(app, world.bob)
    assert f"/member/offers/{offer.id}/ask" in ann.get("/member/browse").text
    url = f"/member/offers/{offer.id}/ask"
    asked = ann.post(url, data={**_form(ann, url), "what": "A birthday cake"})
    assert asked.status_code == 302
    assert "Ann" in bob.get("/member/").text and "Yes, I can help" in bob.get("/member/answers").text
    [request] = [a.request for a in helping.my_answers(web_database, slug, world.bob.member_id)
                 if a.request.what == "A birthday cake"]
    accepted = bob.post(f"/member/answers/{request.id}/accept", data=_form(bob, "/member/answers"),
                        follow_redirects=True)
    assert "Ann can now see how to reach you" in accepted.text
    chosen = helping.request_detail(web_database, slug, request.id, viewer_id=None).chosen
    assert chosen.member_id == world.bob.member_id


def test_a_member_chooses_what_to_share(app, world, web_database):
    ann = _client(app, world.ann)
    page = ann.get("/member/contact")
    assert "How others can reach you" in page.text
    saved = ann.post("/member/contact", data={"csrf_token": csrf_from(page.text), "share_email": "y"})
    assert saved.status_code == 302
    sharing = helping.contact_sharing(web_database, world.bank.slug, world.ann.member_id)
    assert (sharing.share_phone, sharing.share_email) == (False, True)


def test_take_on_records_what_the_new_member_agrees_to_share(app, world, web_database):
    cora = _client(app, world.coordinator)
    form = _form(cora, "/coordinator/members/new")
    made = cora.post("/coordinator/members/new", data={
        **form, "name": "Elsie Grey", "kind": "person", "phone": "0131 496 0777", "share_phone": "y"})
    assert made.status_code == 302, made.text
    member_id = int(made.location.rstrip("/").rsplit("/", 1)[1])
    sharing = helping.contact_sharing(web_database, world.bank.slug, member_id)
    assert (sharing.share_phone, sharing.share_email) == (True, False)
    page = cora.get(f"/coordinator/members/{member_id}/contact")
    assert page.status_code == 200 and "0131 496 0777" in page.text
