"""The words a match is stored with: its proposals, introductions and their outcomes.

A pair a person rejected is not proposed again: the engine itself leaves it out
(`matching.match(..., forbidden_pairs=...)`), so it takes no helper's capacity.

What each side says about the difference the help made is `assessments.DIFFERENCES`.
"""
from __future__ import annotations

import datetime as dt

__all__ = [
    "PROPOSAL_STATUSES",
    "INTRODUCTION_STATUSES",
    "OUTCOME_SIDES",
    "EXAMPLE_SIDES",
    "EXAMPLE_SOURCES",
    "RECENT_RUN",
    "asks_before_running",
]

#: A new run this soon after the last one is asked about first ("are you sure?").
RECENT_RUN = dt.timedelta(hours=1)

#: Proposed (or unmatched, with the reason) by the engine; accepted or rejected by a person.
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected", "unmatched")
INTRODUCTION_STATUSES = ("open", "closed")
#: An outcome is told from each side of an introduction: the person helped and the helper.
OUTCOME_SIDES = ("helped", "helper")
#: A training example is a need's words or a capability's.
EXAMPLE_SIDES = ("need", "capability")
#: Where it came from: a social worker's correction of a reading, or an accepted match.
EXAMPLE_SOURCES = ("correction", "accepted_match")


def asks_before_running(latest_run_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a new run must be confirmed first: the last one was made within `RECENT_RUN`.

    A new run makes a new list, and the proposals of the last one then sit one page back:
    within the hour that is far more often a second click, or a colleague's run not yet
    seen, than a wish to start again.
    """
    if latest_run_at is None:
        return False
    if latest_run_at.tzinfo is None:  # SQLite gives the stored UTC moment back naive
        latest_run_at = latest_run_at.replace(tzinfo=dt.UTC)
    return now - latest_run_at < RECENT_RUN
