"""The same thing recorded twice by mistake: the Back button, a second tap, two people
logging one afternoon's help. A rule over plain values: the services find the most recent
record alike, and this says whether it is too recent to record another without asking.

A person who means it ("two lifts on the same day") confirms, and it is recorded.
"""
from __future__ import annotations

import datetime as dt

from timebank.domain.errors import LooksLikeDuplicate

__all__ = ["DUPLICATE_WINDOW", "duplicate_since", "same_words", "same_phone", "refuse_duplicate",
           "refuse_member_taken_on_twice"]

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


def same_phone(phone: str | None) -> str:
    """A phone number as compared: its digits only ("0131 555 0101" is "01315550101")."""
    return "".join(c for c in (phone or "") if c.isdigit())


def refuse_member_taken_on_twice(name: str, phone: str | None, email: str | None,
                                 joined_today: list[tuple[int, str, str | None, str | None]],
                                 confirmed: bool) -> None:
    """Refuse a new member like one taken on today (the new-member form sent twice):
    the same name, and the same phone number, or neither a phone nor an email to tell
    them apart. `joined_today` are (id, name, phone, email) of the members who joined
    today. Members have no moment of joining, only a day, so "today" is the window.
    """
    if confirmed:
        return
    for member_id, other_name, other_phone, other_email in joined_today:
        if same_words(other_name) != same_words(name):
            continue
        alike = (same_phone(phone) and same_phone(phone) == same_phone(other_phone)) or (
            not phone and not email and not other_phone and not other_email)
        if alike:
            raise LooksLikeDuplicate(
                f"A member with the same name{' and phone number' if phone else ''} was taken on today: "
                f"{other_name} (#{member_id}). Is this a second person? If so, tick "
                "\u201cYes, record it again\u201d and send it again.",
                earlier=other_name, earlier_id=member_id)
