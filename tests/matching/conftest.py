"""Factories for small handmade profiles."""
from __future__ import annotations

import itertools
import json

import pytest

from matching.profiles import parse_profile

_ids = itertools.count(1)

# Two points in Edinburgh about 1.9 km apart, and one about 30 km away.
LEITH = [55.9700, -3.1700]
NEW_TOWN = [55.9560, -3.1900]
LINLITHGOW = [55.9770, -3.6000]


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path, monkeypatch):
    """`timebank match` keeps embeddings under $XDG_CACHE_HOME: a test's own, not the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def need(text: str, **fields) -> dict:
    """A need line with a fresh id."""
    return {"id": f"n{next(_ids)}", "text": text, **fields}


def offer(text: str, **fields) -> dict:
    """A capability line with a fresh id."""
    return {"id": f"c{next(_ids)}", "text": text, **fields}


def person(needs=(), offers=(), **fields) -> dict:
    """A profile line; located in Leith unless told otherwise."""
    fields.setdefault("location", LEITH)
    fields.setdefault("area", "Leith")
    return {"person": f"p{next(_ids)}", "needs": list(needs), "capabilities": list(offers), **fields}


def profiles(*people: dict):
    """Parse profile dicts as the reader would."""
    return [parse_profile(json.loads(json.dumps(p)), i + 1) for i, p in enumerate(people)]


@pytest.fixture
def write_jsonl(tmp_path):
    """Write dicts as a JSON Lines file and return its path."""

    def write(rows, name="profiles.jsonl"):
        path = tmp_path / name
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return path

    return write
