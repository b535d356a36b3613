"""The words a match is stored with: its proposals, introductions and their outcomes, and
the rule that keeps a person's decision: a pair they rejected is not proposed again.

What each side says about the difference the help made is `assessments.DIFFERENCES`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

__all__ = [
    "PROPOSAL_STATUSES",
    "INTRODUCTION_STATUSES",
    "OUTCOME_SIDES",
    "EXAMPLE_SIDES",
    "EXAMPLE_SOURCES",
    "Proposed",
    "without_forbidden",
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


class Proposed(NamedTuple):
    """What the engine gave one need: the capability it chose (or None), its score, and
    its best candidates as (capability, score), best first."""

    need: str
    capability: str | None
    score: float | None
    candidates: tuple[tuple[str, float], ...]


def without_forbidden(proposed: Sequence[Proposed], forbidden: set[tuple[str, str]],
                      capacity: Mapping[str, int], min_score: float = 0.0) -> list[Proposed]:
    """The engine's choices with every forbidden (need, capability) pair taken out.

    A need whose chosen helper was forbidden gets its best other candidate that scores
    at least `min_score` and still has room (`capacity` is what each capability can
    take in this run; the choices kept are counted first), or none. Forbidden
    candidates are left out of every need's list, so they are not offered as
    alternatives either. Needs keep their order.
    """
    left = dict(capacity)
    for p in proposed:
        if p.capability is not None and (p.need, p.capability) not in forbidden:
            left[p.capability] = left.get(p.capability, 1) - 1
    result = []
    for p in proposed:
        allowed = tuple(c for c in p.candidates if (p.need, c[0]) not in forbidden)
        if p.capability is None or (p.need, p.capability) not in forbidden:
            result.append(p._replace(candidates=allowed))
            continue
        chosen = next((c for c in allowed if c[1] >= min_score and left.get(c[0], 1) > 0), None)
        if chosen is not None:
            left[chosen[0]] = left.get(chosen[0], 1) - 1
        result.append(Proposed(p.need, chosen[0] if chosen else None, chosen[1] if chosen else None, allowed))
    return result


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
