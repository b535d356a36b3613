"""Scores in [0, 1] for (need, capability) pairs.

A pair's score is mostly category agreement (from the profile's own category, or inferred
from the text through the taxonomy), then the overlap of the words themselves, then
whether the helper already does this, then how near they are.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from matching.taxonomy import CATEGORIES
from matching.text import STOP_WORDS, read_text, tokens

__all__ = ["WEIGHTS", "MIN_SCORE", "Features", "build_features", "pair_scores", "proximity"]

#: How much each part contributes to a score; they sum to 1.
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
# Below this cosine of character n-grams two texts are not alike at all.
_LIKENESS_FLOOR = 0.3
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
    ``*_words`` rows are L2-normalised TF-IDF vectors of the content words.
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


@lru_cache(maxsize=100_000)
def _char_grams(text: str) -> dict[str, float]:
    grams: dict[str, float] = {}
    for word in tokens(text):
        if word in STOP_WORDS or len(word) < 3:
            continue
        padded = f" {word} "
        for n in (3, 4):
            for i in range(len(padded) - n + 1):
                grams[padded[i:i + n]] = 1.0
    return grams


def _gram_matrix(texts: list[str], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """L2-normalised character n-gram rows; n-grams outside the vocabulary still count
    in the norm (they can only make two texts less alike)."""
    indptr, indices, norms = [0], [], []
    for text in texts:
        grams = _char_grams(text)
        indices.extend(vocabulary[g] for g in grams if g in vocabulary)
        indptr.append(len(indices))
        norms.append(np.sqrt(len(grams)) or 1.0)
    matrix = sparse.csr_matrix((np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
                               shape=(len(texts), len(vocabulary)))
    return sparse.csr_matrix(sparse.diags(1.0 / np.array(norms)) @ matrix)


@lru_cache(maxsize=1)
def _term_documents() -> tuple[tuple[str, ...], np.ndarray]:
    """Every taxonomy term (and category name) as a tiny document, with its category."""
    documents, labels = [], []
    for k, category in enumerate(CATEGORIES):
        for term in (category.name, *category.terms):
            if not term.startswith("~"):
                documents.append(term.lstrip("=").split("^")[0].replace("+", " "))
                labels.append(k)
    return tuple(documents), np.array(labels, dtype=np.int64)


def _guess_by_likeness(unsure: list[str], known: list[str], known_labels: np.ndarray,
                       n_labels: int) -> np.ndarray:
    """Category rows for texts the taxonomy could not read, from the character n-grams
    they share with single taxonomy terms and with texts it read confidently (so a word
    it has never seen can still borrow the category of texts that use it)."""
    documents, doc_labels = _term_documents()
    references = list(documents) + known
    labels = np.r_[doc_labels, known_labels]
    vocabulary: dict[str, int] = {}
    for text in references:
        for gram in _char_grams(text):
            vocabulary.setdefault(gram, len(vocabulary))
    ref_matrix = _gram_matrix(references, vocabulary)
    unsure_matrix = _gram_matrix(unsure, vocabulary)
    likeness = (unsure_matrix @ ref_matrix.T).toarray()
    best = np.zeros((len(unsure), n_labels))
    for k in range(len(CATEGORIES)):
        columns = np.flatnonzero(labels == k)
        if len(columns):
            best[:, k] = likeness[:, columns].max(axis=1)
    # Only the strongest likeness counts, and never as much as a word the taxonomy knows.
    top = best.max(axis=1, keepdims=True)
    best[best < top * 0.85] = 0.0
    squared = np.square(best)
    sure = np.clip((top - _LIKENESS_FLOOR) / 0.25, 0.0, 1.0)
    return _LIKENESS_CONFIDENCE * sure * squared / (squared.sum(axis=1, keepdims=True) + 1e-12)


def _probabilities(texts: list[str], given: list[str | None], labels: list[str]) -> np.ndarray:
    index = {label: k for k, label in enumerate(labels)}
    distinct, inverse = _unique(texts)
    rows = np.zeros((len(distinct), len(labels)), dtype=np.float64)
    evidence = np.zeros(len(distinct))
    for u, text in enumerate(distinct):
        weights = read_text(text).weights
        if weights:
            ks, ws = zip(*weights)
            squared = np.square(np.array(ws))
            rows[u, list(ks)] = squared / (squared.sum() + _UNSURE**2)
            evidence[u] = max(ws)
    unsure = np.flatnonzero(evidence < _FALLBACK_BELOW)
    if len(unsure):
        # A thousand confidently read texts teach enough new words; more only cost time.
        sure = np.flatnonzero((evidence >= 1.5) & (rows.max(axis=1) >= 0.6))[:_LIKENESS_REFERENCES]
        guessed = _guess_by_likeness([distinct[u] for u in unsure], [distinct[u] for u in sure],
                                     np.argmax(rows[sure], axis=1), len(labels))
        rows[unsure] = np.maximum(rows[unsure], guessed)
    prob = rows[inverse]
    for i, category in enumerate(given):
        if category is not None:
            prob[i] = 0.0
            prob[i, index[category]] = 1.0  # an assessor's choice is trusted
    return prob


def _word_vectors(n_texts: list[str], c_texts: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    distinct, inverse = _unique(n_texts + c_texts)
    vocabulary: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for text in distinct:
        for s, w in read_text(text).stems:
            indices.append(vocabulary.setdefault(s, len(vocabulary)))
            data.append(w)
        indptr.append(len(indices))
    unique_rows = sparse.csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                                     np.array(indptr, dtype=np.int64)), shape=(len(distinct), len(vocabulary)))
    matrix = unique_rows[inverse]
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = np.log((1 + matrix.shape[0]) / (1 + df)) + 1.0
    matrix = sparse.csr_matrix(matrix @ sparse.diags(idf))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    return matrix[: len(n_texts)], matrix[len(n_texts):]


def build_features(needs, capabilities) -> Features:
    """Category probabilities and word vectors for every need and capability."""
    labels = [c.id for c in CATEGORIES]
    for item in list(needs) + list(capabilities):
        if item.category is not None and item.category not in labels:
            labels.append(item.category)
    # Needs and capabilities are read together: each side teaches the fallback words.
    prob = _probabilities([n.text for n in needs] + [c.text for c in capabilities],
                          [n.category for n in needs] + [c.category for c in capabilities], labels)
    n_prob, c_prob = prob[:len(needs)], prob[len(needs):]
    n_words, c_words = _word_vectors([n.text for n in needs], [c.text for c in capabilities])
    return Features(
        labels=labels,
        n_prob=n_prob,
        c_prob=c_prob,
        n_root=np.sqrt(n_prob),
        c_root=np.sqrt(c_prob),
        n_words=n_words,
        c_words=c_words,
        n_given=np.array([n.category is not None for n in needs], dtype=bool),
        c_given=np.array([c.category is not None for c in capabilities], dtype=bool),
    )


def proximity(distance_km: np.ndarray, max_km: np.ndarray, remote: np.ndarray) -> np.ndarray:
    """1 next door, falling to 0 at the helper's limit (or 50 km for remote help);
    0.5 when a location is missing and only the area is known."""
    scale = np.where(remote, _REMOTE_NEAR_KM, max_km)
    near = 1.0 - np.minimum(distance_km / scale, 1.0)
    return np.where(np.isnan(distance_km), 0.5, near)


def pair_scores(features: Features, need_idx: np.ndarray, cap_idx: np.ndarray, doing: np.ndarray,
                nearness: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    """Scores of (need, capability) pairs given as parallel index arrays."""
    out = np.empty(len(need_idx), dtype=np.float64)
    for start in range(0, len(need_idx), chunk):
        i = need_idx[start:start + chunk]
        j = cap_idx[start:start + chunk]
        category = np.einsum("ij,ij->i", features.n_root[i], features.c_root[j])
        words = np.asarray(features.n_words[i].multiply(features.c_words[j]).sum(axis=1)).ravel()
        out[start:start + chunk] = (
            WEIGHTS["category"] * np.minimum(category, 1.0)
            + WEIGHTS["words"] * np.minimum(words, 1.0)
            + WEIGHTS["doing"] * doing[j]
            + WEIGHTS["nearness"] * nearness[start:start + chunk]
        )
    return np.clip(out, 0.0, 1.0)
