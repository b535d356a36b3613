"""Notices no event causes, only the calendar: what is due on a day, to whom, under which key.

Pure functions over plain values: the service reads the rows, asks these rules what is
due `today`, and writes each `Due` to the outbox. Every key names the notice's kind, its
subject and its period (the expiry day, the ISO week, the follow-up day), so a schedule
run twice, or every day of a notice's window, writes it once; a renewal, a new week or a
new follow-up day is a new period and so a new notice.

- `listing_expiring`: a request or offer expires within `expiry.WARNING_DAYS` (to its owner).
- `weekly_digest`: requests posted in the last 7 days in the services a member offers
  (to members with an email; a member who turned the kind off is left out by the outbox).
- `follow_up_due`: an open introduction's follow-up day has come (to the social worker).
- `safeguarding_expiring`: a member's safeguarding check expires within 30 days (to each
  coordinator of the bank).

No assessment's words are in any of them: an introduction is named by its number only.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from timebank.domain.expiry import expires_on, warning_due
from timebank.domain.outcome_measures import follow_up_state

__all__ = [
    "SCHEDULED_KINDS",
    "DIGEST_DAYS",
    "DIGEST_MAX_REQUESTS",
    "SAFEGUARDING_WARNING_DAYS",
    "Due",
    "Listing",
    "NewRequest",
    "listing_expiring",
    "weekly_digest",
    "follow_up_due",
    "safeguarding_expiring",
    "iso_week",
]

SCHEDULED_KINDS = ("listing_expiring", "weekly_digest", "follow_up_due", "safeguarding_expiring")
#: A digest lists the requests posted in the 7 days before the day it is written.
DIGEST_DAYS = 7
#: More than this is a list nobody reads in an email; the page has the rest.
DIGEST_MAX_REQUESTS = 20
SAFEGUARDING_WARNING_DAYS = 30


@dataclass(frozen=True)
class Due:
    """A notice due: its kind, one recipient (a member or a staff sign-in), its facts
    (what its words need, as JSON) and its key."""

    kind: str
    facts: dict
    key: str
    member_id: int | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class Listing:
    """A request or an offer still open, as the expiry warning needs it."""

    kind: str  # "request" or "offer"
    id: int
    member_id: int
    what: str
    renewed_on: dt.date


@dataclass(frozen=True)
class NewRequest:
    id: int
    member_id: int
    category: str | None
    what: str
    posted_on: dt.date


def iso_week(day: dt.date) -> str:
    """"2026-W49": the period of a weekly notice."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def listing_expiring(listings: Iterable[Listing], today: dt.date, months: int) -> list[Due]:
    """"Your request (offer) expires on ...", from a week before that day until it."""
    due = []
    for listing in listings:
        if not warning_due(listing.renewed_on, today, months):
            continue
        ends = expires_on(listing.renewed_on, months)
        due.append(Due("listing_expiring", {
            "listing": listing.kind, "listing_id": listing.id, "what": listing.what[:200],
            "expires_on": ends.isoformat(), "page": "requests" if listing.kind == "request" else "offer",
        }, f"listing-expiring.{listing.kind}.{listing.id}.{ends.isoformat()}", member_id=listing.member_id))
    return due


def weekly_digest(member_id: int, *, has_email: bool, offered: Iterable[str | None],
                  requests: Iterable[NewRequest], today: dt.date) -> Due | None:
    """The week's new requests in the services the member offers, once per ISO week, or
    None (no email: a digest is not worth a coordinator's phone call; or nothing new)."""
    services = {c for c in offered if c}
    if not has_email or not services:
        return None
    since = today - dt.timedelta(days=DIGEST_DAYS)
    found = sorted((r for r in requests if r.member_id != member_id and r.category in services
                    and since <= r.posted_on < today), key=lambda r: (r.posted_on, r.id), reverse=True)
    if not found:
        return None
    week = iso_week(today)
    return Due("weekly_digest", {
        "week": week, "count": len(found),
        "requests": [{"id": r.id, "what": r.what[:200], "category": r.category}
                     for r in found[:DIGEST_MAX_REQUESTS]],
    }, f"weekly-digest.{member_id}.{week}", member_id=member_id)


def follow_up_due(introduction_id: int, *, status: str, follow_up_on: dt.date | None,
                  social_worker_ids: Iterable[int], today: dt.date) -> list[Due]:
    """"Introduction #n is due its follow-up" to each social worker named, from its day on
    while the introduction is open (a new day set is a new notice)."""
    if status != "open" or follow_up_state(follow_up_on, today) not in ("due", "overdue"):
        return []
    return [Due("follow_up_due", {"introduction_id": introduction_id, "follow_up_on": follow_up_on.isoformat()},
                f"follow-up-due.{introduction_id}.{follow_up_on.isoformat()}.u{user_id}", user_id=user_id)
            for user_id in sorted(set(social_worker_ids))]


def safeguarding_expiring(member_id: int, member_name: str, *, expires_on_day: dt.date | None,
                          coordinator_ids: Iterable[int], today: dt.date) -> list[Due]:
    """"A safeguarding check expires on ..." to each coordinator, within 30 days of that day."""
    if expires_on_day is None or not today <= expires_on_day <= today + dt.timedelta(days=SAFEGUARDING_WARNING_DAYS):
        return []
    return [Due("safeguarding_expiring", {"member_id": member_id, "name": member_name,
                                          "expires_on": expires_on_day.isoformat()},
                f"safeguarding-expiring.{member_id}.{expires_on_day.isoformat()}.u{user_id}", user_id=user_id)
            for user_id in sorted(set(coordinator_ids))]
