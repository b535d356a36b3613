"""Rules of the ledger, as pure functions over plain values.

The service layer calls them inside the writing transaction, after it has locked the
accounts, and stores rows only once every rule has passed.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass

from timebank.domain.errors import (
    BalanceAboveCeiling,
    BalanceBelowFloor,
    DayInFuture,
    ExchangeTooLong,
    InvalidDay,
    InvalidLimits,
    ReasonRequired,
    SameMemberOnBothSides,
)

__all__ = [
    "MAX_EXCHANGE_MINUTES",
    "DEFAULT_FLOOR_MINUTES",
    "DEFAULT_CEILING_MINUTES",
    "ExchangeKind",
    "ExchangeState",
    "AccountKind",
    "Limits",
    "check_exchange_length",
    "check_distinct_members",
    "check_balance_move",
    "check_limits_are_sane",
    "parse_day",
    "check_day",
    "split_group",
    "require_reason",
    "fingerprint",
]

#: One exchange records at most a day of help: more is almost always a typing slip.
MAX_EXCHANGE_MINUTES = 24 * 60
DEFAULT_FLOOR_MINUTES = -10 * 60
DEFAULT_CEILING_MINUTES = 100 * 60


class ExchangeKind(str, enum.Enum):
    EXCHANGE = "exchange"  # one member helped another
    GROUP = "group"  # one provider, several receivers
    GRANT = "grant"  # hours from the bank's own account or its community pot
    DONATION = "donation"  # hours given to the community pot
    REVERSAL = "reversal"  # the opposite of an earlier exchange


class ExchangeState(str, enum.Enum):
    PENDING = "pending"  # waits for the other member; moves no balance
    POSTED = "posted"
    DECLINED = "declined"
    REVERSED = "reversed"  # was posted; a reversal now cancels it


class AccountKind(str, enum.Enum):
    MEMBER = "member"
    BANK = "bank"  # the bank's own account: welcome hours and grants come from it
    COMMUNITY_POT = "community_pot"  # donations go in, grants and group remainders come out


@dataclass(frozen=True)
class Limits:
    """The range a member's balance must stay in, in minutes. None: no limit."""

    floor_minutes: int | None
    ceiling_minutes: int | None


def check_limits_are_sane(floor_minutes: int | None, ceiling_minutes: int | None) -> None:
    if floor_minutes is not None and floor_minutes > 0:
        raise InvalidLimits("The lowest balance allowed must be zero or below.")
    if ceiling_minutes is not None and ceiling_minutes < 0:
        raise InvalidLimits("The highest balance allowed must be zero or above.")


def check_exchange_length(minutes: int) -> None:
    if minutes > MAX_EXCHANGE_MINUTES:
        raise ExchangeTooLong(
            f"One exchange can record at most 24 hours; {minutes // 60}h {minutes % 60:02d}m "
            "is more. Log each day separately."
        )


def check_distinct_members(provider_id: int, receiver_ids: list[int]) -> None:
    if provider_id in receiver_ids:
        raise SameMemberOnBothSides("A member cannot give hours to themself.")
    if len(set(receiver_ids)) != len(receiver_ids):
        raise SameMemberOnBothSides("The same receiver is listed twice.")


def check_balance_move(
    who: str, balance_minutes: int, delta_minutes: int, limits: Limits
) -> None:
    """Refuse a move that would take a balance past a limit in the direction it moves.

    A balance already outside its limits (the limits were tightened later) may still
    move back towards them.
    """
    new_balance = balance_minutes + delta_minutes
    if (
        delta_minutes < 0
        and limits.floor_minutes is not None
        and new_balance < limits.floor_minutes
    ):
        raise BalanceBelowFloor(
            f"{who} would go below the lowest balance allowed "
            f"({_signed(limits.floor_minutes)}): the balance is {_signed(balance_minutes)} "
            f"and this takes {_signed(-delta_minutes, sign=False)}."
        )
    if (
        delta_minutes > 0
        and limits.ceiling_minutes is not None
        and new_balance > limits.ceiling_minutes
    ):
        raise BalanceAboveCeiling(
            f"{who} would go above the highest balance allowed "
            f"({_signed(limits.ceiling_minutes)}): the balance is {_signed(balance_minutes)} "
            f"and this adds {_signed(delta_minutes, sign=False)}."
        )


def _signed(minutes: int, sign: bool = True) -> str:
    from timebank.domain.hours import format_minutes

    text = format_minutes(minutes)
    return f"+{text}" if sign and minutes > 0 else text


def parse_day(value: str | dt.date | None, today: dt.date) -> dt.date:
    """The day the help was given: an ISO date (YYYY-MM-DD), today by default."""
    if value is None or value == "":
        return today
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidDay(
                f"{value!r} is not a day: write it as YYYY-MM-DD, for example 2026-03-14."
            ) from None
    check_day(day, today)
    return day


def check_day(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise DayInFuture(f"The help cannot be given in the future ({day.isoformat()}).")
    if day.year < 1970:
        raise InvalidDay(f"{day.isoformat()} is too long ago to be a day help was given.")


def split_group(total_minutes: int, receivers: int) -> tuple[int, int]:
    """Each receiver's share in whole minutes, and the remainder the community pot covers.

    The provider earns the whole `total_minutes`; receivers pay equal whole-minute
    shares; the few minutes left over come from the community pot, so no receiver pays
    more than another and the entries still sum to zero.
    """
    if receivers < 1:
        raise ValueError("a group exchange needs at least one receiver")
    share, remainder = divmod(total_minutes, receivers)
    if share == 0:
        raise ExchangeTooLong(
            f"{total_minutes} minutes cannot be shared by {receivers} receivers: "
            "each must receive at least one minute."
        )
    return share, remainder


def require_reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ReasonRequired(f"Give a reason for the {what}.")
    if len(text) > 500:
        raise ReasonRequired("A reason can be at most 500 characters.")
    return text


def fingerprint(details: dict) -> str:
    """A stable digest of what a write asked for, to tell a retry from a reuse of its key."""
    canonical = json.dumps(details, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
