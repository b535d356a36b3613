"""The words a member is stored with, and the rules about members that need no database:
who is quiet, who is new, whose names could be confused, when a follow-up call is due."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from timebank.domain.errors import MemberErased, PhoneInvalid

__all__ = [
    "MEMBER_KINDS",
    "MEMBER_STATUSES",
    "QUIET_DAYS",
    "UNANSWERED_DAYS",
    "QUIET",
    "NEW",
    "standing",
    "same_name",
    "name_key",
    "NamedMember",
    "name_clashes",
    "labels_told_apart",
    "DUE",
    "WAITING",
    "follow_up",
    "clean_phone",
    "check_not_erased",
]

MEMBER_KINDS = ("person", "organisation")
#: A member is closed, never deleted: their history stays in the ledger.
MEMBER_STATUSES = ("active", "suspended", "closed")

#: Days without an exchange after which an active member may be at risk of isolation.
QUIET_DAYS = 90
#: Days a request may wait without an answer before the coordinator is told.
UNANSWERED_DAYS = 7

QUIET = "quiet"
NEW = "new"


def standing(*, joined_on: dt.date, last_exchange_on: dt.date | None, today: dt.date,
             days: int = QUIET_DAYS) -> str | None:
    """Whether an active member needs a call: QUIET, NEW or None.

    The one definition the overview, the network report and "who to call" share:
    quiet is no exchange for `days` days (counted from joining when they never
    exchanged); a member who never exchanged and joined within `days` days is NEW, to
    welcome, rather than hidden (B20).
    """
    since = today - dt.timedelta(days=days)
    if last_exchange_on is None:
        return NEW if joined_on > since else QUIET
    return QUIET if last_exchange_on <= since else None


def name_key(name: str) -> str:
    """A name as people tell names apart: case and spaces do not count."""
    return " ".join((name or "").split()).casefold()


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


@dataclass(frozen=True)
class NamedMember:
    id: int
    name: str
    area: str | None


def labels_told_apart(others: Iterable) -> dict[int, str]:
    """Each member's name as a list others pick from shows it: with the area when there
    is one, and with the member's number too when another member has the same name and
    area (B11: two Jean Patersons of Leith). `others` have `id`, `name` and `area`."""
    others = list(others)
    seen: dict[tuple[str, str], int] = {}
    for m in others:
        key = (name_key(m.name), (m.area or "").strip().lower())
        seen[key] = seen.get(key, 0) + 1
    labels = {}
    for m in others:
        twin = seen[(name_key(m.name), (m.area or "").strip().lower())] > 1
        place = ", ".join(p for p in (m.area, f"#{m.id}" if twin else None) if p)
        labels[m.id] = f"{m.name} ({place})" if place else m.name
    return labels


def name_clashes(name: str, others: Iterable[NamedMember]) -> list[NamedMember]:
    """The members among `others` a new member called `name` could be confused with."""
    return sorted((m for m in others if same_name(m.name, name)), key=lambda m: m.id)


DUE = "due"
WAITING = "waiting"


def follow_up(follow_up_on: dt.date | None, today: dt.date) -> str | None:
    """What the latest contact-log note says about calling again: DUE on or after its
    follow-up day, WAITING before it (the member is left off the list until then), None
    when it set no day."""
    if follow_up_on is None:
        return None
    return DUE if follow_up_on <= today else WAITING


#: What a phone number may be written with besides digits ("+44 (0)131 496-0000", "0131 496 0000 ext 2").
_PHONE = re.compile(r"^\+?[0-9 ()./-]+(?:\s*(?:ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)
#: The shortest number worth calling (a UK number has 10 or 11 digits; some landlines abroad fewer).
MIN_PHONE_DIGITS = 6


def clean_phone(phone: str | None) -> str | None:
    """A phone number as typed, trimmed; None when empty. Refused when it has letters or
    too few digits, because it is shown as a tap-to-call link."""
    phone = " ".join((phone or "").split())
    if not phone:
        return None
    if len(phone) > 50:
        raise PhoneInvalid("A phone number can be at most 50 characters.")
    if not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < MIN_PHONE_DIGITS:
        raise PhoneInvalid(f"{phone!r} is not a phone number: write its digits, "
                           "with spaces, + or brackets if you like (for example 0131 496 0000).")
    return phone


def check_not_erased(name: str, erased_at) -> None:
    """An erased member's record is final: it is not reopened, given a sign-in, hours,
    limits or a check; only their kept exchanges (under "a former member") remain."""
    if erased_at is not None:
        raise MemberErased(f"{name} was erased at the person's request: the record cannot be changed or "
                           "reopened. Nothing was changed. Someone who comes back joins as a new member.")
