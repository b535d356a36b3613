"""Finding typed words in stored text, in any case, alike on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.orm import Session

__all__ = ["folded", "fold"]


def fold(text: str) -> str:
    """Text as searches compare it: lower case (str.lower, as PostgreSQL's lower())."""
    return text.lower()


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def folded(session: Session, column):
    """`column` in lower case for every letter, not only A to Z.

    PostgreSQL's lower() knows every letter; SQLite's only ASCII, so on SQLite the same
    Python function is lent to the connection, and "SIOBHÁN" finds "Siobhán" on both.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.connection().connection.driver_connection.create_function(
            "timebank_lower", 1, _lower, deterministic=True)
        return func.timebank_lower(column)
    return func.lower(column)
