"""Free text as people type it: trimmed, limited, and refused with one kind of message."""
from __future__ import annotations

from timebank.domain.errors import InvalidInput

__all__ = ["clean_text"]


def clean_text(value: object, what: str, max_chars: int, *, required: bool = False) -> str | None:
    """`value` stripped, or None when empty; refuses what is missing (when required) or too long.

    `what` names the field in the user's words ("what you can offer"); the messages are the
    ones every form shows, so a person meets the same sentence wherever they type.
    """
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(f"Say {what}.")
    if len(text) > max_chars:
        raise InvalidInput(f"Keep {what} to {max_chars} characters or fewer.")
    return text or None
