"""The unit of work: one database transaction that rolls back unless told to commit."""
from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from timebank.db.engine import Database

__all__ = ["UnitOfWork"]


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
