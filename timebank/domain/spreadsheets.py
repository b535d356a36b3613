"""Cells of a CSV file that a person will open in a spreadsheet: the web's downloads and
the command line's exports write them by one rule."""
from __future__ import annotations

__all__ = ["spreadsheet_safe"]

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value as a spreadsheet will show it, never run: text that would start a
    formula is quoted with a leading apostrophe. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
