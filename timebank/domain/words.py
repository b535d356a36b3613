"""How people read what the records keep as codes: days, moments and the access logs'
actions. The pages (timebank.web.words) and the subject access file's page to read say
them the same way, from here."""
from __future__ import annotations

import datetime as dt

__all__ = ["day_words", "moment_words", "ACCESS_WORDS", "access_words"]


def day_words(value: dt.date | str | None, year: bool = True) -> str:
    """`2026-03-01` -> `1 March 2026` (or `1 March`); a moment gives its day; None gives "".

    ISO days are only for downloads and date inputs, which machines read. A day kept as
    ISO text (an assessment's consent day, a day in a JSON document) is read first; text
    that is no day is given back as it is.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = _read_day(value)
        if isinstance(value, str):
            return value
    text = f"{value.day} {value:%B}"
    return f"{text} {value.year}" if year else text


def _read_day(text: str) -> dt.date | str:
    for read in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            return read(text)
        except ValueError:
            pass
    return text


def moment_words(value: dt.datetime | str | None) -> str:
    """`2026-11-29T14:05:00+00:00` -> `29 November 2026, 14:05`, as written on the server
    (UTC); text that is no moment is given back as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{day_words(value)}, {value:%H:%M}"


#: The access logs' actions in the words of the people who read them (the log keeps the
#: short code, which a later change of wording must not rewrite).
ACCESS_WORDS = {
    "create": "recorded", "edit": "changed", "view": "read", "list": "listed", "link_member": "linked to a member",
    "accept": "accepted a proposal", "reject": "rejected a proposal", "outcome": "recorded an outcome",
    "close": "closed an introduction", "follow_up": "follow-up", "withdraw": "withdrew consent",
    "export": "copied for the person (subject access)", "erase": "erased",
    "retention": "removed after its keeping time", "match": "included in a match run",
}


def access_words(action: str) -> str:
    return ACCESS_WORDS.get(action, action.replace("_", " "))
