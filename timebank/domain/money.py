"""Amounts of money, kept in whole pence: what a bank counts an hour of help as worth."""
from __future__ import annotations

import re
from decimal import Decimal

from timebank.domain.errors import InvalidInput
from timebank.domain.hours import ascii_digits

__all__ = ["HOW_TO_WRITE_POUNDS", "format_pence", "parse_pence"]

HOW_TO_WRITE_POUNDS = "Write it in pounds and pence, like 9.50 or £9.50."

# Pounds, with an optional decimal part of one or two digits after a point or a comma
# ("9.50", "9,50": much of Europe writes the comma), and optional thousands grouped by
# commas when a point ends it ("1,000.00").
_POINT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$", re.ASCII)
_COMMA = re.compile(r"^(\d+),(\d{1,2})$", re.ASCII)


def parse_pence(text: str | None) -> int:
    """Turn pounds as people type them into whole pence: `9.50`, `9,50`, `£9.50`,
    `£9`, `9.5`, `9,50 £` and `1,000.00` are read as they are meant, never a
    hundredfold value.

    Raises InvalidInput for anything else (`9.505`, `1,000` without pence is read as a
    thousand pounds, `abc`, a negative amount) with words that say how to write it.
    """
    raw = "" if text is None else str(text).strip()
    cleaned = ascii_digits(raw).replace("£", "").replace("GBP", "").replace("gbp", "")
    cleaned = "".join(cleaned.split())
    if not cleaned:
        raise InvalidInput(f"Enter an amount. {HOW_TO_WRITE_POUNDS}")
    comma = _COMMA.match(cleaned)
    point = _POINT.match(cleaned)
    if comma and not re.fullmatch(r"\d{1,3},\d{3}", cleaned):
        pounds, pence = comma.group(1), comma.group(2)
    elif point:
        pounds, pence = point.group(1).replace(",", ""), point.group(2) or ""
    else:
        raise InvalidInput(f"{raw!r} is not an amount of money. {HOW_TO_WRITE_POUNDS}")
    return int(Decimal(pounds) * 100 + Decimal((pence + "00")[:2]))


def format_pence(pence: int) -> str:
    """`9000` -> `£90.00`."""
    return f"£{pence // 100:,}.{pence % 100:02d}"
