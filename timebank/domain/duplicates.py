"""The same thing recorded twice by mistake: the Back button, a second tap, two people
logging one afternoon's help. A rule over plain values: the services find the most recent
record alike, and this says whether it is too recent to record another without asking.

A person who means it ("two lifts on the same day") confirms, and it is recorded.
"""
from __future__ import annotations

import datetime as dt

from timebank.domain.errors import LooksLikeDuplicate

__all__ = ["DUPLICATE_WINDOW", "duplicate_since", "same_words", "refuse_duplicate"]

#: How far back a record alike counts as the same one sent twice. A day: a coordinator
#: logging a week's paper slips twice the same afternoon is the case it is for.
DUPLICATE_WINDOW = dt.timedelta(hours=24)


def duplicate_since(now: dt.datetime) -> dt.datetime:
    """The earliest moment a record alike counts as a duplicate."""
    return now - DUPLICATE_WINDOW


def same_words(text: str | None) -> str:
    """Text as compared for duplicates: case, spacing and a final full stop ignored."""
    return " ".join((text or "").casefold().split()).rstrip(".")


def refuse_duplicate(what: str, earlier: str, earlier_id: int, recorded_at: dt.datetime,
                     now: dt.datetime, confirmed: bool) -> None:
    """Refuse a record like `earlier`, recorded at `recorded_at`, unless `confirmed`.

    `what` says what is alike ("An exchange with the same people, day and hours"),
    `earlier` names the earlier record in words.
    """
    if confirmed or now - recorded_at > DUPLICATE_WINDOW:
        return
    minutes = max(0, int((now - recorded_at).total_seconds() // 60))
    ago = ("less than a minute ago" if minutes < 1 else
           f"{minutes} minute{'s' if minutes != 1 else ''} ago" if minutes < 120 else
           f"{minutes // 60} hours ago")
    raise LooksLikeDuplicate(
        f"{what} was recorded {ago}: {earlier}. Is this a second one? If so, tick "
        "\u201cYes, record it again\u201d and send it again; if not, there is nothing more to do.",
        earlier=earlier, earlier_id=earlier_id, minutes_ago=minutes)
