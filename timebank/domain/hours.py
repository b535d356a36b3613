"""Reading and writing amounts of time. The ledger stores whole minutes, never floats.

People write hours in many ways ("1,5", "1.5h", "90 minutes", "1h30", "half an hour",
"١٫٥"); one reader here takes them all, for the web forms, the CSV upload and the
command line alike, and refuses anything else with words that say how to write it.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from timebank.domain.errors import HoursNotPositive, HoursNotWholeMinutes, InvalidHours

__all__ = ["HOW_TO_WRITE_HOURS", "parse_hours", "parse_signed_hours", "format_minutes",
           "minutes_as_hours", "ascii_digits"]

#: The advice every refusal of hours ends with, and the forms' hint.
HOW_TO_WRITE_HOURS = "Write the hours as 1.5, 1h 30m, 45m or 1:30."

_NUMBER = r"(\d+(?:\.\d*)?|\.\d+)"
_DECIMAL = re.compile(rf"^[+-]?{_NUMBER}$", re.ASCII)
_CLOCK = re.compile(r"^([+-]?)(\d+):([0-5]\d)$", re.ASCII)
_HOUR_WORDS = r"(?:h|hr|hrs|hour|hours)"
_MINUTE_WORDS = r"(?:m|min|mins|minute|minutes)"
# "1h30m", "1 h 5 m", "1.5h", "1.5 hours", "90 minutes", "1h30", "1 hour 30 minutes"
_UNITS = re.compile(
    rf"^([+-]?)(?:{_NUMBER}\s*{_HOUR_WORDS})?\s*(?:and\s+)?(?:(\d+)\s*(?:{_MINUTE_WORDS})?)?$",
    re.IGNORECASE | re.ASCII)
_MINUTES_ONLY = re.compile(rf"^([+-]?)(\d+)\s*{_MINUTE_WORDS}$", re.IGNORECASE | re.ASCII)
_FRACTIONS = {"\u00bd": "0.5", "\u00bc": "0.25", "\u00be": "0.75"}
_WORDS = {
    "half an hour": 30, "half hour": 30, "a half hour": 30,
    "quarter of an hour": 15, "a quarter of an hour": 15, "quarter hour": 15,
    "three quarters of an hour": 45, "an hour": 60, "one hour": 60, "an hour and a half": 90,
    "one and a half hours": 90,
}


# Digits people type on Arabic and Persian keyboards, and a Japanese or Chinese
# keyboard's full-width ones. Other scripts' digits stay refused: Bengali ৪ is a 4 that
# an English reader takes for an 8.
_READ_DIGITS = ("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
                "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
                "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian and full-width digits as 0-9 ("١٫٥" -> "1.5", "１" -> "1"),
    the Arabic decimal separator as a point; other characters unchanged."""
    out = []
    for char in text:
        if char == "\u066b":  # Arabic decimal separator
            out.append(".")
        elif char in _READ_DIGITS:
            out.append(str(unicodedata.digit(char)))
        else:
            out.append(char)
    return "".join(out)


def parse_hours(text: str | int | None) -> int:
    """Turn hours as people type them into whole minutes (> 0).

    Takes `1.5`, `1,5`, `0.25`, `1h30m`, `1h30`, `1.5h`, `1.5 hours`, `45m`,
    `90 minutes`, `1:30`, `½`, `1½`, `half an hour`, and the same with any script's
    digits (`١٫٥`). Raises InvalidHours (or its subclasses HoursNotPositive,
    HoursNotWholeMinutes) for anything else: empty, text, `nan`, `inf`, exponents,
    zero, negatives and amounts that are not a whole number of minutes.
    """
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise InvalidHours(f"Hours are missing. {HOW_TO_WRITE_HOURS}")
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
        raise InvalidHours(f"Hours are missing. {HOW_TO_WRITE_HOURS}")
    return _to_minutes(raw)


def _normalised(raw: str) -> str:
    """The typed text with its digits in ASCII, a decimal comma as a point, fractions as
    decimals and spaces collapsed: what the patterns below read."""
    text = " ".join(ascii_digits(raw).lower().split())
    for fraction, decimal in _FRACTIONS.items():
        if fraction in text:
            whole, _, rest = text.partition(fraction)
            whole = whole.strip() or "0"
            if not whole.isdigit() or rest.strip() not in ("", "h", "hr", "hrs", "hour", "hours"):
                return raw  # "1½h30m" and the like: refused below
            text = str(int(whole) + Decimal(decimal))
    # "1,5" is how much of Europe writes one and a half; a comma is never a thousands
    # separator here, as no exchange is a thousand hours.
    if re.fullmatch(r"[+-]?\d+,\d+(\s*[a-z]+)?", text, re.ASCII):
        text = text.replace(",", ".", 1)
    return text


def _to_minutes(raw: str) -> int:
    text = _normalised(raw)
    if text in _WORDS:
        return _WORDS[text]
    if _DECIMAL.match(text):
        return _decimal_minutes(raw, text.lstrip("+"))
    clock = _CLOCK.match(text)
    if clock:
        sign = -1 if clock.group(1) == "-" else 1
        return sign * (int(clock.group(2)) * 60 + int(clock.group(3)))
    only_minutes = _MINUTES_ONLY.match(text)
    if only_minutes:
        sign = -1 if only_minutes.group(1) == "-" else 1
        return sign * int(only_minutes.group(2))
    units = _UNITS.match(text)
    if units and units.group(2):
        sign = -1 if units.group(1) == "-" else 1
        hours = _decimal_minutes(raw, units.group(2))
        rest = int(units.group(3) or 0)
        if rest and hours % 60:
            raise InvalidHours(f"{raw!r} is not a number of hours. {HOW_TO_WRITE_HOURS}")
        if rest >= 60 and hours:
            raise InvalidHours(f"{raw!r} has {rest} minutes after the hours. {HOW_TO_WRITE_HOURS}")
        return sign * (hours + rest)
    raise InvalidHours(f"{raw!r} is not a number of hours. {HOW_TO_WRITE_HOURS}")


def _decimal_minutes(raw: str, number: str) -> int:
    """Decimal hours as whole minutes; refused when they are not whole minutes."""
    try:
        hours = Decimal(number)
    except InvalidOperation:  # pragma: no cover - the patterns already exclude it
        raise InvalidHours(f"{raw!r} is not a number of hours. {HOW_TO_WRITE_HOURS}") from None
    minutes = hours * 60
    if minutes != minutes.to_integral_value():
        raise HoursNotWholeMinutes(
            f"{raw} hours is not a whole number of minutes ({minutes.normalize()} minutes)."
        )
    return int(minutes)


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
