"""Refusals in a member's own words.

The coordinator reads the precise rule ("Morag would go below the lowest balance allowed
(-5h): the balance is -1h 15m and this takes 4h"); a member needs to know what it means
for them and what to do. One mapping, from the refusal and who is reading it.
"""
from __future__ import annotations

from timebank.domain.errors import BalanceAboveCeiling, BalanceBelowFloor, TimebankError

__all__ = ["in_members_words"]

_ASK = "Please ask your coordinator."


def _hours(minutes: int) -> str:
    hours, rest = divmod(abs(minutes), 60)
    if rest:
        return f"{hours}h {rest:02d}m" if hours else f"{rest} minutes"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def in_members_words(error: TimebankError, member_id: int | None) -> str:
    """What `error` means to the member `member_id`, in their words; the message as it
    is for refusals that already read well to anyone."""
    if isinstance(error, BalanceBelowFloor) and error.limit_minutes is not None:
        if error.member_id == member_id and error.limit_minutes == 0:
            return f"You cannot owe hours in this time bank. {_ASK}"
        if error.member_id == member_id:
            return f"You can owe at most {_hours(error.limit_minutes)}. {_ASK}"
        return f"The other member cannot receive more hours just now. {_ASK}"
    if isinstance(error, BalanceAboveCeiling) and error.limit_minutes is not None:
        if error.member_id == member_id:
            return f"You can hold at most {_hours(error.limit_minutes)}. {_ASK}"
        return f"The other member cannot take on more hours just now. {_ASK}"
    return error.message
