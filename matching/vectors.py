"""Texts as vectors, by scikit-learn: TF-IDF over words and over character n-grams.

The taxonomy reader (:mod:`matching.text`) finds the words it lists. These vectors reach
what it does not list: a misspelt or dialect word keeps most of its letter sequences
("perscripshun", "shoping", "hoose"), so a text with no listed word can still be placed
near a category's reference document (its name, description and words), and two texts
of one category rank by how much of their wording they share.

scikit-learn is imported here only, and only its two submodules in use, when vectors
are first built: ``import matching`` and the taxonomy stay light. Importing them costs
about 0.9 s on this machine (most of it scipy.stats, which scikit-learn loads itself).

Latent semantic analysis was measured and left out: on our held-out wording it placed
texts worse than the TF-IDF vectors themselves (see the README).
"""
from __future__ import annotations

from functools import lru_cache, partial

import numpy as np
from scipy import sparse

from matching.knowledge import Knowledge, load_knowledge
from matching.text import read_text, stop_words, tokens

__all__ = ["TextSpace", "reference_documents", "content_words", "alike_words", "CHAR_NGRAMS"]

#: Letter sequences of these lengths, within words (scikit-learn's ``char_wb``).
CHAR_NGRAMS = (3, 5)


@lru_cache(maxsize=200_000)
def content_words(text: str) -> str:
    """The text's content words, lower case, in order: what the letter sequences are
    taken from (filler words would make every text a little alike)."""
    filler = stop_words()
    return " ".join(w for w in tokens(text) if w not in filler and len(w) > 1 and not w.isdigit())


@lru_cache(maxsize=1)
def _char_analyzer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, preprocessor=content_words).build_analyzer()


@lru_cache(maxsize=200_000)
def letter_sequences(text: str) -> tuple[str, ...]:
    """The letter sequences of a text's content words, as scikit-learn's ``char_wb``
    analyzer gives them, kept: a bank's texts are fitted again at every run, and making
    their sequences anew was a third of the fit."""
    return tuple(_char_analyzer()(text))


def _stems(text: str, knowledge: Knowledge | None = None) -> list[str]:
    # The same spelling-corrected stems as the taxonomy reader and the explanations,
    # so "both mention" names exactly the word features two texts share.
    return [s for s, _ in read_text(text, knowledge).stems]


@lru_cache(maxsize=16)
def reference_documents(knowledge: Knowledge | None = None) -> tuple[str, ...]:
    """One document per category: its name, its description, its words and the example
    sentences a bank gave for it (the shipped knowledge when None)."""
    categories = (knowledge or load_knowledge()).categories
    return tuple(". ".join([c.name, c.description, ", ".join(t.text for t in c.parsed_terms), *c.examples])
                 for c in categories)


@lru_cache(maxsize=16)
def _term_documents(knowledge: Knowledge) -> tuple[tuple[str, ...], np.ndarray]:
    """Every category name, strong term and example sentence as a tiny document of its
    own, with its category."""
    documents, labels = [], []
    for k, category in enumerate(knowledge.categories):
        strong = [t.text for t in category.parsed_terms if not t.weak] + list(category.examples)
        documents.extend([category.name, *strong])
        labels.extend([k] * (1 + len(strong)))
    return tuple(documents), np.array(labels, dtype=np.int64)


class TextSpace:
    """Word and character n-gram TF-IDF vectors of texts and of the category references.

    Fitted on the reference documents together with the texts to be matched, so that
    the inverse document frequencies say which words and letter sequences are common in
    this input. Rows are L2-normalised: a dot product is a cosine in [0, 1].

    Args:
        word_share: how much of a vector's weight is words (the rest is letter sequences).
        knowledge: the services and their words (:mod:`matching.knowledge`); the shipped
            knowledge when None.
    """

    def __init__(self, word_share: float = 0.5, knowledge: Knowledge | None = None):
        self.word_share = word_share
        self.knowledge = knowledge

    def fit_transform(self, texts: list[str]):
        """Fit on the references and ``texts``; return the texts' vectors (one row each).

        Sets ``references_`` (one row per taxonomy category), ``terms_`` (one row per
        category name or term, its category in ``term_labels_``), ``words_`` and
        ``chars_`` (the fitted vectorizers).
        """
        from sklearn.feature_extraction.text import TfidfVectorizer

        knowledge = self.knowledge or load_knowledge()
        documents = list(reference_documents(knowledge)) + list(texts)
        self.words_ = TfidfVectorizer(analyzer=partial(_stems, knowledge=knowledge), sublinear_tf=True,
                                      dtype=np.float64)
        self.chars_ = TfidfVectorizer(analyzer=letter_sequences, sublinear_tf=True, dtype=np.float64)
        words = self.words_.fit_transform(documents)
        chars = self.chars_.fit_transform(documents)
        matrix = _normalise(sparse.hstack([words * np.sqrt(self.word_share),
                                           chars * np.sqrt(1.0 - self.word_share)], format="csr"))
        n_refs = len(knowledge.categories)
        self.references_ = matrix[:n_refs]
        terms, self.term_labels_ = _term_documents(knowledge)
        self.terms_ = self.transform(list(terms))
        return matrix[n_refs:]

    def transform(self, texts: list[str]):
        """TF-IDF vectors of more texts in the fitted space."""
        return _normalise(sparse.hstack([self.words_.transform(texts) * np.sqrt(self.word_share),
                                         self.chars_.transform(texts) * np.sqrt(1.0 - self.word_share)],
                                        format="csr"))

    def likeness(self, a, b) -> np.ndarray:
        """Cosines between the rows of ``a`` and of ``b`` (dense, ``len(a)`` x ``len(b)``)."""
        return (a @ b.T).toarray()

    def reference_similarity(self, vectors) -> np.ndarray:
        """Each text's likeness to each category (texts x categories): the cosine with the
        nearest of the category's references (its whole document, or one of its words)."""
        similarity = self.likeness(vectors, self.references_)
        # A short text is only a little like a long document; its nearest single word
        # or phrase of the category says more.
        by_term = self.likeness(vectors, self.terms_)
        for k in range(self.references_.shape[0]):
            similarity[:, k] = np.maximum(similarity[:, k], by_term[:, self.term_labels_ == k].max(axis=1))
        return similarity

    def _feature_names(self):
        # Built once a fit: scikit-learn rebuilds the list (of every letter sequence) per call.
        if getattr(self, "_names", None) is None or self._names[0] is not self.words_:
            self._names = (self.words_, self.words_.get_feature_names_out(), self.chars_.get_feature_names_out())
        return self._names[1], self._names[2]

    def carrying_words(self, text: str, vector, k: int, most: int = 3) -> tuple[str, ...]:
        """The text's words that carry most of its TF-IDF likeness to category ``k``'s
        reference, as written: each shared word or letter sequence is credited to the
        words it is in."""
        contribution = vector.multiply(self.references_[k]).tocsr()
        n_words = len(self.words_.vocabulary_)
        word_names, char_names = self._feature_names()
        written = dict((s, w) for s, w in read_text(text, self.knowledge).words)
        credit: dict[str, float] = {}
        for column, value in zip(contribution.indices.tolist(), contribution.data.tolist()):
            if column < n_words:
                word = written.get(word_names[column])
                if word:
                    credit[word] = credit.get(word, 0.0) + value
                continue
            gram = char_names[column - n_words]
            holders = [w for w in content_words(text).split() if gram.strip() in f" {w} "]
            for word in holders:
                credit[word] = credit.get(word, 0.0) + value / len(holders)
        ranked = sorted(credit.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(w for w, v in ranked[:most] if v > 0)


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
def alike_words(need_text: str, cap_text: str, floor: float = 0.45,
                knowledge: Knowledge | None = None) -> tuple[tuple[str, str], ...]:
    """Pairs of words, one from each text, that are not the same word but share most of
    their letter sequences ("perscription" and "prescriptions"): what the letter part of
    the score credits beyond the words both texts use."""
    need_words = list(dict.fromkeys(content_words(need_text).split()))
    cap_words = list(dict.fromkeys(content_words(cap_text).split()))
    need_read, cap_read = read_text(need_text, knowledge), read_text(cap_text, knowledge)
    same = {s for s, _ in need_read.stems} & {s for s, _ in cap_read.stems}
    written = {w: s for s, w in need_read.words} | {w: s for s, w in cap_read.words}
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
