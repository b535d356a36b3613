"""CSV downloads: every cell made safe for a spreadsheet, one way of sending them."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

__all__ = ["spreadsheet_safe", "csv_response"]

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value as a spreadsheet will show it, never run: text that would start a
    formula is quoted with a leading apostrophe. Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows: Iterable[Iterable], filename: str) -> Response:
    """Rows (a header first) as a CSV attachment called `filename`."""
    out = io.StringIO()
    csv.writer(out).writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
