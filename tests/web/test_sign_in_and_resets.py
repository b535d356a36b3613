"""Reset links issued by a coordinator (never logged), sessions with an absolute
lifetime, sign-in limits that count failures only, and changing one's own password."""
import datetime as dt
import logging
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import PASSWORD, csrf_from, sign_in
from timebank.domain.errors import Forbidden, ResetTokenInvalid, SignInRefused, WeakPassword
from timebank.services import auth

NEW_PASSWORD = "a brand new secret"


def _use_link(app, token, password=NEW_PASSWORD):
    """Send a new password to the link, as its form would (a dead link shows no form: the
    token is then taken from the sign-in page, as a hand-made request could)."""
    client = app.test_client()
    page = client.get(f"/reset/{token}")
    if page.status_code == 404:
        assert "This reset link does not work" in page.text and 'name="password"' not in page.text
        page = client.get("/sign-in")
    return client.post(f"/reset/{token}", data={"password": password, "confirm": password,
                                                "csrf_token": csrf_from(page.text)})


# M-5: links are issued by a coordinator, for members of their own bank, and never logged


def test_a_coordinator_issues_a_one_time_reset_link_for_a_member_of_their_bank(app, world, web_database):
    link = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                 user_id=world.ann.user_id)
    assert link.path == f"/reset/{link.token}" and link.user.email == world.ann.email
    assert _use_link(app, link.token).status_code == 302
    assert _use_link(app, link.token, "another new secret").status_code == 400
    assert auth.authenticate(web_database, world.ann.email, NEW_PASSWORD).id == world.ann.user_id


@pytest.mark.parametrize("holder", ["social_worker", "other_coordinator_of_the_bank"])
def test_a_coordinator_cannot_issue_a_reset_link_for_a_staff_sign_in(world, web_database, holder):
    target = world.social_worker if holder == "social_worker" else world.coordinator
    with pytest.raises(Forbidden, match="timebank user reset"):
        auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                              user_id=target.user_id)


def test_a_coordinator_cannot_issue_a_reset_link_for_another_banks_member(world, web_database):
    from timebank.domain.errors import NotFound

    with pytest.raises(NotFound):
        auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                              user_id=world.other_member.user_id)
    with pytest.raises(NotFound):  # nor from the other bank's side, naming their own bank
        auth.issue_reset_link(web_database, world.other_bank.slug, issued_by=world.coordinator.user_id,
                              user_id=world.other_member.user_id)


@pytest.mark.parametrize("issuer", ["ann", "social_worker"])
def test_only_a_coordinator_issues_reset_links(world, web_database, issuer):
    with pytest.raises(Forbidden):
        auth.issue_reset_link(web_database, world.bank.slug, issued_by=getattr(world, issuer).user_id,
                              user_id=world.bob.user_id)


def test_no_reset_link_or_token_is_ever_written_to_a_log(app, client, world, web_database, caplog):
    with caplog.at_level(logging.DEBUG):
        page = client.get("/forgot-password")
        for email in (world.ann.email, world.social_worker.email, "nobody@example.org"):
            client.post("/forgot-password", data={"email": email, "csrf_token": csrf_from(page.text)})
        link = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                     user_id=world.ann.user_id)
        _use_link(app, link.token)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert link.token not in logged and "/reset/" not in logged


# L-12: forgot-password answers in the same words, doing the same work, for every address


class _CountingHasher:
    def __init__(self, real):
        self.real, self.calls = real, []

    def hash(self, password):
        self.calls.append("hash")
        return self.real.hash(password)

    def verify(self, password_hash, password):
        self.calls.append("verify")
        return self.real.verify(password_hash, password)


def test_forgot_password_answers_every_address_in_the_same_words_doing_the_same_work(
        app, world, web_database, monkeypatch):
    from timebank.services import members

    disabled = world.bob
    auth.set_user_active(web_database, world.bank.slug, disabled.user_id, False)
    without_sign_in = members.add_member(web_database, world.bank.slug, "Eve", email="eve@example.org").id
    assert auth.user_for_member(web_database, world.bank.slug, without_sign_in) is None
    addresses = [world.ann.email, world.social_worker.email, disabled.email, "eve@example.org",
                 "nobody@example.org"]
    hasher = _CountingHasher(auth._HASHERS[web_database.password_hashing])
    monkeypatch.setitem(auth._HASHERS, web_database.password_hashing, hasher)
    statements = []
    answers, work = [], []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    for email in addresses:
        client = app.test_client()
        token = csrf_from(client.get("/forgot-password").text)
        hasher.calls.clear()
        statements.clear()
        sa.event.listen(web_database.engine, "before_cursor_execute", listen)
        try:
            response = client.post("/forgot-password", data={"email": email, "csrf_token": token})
        finally:
            sa.event.remove(web_database.engine, "before_cursor_execute", listen)
        work.append((list(hasher.calls), list(statements)))
        answer = client.get(response.location)
        answers.append((response.status_code, re.sub(r'value="[^"]*"', "", answer.text)))
    assert all(answer == answers[0] for answer in answers), "the answer tells addresses apart"
    assert all(done == work[0] for done in work), "the work done tells addresses apart"
    assert "Ask your coordinator for a reset link" in answers[0][1]


# L-1: a newer link voids older ones; links last an hour; a reset ends every session


def test_a_newer_reset_link_voids_older_ones(app, world, web_database):
    issue = lambda: auth.issue_reset_link(web_database, world.bank.slug,  # noqa: E731
                                          issued_by=world.coordinator.user_id, user_id=world.ann.user_id)
    older, newer = issue(), issue()
    assert _use_link(app, older.token).status_code == 400
    assert _use_link(app, newer.token).status_code == 302


def test_a_reset_link_lasts_one_hour(app, world, web_database):
    from timebank.db.models import PasswordReset

    link = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                 user_id=world.ann.user_id)
    assert dt.timedelta(minutes=59) < link.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=1)
    with web_database.engine.begin() as connection:
        connection.execute(sa.update(PasswordReset).where(PasswordReset.user_id == world.ann.user_id)
                           .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    assert _use_link(app, link.token).status_code == 400


def test_a_reset_link_ends_every_session_of_the_account(app, world, web_database, signed_in):
    browsers = [signed_in(world.ann), signed_in(world.ann)]
    link = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                 user_id=world.ann.user_id)
    assert _use_link(app, link.token).status_code == 302
    assert [browser.get("/member/").status_code for browser in browsers] == [302, 302]


def test_a_reset_link_of_a_disabled_sign_in_does_not_work(world, web_database):
    link = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                 user_id=world.ann.user_id)
    auth.set_user_active(web_database, world.bank.slug, world.ann.user_id, False)
    with pytest.raises(ResetTokenInvalid):
        auth.reset_password(web_database, link.token, NEW_PASSWORD)


# L-2: a session has an absolute lifetime, and signing in gives a new session


def _age_sessions(database, person, hours):
    from timebank.db.models import SignInSession

    with database.engine.begin() as connection:
        connection.execute(sa.update(SignInSession).where(SignInSession.user_id == person.user_id)
                           .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)))


def test_a_session_ends_after_twelve_hours_however_active(client, world, web_database):
    sign_in(client, world.ann)
    _age_sessions(web_database, world.ann, 11.9)
    assert client.get("/member/").status_code == 200
    _age_sessions(web_database, world.ann, 12.1)
    assert client.get("/member/").status_code == 302


def test_the_absolute_session_lifetime_is_set_through_create_app(web_database, world):
    from timebank.web import create_app

    app = create_app({"DATABASE": web_database, "SECRET_KEY": "x", "TESTING": True,
                      "SESSION_MAX_HOURS": 2})
    client = app.test_client()
    sign_in(client, world.ann)
    _age_sessions(web_database, world.ann, 2.1)
    assert client.get("/member/").status_code == 302


def test_signing_in_gives_a_new_session_so_a_planted_cookie_stays_signed_out(app, world):
    victim = app.test_client()
    victim.get("/sign-in")
    planted = victim.get_cookie("session").value  # what an attacker could have set beforehand
    sign_in(victim, world.ann)
    assert victim.get_cookie("session").value != planted
    attacker = app.test_client()
    attacker.set_cookie("session", planted)
    assert attacker.get("/member/").status_code == 302


# L-3: only failures count, per account and address together


def _attempt(app, email, password, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_from(client.get("/sign-in").text)
    return client.post("/sign-in", data={"email": email, "password": password,
                                         "csrf_token": token}).status_code


def test_successful_sign_ins_do_not_count_towards_the_limit(app, world):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    assert [_attempt(app, world.ann.email, PASSWORD, "10.0.0.7") for _ in range(6)] == [302] * 6


def test_a_strangers_failures_from_one_address_do_not_lock_the_owner_out_from_another(app, world):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    stranger = [_attempt(app, world.ann.email, "a wrong guess", "10.0.0.66") for _ in range(5)]
    assert stranger[-1] == 429
    assert _attempt(app, world.ann.email, PASSWORD, "10.0.0.7") == 302


def test_failures_from_one_address_are_capped_across_accounts(app, world):
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    codes = [_attempt(app, f"nobody{i}@example.org", "x" * 9, "10.0.0.66") for i in range(6)]
    assert codes == [400] * 4 + [429] * 2
    assert _attempt(app, world.ann.email, PASSWORD, "10.0.0.7") == 302


def test_repeated_failures_wait_longer_and_longer(app, world):
    """The default limit has steps: a few guesses a minute, fewer an hour, fewer a day."""
    from timebank.web import create_app

    steps = create_app({"DATABASE": app.extensions["timebank_database"], "SECRET_KEY": "x"}).config[
        "SIGN_IN_LIMIT_PER_ACCOUNT"]
    assert [part.strip().split(" per ")[1] for part in steps.split(";")] == ["minute", "hour", "day"]


# L-14: stronger password rules, and changing one's own password


@pytest.mark.parametrize("password", ["monkey1234", "qwerty123456", "Password2024", "iloveyou2",
                                      "football12345"])
def test_passwords_from_breached_lists_are_refused(password):
    from timebank.domain.passwords import check_password_rules

    with pytest.raises(WeakPassword):
        check_password_rules(password)


def test_the_passwords_people_choose_in_sentences_pass():
    from timebank.domain.passwords import check_password_rules

    for password in (PASSWORD, NEW_PASSWORD, "purple kettle on the stair"):
        check_password_rules(password)


def _change(client, current, new, again=None):
    page = client.get("/password")
    assert page.status_code == 200
    return client.post("/password", data={"current": current, "password": new, "confirm": again or new,
                                          "csrf_token": csrf_from(page.text)})


@pytest.mark.parametrize("person", ["ann", "coordinator", "social_worker"])
def test_a_signed_in_user_changes_their_password_and_their_other_sessions_end(world, web_database, signed_in,
                                                                             person):
    person = getattr(world, person)
    here, elsewhere = signed_in(person), signed_in(person)
    response = _change(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert here.get("/").status_code == 302 and "/sign-in" not in here.get("/").location
    assert elsewhere.get("/").status_code == 302 and "/sign-in" in elsewhere.get("/").location
    assert auth.authenticate(web_database, person.email, NEW_PASSWORD).id == person.user_id
    with pytest.raises(SignInRefused):
        auth.authenticate(web_database, person.email, PASSWORD)


def test_changing_a_password_needs_the_current_one(world, web_database, signed_in):
    here = signed_in(world.ann)
    response = _change(here, "not my password", NEW_PASSWORD)
    assert response.status_code == 400 and "current password is not right" in response.text
    assert auth.authenticate(web_database, world.ann.email, PASSWORD).id == world.ann.user_id


def test_a_changed_password_follows_the_password_rules(world, signed_in):
    response = _change(signed_in(world.ann), PASSWORD, "password123")
    assert response.status_code == 400 and "first that people try" in response.text


# M-5: the coordinator's minimal page for a member's link (the full page comes later)


def test_a_coordinator_is_shown_a_members_reset_link_once_issued(app, world, signed_in):
    coordinator = signed_in(world.coordinator)
    token = csrf_from(coordinator.get(f"/coordinator/members/{world.ann.member_id}").text)
    response = coordinator.post(f"/coordinator/members/{world.ann.member_id}/reset-link",
                                data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    link = re.search(r"http://localhost/reset/([\w-]+)", response.text)
    assert link and "Ann" in response.text
    assert _use_link(app, link.group(1)).status_code == 302


@pytest.mark.parametrize("member", ["other_member", "dot_without_sign_in"])
def test_a_coordinator_gets_no_reset_link_for_a_member_without_a_sign_in_in_their_bank(world, signed_in, member):
    member_id = world.dot_member_id if member == "dot_without_sign_in" else world.other_member.member_id
    coordinator = signed_in(world.coordinator)
    token = csrf_from(coordinator.get("/coordinator/").text)
    response = coordinator.post(f"/coordinator/members/{member_id}/reset-link", data={"csrf_token": token})
    assert response.status_code == 404 and "/reset/" not in response.text


def test_a_long_password_is_judged_by_its_beginning_without_error():
    from timebank.domain.passwords import MAX_PASSWORD_LENGTH, check_password_rules

    check_password_rules(("purple kettle on the stair " * 10)[:MAX_PASSWORD_LENGTH])
    with pytest.raises(WeakPassword):
        check_password_rules("password" * 32)
