"""The shipped service list, under its old name, for the code that seeds a new bank's
services from it (``timebank.services.banks``) and counts them (``timebank match``).

The services now live as data (``matching/data/services.toml``), read by
:func:`matching.knowledge.load_knowledge`; nothing is read until first asked for, so
importing this module stays light.
"""
from __future__ import annotations

__all__ = ["CATEGORIES", "CATEGORY_BY_ID"]  # noqa: F822 (read lazily by __getattr__)


def __getattr__(name: str):
    if name in ("CATEGORIES", "CATEGORY_BY_ID"):
        from matching.knowledge import load_knowledge

        knowledge = load_knowledge()
        return knowledge.services if name == "CATEGORIES" else knowledge.by_id
    raise AttributeError(f"module 'matching.taxonomy' has no attribute {name!r}")
