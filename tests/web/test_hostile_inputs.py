"""The security review's hostile inputs (M-4, L-8, L-9): each gets a clear 400 or 404.

Run on SQLite and PostgreSQL, because the two fail differently: PostgreSQL cannot store
a NUL byte and its integers are 32 bits; SQLite's are 64.
"""
from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest

from tests.web.conftest import PASSWORD, sign_in

BIG = "99999999999999999999"  # over 2**63: SQLite's OverflowError
PG_BIG = str(2**31)  # over PostgreSQL's int4
TODAY = dt.date.today().isoformat()


@pytest.fixture
def web_database(database):
    """Both databases, not only the web tests' SQLite one."""
    return database


@pytest.fixture
def app(web_database, tmp_path):
    from timebank.web import create_app
    from timebank.web.extensions import limiter

    app = create_app({"DATABASE": web_database, "SECRET_KEY": "test-secret", "TESTING": True,
                      "SERVER_NAME": "localhost", "WTF_CSRF_ENABLED": False,
                      "STAFF_SECOND_FACTOR_REQUIRED": False})
    app.instance_path = str(tmp_path)
    limiter.reset()
    return app


def _key():
    return {"idempotency_key": uuid.uuid4().hex}


def _csv(text: str):
    return {**_key(), "file": (io.BytesIO(text.encode()), "exchanges.csv")}


def _hostile_inputs():
    """(who, method, path, form) as the review sent them; `{ann}` and `{bob}` are member ids."""
    nul = "a\x00b"
    inputs = [
        # M-4: NUL in every kind of text field, signed in or not
        ("coordinator", "POST", "/coordinator/members/new", {**_key(), "name": nul, "kind": "person"}),
        ("coordinator", "POST", "/coordinator/log", {**_key(), "provider": "{ann}", "receiver": "{bob}",
                                                     "hours": "1", "day": TODAY, "what": nul}),
        ("coordinator", "POST", "/coordinator/categories", {**_key(), "name": "Gardening", "description": nul}),
        ("coordinator", "POST", "/coordinator/members/{ann}/grant", {**_key(), "hours": "1", "reason": nul}),
        ("coordinator", "POST", "/coordinator/log/upload",
         _csv(f"provider,receiver,hours,day,what\n{{ann}},{{bob}},1,{TODAY},{nul}\n")),
        ("member", "POST", "/member/ask", {**_key(), "what": nul}),
        ("member", "POST", "/member/offer", {**_key(), "description": nul}),
        ("member", "POST", "/member/log", {**_key(), "other_member": "{bob}", "direction": "gave",
                                           "hours": "1", "day": TODAY, "description": nul}),
        ("social_worker", "POST", "/social/assessments/new", {**_key(), "person_name": nul}),
        (None, "POST", "/sign-in", {"email": "a\x00@b.org", "password": "x"}),
        (None, "POST", "/forgot-password", {"email": "a\x00@b.org"}),
        ("member", "GET", "/member/browse?category=a%00b", None),
        ("coordinator", "GET", "/coordinator/members?status=a%00b", None),
        ("coordinator", "GET", "/coordinator/log?day=a%00b&category=a%00b", None),
        ("coordinator", "GET", "/coordinator/reports/network.csv?table=a%00b", None),
        # L-8: ids too big for either database
        *[(who, method, path.replace("<id>", big), _key() if method == "POST" else None)
          for big in (BIG, PG_BIG) for who, method, path in [
              ("coordinator", "GET", "/coordinator/members/<id>"),
              ("coordinator", "POST", "/coordinator/members/<id>/grant"),
              ("coordinator", "POST", "/coordinator/exchanges/<id>/reverse"),
              ("coordinator", "POST", "/coordinator/pending/<id>"),
              ("coordinator", "GET", "/coordinator/pending/<id>/decline"),
              ("member", "GET", "/member/exchanges/<id>/decline"),
              ("member", "POST", "/member/exchanges/<id>/confirm"),
              ("member", "POST", "/member/requests/<id>/answer"),
              ("member", "POST", "/member/requests/<id>/close"),
              ("member", "POST", "/member/offers/<id>/withdraw"),
              ("social_worker", "GET", "/social/assessments/<id>"),
              ("social_worker", "GET", "/social/matches/<id>"),
              ("social_worker", "POST", "/social/matches/<id>/proposals/<id>/accept"),
          ]],
        # L-8: limits no database can hold
        *[("coordinator", "POST", "/coordinator/settings", {"floor": "10", "ceiling": big, "confirmation": "yes"})
          for big in (BIG, "40000000")],
        *[("coordinator", "POST", "/coordinator/members/{ann}/limits", {"floor": big, "ceiling": big})
          for big in (BIG, "40000000")],
        # L-8: report periods at the ends of the calendar
        *[("coordinator", "GET", f"/coordinator/reports/{page}?start={start}&end={end}", None)
          for page in ("activity", "activity.svg", "activity.csv", "funders.csv")
          for start, end in (("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-31"))],
        # L-8 and L-9: CSV files that do not mean what they look like
        ("coordinator", "POST", "/coordinator/log/upload", _csv("provider,receiver,hours\n²,{bob},1\n")),
        ("coordinator", "POST", "/coordinator/log/upload",
         _csv("provider,receiver,hours,what\n{ann},{bob},1," + "x" * 140_000 + "\n")),
        ("coordinator", "POST", "/coordinator/log/upload", _csv("provider,receiver,hours\r{ann},{bob},1\r")),
        ("coordinator", "POST", "/coordinator/log/upload",
         _csv(f"provider,receiver,hours,day,what\n{{ann}},{{bob}},0.25,{TODAY},\"open quote\n{{ann}},{{bob}},1\n")),
        ("coordinator", "POST", "/coordinator/log/upload",
         _csv("provider,provider,receiver,hours\n{ann},{ann},{bob},1\n")),
        *[("coordinator", "POST", "/coordinator/log/upload",
           _csv(f"provider,receiver,hours\n{{ann}},{{bob}},{digit}\n"))
          # Arabic-Indic and full-width digits are hours people type (B25): only a script
          # whose digits an English reader misreads (Bengali ৪ is a 4) stays refused.
          for digit in ("৪", "²")],
        ("coordinator", "POST", "/coordinator/log/upload", _csv("provider,receiver,hours\n٣,{bob},1\n")),
        ("coordinator", "POST", "/coordinator/log", {**_key(), "provider": "{ann}", "receiver": "{bob}",
                                                     "hours": "৪", "day": TODAY}),
    ]
    return inputs


HOSTILE = _hostile_inputs()


@pytest.mark.parametrize("who, method, path, form", HOSTILE,
                         ids=[f"{i}-{m} {p[:60]}" for i, (_, m, p, _) in enumerate(HOSTILE)])
def test_the_reviews_hostile_inputs_get_no_server_error(app, world, who, method, path, form):
    client = app.test_client()
    if who is not None:
        sign_in(client, {"coordinator": world.coordinator, "member": world.ann,
                         "social_worker": world.social_worker}[who])
    ids = {"ann": world.ann.member_id, "bob": world.bob.member_id}
    path = path.format(**ids)
    if form is not None:
        form = {name: value.format(**ids) if isinstance(value, str) else value
                for name, value in form.items()}
        if "file" in form:
            body, filename = form["file"]
            form["file"] = (io.BytesIO(body.getvalue().decode().format(**ids).encode()), filename)
    response = client.open(path, method=method, data=form)
    assert response.status_code in (200, 302, 400, 404), response.status_code
    if response.status_code in (200, 302):  # only a page's filters may be ignored, nothing recorded
        assert method == "GET", response.headers.get("Location")


def test_a_network_chart_draws_a_name_with_dollar_signs_as_text(app, world):
    from timebank.services import members
    from timebank.services.ledger import exchanges

    database = app.config["DATABASE"]
    bits = members.add_member(database, world.bank.slug, r"Bits $\foo$ Ltd")
    exchanges.log_exchange(database, world.bank.slug, provider_id=bits.id, receiver_id=world.ann.member_id,
                           minutes=60, recorded_by="test")
    client = app.test_client()
    sign_in(client, world.coordinator)
    start = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    response = client.get(f"/coordinator/reports/network.svg?start={start}&end={TODAY}")
    assert response.status_code == 200
    assert "foo" in response.text  # drawn as the letters typed, not read as a maths symbol


def test_signing_in_goes_on_only_to_a_path_on_this_site_without_control_characters(app, world):
    client = app.test_client()
    response = client.post("/sign-in?next=/member/%0D%0ASet-Cookie:%20x=1",
                           data={"email": world.ann.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_every_form_refuses_control_characters_through_the_one_base_form():
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import timebank.web
    from timebank.web.forms import TimebankForm

    for module in pkgutil.walk_packages(timebank.web.__path__, "timebank.web."):
        importlib.import_module(module.name)

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)

    ours = [form for form in every(FlaskForm) if form.__module__.startswith("timebank.")]
    assert len(ours) > 20
    assert [form.__qualname__ for form in ours if not issubclass(form, TimebankForm)] == []


def test_a_nul_in_the_sign_in_address_is_refused_beside_the_field(app, world):
    response = app.test_client().post("/sign-in", data={"email": "a\x00@b.org", "password": "x"})
    assert response.status_code == 400
    assert "control character (U+0000)" in response.text


def test_a_failed_statement_never_writes_its_values_to_the_log(web_database):
    import sqlalchemy as sa

    with pytest.raises(sa.exc.DBAPIError) as caught, web_database.engine.connect() as connection:
        connection.execute(sa.text("SELECT * FROM no_such_table WHERE x = :words"),
                           {"words": "SENSITIVE: recovering from a stroke"})
    assert "SENSITIVE" not in str(caught.value)


def test_a_service_refuses_a_control_character_wherever_it_is_called_from(web_database, world):
    from timebank.domain.errors import InvalidInput
    from timebank.services import members

    with pytest.raises(InvalidInput, match="U\\+0000"):
        members.add_member(web_database, world.bank.slug, "Nul\x00 Name")
    assert "Nul\x00 Name" not in [m.name for m in members.list_members(web_database, world.bank.slug)]
