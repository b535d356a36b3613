"""The rules of subject access, erasure, retention and consent withdrawal: pure.

An erased person's row stays, so that every exchange and balance stays whole: what
identifies them is replaced, irreversibly, by these words.
"""
from __future__ import annotations

import datetime as dt

from timebank.domain.errors import DayInFuture, InvalidInput

__all__ = [
    "FORMER_MEMBER",
    "REMOVED",
    "DEFAULT_RETENTION_YEARS",
    "MAX_RETENTION_YEARS",
    "MAX_NOTE_CHARS",
    "retention_cutoff",
    "past_retention",
    "check_retention_years",
    "check_withdrawal",
]

#: How an erased person reads everywhere: pages, statements, downloads.
FORMER_MEMBER = "a former member"
#: What replaces a free text an erased person wrote (or that was written about them). The
#: exchanges' guard (revision 0015) lets an exchange's description and reason become
#: exactly this, and nothing else.
REMOVED = "(removed)"
#: Eight years after the last contact, as the Records Management Code suggests for adult
#: social care.
DEFAULT_RETENTION_YEARS = 8
MAX_RETENTION_YEARS = 100
MAX_NOTE_CHARS = 1000


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """The day before which a last contact is past keeping (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def past_retention(last_contact: dt.date, today: dt.date, years: int) -> bool:
    """Whether a record whose last contact was on `last_contact` is kept no longer."""
    return last_contact < retention_cutoff(today, years)


def check_retention_years(years: int) -> int:
    """A bank keeps records for 1 to 100 whole years."""
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_RETENTION_YEARS:
        raise InvalidInput(f"Give a whole number of years from 1 to {MAX_RETENTION_YEARS}.")
    return years


def check_withdrawal(withdrawn_on: dt.date, note: str, today: dt.date) -> tuple[dt.date, str]:
    """A withdrawal of consent: the day the person said so (not in the future) and a note."""
    if withdrawn_on > today:
        raise DayInFuture("The day consent was withdrawn cannot be in the future.")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say how the person withdrew consent (for example: by phone to me).")
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Keep the note to {MAX_NOTE_CHARS} characters.")
    return withdrawn_on, note
