"""Texts as vectors, by scikit-learn: TF-IDF over words and over character n-grams.

These rank two texts of one service by how much of their wording they share: a
misspelt or dialect word keeps most of its letter sequences ("perscripshun", "shoping").
Which service a text is about is read by :mod:`matching.reader`.

scikit-learn is imported here only, and only its two submodules in use, when vectors
are first built: ``import matching`` and the taxonomy stay light. Importing them costs
about 0.9 s on this machine (most of it scipy.stats, which scikit-learn loads itself).

Latent semantic analysis was measured and left out: on our held-out wording it placed
texts worse than the TF-IDF vectors themselves (see the README).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import sparse

from matching.text import STOP_WORDS, read_text, tokens

__all__ = ["TextSpace", "content_words", "alike_words", "CHAR_NGRAMS"]

#: Letter sequences of these lengths, within words (scikit-learn's ``char_wb``).
CHAR_NGRAMS = (3, 5)


@lru_cache(maxsize=200_000)
def content_words(text: str) -> str:
    """The text's content words, lower case, in order: what the letter sequences are
    taken from (filler words would make every text a little alike)."""
    return " ".join(w for w in tokens(text) if w not in STOP_WORDS and len(w) > 1 and not w.isdigit())


def _stems(text: str) -> list[str]:
    # The same stems as the explanations, so "both mention" names exactly the word
    # features two texts share.
    return [s for s, _ in read_text(text).stems]


class TextSpace:
    """Word and character n-gram TF-IDF vectors of texts.

    Fitted on the texts to be matched, so that
    the inverse document frequencies say which words and letter sequences are common in
    this input. Rows are L2-normalised: a dot product is a cosine in [0, 1].

    Args:
        word_share: how much of a vector's weight is words (the rest is letter sequences).
    """

    def __init__(self, word_share: float = 0.5):
        self.word_share = word_share

    def fit_transform(self, texts: list[str]):
        """Fit on ``texts``; return their vectors (one row each). Sets ``words_`` and
        ``chars_`` (the fitted vectorizers)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        documents = list(texts)
        self.words_ = TfidfVectorizer(analyzer=_stems, sublinear_tf=True, dtype=np.float64)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, preprocessor=content_words,
                                      sublinear_tf=True, dtype=np.float64)
        words = self.words_.fit_transform(documents)
        chars = self.chars_.fit_transform(documents)
        matrix = _normalise(sparse.hstack([words * np.sqrt(self.word_share),
                                           chars * np.sqrt(1.0 - self.word_share)], format="csr"))
        return matrix

    def transform(self, texts: list[str]):
        """TF-IDF vectors of more texts in the fitted space."""
        return _normalise(sparse.hstack([self.words_.transform(texts) * np.sqrt(self.word_share),
                                         self.chars_.transform(texts) * np.sqrt(1.0 - self.word_share)],
                                        format="csr"))

    def likeness(self, a, b) -> np.ndarray:
        """Cosines between the rows of ``a`` and of ``b`` (dense, ``len(a)`` x ``len(b)``)."""
        return (a @ b.T).toarray()


def _normalise(matrix):
    """Rows of a sparse matrix scaled to unit length (empty rows stay empty)."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


@lru_cache(maxsize=200_000)
def _grams(word: str) -> frozenset[str]:
    padded = f" {word} "
    return frozenset(padded[i:i + n] for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1)
                     for i in range(len(padded) - n + 1))


@lru_cache(maxsize=200_000)
def alike_words(need_text: str, cap_text: str, floor: float = 0.45) -> tuple[tuple[str, str], ...]:
    """Pairs of words, one from each text, that are not the same word but share most of
    their letter sequences ("perscription" and "prescriptions"): what the letter part of
    the score credits beyond the words both texts use."""
    need_words = list(dict.fromkeys(content_words(need_text).split()))
    cap_words = list(dict.fromkeys(content_words(cap_text).split()))
    same = {s for s, _ in read_text(need_text).stems} & {s for s, _ in read_text(cap_text).stems}
    written = {w: s for s, w in read_text(need_text).words} | {w: s for s, w in read_text(cap_text).words}
    found = []
    for a in need_words:
        if len(a) < 4 or written.get(a) in same:
            continue
        ga = _grams(a)
        for b in cap_words:
            if len(b) < 4 or written.get(b) in same:
                continue
            gb = _grams(b)
            if len(ga & gb) / np.sqrt(len(ga) * len(gb)) >= floor:
                found.append((a, b))
                break
    return tuple(found)
