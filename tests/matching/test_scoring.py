"""The score formula: its weights, and the one place it is written."""
from __future__ import annotations

import numpy as np
import pytest

from matching.scoring import WEIGHTS, combine


def test_the_weights_sum_to_one_so_a_perfect_pair_scores_exactly_one():
    assert sum(WEIGHTS.values()) == pytest.approx(1.0, abs=1e-12)
    assert combine(np.ones(1), np.ones(1), np.ones(1), np.ones(1)) == pytest.approx([1.0], abs=1e-12)


def test_each_part_is_capped_at_one_before_it_is_weighed():
    # Rounding can lift an overlap or a cosine a hair above 1; it never lifts the score.
    assert combine(np.array([1.5]), np.array([1.5]), np.ones(1), np.ones(1)) == pytest.approx([1.0], abs=1e-12)
