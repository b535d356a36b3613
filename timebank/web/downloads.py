"""CSV downloads: every cell made safe for a spreadsheet, one way of sending them."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from timebank.domain.spreadsheets import spreadsheet_safe

__all__ = ["spreadsheet_safe", "csv_response"]


def csv_response(rows: Iterable[Iterable], filename: str) -> Response:
    """Rows (a header first) as a CSV attachment called `filename`."""
    out = io.StringIO()
    csv.writer(out).writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
