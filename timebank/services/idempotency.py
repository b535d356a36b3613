"""Idempotency keys for every write that takes one: logging an exchange (every kind the
ledger posts), taking a member on, recording an assessment or a new version of one,
running a match.

One promise for all of them: the same key with the same details returns what the first
write recorded; the same key with other details is refused
(`IdempotencyKeyReusedWithOtherDetails`), and nothing is written. The database
holds each key once (a unique index), so two simultaneous writes with one key make one
row: the second writer's INSERT fails on the index, and `write_once` runs it again, when
it finds the first writer's row.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.domain.errors import IdempotencyKeyReusedWithOtherDetails, InvalidInput
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["MAX_KEY_CHARS", "clean_key", "refuse_other_details", "earlier_write", "write_once"]

MAX_KEY_CHARS = 200

T = TypeVar("T")


def clean_key(key: str | None) -> str | None:
    """The key as stored: stripped, None when blank; refused when too long."""
    if key is not None and not isinstance(key, str):
        raise InvalidInput("An idempotency key is text.")
    key = (key or "").strip()
    if len(key) > MAX_KEY_CHARS:
        raise InvalidInput(f"An idempotency key can be at most {MAX_KEY_CHARS} characters.")
    return key or None


def refuse_other_details(key: str, earlier_fingerprint: str | None, asked_fingerprint: str,
                         what: str) -> None:
    """Refuse a key that an earlier write used with other details; `what` names that write."""
    if earlier_fingerprint != asked_fingerprint:
        raise IdempotencyKeyReusedWithOtherDetails(
            f"The key {key!r} was already used for {what}, with other details. "
            "Use a new key for a new one."
        )


def earlier_write(session: Session, model: type[T], bank_id: int, key: str | None,
                  asked_fingerprint: str, what: str) -> T | None:
    """The row of `model` an earlier write with this key recorded in the bank, or None.

    A key used before with other details is refused; `what` names the row in the
    refusal ("exchange" gives "exchange 12").
    """
    if key is None:
        return None
    earlier = session.scalars(
        select(model).where(model.bank_id == bank_id, model.idempotency_key == key)
    ).one_or_none()
    if earlier is not None:
        refuse_other_details(key, earlier.details_fingerprint, asked_fingerprint, f"{what} {earlier.id}")
    return earlier


def write_once(database: Database, attempt: Callable[[Session], T]) -> T:
    """Run `attempt` in one unit of work; a write that loses a race is run once more.

    On PostgreSQL two writers with one key both find no earlier row, and the second one's
    INSERT fails on the unique key once the first commits. (On SQLite, BEGIN IMMEDIATE
    has already put them one after the other.) Run again, the attempt finds the first
    writer's row and returns it, or gives the precise refusal (an email another member
    took meanwhile fails on its own unique key first), so no caller sees a raw database
    error for a race. A second failure is not a race, and is raised.
    """
    try:
        return _in_one_unit_of_work(database, attempt)
    except IntegrityError:
        return _in_one_unit_of_work(database, attempt)


def _in_one_unit_of_work(database: Database, attempt: Callable[[Session], T]) -> T:
    with UnitOfWork(database) as uow:
        result = attempt(uow.session)
        uow.commit()
        return result
