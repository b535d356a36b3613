"""The authorisation matrix, built from the application's own routes.

Every endpoint must have an entry in the policy table (deny by default). Every endpoint
is then tried, with each method it takes, as anonymous, member, coordinator and social
worker, on its own objects, another member's and another bank's: a refused role gets
403 (anonymous: a redirect to sign-in), another bank's object 404, and a refused request
writes nothing. Every response carries the security headers.
"""
from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import csrf_from, sign_in
from timebank.db.models import Base
from timebank.web.policy import POLICY

ROLES = ("anonymous", "member", "coordinator", "social_worker")
# A table's rows that change on a read (a session being touched) are not a write.
VOLATILE_COLUMNS = {"sign_in_sessions": {"last_seen_at"}}


def database_fingerprint(database) -> str:
    digest = hashlib.sha256()
    with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS.get(table.name, set())]
            for row in connection.execute(sa.select(*columns).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def matrix(database_factory):
    """A world of its own, so that fingerprints stay small and fast."""
    from tests.web.conftest import _person, user_view
    from timebank.services import auth, banks, ledger, requests_offers

    database = database_factory.migrated("sqlite")
    bank = banks.create_bank(database, "leith", "Leith Time Bank")
    other = banks.create_bank(database, "gorgie", "Gorgie Time Bank")
    people = {
        "coordinator": _person(database, bank, "coordinator", "Cora", member=False),
        "member": _person(database, bank, "member", "Ann"),
        "social_worker": _person(database, bank, "social_worker", "Sam", member=False),
    }
    bob = _person(database, bank, "member", "Bob")
    cat = _person(database, bank, "member", "Cat")
    otto = _person(database, other, "member", "Otto")
    olga = _person(database, other, "member", "Olga")
    ann = people["member"]

    def objects(owner, partner, slug):
        pending = ledger.propose_exchange(database, slug, member_id=partner.member_id,
                                          provider_id=partner.member_id, receiver_id=owner.member_id,
                                          minutes=30)
        request = requests_offers.ask_for_help(database, slug, member_id=owner.member_id, what="Shopping")
        offer = requests_offers.offer_skill(database, slug, member_id=owner.member_id, description="Baking")
        answered = requests_offers.answer_request(database, slug, request.id, member_id=partner.member_id)
        return {"exchange_id": pending.id, "member_id": owner.member_id, "request_id": request.id,
                "offer_id": offer.id, "user_id": owner.user_id, "answer_id": answered.answers[0].id,
                "notice_id": _notice_of(database, owner.member_id)}

    def casework(person):
        """An assessment, a match run, a proposal and an introduction in the worker's bank."""
        from timebank.services import assessments, matches

        social_worker = user_view(database, person)
        place = {"consent": True, "consent_on": "2026-01-05", "area": "Leith",
                 "latitude": 55.97, "longitude": -3.17}
        need = assessments.record_assessment(database, social_worker, person_name="Mary", content={
            **place, "needs": [{"text": "Help with my weekly shop", "category": "shopping"}]})
        assessments.record_assessment(database, social_worker, person_name="Sid", content={
            **place, "capabilities": [{"text": "Happy to do shopping for a neighbour", "category": "shopping",
                                       "capacity": 2}]})
        run = matches.run_match(database, social_worker)
        introduction = matches.accept_proposal(database, social_worker, run.proposals[0].id)
        assessments.record_assessment(database, social_worker, person_name="Nora", content={
            **place, "needs": [{"text": "Help with shopping on Saturdays", "category": "shopping"}]})
        second = matches.run_match(database, social_worker)
        return {"assessment_id": need.id, "run_id": second.id, "proposal_id": second.proposals[0].id,
                "introduction_id": introduction.id}

    other_worker = _person(database, other, "social_worker", "Siobhan", member=False)
    banks.save_category(database, "gorgie", category="gorgie_only", name="Only in Gorgie")
    own_casework = casework(people["social_worker"])
    other_casework = casework(other_worker)
    from timebank.services import places

    own_place = places.save_neighbourhood(database, "leith", name="Leith", latitude=55.97, longitude=-3.17).id
    other_place = places.save_neighbourhood(database, "gorgie", name="Gorgie", latitude=55.94, longitude=-3.23).id
    values = {
        "own": {**objects(ann, bob, "leith"), **own_casework, "category": "gardening",
                "neighbourhood_id": own_place},
        "another_member": {**objects(bob, cat, "leith"), **own_casework, "category": "gardening",
                           "neighbourhood_id": own_place},
        "another_bank": {**objects(otto, olga, "gorgie"), **other_casework, "category": "gorgie_only",
                         "neighbourhood_id": other_place},
    }
    values["own"]["token"] = values["another_member"]["token"] = values["another_bank"]["token"] = "not-a-token"
    return {"database": database, "people": people, "values": values, "bank": bank,
            "auth": auth}


def _notice_of(database, member_id: int) -> int:
    """A notice to the member (their exchange waiting), for the notices' pages."""
    import sqlalchemy as sa

    from timebank.db.models import Notice

    with database.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.min(Notice.id)).where(Notice.member_id == member_id))


@pytest.fixture(scope="module")
def matrix_app(matrix):
    from timebank.web import create_app

    return create_app({"DATABASE": matrix["database"], "SECRET_KEY": "matrix", "TESTING": True,
                       "SIGN_IN_LIMIT_PER_ACCOUNT": "10000 per minute",
                       "SIGN_IN_LIMIT_PER_ADDRESS": "10000 per minute",
                       # The matrix is about roles; tests/web/test_second_factor.py checks
                       # that half-signed-in staff reach no page.
                       "STAFF_SECOND_FACTOR_REQUIRED": False})


@pytest.fixture(scope="module")
def clients(matrix, matrix_app):
    """A client per role, each with a valid CSRF token, so that POSTs meet the role check
    and not only the CSRF check."""
    made = {"anonymous": matrix_app.test_client()}
    for role, person in matrix["people"].items():
        made[role] = matrix_app.test_client()
        sign_in(made[role], person)
    for client in made.values():
        page = client.get("/sign-in") if client is made["anonymous"] else client.get("/", follow_redirects=True)
        client.csrf_token = csrf_from(page.text)
    return made


def endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method


def build_url(rule, values: dict) -> str:
    missing = [a for a in rule.arguments if a not in values]
    assert not missing, f"{rule.endpoint}: add sample values for URL argument(s) {missing} to the matrix"
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(values[name]), url)
    return url


def assert_security_headers(response, endpoint):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp, f"{endpoint}: CSP lacks {directive}"
    assert "unsafe-inline" not in csp, f"{endpoint}: CSP allows inline scripts"
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") in ("no-referrer", "same-origin", "strict-origin")
    assert "no-store" in headers.get("Cache-Control", ""), f"{endpoint}: pages may hold personal data"


def test_every_endpoint_has_a_policy(matrix_app):
    missing = sorted({rule.endpoint for rule, _ in endpoints(matrix_app)} - set(POLICY))
    assert not missing, f"endpoints with no entry in web/policy.py: {missing}"


def test_an_endpoint_missing_from_the_policy_is_refused_to_everyone(matrix_app, clients):
    # A page registered without a policy entry: deny by default, whoever asks.
    assert "auth.home" in POLICY
    saved = POLICY.pop("auth.home")
    try:
        for role in ROLES:
            response = clients[role].get("/")
            assert response.status_code in (302, 403), role
            if role != "anonymous":
                assert response.status_code == 403
    finally:
        POLICY["auth.home"] = saved


def _cases(app):
    for rule, method in endpoints(app):
        for role in ROLES:
            for owner in ("own", "another_member", "another_bank") if rule.arguments else ("own",):
                yield rule, method, role, owner


def test_the_matrix(matrix, matrix_app, clients):
    database = matrix["database"]
    failures = []
    for rule, method, role, owner in _cases(matrix_app):
        if rule.endpoint == "auth.sign_out":
            continue  # signing out ends the matrix's own sessions; it has tests of its own
        url = build_url(rule, matrix["values"][owner])
        allowed = role in POLICY.get(rule.endpoint, frozenset())
        before = database_fingerprint(database) if (not allowed or owner == "another_bank") else None
        client = clients[role]
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": client.csrf_token})
        label = f"{method} {url} as {role} ({owner})"
        assert_security_headers(response, label)
        if not allowed:
            if role == "anonymous":
                ok = response.status_code == 302 and "/sign-in" in response.location
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{label}: refused role got {response.status_code}")
        elif owner == "another_bank" and rule.endpoint not in ("auth.reset_password", "notices.stop"):
            if response.status_code != 404:
                failures.append(f"{label}: another bank's object got {response.status_code}")
        elif response.status_code >= 500:
            failures.append(f"{label}: server error")
        if before is not None and database_fingerprint(database) != before:
            failures.append(f"{label}: a refused request wrote to the database")
    assert not failures, "\n".join(failures)


def test_a_member_cannot_act_on_another_members_objects(matrix, clients):
    """Closing, withdrawing or confirming what belongs to someone else is refused, writing nothing."""
    database = matrix["database"]
    other = matrix["values"]["another_member"]
    ann = clients["member"]
    attempts = [
        f"/member/requests/{other['request_id']}/close",
        f"/member/offers/{other['offer_id']}/withdraw",
        f"/member/exchanges/{other['exchange_id']}/confirm",
        f"/member/exchanges/{other['exchange_id']}/decline",
    ]
    rules = {r.rule for r in ann.application.url_map.iter_rules()}
    tried = 0
    for url in attempts:
        pattern = re.sub(r"/\d+/", "/<int:", url, count=1)
        if not any(r.startswith(pattern.split("<")[0]) for r in rules):
            continue
        before = database_fingerprint(database)
        response = ann.post(url, data={"csrf_token": ann.csrf_token})
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"
        assert database_fingerprint(database) == before, f"{url} wrote to the database"
        tried += 1
    assert tried >= 1


def test_a_refused_role_is_told_so_before_its_missing_form_token_is(matrix, matrix_app, clients):
    # The role is checked before the form token: a member posting to a coordinator's page
    # without a token is told it is not theirs (403), not that the form expired (400).
    database = matrix["database"]
    refused = allowed_without_token = 0
    for rule, method in endpoints(matrix_app):
        if method != "POST" or rule.endpoint == "auth.sign_out":
            continue
        url = build_url(rule, matrix["values"]["own"])
        for role in ROLES[1:]:
            before = database_fingerprint(database)
            response = clients[role].post(url, data={})
            if role in POLICY.get(rule.endpoint, frozenset()):
                assert response.status_code == 400, f"{url} as {role}: {response.status_code}"
                allowed_without_token += 1
            else:
                assert response.status_code == 403, f"{url} as {role}: {response.status_code}"
                refused += 1
            assert database_fingerprint(database) == before, f"{url} as {role} wrote"
    assert refused > 20 and allowed_without_token > 10
