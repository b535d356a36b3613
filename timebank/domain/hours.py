"""Reading and writing amounts of time. The ledger stores whole minutes, never floats."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from timebank.domain.errors import HoursNotPositive, HoursNotWholeMinutes, InvalidHours

__all__ = ["parse_hours", "parse_signed_hours", "format_minutes", "minutes_as_hours"]

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
_CLOCK = re.compile(r"^([+-]?)(\d+):([0-5]\d)$", re.ASCII)
_UNITS = re.compile(r"^([+-]?)(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$", re.IGNORECASE | re.ASCII)


def parse_hours(text: str | int | None) -> int:
    """Turn `1.5`, `0.25`, `1h30m`, `1h`, `45m` or `1:30` into whole minutes (> 0).

    Raises InvalidHours (or its subclasses HoursNotPositive, HoursNotWholeMinutes)
    for anything else: empty, text, `nan`, `inf`, exponents, zero, negatives and
    amounts that are not a whole number of minutes.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise InvalidHours("Hours are missing: write them as 1.5, 1h30m or 1:30.")
    minutes = _to_minutes(raw)
    if minutes <= 0:
        raise HoursNotPositive(f"Hours must be more than zero, not {raw!r}.")
    return minutes


def parse_signed_hours(text: str | int | None) -> int:
    """Whole minutes of a balance limit: like `parse_hours`, but zero and a leading minus
    sign (`-10`, `-1:30`, or the typographic `−10`) are allowed.

    Every way of writing zero (`0`, `0.0`, `0:00`, `0h`, `-0`) is zero. Raises
    InvalidHours for empty text and anything `parse_hours` refuses for another reason.
    """
    raw = "" if text is None else str(text).strip()
    if raw[:1] in ("-", "\u2212"):
        raw = "-" + raw[1:].lstrip()
    if not raw:
        raise InvalidHours("Hours are missing: write them as 1.5, 1h30m or 1:30.")
    return _to_minutes(raw)


def _to_minutes(raw: str) -> int:
    if _DECIMAL.match(raw):
        try:
            hours = Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            raise InvalidHours(f"{raw!r} is not a number of hours.") from None
        minutes = hours * 60
        if minutes != minutes.to_integral_value():
            raise HoursNotWholeMinutes(
                f"{raw} hours is not a whole number of minutes ({minutes.normalize()} minutes)."
            )
        return int(minutes)
    clock = _CLOCK.match(raw)
    if clock:
        sign = -1 if clock.group(1) == "-" else 1
        return sign * (int(clock.group(2)) * 60 + int(clock.group(3)))
    units = _UNITS.match(raw)
    if units and (units.group(2) or units.group(3)):
        sign = -1 if units.group(1) == "-" else 1
        return sign * (int(units.group(2) or 0) * 60 + int(units.group(3) or 0))
    raise InvalidHours(f"{raw!r} is not a number of hours: write them as 1.5, 1h30m or 1:30.")


def minutes_as_hours(minutes: int) -> float:
    """Decimal hours for display and JSON only (never stored)."""
    return round(minutes / 60, 4)


def format_minutes(minutes: int) -> str:
    """`90` -> `1h 30m`; `-45` -> `-45m`; `0` -> `0h`."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        return f"{sign}{hours}h {rest:02d}m"
    if hours:
        return f"{sign}{hours}h"
    if rest:
        return f"{sign}{rest}m"
    return "0h"
