"""Amounts of money, kept in whole pence: what a bank counts an hour of help as worth."""
from __future__ import annotations

__all__ = ["format_pence"]


def format_pence(pence: int) -> str:
    """`9000` -> `£90.00`."""
    return f"£{pence // 100:,}.{pence % 100:02d}"
