"""The words a match is stored with: its proposals, introductions and their outcomes.

A pair a person rejected is not proposed again: the engine itself leaves it out
(`matching.match(..., forbidden_pairs=...)`), so it takes no helper's capacity.

What each side says about the difference the help made is `assessments.DIFFERENCES`.
"""
from __future__ import annotations

__all__ = [
    "PROPOSAL_STATUSES",
    "INTRODUCTION_STATUSES",
    "OUTCOME_SIDES",
    "EXAMPLE_SIDES",
    "EXAMPLE_SOURCES",
]

#: Proposed (or unmatched, with the reason) by the engine; accepted or rejected by a person.
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected", "unmatched")
INTRODUCTION_STATUSES = ("open", "closed")
#: An outcome is told from each side of an introduction: the person helped and the helper.
OUTCOME_SIDES = ("helped", "helper")
#: A training example is a need's words or a capability's.
EXAMPLE_SIDES = ("need", "capability")
#: Where it came from: a social worker's correction of a reading, or an accepted match.
EXAMPLE_SOURCES = ("correction", "accepted_match")

