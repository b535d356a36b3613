"""The scikit-learn part: TF-IDF over words and letter sequences, placement by likeness,
ranking within a category, and the wording the engine was tuned on as a regression floor."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks.data import hits, needs_read_right
from benchmarks.data.tuned import BLIND_TUNING, FIRST_TUNING, WIDER_TUNING
from matching import match
from matching.profiles import Need
from matching.scoring import build_features
from matching.text import read_text
from matching.vectors import TextSpace, alike_words
from tests.matching.conftest import need, offer, person, profiles

from .test_boundaries import _modules_after


@pytest.mark.parametrize("rows, count, floor", [
    # 146/146, 96/96 and 214/214 when these floors were set; all three were tuned on.
    pytest.param(FIRST_TUNING, needs_read_right, 0.97, id="FIRST_TUNING"),
    pytest.param(WIDER_TUNING, needs_read_right, 0.90, id="WIDER_TUNING"),
    pytest.param(BLIND_TUNING, hits, 0.97, id="BLIND_TUNING"),
])
def test_the_wording_the_engine_was_tuned_on_is_still_read_right(rows, count, floor):
    """A regression floor, one per tuned set. The locked sets are not here: they are
    measured by benchmarks/matching_quality.py and reported, never gated."""
    assert count(rows) / len(rows) >= floor


@pytest.mark.parametrize("text, category", [
    ("heeelp wiv me shoppin pls", "shopping"),
    ("Need sombody to collect my perscripshuns", "prescriptions"),
])
def test_a_misspelt_need_with_no_taxonomy_word_is_placed_by_its_letter_sequences(text, category):
    assert read_text(text).weights == () or category not in {
        c for c in [build_features([Need("n", text)], []).labels[k] for k, _ in read_text(text).weights]}
    features = build_features([Need("n1", text)], [])
    assert features.top_category(features.n_prob[0]) == category
    assert 0.0 < features.n_prob[0].max() < 1.0  # a confidence, never certainty
    k, words = features.likeness_words[text]
    assert features.labels[k] == category and words


def test_gibberish_is_like_no_category():
    features = build_features([Need("n1", "zzz qqq xxv")], [])
    assert features.top_category(features.n_prob[0]) is None


def test_the_reasons_name_the_words_that_placed_a_misspelt_need():
    n = need("heeelp wiv me shoppin pls")
    shopper = offer("I do a weekly shop at Tesco for neighbours")
    [result] = match(profiles(person([n]), person([], [shopper])))
    assert result.capability == shopper["id"]
    assert "\u201cshoppin\u201d" in result.reasons[0] and "by their likeness in spelling" in result.reasons[0]


def test_within_a_category_the_closer_wording_ranks_first():
    # The assessor chose the category for all three, so only the free text can decide.
    n = need("My hedges are overgrown and need trimming back", category="gardening")
    hedges = offer("Can trim hedges and cut back bushes", category="gardening")
    lawns = offer("Can mow lawns and weed borders", category="gardening")
    [result] = match(profiles(person([n]), person([], [lawns]), person([], [hedges])), top_k=2)
    assert [c.capability for c in result.candidates] == [hedges["id"], lawns["id"]]


def test_a_misspelling_outside_the_taxonomy_still_ranks_by_its_letter_sequences():
    n = need("The rhodedendrons are out of control", category="gardening")
    shrubs = offer("Happy to prune rhododendrons and azaleas", category="gardening")
    grass = offer("Happy to cut grass and rake leaves", category="gardening")
    [result] = match(profiles(person([n]), person([], [grass]), person([], [shrubs])), top_k=2)
    assert [c.capability for c in result.candidates] == [shrubs["id"], grass["id"]]
    assert any("rhodedendrons / rhododendrons" in reason for reason in result.reasons)


def test_alike_words_leave_out_words_both_texts_use():
    assert alike_words("walk my dog", "dog walker, happy to walk dogs") == ()


def test_vectors_are_unit_length_and_the_same_every_time():
    texts = ["Need a lift to the GP", "I can drive people to appointments", "Need a lift to the GP"]
    first, second = TextSpace().fit_transform(texts), TextSpace().fit_transform(texts)
    assert (first != second).nnz == 0
    assert np.allclose(np.sqrt(first.multiply(first).sum(axis=1)), 1.0)
    assert np.allclose(first[0].toarray(), first[2].toarray())


def test_scikit_learn_loads_only_when_matching_runs_and_only_its_text_part():
    assert not any(m.startswith("sklearn") for m in _modules_after("import matching; from matching import match"))
    loaded = _modules_after("from matching import match; match([])")
    assert "sklearn.feature_extraction.text" in loaded
    assert not {"sklearn.decomposition", "sklearn.neighbors", "sklearn.linear_model"} & loaded
