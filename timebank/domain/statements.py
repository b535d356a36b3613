"""A member's statement in the order people read it: by the day of the help."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["StatementEntry", "in_day_order"]


@dataclass(frozen=True)
class StatementEntry:
    given_on: dt.date
    exchange_id: int
    entry_id: int
    amount_minutes: int


def in_day_order(entries: Iterable[StatementEntry]) -> list[tuple[StatementEntry, int]]:
    """Each entry with the balance after it, oldest day first (then by exchange, then by
    entry), so a back-dated or late-uploaded exchange sits on its own day and the running
    balance follows the rows as shown (B14). The last balance is the account's balance
    whatever the order."""
    running, out = 0, []
    for entry in sorted(entries, key=lambda e: (e.given_on, e.exchange_id, e.entry_id)):
        running += entry.amount_minutes
        out.append((entry, running))
    return out
