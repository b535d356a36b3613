"""The capabilities-matching engine: needs meet capabilities, within the hard rules.

Pure library: no database, no web. What it knows about services is data
(``matching/data/*.toml``), read by :mod:`matching.knowledge` on first use and passed to
:func:`match` as a parameter. ``matching.knowledge`` stays light (the ledger seeds each
bank's service list from it), so the heavier parts load only when first used.
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
    "Knowledge",
    "load_knowledge",
]

_LAZY = {"Candidate": "matching.engine", "MatchResult": "matching.engine", "match": "matching.engine",
         "write_matches": "matching.engine", "MIN_SCORE": "matching.scoring",
         "Knowledge": "matching.knowledge", "load_knowledge": "matching.knowledge"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'matching' has no attribute {name!r}")
