"""The unit of work: one database transaction that rolls back unless told to commit."""
from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.domain.text import refuse_control_characters

__all__ = ["UnitOfWork", "JoinedDatabase"]


class UnitOfWork:
    def __init__(self, database: Database, *, readonly: bool = False):
        self.database = database
        self.readonly = readonly
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self.database.session(readonly=self.readonly)
        event.listen(self.session, "before_flush", _refuse_control_characters)
        self.session.begin()
        self._committed = False
        return self

    def joined(self) -> JoinedDatabase:
        """This transaction, as a database that other use cases can be given: each of their
        units of work becomes a savepoint of this one, so what they write is committed
        with it, or not at all."""
        return JoinedDatabase(self.database, self.session.connection())

    def commit(self) -> None:
        if self.readonly:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.session.commit()
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()


def _texts(value):
    """Every string in a column's value, inside JSON (lists and objects) too."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _refuse_control_characters(session: Session, flush_context, instances) -> None:
    """No row is written with a control character in its text, whoever called the service.

    The services' own checks name the field; this is the one place that covers every
    column, so a text a service forgot to check is still refused (PostgreSQL would fail
    on a NUL byte with a server error, SQLite would store it) and nothing is written.
    """
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        for attribute in state.mapper.column_attrs:
            # Only what this unit of work writes: text stored before is not its to refuse.
            for value in state.attrs[attribute.key].history.added:
                for text in _texts(value):
                    refuse_control_characters(text, "the text")


class JoinedDatabase:
    """A database whose units of work are savepoints inside one outer transaction.

    It lends only sessions: a use case that reaches for the engine (the ledger's hot
    path, say) would write outside the transaction, and fails here instead.
    """

    def __init__(self, database: Database, connection: Connection):
        self.url = database.url
        self.dialect = database.dialect
        self.password_hashing = database.password_hashing  # a sign-in made inside hashes as its database does
        self._connection = connection

    def session(self, *, readonly: bool = False) -> Session:
        return Session(bind=self._connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False, autoflush=False)
