"""A session that timed out keeps what was typed and says why sign-in is asked again
(review, members' problem 2): after signing in again, the same person finds the form
filled in, unsent; anyone else finds nothing."""
from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import update

from tests.web.conftest import PASSWORD, csrf_from
from timebank.db.models import SignInSession, utcnow
from timebank.services import requests_offers

TEXT = "A lift to the optician on Friday, please: Siobhán's Zoë can't drive me"
SIGNED_OUT = ("You were signed out after 30 minutes without activity. "
              "Sign in again and your words will be waiting.")


def _sign_in(client, person, next_path=""):
    page = client.get("/sign-in" + (f"?next={next_path}" if next_path else ""))
    return client.post("/sign-in" + (f"?next={next_path}" if next_path else ""), data={
        "email": person.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)})


def _idle_for(database, minutes: int) -> None:
    with database.session() as session:
        session.execute(update(SignInSession).where(SignInSession.ended_at.is_(None))
                        .values(last_seen_at=utcnow() - dt.timedelta(minutes=minutes)))
        session.commit()


def _send_ask_after_the_timeout(client, world, database):
    assert _sign_in(client, world.ann).status_code == 302
    form = client.get("/member/ask").text
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form).group(1)
    _idle_for(database, 31)
    return client.post("/member/ask", data={
        "csrf_token": csrf_from(form), "idempotency_key": key, "what": TEXT,
        "when_text": "Friday morning", "category": ""})


def test_a_form_sent_after_the_timeout_waits_for_its_owner_to_sign_in_again(client, world, web_database):
    response = _send_ask_after_the_timeout(client, world, web_database)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=/member/ask")
    assert requests_offers.member_requests(web_database, world.bank.slug, world.ann.member_id) == []
    sign_in_page = client.get(response.headers["Location"]).text
    assert SIGNED_OUT in html.unescape(sign_in_page)

    signed_in = _sign_in(client, world.ann, "/member/ask")
    assert signed_in.headers["Location"] == "/member/ask"
    page = html.unescape(client.get("/member/ask").text)
    assert TEXT in page and 'value="Friday morning"' in page
    assert "What you typed is below: check it, then send it." in page
    # Shown, never sent on its own: nothing recorded until the member sends it.
    assert requests_offers.member_requests(web_database, world.bank.slug, world.ann.member_id) == []
    # Given back once: the next visit shows an empty form.
    assert TEXT not in html.unescape(client.get("/member/ask").text)


def test_someone_else_signing_in_on_the_same_computer_gets_nothing(client, world, web_database):
    _send_ask_after_the_timeout(client, world, web_database)
    _sign_in(client, world.bob, "/member/ask")
    assert TEXT not in html.unescape(client.get("/member/ask").text)
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/member/").text)})
    _sign_in(client, world.ann, "/member/ask")
    assert TEXT not in html.unescape(client.get("/member/ask").text)


def test_a_page_asked_for_after_the_timeout_says_why_sign_in_is_asked_again(client, world, web_database):
    assert _sign_in(client, world.ann).status_code == 302
    _idle_for(web_database, 31)
    response = client.get("/member/statement")
    assert response.headers["Location"].startswith("/sign-in?next=/member/statement")
    page = html.unescape(client.get(response.headers["Location"]).text)
    assert "You were signed out after 30 minutes without activity. Please sign in again." in page
    # Said once: a later page is a plain sign-in.
    client.get("/member/")
    assert "without activity" not in client.get("/sign-in").text


def test_a_password_is_never_kept(client, world, web_database):
    assert _sign_in(client, world.ann).status_code == 302
    form = client.get("/password").text
    _idle_for(web_database, 31)
    client.post("/password", data={"csrf_token": csrf_from(form), "current": PASSWORD,
                                   "password": "a new long password", "confirm": "a new long password"})
    _sign_in(client, world.ann, "/password")
    assert PASSWORD not in client.get("/password").text
    assert "a new long password" not in client.get("/password").text
