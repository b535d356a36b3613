"""Scores in [0, 1] for (need, capability) pairs.

A pair's score is mostly category agreement (from the profile's own category, or inferred
from the text by the learned reader), then the overlap of the words themselves, then
whether the helper already does this, then how near they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matching.vectors import TextSpace

__all__ = ["WEIGHTS", "MIN_SCORE", "Features", "build_features", "combine", "pair_scores", "proximity"]

#: How much each part contributes to a score (:func:`combine`); they sum to 1, so a score is at most 1.
WEIGHTS = {"category": 0.72, "words": 0.16, "doing": 0.06, "nearness": 0.06}
#: Below this a need stays unassigned: a poor match is worse than none.
MIN_SCORE = 0.55
# Buckets for candidate generation: the categories a text is at least this likely to be.
BUCKET_MIN_PROBABILITY = 0.15
# Remote help has no distance limit; nearer is still a little nicer, over this scale.
_REMOTE_NEAR_KM = 50.0


@dataclass
class Features:
    """What the scorer knows about each need (``n_``) and capability (``c_``).

    ``labels`` are the service ids: the reader's, then any other service of the
    knowledge or named in the input. ``*_root`` rows hold the square roots of category probabilities, so that
    ``n_root @ c_root.T`` is the Bhattacharyya overlap of two category distributions;
    ``*_words`` rows are L2-normalised TF-IDF vectors of the words and letter sequences
    (:class:`matching.vectors.TextSpace`); ``readings`` maps each text read (no
    category given) to its :class:`matching.reader.Reading`; ``names`` maps service ids
    to the names people see.
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
    readings: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)

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


def build_features(needs, capabilities, knowledge=None, reader=None) -> Features:
    """Service probabilities and word vectors for every need and capability.

    ``knowledge`` (default: the shipped :func:`matching.knowledge.load_knowledge`) names
    the services; ``reader`` (default: :func:`matching.reader.default_reader` of that
    knowledge) reads the texts whose category the assessor did not give.
    """
    from matching.knowledge import load_knowledge
    from matching.reader import default_reader

    knowledge = knowledge if knowledge is not None else load_knowledge()
    reader = reader if reader is not None else default_reader(knowledge if knowledge is not load_knowledge() else None)
    labels = list(reader.services)
    for service in knowledge.services:
        if service.id not in labels:
            labels.append(service.id)
    for item in list(needs) + list(capabilities):
        if item.category is not None and item.category not in labels:
            labels.append(item.category)
    index = {label: k for k, label in enumerate(labels)}
    items = list(needs) + list(capabilities)
    # Needs and capabilities are read together: each side teaches the other new words.
    distinct, inverse = _unique([item.text for item in items])
    space = TextSpace()
    try:
        vectors = space.fit_transform(distinct)
    except ValueError:  # no content word in any text: nothing to compare
        vectors = sparse.csr_matrix((len(distinct), 1))
    # Only texts without an assessor's category are read: the rest are trusted.
    unread = sorted({int(inverse[i]) for i, item in enumerate(items) if item.category is None})
    rows = np.zeros((len(distinct), len(labels)), dtype=np.float64)
    readings = {}
    if unread:
        texts = [distinct[u] for u in unread]
        prob_read, read = reader.read_with_probabilities(texts)
        rows[np.array(unread)[:, None], np.arange(len(reader.services))[None, :]] = prob_read
        readings = dict(zip(texts, read))
        # A text the reader cannot place, or that only describes the person, votes for nothing.
        unplaced = [u for u, reading in zip(unread, read) if reading.service_id is None]
        rows[unplaced] = 0.0
    prob = rows[inverse]
    for i, item in enumerate(items):
        if item.category is not None:
            prob[i] = 0.0
            prob[i, index[item.category]] = 1.0  # an assessor's choice is trusted
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
        readings=readings,
        names={s.id: s.name for s in knowledge.services},
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
