"""The words a match is stored with: its proposals, introductions and their outcomes.

What each side says about the difference the help made is `assessments.DIFFERENCES`.
"""
from __future__ import annotations

__all__ = ["PROPOSAL_STATUSES", "INTRODUCTION_STATUSES", "OUTCOME_SIDES"]

#: Proposed (or unmatched, with the reason) by the engine; accepted or rejected by a person.
PROPOSAL_STATUSES = ("proposed", "accepted", "rejected", "unmatched")
INTRODUCTION_STATUSES = ("open", "closed")
#: An outcome is told from each side of an introduction: the person helped and the helper.
OUTCOME_SIDES = ("helped", "helper")
