"""Fixtures for the web application: an app on a migrated database and a small world.

`world` holds two banks. In the first: a coordinator, two members with sign-ins (Ann and
Bob), a member without an email run by the coordinator (Dot), and a social worker. In
the second: a coordinator and a member, the "staff and members of another bank".
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

import pytest

PASSWORD = "a long enough password"


@pytest.fixture(scope="session")
def web_database(database_factory):
    return database_factory.migrated("sqlite")


@pytest.fixture
def app(web_database, tmp_path):
    from timebank.web import create_app
    from timebank.web.extensions import limiter

    app = create_app({
        "DATABASE": web_database,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "SERVER_NAME": "localhost",
        # Deployments require staff to set up a second factor (the default); these tests
        # are about other pages, so staff here may go without one until they set it up.
        # tests/web/test_second_factor.py turns it back on, and a factor once set is
        # asked for whatever this says.
        "STAFF_SECOND_FACTOR_REQUIRED": False,
    })
    app.instance_path = str(tmp_path)
    limiter.reset()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Person:
    email: str
    role: str
    user_id: int
    member_id: int | None = None
    name: str = ""


@dataclass
class World:
    bank: object
    other_bank: object
    coordinator: Person
    ann: Person
    bob: Person
    dot_member_id: int
    social_worker: Person
    other_coordinator: Person
    other_member: Person

    def people(self):
        return {"member": self.ann, "coordinator": self.coordinator,
                "social_worker": self.social_worker, "other_bank": self.other_coordinator}


#: The world's members joined before any day a test logs help on (help is never given
#: before a member joined).
JOINED_ON = dt.date(2024, 1, 1)


def _person(database, bank, role, name, *, member=True):
    from timebank.services import auth, members

    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org"
    member_id = members.add_member(database, bank.slug, name, email=email, area="Leith",
                                   joined_on=JOINED_ON).id if member else None
    user = auth.create_user(database, bank.slug, email=email, name=name, password=PASSWORD,
                            role=role, member_id=member_id)
    return Person(email, role, user.id, member_id, name)


def user_view(database, person: Person):
    """The person's UserView, as signing in gives it to the web app."""
    from timebank.services import auth

    return auth.authenticate(database, person.email, PASSWORD)


def count_accesses(database, bank_slug: str) -> int:
    """How many reads of assessments the bank's access log holds."""
    import sqlalchemy as sa

    from timebank.db.models import AssessmentAccess, Bank

    with database.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(AssessmentAccess).join(
            Bank, Bank.id == AssessmentAccess.bank_id).where(Bank.slug == bank_slug))


@pytest.fixture
def world(web_database):
    from timebank.services import banks, members

    database = web_database
    slug = f"leith-{uuid.uuid4().hex[:8]}"
    bank = banks.create_bank(database, slug, "Leith Time Bank")
    other = banks.create_bank(database, f"gorgie-{uuid.uuid4().hex[:8]}", "Gorgie Time Bank")
    return World(
        bank=bank,
        other_bank=other,
        coordinator=_person(database, bank, "coordinator", "Cora", member=False),
        ann=_person(database, bank, "member", "Ann"),
        bob=_person(database, bank, "member", "Bob"),
        dot_member_id=members.add_member(database, bank.slug, "Dot", area="Leith", joined_on=JOINED_ON).id,
        social_worker=_person(database, bank, "social_worker", "Sam", member=False),
        other_coordinator=_person(database, other, "coordinator", "Olga", member=False),
        other_member=_person(database, other, "member", "Otto"),
    )


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def sign_in(client, person: Person) -> None:
    page = client.get("/sign-in")
    data = {"email": person.email, "password": PASSWORD}
    if CSRF_INPUT.search(page.text):  # absent when an app is made with CSRF switched off
        data["csrf_token"] = csrf_from(page.text)
    response = client.post("/sign-in", data=data)
    assert response.status_code == 302, response.text


@pytest.fixture
def signed_in(app):
    """A fresh test client signed in as the given person."""
    def make(person: Person):
        client = app.test_client()
        sign_in(client, person)
        return client
    return make
