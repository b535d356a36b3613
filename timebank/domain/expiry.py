"""When a request or an offer expires, and how long a bank keeps them listed.

A request or an offer is listed for `months` calendar months from the day it was posted
or last renewed (its `renewed_on`), and expires on that day `months` later. Nothing
marks a row expired: the rule is computed from the data. `listed_since(today, months)`
is the one rule: the first `renewed_on` still listed today. A query compares the column
with it (`renewed_on >= listed_since(...)`), and `is_expired` compares a day with it, so
the list and a row's own page always agree; `expires_on` only names the day to people.
"""
from __future__ import annotations

import calendar
import datetime as dt

from timebank.domain.errors import InvalidExpiryPeriod

__all__ = [
    "DEFAULT_EXPIRY_MONTHS",
    "MAX_EXPIRY_MONTHS",
    "WARNING_DAYS",
    "check_expiry_months",
    "expires_on",
    "listed_since",
    "is_expired",
    "warning_due",
    "renewal_due",
]

#: Three months, as the field review asked: long enough for help that is slow to come.
DEFAULT_EXPIRY_MONTHS = 3
#: Two years: a longer period is a typing mistake (and a list full of stale requests).
MAX_EXPIRY_MONTHS = 24
#: An owner is told a week before their request or offer expires.
WARNING_DAYS = 7


def check_expiry_months(months) -> int:
    """The bank's period in whole months, 1 to `MAX_EXPIRY_MONTHS`; InvalidExpiryPeriod otherwise."""
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_EXPIRY_MONTHS:
        raise InvalidExpiryPeriod(
            f"Requests and offers can be listed for 1 to {MAX_EXPIRY_MONTHS} whole months.")
    return months


def _add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later (or earlier), or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expires_on(renewed_on: dt.date, months: int) -> dt.date:
    """The day a request or offer posted or renewed on `renewed_on` leaves the lists."""
    return _add_months(renewed_on, months)


def listed_since(today: dt.date, months: int) -> dt.date:
    """The first `renewed_on` day still listed on `today`: earlier ones have expired.

    The inverse of `expires_on` (a month's end makes subtracting months alone inexact):
    the smallest day whose expiry is after today.
    """
    day = _add_months(today, -months)
    while expires_on(day, months) <= today:
        day += dt.timedelta(days=1)
    while expires_on(day - dt.timedelta(days=1), months) > today:
        day -= dt.timedelta(days=1)
    return day


def is_expired(renewed_on: dt.date, today: dt.date, months: int) -> bool:
    """Whether a request or offer posted or renewed on `renewed_on` has left the lists today."""
    return renewed_on < listed_since(today, months)


def warning_due(renewed_on: dt.date, today: dt.date, months: int) -> bool:
    """Whether its owner is due the "expires in a week" notice today: from a week before
    the day it expires until that day (a day the schedule did not run is caught up)."""
    ends = expires_on(renewed_on, months)
    return not is_expired(renewed_on, today, months) and ends - today <= dt.timedelta(days=WARNING_DAYS)


def renewal_due(expires: dt.date, today: dt.date) -> bool:
    """Whether Renew is offered: once the owner is warned (a week before the day it expires)
    or it has expired. Before that, renewing would change nothing a member could see."""
    return expires - today <= dt.timedelta(days=WARNING_DAYS)
