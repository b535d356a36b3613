"""Finding typed words in stored text, in any case, alike on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import Session

__all__ = ["folded", "fold", "holds", "words_in"]


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


def holds(session: Session, column, wanted: str):
    """A clause: `column` holds `wanted` (already folded by `fold`), in any case.

    On SQLite, words of A to Z only (nearly every search) are left to SQLite's own LIKE,
    which ignores the case of A to Z and runs in C: the folding function above is called
    from C into Python once a row, and on a bank of 100,000 exchanges that made one word
    search take half a second. A word with any other letter ("zoë") needs it still.
    Only two letters lower into A to Z (the Kelvin sign and a dotted capital I); a text
    holding them is the price of the speed.
    """
    if session.get_bind().dialect.name == "sqlite" and wanted.isascii():
        return column.contains(wanted, autoescape=True)
    return folded(session, column).contains(wanted, autoescape=True)


def words_in(session: Session, text: str | None, *columns):
    """Every typed word (the first eight) somewhere in one of `columns`, in any case
    (None when nothing was typed: no condition)."""
    words = (text or "").split()
    if not words:
        return None
    return and_(*(or_(*(folded(session, c).contains(fold(w), autoescape=True) for c in columns))
                  for w in words[:8]))
