"""The capabilities-matching engine: needs meet capabilities, within the hard rules.

Pure library: no database, no web. ``matching.taxonomy`` stays light (the ledger imports
it), so the heavier parts load only when first used.
"""
from __future__ import annotations

from matching.profiles import Capability, Need, Profile, ProfileError, iter_profiles, read_profiles

__all__ = [
    "Capability",
    "Need",
    "Profile",
    "ProfileError",
    "iter_profiles",
    "read_profiles",
    "Candidate",
    "MatchResult",
    "match",
    "write_matches",
    "MIN_SCORE",
]

_LAZY = {"Candidate": "matching.engine", "MatchResult": "matching.engine", "match": "matching.engine",
         "write_matches": "matching.engine", "MIN_SCORE": "matching.scoring"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'matching' has no attribute {name!r}")
