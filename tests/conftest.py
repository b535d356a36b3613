"""Shared fixtures: a database of each kind, fresh banks (tenants) and member factories.

Integration tests take the `database` fixture and so run twice, on SQLite and on
PostgreSQL. Each test works in a bank of its own, so tests never see each other's rows
and no ledger row ever needs deleting (the triggers would refuse it anyway).
PostgreSQL is the local server: a throwaway database per run, dropped at the end. It is
never skipped when CI is set: an unreachable server fails the run.
"""
from __future__ import annotations

import itertools
import os
import uuid

import pytest

from timebank.db.engine import Database

# Every database a test makes hashes passwords with the cheapest argon2 parameters;
# test_auth.py checks the standard ones.
PASSWORD_HASHING = "fast"
PG_ADMIN_URL = os.environ.get(
    "TIMEBANK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgresql")


def _postgres_admin():
    import sqlalchemy as sa

    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # the server is not there
        engine.dispose()
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {error}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return engine


class DatabaseFactory:
    """Creates empty databases of either kind and drops them when the run ends."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._pg_admin = None
        self._pg_names: list[str] = []
        self._opened: list[Database] = []

    def url(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self._tmp.mktemp('db') / 'timebank.sqlite3'}"
        import sqlalchemy as sa

        if self._pg_admin is None:
            self._pg_admin = _postgres_admin()
        name = f"timebank_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with self._pg_admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        self._pg_names.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    def empty(self, backend: str) -> Database:
        database = Database(self.url(backend), password_hashing=PASSWORD_HASHING)
        self._opened.append(database)
        return database

    def migrated(self, backend: str) -> Database:
        from timebank.db import migrate  # Alembic loads only for the tests that need a schema

        database = self.empty(backend)
        migrate.upgrade(database)
        return database

    def close(self) -> None:
        import sqlalchemy as sa

        for database in self._opened:
            database.dispose()
        if self._pg_admin is not None:
            with self._pg_admin.connect() as connection:
                for name in self._pg_names:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self._pg_admin.dispose()


def cli_runner(url: str):
    """`timebank --db URL ARGS...` through click's test runner, as the tests' databases hash.

    Returns `run(*args)`, which gives click's Result (exceptions are raised, not caught).
    """
    from click.testing import CliRunner

    from timebank.cli import main

    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--db", url, "--password-hashing", PASSWORD_HASHING, *map(str, args)],
                             catch_exceptions=False)

    run.url = url
    return run


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def _shared_databases(database_factory):
    return {}


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def database(backend, database_factory, _shared_databases) -> Database:
    """A migrated database of the test's backend, shared by the run (banks isolate tests)."""
    if backend not in _shared_databases:
        _shared_databases[backend] = database_factory.migrated(backend)
    return _shared_databases[backend]


_bank_numbers = itertools.count(1)


@pytest.fixture
def make_bank(database):
    from timebank.services.banks import create_bank

    def make(**limits):
        slug = f"bank-{os.getpid()}-{next(_bank_numbers)}-{uuid.uuid4().hex[:6]}"
        return create_bank(database, slug, f"Test bank {slug}", **limits)

    return make


@pytest.fixture
def bank(make_bank):
    return make_bank()


@pytest.fixture
def social_worker(database, bank):
    """A social worker's sign-in in `bank`: who records assessments and runs matches."""
    from timebank.services import auth

    return auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                            name="Sam", password="a long enough password", role="social_worker")


@pytest.fixture
def make_member(database):
    from timebank.services.members import add_member

    def make(bank, name=None, **fields):
        return add_member(database, bank.slug, name or f"Member {uuid.uuid4().hex[:6]}", **fields)

    return make


@pytest.fixture
def ledger_state(database):
    """What the ledger holds for one bank: exchanges, entries and every balance.

    Compared before and after a refused write, it proves nothing was written.
    """
    import sqlalchemy as sa

    from timebank.db.models import Bank, Entry, Exchange
    from timebank.services.ledger import account_balances

    def state(bank):
        with database.session(readonly=True) as session:
            bank_id = session.scalar(sa.select(Bank.id).where(Bank.slug == bank.slug))
            exchanges = session.scalar(
                sa.select(sa.func.count()).select_from(Exchange).where(Exchange.bank_id == bank_id)
            )
            entries = session.scalar(
                sa.select(sa.func.count()).select_from(Entry).where(Entry.bank_id == bank_id)
            )
        return {"exchanges": exchanges, "entries": entries,
                "balances": account_balances(database, bank.slug)}

    return state
