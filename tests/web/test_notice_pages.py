"""The notices' pages: a member's "Messages we send you" and the signed link in each email;
the coordinator's Messages list (paged, send again) and the letters and "told" for members
without email on "Who to call"."""
from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from tests.web.conftest import csrf_from
from timebank.db.models import Member, Notice
from timebank.domain import notices as rules
from timebank.services import helping, ledger, notices, requests_offers

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _turned_off(database, world, person):
    return notices.turned_off(database, world.bank.slug, person.member_id)


def test_a_member_unticks_a_kind_of_message_and_cannot_untick_the_reset_link(signed_in, world, web_database):
    client = signed_in(world.ann)
    page = client.get("/member/messages")
    assert page.status_code == 200 and "<h1>Messages we send you</h1>" in page.text
    assert 'value="password_reset" checked disabled' in page.text
    for staff in ("follow_up_due", "safeguarding_expiring"):  # staff kinds are not offered to a member
        assert f'value="{staff}"' not in page.text and rules.KINDS[staff].label not in page.text

    kept = [k for k in rules.MEMBER_KINDS if k not in ("request_answered", "password_reset")]
    response = client.post("/member/messages", data={"csrf_token": csrf_from(page.text), "kind": kept})
    assert response.status_code == 302
    assert _turned_off(web_database, world, world.ann) == {"request_answered"}
    assert 'value="request_answered">' in client.get("/member/messages").text  # now unticked

    refused = client.post("/member/messages", data={"csrf_token": csrf_from(page.text),
                                                    "kind": [*kept, "follow_up_due"]}, follow_redirects=True)
    assert "Nothing was changed" in refused.text
    assert _turned_off(web_database, world, world.ann) == {"request_answered"}


def test_the_link_in_an_email_stops_that_kind_in_one_click_signed_out(app, world, web_database):
    token = rules.unsubscribe_token(b"test-secret", world.bob.member_id, "exchange_waiting")
    client = app.test_client()  # not signed in: the signed link is the proof
    asked = client.get(f"/messages/stop/{token}")
    assert asked.status_code == 200 and "An exchange waits for you to confirm it" in asked.text
    assert _turned_off(web_database, world, world.bob) == set()  # a GET changes nothing

    # A mail program's one-click unsubscribe (RFC 8058) posts, without a form token.
    done = client.post(f"/messages/stop/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more of these messages" in done.text
    assert _turned_off(web_database, world, world.bob) == {"exchange_waiting"}

    forged = rules.unsubscribe_token(b"another key", world.ann.member_id, "exchange_waiting")
    assert client.post(f"/messages/stop/{forged}").status_code == 400
    assert _turned_off(web_database, world, world.ann) == set()

    payload = f"{world.ann.member_id}.follow_up_due"  # signed by us, but a staff kind
    staff = f"{payload}.{rules._signature(b'test-secret', payload)}"
    assert client.get(f"/messages/stop/{staff}").status_code == 400
    assert client.post(f"/messages/stop/{staff}").status_code == 400
    assert _turned_off(web_database, world, world.ann) == set()


def _given_up(database, world, count):
    with database.session() as session, session.begin():
        ann = session.get(Member, world.ann.member_id)
        for number in range(count):
            notice = notices.write(session, kind="welcome", recipient=ann, key=f"welcome.page.{number}",
                                   facts={"bank_name": "Leith", "name": "Ann", "has_sign_in": True})
            notice.state, notice.attempts, notice.last_error = "given_up", 8, "550 5.1.1 No such mailbox"
    with database.session(readonly=True) as session:
        return session.scalars(sa.select(Notice.id).where(Notice.member_id == world.ann.member_id)
                               .order_by(Notice.id.desc())).all()


def test_the_coordinator_lists_messages_by_page_and_sends_a_given_up_one_again(signed_in, world, web_database):
    ids = _given_up(web_database, world, notices.PAGE_SIZE + 3)
    client = signed_in(world.coordinator)

    page = client.get("/coordinator/messages?state=given_up")
    assert page.status_code == 200 and "550 5.1.1 No such mailbox" in page.text
    assert page.text.count("Send again<span") == notices.PAGE_SIZE and "Page 1 of 2" in page.text
    assert client.get("/coordinator/messages?state=given_up&page=2").text.count("Send again<span") == 3
    assert client.get("/coordinator/messages?page=abc&state=nonsense").status_code == 200

    response = client.post(f"/coordinator/messages/{ids[0]}/send-again", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    with web_database.session(readonly=True) as session:
        again = session.get(Notice, ids[0])
        assert (again.state, again.attempts) == ("waiting", 0)
    # Another bank's coordinator sees none of them and cannot send one again.
    other = signed_in(world.other_coordinator)
    assert "No such mailbox" not in other.get("/coordinator/messages").text
    other_page = other.get("/coordinator/messages")
    assert other.post(f"/coordinator/messages/{ids[1]}/send-again",
                      data={"csrf_token": csrf_from(other_page.text)}).status_code == 404


def test_news_for_a_member_without_email_is_a_letter_on_who_to_call_until_told(signed_in, world, web_database):
    ledger.propose_exchange(web_database, world.bank.slug, member_id=world.ann.member_id,
                            provider_id=world.ann.member_id, receiver_id=world.dot_member_id, minutes=45,
                            given_on=YESTERDAY, description="Shopping")
    client = signed_in(world.coordinator)
    calls = client.get("/coordinator/calls")
    assert 'id="to-tell"' in calls.text and "Ann logged 45 minutes: please confirm" in calls.text
    with web_database.session(readonly=True) as session:
        notice_id = session.scalar(sa.select(Notice.id).where(Notice.member_id == world.dot_member_id))

    letter = client.get(f"/coordinator/messages/{notice_id}/letter")
    assert letter.status_code == 200 and "Dear Dot," in letter.text and "Shopping" in letter.text

    told = client.post(f"/coordinator/messages/{notice_id}/told", data={"csrf_token": csrf_from(calls.text)})
    assert told.status_code == 302
    assert "Ann logged 45 minutes" not in client.get("/coordinator/calls").text
    assert client.get(f"/coordinator/messages/{notice_id}/letter").status_code == 404


# ---------------------------------------------------------------- asking from an offer, resets


def _form_fields(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.text
    fields = {"csrf_token": csrf_from(page.text)}
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page.text)
    return {**fields, "idempotency_key": key.group(1)} if key else fields


def _kinds_for(database, member_id):
    with database.session(readonly=True) as session:
        return [(n.kind, n.facts.get("said_yes")) for n in session.scalars(
            sa.select(Notice).where(Notice.member_id == member_id).order_by(Notice.id))]


def test_asking_from_an_offer_on_the_pages_tells_the_one_asked_and_their_no_tells_the_asker(
        signed_in, world, web_database):
    offer = requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.bob.member_id,
                                        description="Cakes for birthdays")
    ann, bob = signed_in(world.ann), signed_in(world.bob)
    url = f"/member/offers/{offer.id}/ask"
    assert ann.post(url, data={**_form_fields(ann, url), "what": "A cake for Saturday"}).status_code == 302
    assert _kinds_for(web_database, world.bob.member_id) == [("asked_to_help", None)]

    [asked] = [a.request for a in helping.my_answers(web_database, world.bank.slug, world.bob.member_id)]
    url = f"/member/answers/{asked.id}/decline"
    assert bob.post(url, data=_form_fields(bob, url)).status_code == 302
    assert _kinds_for(web_database, world.ann.member_id) == [("ask_answered", False)]


def test_the_new_kinds_are_on_messages_we_send_you_and_can_be_turned_off(signed_in, world, web_database):
    client = signed_in(world.bob)
    page = client.get("/member/messages")
    for kind in ("asked_to_help", "ask_answered"):
        assert rules.KINDS[kind].label in page.text and f'value="{kind}" checked>' in page.text
    kept = [k for k in rules.MEMBER_KINDS if k != "asked_to_help"]
    client.post("/member/messages", data={"csrf_token": csrf_from(page.text), "kind": kept})
    assert _turned_off(web_database, world, world.bob) == {"asked_to_help"}

    offer = requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.bob.member_id,
                                        description="Dog walks")
    helping.ask_this_person(web_database, world.bank.slug, offer.id, member_id=world.ann.member_id, what="A walk")
    assert _kinds_for(web_database, world.bob.member_id) == []  # turned off: not written


def test_a_member_cannot_say_yes_to_a_request_on_the_list_and_become_its_helper(signed_in, world, web_database):
    public = requests_offers.ask_for_help(web_database, world.bank.slug, member_id=world.ann.member_id,
                                          what="Help with a shelf")
    bob = signed_in(world.bob)
    refused = bob.post(f"/member/answers/{public.id}/accept", data=_form_fields(bob, "/member/answers"),
                       follow_redirects=True)
    assert "Only the member asked directly can say yes" in refused.text
    assert helping.request_detail(web_database, world.bank.slug, public.id, viewer_id=None).chosen is None


def test_the_coordinator_is_told_the_reset_link_also_goes_to_the_members_email(signed_in, world, web_database):
    coordinator = signed_in(world.coordinator)
    url = f"/coordinator/members/{world.ann.member_id}"
    shown = coordinator.post(f"{url}/reset-link", data={"csrf_token": csrf_from(coordinator.get(url).text)})
    assert shown.status_code == 200 and f"by email, to {world.ann.email}" in shown.text
    with web_database.session(readonly=True) as session:
        [reset] = session.scalars(sa.select(Notice).where(Notice.member_id == world.ann.member_id,
                                                          Notice.kind == "password_reset")).all()
    assert f"/reset/{reset.facts['token']}" in shown.text


def test_a_coordinator_asking_a_member_without_email_for_another_puts_a_letter_on_who_to_call(
        signed_in, world, web_database):
    offer = requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.dot_member_id,
                                        description="Knitting lessons")
    client = signed_in(world.coordinator)
    url = f"/coordinator/offers/{offer.id}/ask"
    asked = client.post(url, data={**_form_fields(client, url), "member": world.ann.member_id,
                                   "what": "Knitting on Thursday"})
    assert asked.status_code == 302
    calls = client.get("/coordinator/calls").text
    assert "Ann asks if you can help" in calls
    with web_database.session(readonly=True) as session:
        notice_id = session.scalar(sa.select(Notice.id).where(Notice.member_id == world.dot_member_id,
                                                              Notice.kind == "asked_to_help"))
    letter = client.get(f"/coordinator/messages/{notice_id}/letter").text
    assert "Dear Dot," in letter and "Knitting on Thursday" in letter
    assert "Please tell your coordinator yes or no" in letter  # Dot has no sign-in: no page to say it on


# ---------------------------------------------------------------- what a member was sent


def test_a_member_reads_their_latest_messages_above_their_choices_and_never_a_reset_token(
        signed_in, world, web_database):
    for number in range(notices.LATEST_FOR_MEMBER + 2):
        ledger.propose_exchange(web_database, world.bank.slug, member_id=world.bob.member_id,
                                provider_id=world.bob.member_id, receiver_id=world.ann.member_id,
                                minutes=30 + number, given_on=YESTERDAY, description=f"Job {number}")
    coordinator = signed_in(world.coordinator)
    url = f"/coordinator/members/{world.ann.member_id}"
    coordinator.post(f"{url}/reset-link", data={"csrf_token": csrf_from(coordinator.get(url).text)})
    with web_database.session(readonly=True) as session:
        token = session.scalar(sa.select(Notice.facts).where(Notice.member_id == world.ann.member_id,
                                                             Notice.kind == "password_reset"))["token"]

    page = signed_in(world.ann).get("/member/messages").text
    latest = page[page.index('id="sent"'):page.index('id="choose"')]
    assert "A link to choose a new password" in latest and token not in page
    assert "Bob logged 51 minutes: please confirm" in latest  # the newest exchange
    assert "Bob logged 30 minutes" not in latest  # beyond the latest 20
    assert latest.count("<tr>") == 1 + notices.LATEST_FOR_MEMBER and "Waiting to be sent" in latest
    assert page.index('id="sent"') < page.index('name="kind"')  # the choices stay below
    assert "Bob logged" not in signed_in(world.bob).get("/member/messages").text  # only their own


def test_the_coordinators_messages_say_whether_the_member_asked_said_yes_or_no(signed_in, world, web_database):
    offer = requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.bob.member_id,
                                        description="Cakes for birthdays")
    asked = helping.ask_this_person(web_database, world.bank.slug, offer.id, member_id=world.ann.member_id,
                                    what="A cake")
    helping.decline_asked(web_database, world.bank.slug, asked.id, answerer_id=world.bob.member_id,
                          acting_member_id=world.bob.member_id)
    page = signed_in(world.coordinator).get("/coordinator/messages").text
    assert "Bob cannot help this time" in page and "Ann asks if you can help" in page
