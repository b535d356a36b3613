"""The learned reader: which service a need or an offer is about, with a probability.

Two scikit-learn logistic regressions, trained in seconds on the knowledge's labelled
sentences (service names, descriptions, words, examples) and a bank's own examples:

* the *quick* model reads letter sequences (character 2-5-grams within words) and words
  (uni- and bigrams), both TF-IDF; it reads every text;
* the *full* model reads the same plus the sentence embedding of a pre-trained encoder
  (:mod:`matching.embedding`); it reads only the texts the quick model is unsure of
  (top probability below ``embed_below``), because the encoder costs ~15 ms a text.

One more class, "about the person", is trained on sentences that only describe someone
("Lost my husband in the spring."). A text of several sentences is read sentence by
sentence first, and the sentences read as about the person are dropped before the rest is
read: they do not vote.

Models travel as bytes (:meth:`Reader.to_bytes`): an ``.npz`` of plain arrays with a JSON
header, loaded with ``allow_pickle=False``, so a stored model cannot carry code.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from matching.knowledge import Knowledge, load_knowledge

__all__ = ["Reading", "Reader", "default_reader", "PERSON"]

#: The class of sentences that only describe the person; never a service.
PERSON = "(about the person)"
_FORMAT = 1
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"(?u)\b\w[\w']*\b")
# Filler words never shown as the words that carried a reading.
_FILLER = frozenset([
    "a", "an", "the", "and", "or", "but", "to", "of", "for", "in", "on", "at", "by", "with", "from",
    "my", "me", "i", "im", "i'm", "i've", "we", "our", "you", "your", "someone", "somebody",
    "anyone", "anybody", "can", "could", "would", "will", "need", "needs", "needed", "help", "like",
    "love", "want", "please", "able", "happy", "get", "got", "do", "does", "is", "are", "be",
    "been", "am", "have", "has", "it", "its", "this", "that", "some", "any", "as", "so", "if",
    "just", "also", "too", "very", "really", "wee", "bit"
])


@dataclass(frozen=True)
class Reading:
    """What a text is about: the most likely service (None when nothing is known), its
    probability, the words of the text that carried it, and the next most likely."""

    service_id: str | None
    confidence: float
    words: tuple[str, ...]
    alternatives: tuple[tuple[str, float], ...]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _vectorizers(config: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True,
                            min_df=1, dtype=np.float32)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True,
                            token_pattern=_WORD.pattern, min_df=1, dtype=np.float32)
    return chars, words


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)


class Reader:
    """Reads texts into services. Build with :meth:`train` or :meth:`from_bytes`."""

    #: Defaults chosen by the grouped cross-validation in ``benchmarks/reader_choice.py``.
    CONFIG = {"C": 5.0, "word_weight": 1.0, "char_weight": 1.0, "embed_weight": 1.0,
              "embed_below": 0.35, "person_below": 0.5, "unknown_below": 0.12}
    #: Settings of how to read, not of what was learned: taken from :data:`CONFIG` when a
    #: stored reader is loaded, so changing them needs no retraining.
    READING_SETTINGS = ("embed_below", "person_below", "unknown_below")

    def __init__(self, classes, chars, words, quick_coef, quick_bias, full_coef=None, full_bias=None,
                 config=None):
        self.classes = list(classes)
        self.services = [c for c in self.classes if c != PERSON]
        self._chars, self._words = chars, words
        self._quick = (quick_coef, quick_bias)
        self._full = (full_coef, full_bias) if full_coef is not None else None
        self.config = dict(self.CONFIG, **(config or {}))
        self._person = self.classes.index(PERSON) if PERSON in self.classes else None
        self._service_cols = np.array([k for k, c in enumerate(self.classes) if c != PERSON], dtype=np.int64)
        self._word_names = np.asarray(words.get_feature_names_out(), dtype=object)
        self.embedding_cache = None

    # -- training ------------------------------------------------------------------------
    @classmethod
    def train(cls, knowledge: Knowledge, examples: Iterable[tuple[str, str]] = (),
              use_embeddings: bool | None = None, config: dict | None = None) -> Reader:
        """Fit on the knowledge's labelled sentences and a bank's ``(text, service_id)``
        examples (corrections and accepted matches; unknown ids are skipped). Seconds."""
        from sklearn.linear_model import LogisticRegression

        from matching import embedding

        config = dict(cls.CONFIG, **(config or {}))
        known = set(knowledge.ids)
        rows = knowledge.labelled() + [(t, k) for t, k in examples if k in known and t and t.strip()]
        rows += [(t, PERSON) for t in knowledge.about_the_person]
        texts = [t for t, _ in rows]
        classes = list(knowledge.ids) + ([PERSON] if knowledge.about_the_person else [])
        index = {c: k for k, c in enumerate(classes)}
        y = np.array([index[k] for _, k in rows])
        chars, words = _vectorizers(config)
        x_quick = sparse.hstack([chars.fit_transform(texts) * config["char_weight"],
                                 words.fit_transform(texts) * config["word_weight"]]).tocsr()

        def fit(x):
            model = LogisticRegression(C=config["C"], max_iter=2000, tol=1e-2)
            model.fit(x, y)
            coef = np.zeros((len(classes), x.shape[1]), dtype=np.float32)
            bias = np.zeros(len(classes), dtype=np.float32)
            coef[model.classes_] = model.coef_
            bias[model.classes_] = model.intercept_
            # A class without a single example never wins.
            missing = np.setdiff1d(np.arange(len(classes)), model.classes_)
            bias[missing] = -1e4
            return coef, bias

        quick = fit(x_quick)
        full = (None, None)
        if use_embeddings is None:
            use_embeddings = embedding.available()
        if use_embeddings:
            vectors = embedding.embed(texts, _training_cache())
            full = fit(sparse.hstack([x_quick, sparse.csr_matrix(vectors * config["embed_weight"])]).tocsr())
        return cls(classes, chars, words, *quick, *full, config=config)

    # -- reading -------------------------------------------------------------------------
    def _cache(self):
        """Where embeddings are kept between runs: :attr:`embedding_cache` when set (False
        for none), else the file cache of :func:`matching.embedding.cache_dir`."""
        if self.embedding_cache is None:
            self.embedding_cache = _training_cache() or False
        return self.embedding_cache or None

    def _quick_x(self, texts: Sequence[str]):
        return (self._chars.transform(texts) * self.config["char_weight"],
                self._words.transform(texts) * self.config["word_weight"])

    def _probabilities(self, texts: list[str], full: bool = True) -> tuple[np.ndarray, sparse.csr_matrix]:
        x_chars, x_words = self._quick_x(texts)
        x = sparse.hstack([x_chars, x_words]).tocsr()
        coef, bias = self._quick
        prob = _softmax(np.asarray(x @ coef.T) + bias)
        if full and self._full is not None and len(texts):
            service_prob = prob[:, self._service_cols]
            unsure = np.flatnonzero(service_prob.max(axis=1) / np.maximum(service_prob.sum(axis=1), 1e-9)
                                    < self.config["embed_below"])
            if len(unsure):
                from matching import embedding

                vectors = embedding.embed([texts[i] for i in unsure], self._cache())
                xf = sparse.hstack([x[unsure], sparse.csr_matrix(vectors * self.config["embed_weight"])]).tocsr()
                prob[unsure] = _softmax(np.asarray(xf @ self._full[0].T) + self._full[1])
        return prob, x_words.tocsr()

    def _without_background(self, texts: list[str]) -> list[str]:
        """Each text less its sentences about the person (the text itself when every
        sentence is, or when it has only one)."""
        if self._person is None:
            return texts
        split = [_sentences(t) for t in texts]
        several = [i for i, s in enumerate(split) if len(s) > 1]
        if not several:
            return texts
        pieces = [s for i in several for s in split[i]]
        # The quick model only: a sentence's background-ness is in its words, and the
        # encoder would cost ~15 ms for each sentence of each long text.
        prob, _ = self._probabilities(pieces, full=False)
        background = (np.argmax(prob, axis=1) == self._person) & (prob[:, self._person] >= self.config["person_below"])
        out = list(texts)
        at = 0
        for i in several:
            n = len(split[i])
            kept = [s for s, drop in zip(split[i], background[at:at + n]) if not drop]
            at += n
            if kept and len(kept) < n:
                out[i] = " ".join(kept)
        return out

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Service probabilities (columns follow :attr:`services`) of each text, its
        sentences about the person left out; rows sum to at most 1."""
        distinct = list(dict.fromkeys(texts))
        prob, _ = self._probabilities(self._without_background(distinct))
        where = {t: u for u, t in enumerate(distinct)}
        return prob[[where[t] for t in texts]][:, self._service_cols]

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """One :class:`Reading` per text, in order."""
        return self.read_with_probabilities(texts)[1]

    def read_with_probabilities(self, texts: Sequence[str]) -> tuple[np.ndarray, list[Reading]]:
        """:meth:`probabilities` and :meth:`read` at the cost of one."""
        distinct = list(dict.fromkeys(texts))
        kept = self._without_background(distinct)
        prob, x_words = self._probabilities(kept)
        readings = {}
        coef = self._quick[0]
        service_prob = prob[:, self._service_cols]
        for u, text in enumerate(distinct):
            row = service_prob[u]
            order = np.argsort(-row)[:4]
            best = int(order[0]) if len(order) else -1
            # No service when the best is hardly better than chance: nothing in the text is
            # known, or it is all about the person (that class took the probability). The
            # person class never vetoes a text by itself: the first blind sets of December
            # showed whole needs in unfamiliar voices read as "about the person".
            if best < 0 or row[best] < self.config["unknown_below"]:
                readings[text] = Reading(None, 0.0, (), ())
                continue
            service = self.services[best]
            words = (self._carrying(x_words, u, self._service_cols[best], coef)
                     or self._carrying_letters(kept[u], self._service_cols[best], coef))
            readings[text] = Reading(service, float(row[best]), words,
                                     tuple((self.services[k], float(row[k])) for k in order[1:]))
        where = {t: u for u, t in enumerate(distinct)}
        return service_prob[[where[t] for t in texts]], [readings[t] for t in texts]

    def _carrying(self, x_words, u: int, k: int, coef: np.ndarray) -> tuple[str, ...]:
        """The words of a text whose features most raised service ``k``'s score."""
        start, end = x_words.indptr[u], x_words.indptr[u + 1]
        cols = x_words.indices[start:end]
        if not len(cols):
            return ()
        offset = len(self._chars.vocabulary_)
        gain = x_words.data[start:end] * coef[k, offset + cols]
        words = []
        for j in np.argsort(-gain):
            if gain[j] <= 0 or len(words) == 3:
                break
            name = self._word_names[cols[j]]
            if all(part in _FILLER for part in name.split()):
                continue
            if any(name in w or w in name for w in words):
                continue
            words.append(name)
        return tuple(words)

    def _carrying_letters(self, text: str, k: int, coef: np.ndarray) -> tuple[str, ...]:
        """For a text none of whose words the reader knows ("heeelp wiv me shoppin"):
        its words whose letter sequences most raised service ``k``'s score."""
        words = [w for w in dict.fromkeys(_WORD.findall(text.lower())) if w not in _FILLER and len(w) > 2]
        if not words:
            return ()
        x = self._chars.transform(words) * self.config["char_weight"]
        gain = np.asarray(x @ coef[k, :x.shape[1]]).ravel()
        return tuple(words[j] for j in np.argsort(-gain)[:3] if gain[j] > 0)

    # -- bytes ---------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The model as bytes: arrays in an ``.npz`` and a JSON header; no pickle."""
        header = {"format": _FORMAT, "classes": self.classes, "config": self.config,
                  "full": self._full is not None}
        arrays = {
            "header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            "char_vocab": np.array(_ordered(self._chars.vocabulary_), dtype=str),
            "char_idf": self._chars.idf_.astype(np.float32),
            "word_vocab": np.array(_ordered(self._words.vocabulary_), dtype=str),
            "word_idf": self._words.idf_.astype(np.float32),
            # float16 weights: half the bytes, and readings agree to three decimals.
            "quick_coef": self._quick[0].astype(np.float16), "quick_bias": self._quick[1],
        }
        if self._full is not None:
            arrays["full_coef"], arrays["full_bias"] = self._full[0].astype(np.float16), self._full[1]
        out = io.BytesIO()
        np.savez_compressed(out, **arrays)
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Reader:
        """A reader from :meth:`to_bytes`; arrays only, loaded without pickle."""
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            header = json.loads(npz["header"].tobytes().decode())
            if header.get("format") != _FORMAT:
                raise ValueError(f"unknown reader format {header.get('format')!r}")
            chars, words = _vectorizers(header["config"])
            for vectorizer, vocab, idf in ((chars, npz["char_vocab"], npz["char_idf"]),
                                           (words, npz["word_vocab"], npz["word_idf"])):
                vectorizer.vocabulary_ = {str(term): i for i, term in enumerate(vocab.tolist())}
                vectorizer.idf_ = idf.astype(np.float32)
            full = ((npz["full_coef"].astype(np.float32), npz["full_bias"]) if header["full"] else (None, None))
            config = {k: v for k, v in header["config"].items() if k not in cls.READING_SETTINGS}
            return cls(header["classes"], chars, words, npz["quick_coef"].astype(np.float32), npz["quick_bias"], *full,
                       config=config)


def _ordered(vocabulary: dict[str, int]) -> list[str]:
    terms = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        terms[i] = term
    return terms


def _training_cache():
    from matching.embedding import EmbeddingCache

    try:
        return EmbeddingCache()
    except OSError:  # a read-only home: encode without keeping
        return None


#: The reader trained on the shipped knowledge, built by ``python -m matching.reader``
#: and shipped so that a run does not train (nor embed the training sentences) first.
SHIPPED = Path(__file__).with_name("data") / "default_reader.npz"


def knowledge_fingerprint(knowledge: Knowledge) -> str:
    """A hash of everything a reader learns from a knowledge."""
    digest = hashlib.blake2b(digest_size=16)
    for text, label in knowledge.labelled() + [(t, PERSON) for t in knowledge.about_the_person]:
        digest.update(f"{label}\x00{text}\x01".encode())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def default_reader(knowledge: Knowledge | None = None) -> Reader:
    """The reader of the shipped knowledge (or of ``knowledge``), once a process: the
    shipped model when it was trained on exactly this knowledge, else trained now."""
    knowledge = knowledge if knowledge is not None else load_knowledge()
    fingerprint = knowledge_fingerprint(knowledge)
    if SHIPPED.exists():
        reader = Reader.from_bytes(SHIPPED.read_bytes())
        if reader.config.get("fingerprint") == fingerprint:
            return reader
    reader = Reader.train(knowledge)
    reader.config["fingerprint"] = fingerprint
    return reader


def _build() -> None:
    knowledge = load_knowledge()
    from matching import embedding

    texts = list(dict.fromkeys([t for t, _ in knowledge.labelled()] + list(knowledge.about_the_person)))
    embedding.write_shipped(texts, embedding.embed(texts, _training_cache()))
    reader = Reader.train(knowledge)
    reader.config["fingerprint"] = knowledge_fingerprint(knowledge)
    SHIPPED.write_bytes(reader.to_bytes())
    print(f"wrote {SHIPPED} ({SHIPPED.stat().st_size} bytes) and {embedding.SHIPPED}")


if __name__ == "__main__":
    _build()
