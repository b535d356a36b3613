"""The second factor in the web app, as deployments run it (staff must set one up):
half signed in, every page but the code page and signing out redirects there."""
import re
import time

import pyotp
import pytest

from tests.web.conftest import PASSWORD, csrf_from, sign_in

SECRET_KEY = "test-secret"


@pytest.fixture
def app(web_database, tmp_path):
    from timebank.web import create_app
    from timebank.web.extensions import limiter

    app = create_app({"DATABASE": web_database, "SECRET_KEY": SECRET_KEY, "TESTING": True,
                      "SERVER_NAME": "localhost", "SIGN_IN_LIMIT_PER_ACCOUNT": "4 per minute"})
    assert app.config["STAFF_SECOND_FACTOR_REQUIRED"] is True  # the default
    app.instance_path = str(tmp_path)
    limiter.reset()
    return app


def enrol(database, person) -> tuple[str, int]:
    """The person's factor, set up as at their first sign-in; its secret and the step used."""
    from timebank.services import auth, second_factor

    token = auth.start_session(database, person.user_id)
    secret = second_factor.begin_enrolment(database, person.user_id, sealing_key=SECRET_KEY).secret
    step = int(time.time() // 30)
    second_factor.confirm_enrolment(database, person.user_id, token, pyotp.TOTP(secret).at(step * 30),
                                    sealing_key=SECRET_KEY, at=step * 30 + 1)
    auth.end_session(database, token)
    return secret, step


def post_code(client, code, path="/sign-in/code"):
    page = client.get(path)
    return client.post(path, data={"code": code, "csrf_token": csrf_from(page.text)})


def _urls(app):
    """Every page of the app, with made-up ids (the redirect comes before any lookup)."""
    for rule in app.url_map.iter_rules():
        values = {name: 1 if isinstance(rule._converters[name].to_python("1"), int) else "x"
                  for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


@pytest.mark.parametrize("who", ["coordinator", "social_worker", "ann"])
def test_half_signed_in_every_page_but_the_code_page_and_sign_out_redirects_to_the_code_page(
        app, web_database, world, who):
    person = getattr(world, who)
    enrol(web_database, person)
    client = app.test_client()
    sign_in(client, person)
    token = csrf_from(client.get("/sign-in/code").text)
    checked = 0
    for endpoint, method, url in _urls(app):
        if endpoint in ("auth.second_factor_code", "auth.sign_out", "static"):
            continue
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.location.startswith("/sign-in/code"), (endpoint, method, response.location)
        checked += 1
    assert checked > 100
    assert client.get("/sign-in/code").status_code == 200
    assert client.post("/sign-out", data={"csrf_token": token}).location.endswith("/sign-in")


def test_staff_without_a_factor_are_sent_to_set_one_up_and_then_get_in(app, world):
    client = app.test_client()
    sign_in(client, world.social_worker)
    response = client.get("/social/")
    assert response.status_code == 302 and response.location.startswith("/second-factor")
    page = client.get("/second-factor")
    assert page.status_code == 200
    assert "<svg" in page.text and "<title>QR code" in page.text
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page.text).group(1)
    wrong = post_code(client, "12345", "/second-factor")
    assert wrong.status_code == 400 and 'id="code-error"' in wrong.text
    done = post_code(client, pyotp.TOTP(secret).now(), "/second-factor")
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.text)
    assert len(codes) == 10
    assert client.get("/social/").status_code == 200
    # Shown once: the page now only says the factor is on.
    again = client.get("/second-factor")
    assert "10 recovery codes left" in again.text and codes[0] not in again.text


def test_the_right_code_signs_in_fully_the_same_code_again_does_not(app, web_database, world):
    secret, step = enrol(web_database, world.coordinator)
    client = app.test_client()
    sign_in(client, world.coordinator)
    code = pyotp.TOTP(secret).at((step + 1) * 30)
    response = post_code(client, code)
    assert response.status_code == 302
    assert client.get("/coordinator/").status_code == 200
    other = app.test_client()
    sign_in(other, world.coordinator)
    replay = post_code(other, code)
    assert replay.status_code == 400 and "already used" in replay.text
    assert other.get("/coordinator/").status_code == 302


def test_wrong_codes_count_against_the_same_limit_as_wrong_passwords(app, web_database, world):
    secret, step = enrol(web_database, world.coordinator)
    client = app.test_client()
    # Two wrong passwords, then wrong codes: the fifth refusal is over the 4 per minute.
    for _ in range(2):
        page = client.get("/sign-in")
        assert client.post("/sign-in", data={"email": world.coordinator.email, "password": "not it",
                                             "csrf_token": csrf_from(page.text)}).status_code == 400
    sign_in(client, world.coordinator)
    assert post_code(client, "000001").status_code == 400
    assert post_code(client, "000002").status_code == 400
    assert post_code(client, pyotp.TOTP(secret).at((step + 1) * 30)).status_code == 429


def test_a_coordinator_resets_staff_of_their_bank_from_the_staff_page(app, web_database, world, signed_in):
    from timebank.services import second_factor

    enrol(web_database, world.social_worker)
    secret, step = enrol(web_database, world.coordinator)
    cora = app.test_client()
    sign_in(cora, world.coordinator)
    assert post_code(cora, pyotp.TOTP(secret).at((step + 1) * 30)).status_code == 302
    page = cora.get("/coordinator/staff")
    assert page.status_code == 200 and "Reset Sam's second factor" in page.text
    assert "Reset Cora" not in page.text
    token = csrf_from(page.text)
    other = world.other_coordinator
    assert cora.post(f"/coordinator/staff/{other.user_id}/reset-second-factor",
                     data={"csrf_token": token}).status_code == 404
    assert cora.post(f"/coordinator/staff/{world.ann.user_id}/reset-second-factor",
                     data={"csrf_token": token}).status_code == 403
    assert second_factor.has_factor(web_database, world.social_worker.user_id)
    done = cora.post(f"/coordinator/staff/{world.social_worker.user_id}/reset-second-factor",
                     data={"csrf_token": token})
    assert done.status_code == 302
    assert not second_factor.has_factor(web_database, world.social_worker.user_id)


def test_a_member_may_turn_it_on_and_is_then_asked_for_codes(app, world):
    client = app.test_client()
    sign_in(client, world.ann)
    assert client.get("/member/").status_code == 200  # members are not made to
    page = client.get("/second-factor")
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page.text).group(1)
    assert post_code(client, pyotp.TOTP(secret).now(), "/second-factor").status_code == 200
    fresh = app.test_client()
    page = fresh.get("/sign-in")
    fresh.post("/sign-in", data={"email": world.ann.email, "password": PASSWORD,
                                 "csrf_token": csrf_from(page.text)})
    assert fresh.get("/member/").location.startswith("/sign-in/code")
