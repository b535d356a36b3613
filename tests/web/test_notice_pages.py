"""The notices' pages: a member's "Messages we send you" and the signed link in each email;
the coordinator's Messages list (paged, send again) and the letters and "told" for members
without email on "Who to call"."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from tests.web.conftest import csrf_from
from timebank.db.models import Member, Notice
from timebank.domain import notices as rules
from timebank.services import ledger, notices

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _turned_off(database, world, person):
    return notices.turned_off(database, world.bank.slug, person.member_id)


def test_a_member_unticks_a_kind_of_message_and_cannot_untick_the_reset_link(signed_in, world, web_database):
    client = signed_in(world.ann)
    page = client.get("/member/messages")
    assert page.status_code == 200 and "<h1>Messages we send you</h1>" in page.text
    assert 'value="password_reset" checked disabled' in page.text

    kept = [k for k in rules.KINDS if k not in ("request_answered", "password_reset")]
    response = client.post("/member/messages", data={"csrf_token": csrf_from(page.text), "kind": kept})
    assert response.status_code == 302
    assert _turned_off(web_database, world, world.ann) == {"request_answered"}
    assert 'value="request_answered">' in client.get("/member/messages").text  # now unticked


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
