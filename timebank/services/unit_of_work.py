"""The unit of work: one database transaction that rolls back unless told to commit."""
from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from timebank.db.engine import Database

__all__ = ["UnitOfWork", "JoinedDatabase"]


class UnitOfWork:
    def __init__(self, database: Database, *, readonly: bool = False):
        self.database = database
        self.readonly = readonly
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self.database.session(readonly=self.readonly)
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
