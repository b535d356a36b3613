"""Scores in [0, 1] for (need, capability) pairs.

A pair's score is mostly category agreement (from the profile's own category, or read
from the text by a reader: by default the learned and the hand-made readers voting,
:func:`matching.learned.default_reader`), then the overlap of the words themselves, then
whether the helper already does this, then how near they are.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matching.knowledge import Knowledge, load_knowledge
from matching.text import read_text
from matching.vectors import TextSpace

__all__ = ["WEIGHTS", "MIN_SCORE", "Features", "Reader", "build_features", "combine", "default_reader",
           "pair_scores", "proximity"]

#: How much each part contributes to a score (:func:`combine`); they sum to 1, so a score is at most 1.
WEIGHTS = {"category": 0.72, "words": 0.16, "doing": 0.06, "nearness": 0.06}
#: Below this a need stays unassigned: a poor match is worse than none.
MIN_SCORE = 0.55
# A text's evidence for its categories is squashed against this much "don't know", so
# one weak word does not make a confident category.
_UNSURE = 0.8
# Texts whose strongest term weighs less than this also get a guess by likeness.
_FALLBACK_BELOW = 0.6
_LIKENESS_CONFIDENCE = 0.7
_LIKENESS_REFERENCES = 1000
# Below this TF-IDF cosine a text is not like a category at all; above floor + span,
# as sure as likeness ever makes it.
_LIKENESS_FLOOR = 0.1
_LIKENESS_SPAN = 0.2
# A reader's probability below this is not evidence: a vague text spreads a little over
# many services, and two vague texts must not agree by having spread alike.
_READ_FLOOR = 0.2
# Buckets for candidate generation: the categories a text is at least this likely to be.
BUCKET_MIN_PROBABILITY = 0.15
# Remote help has no distance limit; nearer is still a little nicer, over this scale.
_REMOTE_NEAR_KM = 50.0


@dataclass
class Features:
    """What the scorer knows about each need (``n_``) and capability (``c_``).

    ``labels`` are the category ids: the taxonomy's, then any other category named in
    the input. ``*_root`` rows hold the square roots of category probabilities, so that
    ``n_root @ c_root.T`` is the Bhattacharyya overlap of two category distributions;
    ``*_words`` rows are L2-normalised TF-IDF vectors of the words and letter sequences
    (:class:`matching.vectors.TextSpace`); ``likeness_words`` maps a text the taxonomy
    could not read to the category its likeness gave it and the words that carried it.
    """

    labels: list[str]
    n_prob: np.ndarray
    c_prob: np.ndarray
    n_root: np.ndarray
    c_root: np.ndarray
    n_words: sparse.csr_matrix
    c_words: sparse.csr_matrix
    n_given: np.ndarray
    c_given: np.ndarray
    likeness_words: dict = field(default_factory=dict)
    knowledge: Knowledge | None = None

    def top_category(self, prob_row: np.ndarray) -> str | None:
        """The most likely category id of a probability row, or None when nothing is known."""
        k = int(np.argmax(prob_row))
        return self.labels[k] if prob_row[k] > 0 else None

    def top_categories(self, prob: np.ndarray) -> list[str | None]:
        """:meth:`top_category` of every row."""
        best = np.argmax(prob, axis=1)
        known = prob[np.arange(len(prob)), best] > 0
        return [self.labels[k] if ok else None for k, ok in zip(best.tolist(), known.tolist())]


def _unique(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """Distinct texts in first-seen order, and each text's position among them."""
    distinct = list(dict.fromkeys(texts))
    position = {text: u for u, text in enumerate(distinct)}
    return distinct, np.array([position[t] for t in texts], dtype=np.int64)


def _guess_by_likeness(space: TextSpace, vectors, unsure: np.ndarray, sure: np.ndarray,
                       sure_labels: np.ndarray, n_labels: int) -> np.ndarray:
    """Category rows for texts the taxonomy could not read, from their word and letter
    sequence TF-IDF likeness to each category's reference document and to texts it read
    confidently (so a word it has never seen can borrow the category of texts using it)."""
    likeness = np.zeros((len(unsure), n_labels))
    references = space.reference_similarity(vectors[unsure])
    likeness[:, :references.shape[1]] = references
    if len(sure):
        by_text = space.likeness(vectors[unsure], vectors[sure])
        for k in np.unique(sure_labels).tolist():
            likeness[:, k] = np.maximum(likeness[:, k], by_text[:, sure_labels == k].max(axis=1))
    # Only the strongest likeness counts, and never as much as a word the taxonomy knows.
    top = likeness.max(axis=1, keepdims=True)
    likeness[likeness < top * 0.85] = 0.0
    squared = np.square(likeness)
    sure_of_it = np.clip((top - _LIKENESS_FLOOR) / _LIKENESS_SPAN, 0.0, 1.0)
    return _LIKENESS_CONFIDENCE * sure_of_it * squared / (squared.sum(axis=1, keepdims=True) + 1e-12)


def _probabilities(distinct: list[str], space: TextSpace, vectors, n_labels: int, knowledge: Knowledge
                   ) -> tuple[np.ndarray, dict[str, tuple[int, tuple[str, ...]]]]:
    """Category probabilities of distinct texts, and for those placed by likeness alone,
    the category and the words that carried it."""
    rows = np.zeros((len(distinct), n_labels), dtype=np.float64)
    evidence = np.zeros(len(distinct))
    for u, text in enumerate(distinct):
        weights = read_text(text, knowledge).weights
        if weights:
            ks, ws = zip(*weights)
            squared = np.square(np.array(ws))
            rows[u, list(ks)] = squared / (squared.sum() + _UNSURE**2)
            evidence[u] = max(ws)
    likeness_words = {}
    unsure = np.flatnonzero(evidence < _FALLBACK_BELOW)
    if len(unsure):
        # A thousand confidently read texts teach enough new words; more only cost time.
        sure = np.flatnonzero((evidence >= 1.5) & (rows.max(axis=1) >= 0.6))[:_LIKENESS_REFERENCES]
        guessed = _guess_by_likeness(space, vectors, unsure, sure, np.argmax(rows[sure], axis=1), n_labels)
        for u, row in zip(unsure.tolist(), guessed):
            k = int(np.argmax(row))
            if row[k] > rows[u].max():
                likeness_words[distinct[u]] = (k, space.carrying_words(distinct[u], vectors[u], k)
                                               if k < len(knowledge.categories) else ())
        rows[unsure] = np.maximum(rows[unsure], guessed)
    return rows, likeness_words


#: A reader: texts -> their probabilities over the knowledge's services, in order.
Reader = Callable[[Sequence[str]], np.ndarray]


def _read(distinct: list[str], space: TextSpace, vectors, n_labels: int, reader: Reader, knowledge: Knowledge
          ) -> tuple[np.ndarray, dict[str, tuple[int, tuple[str, ...]]]]:
    """Category rows of distinct texts read by ``reader``, and, for a text read as a
    category the hand-made reader found no words for, the words most like it."""
    rows = np.zeros((len(distinct), n_labels), dtype=np.float64)
    if distinct:
        rows[:, :len(knowledge.ids)] = reader(distinct)
    rows[rows < _READ_FLOOR] = 0.0
    likeness_words = {}
    for u, text in enumerate(distinct):
        k = int(np.argmax(rows[u]))
        if rows[u, k] > 0 and k not in dict(read_text(text, knowledge).evidence):
            likeness_words[text] = (k, space.carrying_words(text, vectors[u], k))
    return rows, likeness_words


def default_reader(knowledge: Knowledge | None = None) -> Reader:
    """The shipped reader over ``knowledge``: the learned and the hand-made readers voting."""
    from matching.learned import default_reader as shipped

    return shipped(knowledge or load_knowledge())


def build_features(needs, capabilities, knowledge: Knowledge | None = None, reader: Reader | None = None,
                   handmade_only: bool = False) -> Features:
    """Category probabilities and word vectors for every need and capability, read with
    ``knowledge`` (the shipped knowledge when None).

    ``reader`` reads texts into probabilities over the knowledge's services (default
    :func:`default_reader`); ``handmade_only`` reads with the hand-made reader and its
    likeness guess alone, as the engine did before the learned reader (kept to measure
    against)."""
    knowledge = knowledge or load_knowledge()
    labels = list(knowledge.ids)
    for item in list(needs) + list(capabilities):
        if item.category is not None and item.category not in labels:
            labels.append(item.category)
    index = {label: k for k, label in enumerate(labels)}
    # Needs and capabilities are read together: each side teaches the other new words.
    distinct, inverse = _unique([n.text for n in needs] + [c.text for c in capabilities])
    space = TextSpace(knowledge=knowledge)
    vectors = space.fit_transform(distinct)
    if handmade_only:
        rows, likeness_words = _probabilities(distinct, space, vectors, len(labels), knowledge)
    else:
        rows, likeness_words = _read(distinct, space, vectors, len(labels), reader or default_reader(knowledge),
                                     knowledge)
    prob = rows[inverse]
    for i, category in enumerate([n.category for n in needs] + [c.category for c in capabilities]):
        if category is not None:
            prob[i] = 0.0
            prob[i, index[category]] = 1.0  # an assessor's choice is trusted
    n_prob, c_prob = prob[:len(needs)], prob[len(needs):]
    return Features(
        labels=labels,
        n_prob=n_prob,
        c_prob=c_prob,
        n_root=np.sqrt(n_prob),
        c_root=np.sqrt(c_prob),
        n_words=vectors[inverse[:len(needs)]],
        c_words=vectors[inverse[len(needs):]],
        n_given=np.array([n.category is not None for n in needs], dtype=bool),
        c_given=np.array([c.category is not None for c in capabilities], dtype=bool),
        likeness_words=likeness_words,
        knowledge=knowledge,
    )


def proximity(distance_km: np.ndarray, max_km: np.ndarray, remote: np.ndarray) -> np.ndarray:
    """1 next door, falling to 0 at the helper's limit (or 50 km for remote help);
    0.5 when a location is missing and only the area is known."""
    scale = np.where(remote, _REMOTE_NEAR_KM, max_km)
    near = 1.0 - np.minimum(distance_km / scale, 1.0)
    return np.where(np.isnan(distance_km), 0.5, near)


def combine(category: np.ndarray, words: np.ndarray, doing: np.ndarray, nearness: np.ndarray) -> np.ndarray:
    """The score formula, written once: the parts of a score weighed by :data:`WEIGHTS`.

    ``category`` is the overlap of two category distributions, ``words`` the cosine of
    two texts' vectors (each capped at 1), ``doing`` 1 when the helper already does
    this, ``nearness`` from :func:`proximity`. Arrays broadcast, so pairs can come as
    parallel arrays or as a block of needs against a row of capabilities.
    """
    return (WEIGHTS["category"] * np.minimum(category, 1.0)
            + WEIGHTS["words"] * np.minimum(words, 1.0)
            + WEIGHTS["doing"] * doing
            + WEIGHTS["nearness"] * nearness)


def pair_scores(features: Features, need_idx: np.ndarray, cap_idx: np.ndarray, doing: np.ndarray,
                nearness: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Scores of (need, capability) pairs given as parallel index arrays."""
    out = np.empty(len(need_idx), dtype=np.float64)
    for start in range(0, len(need_idx), chunk):
        i = need_idx[start:start + chunk]
        j = cap_idx[start:start + chunk]
        category = np.einsum("ij,ij->i", features.n_root[i], features.c_root[j])
        words = np.asarray(features.n_words[i].multiply(features.c_words[j]).sum(axis=1)).ravel()
        out[start:start + chunk] = combine(category, words, doing[j], nearness[start:start + chunk])
    return np.clip(out, 0.0, 1.0)
