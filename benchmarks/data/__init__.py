"""Labelled wording for measuring how the engine reads free text, outside the tests.

:mod:`benchmarks.data.tuned` holds the sets the engine was tuned on (regression sets,
which tests may gate on); :mod:`benchmarks.data.locked` holds the sets nothing was tuned
on, which only ``benchmarks/matching_quality.py`` reads. The counts below are the one
way both the tests and the benchmark score a set.
"""
from __future__ import annotations

__all__ = ["hits", "needs_read_right"]


def needs_read_right(texts: list[tuple[str, str]], handmade_only: bool = False) -> int:
    """How many ``(text, category_id)`` rows the engine's most likely category gets right,
    each text read as a need and all of them read together (as a small input is)."""
    from matching.profiles import Need
    from matching.scoring import build_features

    features = build_features([Need(str(i), text) for i, (text, _) in enumerate(texts)], [],
                              handmade_only=handmade_only)
    return sum(features.top_category(row) == want for row, (_, want) in zip(features.n_prob, texts))


def hits(rows: list[tuple[str, str, str]], handmade_only: bool = False) -> int:
    """How many ``(text, category_id, side)`` rows the engine reads as the category they
    were written for, needs and offers read together, as the engine reads an input."""
    from matching.profiles import Capability, Need
    from matching.scoring import build_features

    needs = [(t, c) for t, c, side in rows if side == "need"]
    caps = [(t, c) for t, c, side in rows if side == "capability"]
    features = build_features([Need(str(i), t) for i, (t, _) in enumerate(needs)],
                              [Capability(str(i), t) for i, (t, _) in enumerate(caps)], handmade_only=handmade_only)
    right = sum(features.top_category(row) == want for row, (_, want) in zip(features.n_prob, needs))
    return right + sum(features.top_category(row) == want
                       for row, (_, want) in zip(features.c_prob, caps))
