"""Free text as people type it: trimmed, limited, and refused with one kind of message."""
from __future__ import annotations

import unicodedata

from timebank.domain.errors import InvalidInput

__all__ = ["clean_text", "control_character_in", "refuse_control_characters"]


def control_character_in(text: str, *, line_breaks: bool = True) -> str | None:
    """The first control character of `text` that no person types on purpose, or None.

    `line_breaks=False` is for what is one line by nature (an address): there tab, CR and
    LF are refused too.

    Tab and newline are text. A carriage return is text only just before a newline,
    because browsers send a text area's line breaks as CR LF; a lone CR is what old
    "CSV (Macintosh)" files end lines with, and it hides the rest of a line in a terminal.
    NUL comes first among the refused: PostgreSQL cannot store it in any text column, and
    the others (C0, DEL, C1) draw nothing, move the cursor or rewrite a log line.
    """
    for index, char in enumerate(text):
        if unicodedata.category(char) != "Cc":
            continue
        if not line_breaks:
            return char
        if char in "\t\n":
            continue
        if char == "\r" and text[index + 1:index + 2] == "\n":
            continue
        return char
    return None


def refuse_control_characters(value: str, what: str) -> str:
    """`value` itself, or InvalidInput naming `what` (in the user's words) and the character."""
    char = control_character_in(value)
    if char is not None:
        raise InvalidInput(
            f"Remove the invisible control character (U+{ord(char):04X}) from {what}: "
            "it cannot be stored. Retyping the text removes it.")
    return value


def clean_text(value: object, what: str, max_chars: int, *, required: bool = False) -> str | None:
    """`value` stripped, or None when empty; refuses what is missing (when required), too
    long, or holds a control character.

    `what` names the field in the user's words ("what you can offer"); the messages are the
    ones every form shows, so a person meets the same sentence wherever they type.
    """
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(f"Say {what}.")
    if len(text) > max_chars:
        raise InvalidInput(f"Keep {what} to {max_chars} characters or fewer.")
    refuse_control_characters(text, what)
    return text or None
