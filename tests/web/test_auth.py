"""Signing in and out: sessions end on the server, attempts are limited, passwords strong."""
import datetime as dt

import pytest
import sqlalchemy as sa

from tests.web.conftest import PASSWORD, csrf_from, sign_in
from timebank.services import auth, members


def test_sign_in_takes_a_member_to_their_page(client, world):
    sign_in(client, world.ann)
    assert client.get("/").location.endswith("/member/")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, world):
    page = client.get("/sign-in")
    response = client.post("/sign-in", data={"email": world.ann.email, "password": "wrong one!",
                                             "csrf_token": csrf_from(page.text)})
    assert response.status_code == 400
    assert "The email address or password is not right." in response.text
    assert 'class="error-summary"' in response.text and world.ann.email in response.text
    summary = response.text[response.text.index('class="error-summary"'):response.text.index("</ul>")]
    assert summary.count("The email address or password is not right.") == 1  # B16: said once


def test_sign_in_without_a_csrf_token_is_refused(client, world):
    response = client.post("/sign-in", data={"email": world.ann.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/member/").status_code == 302


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, client, world):
    sign_in(client, world.ann)
    assert client.get("/member/").status_code == 200
    copied = client.get_cookie("session").value
    client.post("/sign-out", data={"csrf_token": csrf_from(client.get("/member/").text)})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/member/")
    assert response.status_code == 302 and "/sign-in" in response.location


def test_disabling_a_user_ends_their_sessions(client, world, web_database):
    sign_in(client, world.ann)
    assert client.get("/member/").status_code == 200
    auth.set_user_active(web_database, world.bank.slug, world.ann.user_id, False)
    assert client.get("/member/").status_code == 302


def test_suspending_a_member_ends_their_sessions(client, world, web_database):
    sign_in(client, world.ann)
    members.set_member_status(web_database, world.bank.slug, world.ann.member_id, "suspended")
    assert client.get("/member/").status_code == 302


def test_an_idle_session_ends(client, world, web_database):
    from timebank.db.models import SignInSession

    sign_in(client, world.ann)
    with web_database.engine.begin() as connection:
        connection.execute(sa.update(SignInSession).where(SignInSession.user_id == world.ann.user_id)
                           .values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)))
    assert client.get("/member/").status_code == 302


def test_sign_in_attempts_are_limited_per_account(app, world):
    app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    client = app.test_client()
    token = csrf_from(client.get("/sign-in").text)
    codes = [client.post("/sign-in", data={"email": world.bob.email, "password": "wrong guess",
                                           "csrf_token": token}).status_code for _ in range(5)]
    assert codes == [400, 400, 400, 429, 429]
    # Even the right password is refused while the account is limited.
    assert client.post("/sign-in", data={"email": world.bob.email, "password": PASSWORD,
                                         "csrf_token": token}).status_code == 429


def test_sign_in_attempts_are_limited_per_address(app, world):
    app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    client = app.test_client()
    token = csrf_from(client.get("/sign-in").text)
    codes = [client.post("/sign-in", data={"email": f"nobody{i}@example.org", "password": "x" * 9,
                                           "csrf_token": token}).status_code for i in range(6)]
    assert codes[:4] == [400] * 4 and codes[4:] == [429, 429]


@pytest.mark.parametrize("password", ["short", "password123", "12345678", "aaaaaaaaaa"])
def test_weak_passwords_are_refused(world, web_database, password):
    from timebank.domain.errors import WeakPassword

    with pytest.raises(WeakPassword):
        auth.create_user(web_database, world.bank.slug, email="new@example.org", name="New",
                         password=password, role="coordinator")


def test_passwords_are_stored_as_argon2id_hashes(world, web_database):
    from timebank.db.models import User

    with web_database.session(readonly=True) as session:
        stored = session.scalar(sa.select(User.password_hash).where(User.id == world.ann.user_id))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_reset_token_works_once_and_ends_other_sessions(app, client, world, web_database):
    sign_in(client, world.ann)
    token = auth.issue_reset_link(web_database, world.bank.slug, issued_by=world.coordinator.user_id,
                                  user_id=world.ann.user_id).token
    other = app.test_client()
    page = other.get(f"/reset/{token}")
    response = other.post(f"/reset/{token}", data={"password": "a brand new secret", "confirm": "a brand new secret",
                                                   "csrf_token": csrf_from(page.text)})
    assert response.status_code == 302
    assert client.get("/member/").status_code == 302  # the old session ended
    dead = other.get(f"/reset/{token}")  # B24: said at once, no form to fill in for nothing
    assert dead.status_code == 404 and "This reset link does not work" in dead.text
    assert 'name="password"' not in dead.text
    again = other.post(f"/reset/{token}", data={"password": "another new secret", "confirm": "another new secret",
                                                "csrf_token": csrf_from(other.get("/sign-in").text)})
    assert again.status_code == 400 and "expired or was already used" in again.text
    assert auth.authenticate(web_database, world.ann.email, "a brand new secret").id == world.ann.user_id


def test_sign_in_never_redirects_to_another_site(client, world):
    page = client.get("/sign-in?next=https://evil.example/")
    response = client.post("/sign-in?next=https://evil.example/", data={
        "email": world.ann.email, "password": PASSWORD, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 302 and "evil" not in response.location


def _stored_hash(database, email):
    from timebank.db.models import User

    with database.session(readonly=True) as session:
        return session.scalar(sa.select(User.password_hash).where(User.email == email))


@pytest.mark.parametrize("hashing, parameters", [("standard", "m=65536,t=3,p=4"), ("fast", "m=8,t=1,p=1")])
def test_the_hashing_cost_is_the_databases_own(database_factory, hashing, parameters):
    """argon2-cffi's defaults unless the Database was made for tests; nothing read at import."""
    from timebank.db.engine import Database
    from timebank.db.migrate import upgrade
    from timebank.services import banks

    database = Database(database_factory.url("sqlite"), password_hashing=hashing)
    upgrade(database)
    bank = banks.create_bank(database, "hashing", "Hashing")
    auth.create_user(database, bank.slug, email="h@example.org", name="H", password=PASSWORD, role="coordinator")
    assert f"$argon2id$v=19${parameters}$" in _stored_hash(database, "h@example.org")
    assert auth.authenticate(database, "h@example.org", PASSWORD).email == "h@example.org"
    database.dispose()


def test_create_app_makes_its_database_with_the_hashing_asked_for(web_database, tmp_path):
    from timebank.web import create_app

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    made = create_app({"DATABASE_URL": url, "SECRET_KEY": "x", "PASSWORD_HASHING": "fast"})
    assert made.extensions["timebank_database"].password_hashing == "fast"
    assert create_app({"DATABASE_URL": url, "SECRET_KEY": "x"}).extensions["timebank_database"].password_hashing \
        == "standard"
    given = create_app({"DATABASE": web_database, "SECRET_KEY": "x"})
    assert given.config["PASSWORD_HASHING"] == web_database.password_hashing == "fast"
    with pytest.raises(ValueError, match="PASSWORD_HASHING"):
        create_app({"DATABASE": web_database, "SECRET_KEY": "x", "PASSWORD_HASHING": "standard"})
