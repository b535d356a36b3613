"""The database: its engine, its sessions, and the settings each backend needs to lose nothing.

SQLite: the driver's own lazy transactions lose updates under concurrent writers, so it
is told to emit no BEGIN; each writing transaction starts with BEGIN IMMEDIATE (the write
lock up front, never halfway), read-only ones with a plain BEGIN that gives a WAL
snapshot. PostgreSQL: READ COMMITTED for writes, which lock the accounts they touch;
REPEATABLE READ for read-only units, so a report sees one snapshot.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from timebank.domain.errors import DatabaseMissing
from timebank.domain.passwords import PASSWORD_HASHING

__all__ = ["Database", "default_database_url", "normalise_url"]

_READONLY = "timebank_readonly"


def default_database_url() -> str:
    """`TIMEBANK_DATABASE_URL`, or an SQLite file in the instance folder."""
    url = os.environ.get("TIMEBANK_DATABASE_URL")
    if url:
        return normalise_url(url)
    # The folder is made with the file, by a command that may create it (Database).
    instance = Path(os.environ.get("TIMEBANK_INSTANCE", "instance")).resolve()
    return f"sqlite:///{instance / 'timebank.sqlite3'}"


def normalise_url(url: str) -> str:
    """Read `postgresql://` and `postgres://` as psycopg 3 URLs, the driver we install."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: an exchange the coordinator was told is recorded survives a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(_READONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_file(path: Path, *, create: bool) -> None:
    """Make sure the database file is there, made readable by its owner only when new.

    The file holds password hashes, session digests and assessments. SQLite would create
    it with the umask's mode (often readable by everyone); made here first with 0600, it
    passes that mode on to its -wal and -shm files. A folder that exists is left as it
    is; a new one is its owner's only. Without `create`, a missing file is refused and
    nothing is made, not even its folder.
    """
    if path.exists():
        return
    if not create:
        raise DatabaseMissing(f"There is no database at {path}: run `timebank init` first.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another process made it just now
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class Database:
    """One database: its engine, the sessions that units of work open on it, and the
    cost of the password hashes written to it (`password_hashing`, one of PASSWORD_HASHING).
    An SQLite file is created when missing, unless `create` is false (see _sqlite_file).
    """

    def __init__(self, url: str | None = None, *, echo: bool = False, password_hashing: str = "standard",
                 create: bool = True):
        if password_hashing not in PASSWORD_HASHING:
            raise ValueError(f"password_hashing is one of {', '.join(PASSWORD_HASHING)}, not {password_hashing!r}")
        self.password_hashing = password_hashing
        self.url = normalise_url(url) if url else default_database_url()
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        # hide_parameters: a failed statement's error (and so every traceback in the
        # server log) shows the SQL but never its values, which can be an assessment's
        # words, a person's name or an address.
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                _sqlite_file(Path(database), create=create)
            # Pooled connections are reused across threads; each transaction still takes
            # its own lock (BEGIN IMMEDIATE), so sharing a connection object is never
            # needed and check_same_thread only gets in the way of the pool.
            self.engine = create_engine(
                self.url, echo=echo, hide_parameters=True, connect_args={"check_same_thread": False},
                poolclass=NullPool if database in ("", ":memory:") else None,
            )
            _configure_sqlite(self.engine)
            readonly = self.engine.execution_options(**{_READONLY: True})
        else:
            # No pre-ping (a round trip on every unit of work): connections are recycled
            # instead, and a dropped one fails a single request, which is retried by the user.
            self.engine = create_engine(
                self.url, echo=echo, hide_parameters=True, pool_recycle=1800, pool_size=10, max_overflow=20
            )
            readonly = self.engine.execution_options(
                isolation_level="REPEATABLE READ", **{_READONLY: True}
            )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._readonly_sessions = sessionmaker(readonly, expire_on_commit=False, autoflush=False)
        self._prepared: dict[type, object] = {}

    def prepared(self, kind: type):
        """The one `kind(self)` of this database: statements prepared for it, built once."""
        found = self._prepared.get(kind)
        if found is None:
            found = self._prepared.setdefault(kind, kind(self))
        return found

    def session(self, *, readonly: bool = False) -> Session:
        return (self._readonly_sessions if readonly else self._sessions)()

    def dispose(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def bulk_loading(self) -> Iterator[Database]:
        """On SQLite, write many units of work without waiting for the disk at every commit.

        Made for data that can be made again, such as the demonstration bank (about a
        thousand units of work, each committing once): with `synchronous=FULL` every commit
        waits for the disk. Inside the block, new connections use NORMAL instead (still safe
        from corruption in WAL mode; a power cut could lose the last few writes). The pool is
        emptied before and after, so no connection with NORMAL outlives the block.
        PostgreSQL is left as it is.
        """
        if self.dialect != "sqlite":
            yield self
            return

        def normal_sync(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        event.listen(self.engine, "connect", normal_sync)
        self.engine.dispose()
        try:
            yield self
        finally:
            event.remove(self.engine, "connect", normal_sync)
            self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({make_url(self.url).render_as_string(hide_password=True)!r})"
