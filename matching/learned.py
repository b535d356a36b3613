"""The learned reader: which service a need or an offer is about, with a calibrated probability.

A scikit-learn linear support vector classifier over TF-IDF letter sequences (2 to 5 letters within
words) and words (one and two), trained in about a second on the labelled texts shipped
in ``matching/data/examples/`` (the services' names, descriptions and words, and every
labelled set the project has) plus a bank's own corrections and accepted matches.

It does not replace the hand-made reader (:func:`matching.text.read_text`): the two vote
(:class:`CombinedReader`). Measured by leaving each labelled set out in turn
(``benchmarks/reader_choice.py``), the combination reads unseen wording better than
either alone: the hand-made reader knows rules (refusals, "learn to ...", the language
named), the learned one knows the words people actually use.

The service list is a parameter everywhere (ids in order): nothing here names a service.
Models travel as bytes (:meth:`LearnedReader.to_bytes`): an ``.npz`` of plain arrays,
loaded with ``allow_pickle=False``, so a stored model cannot carry code.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from matching.knowledge import Knowledge, load_knowledge

__all__ = ["EXAMPLES", "LearnedReader", "CombinedReader", "Reading", "default_reader",
           "handmade_proba", "load_examples"]

#: The shipped training examples, one jsonl file per source (``benchmarks/reader_examples.py``).
EXAMPLES = Path(__file__).parent / "data" / "examples"
_FORMAT = 1
_WORD_PATTERN = r"(?u)\b\w[\w']*\b"
# How sure the hand-made reader's evidence makes it: the engine's "don't know" weight
# (matching.scoring._UNSURE), so both read a text's evidence the same way.
_HANDMADE_UNSURE = 0.8


def load_examples(sources: Iterable[str] | None = None, services: Sequence[str] | None = None
                  ) -> list[tuple[str, str, str]]:
    """The shipped ``(text, service_id, source)`` examples, of the named sources (all when
    None), keeping only services on the list (all when None)."""
    keep = None if services is None else set(services)
    rows = []
    for path in sorted(EXAMPLES.glob("*.jsonl")):
        if sources is not None and path.stem not in sources:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if keep is None or row["service"] in keep:
                    rows.append((row["text"], row["service"], path.stem))
    return rows


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1,
                              dtype=np.float32)
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                            token_pattern=_WORD_PATTERN, dtype=np.float32)
    return letters, words


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)


class LearnedReader:
    """A text classifier into services: ``fit(texts, labels)``, ``predict_proba(texts)``.

    ``C`` is the linear SVM's inverse regularisation (liblinear, one service against the
    rest: a few seconds where a multinomial logistic regression took a minute on this
    machine); ``temperature`` divides its scores before a softmax, chosen so that the
    probabilities are calibrated on unseen wording (temperature scaling, measured in
    ``benchmarks/reader_choice.py``: a reading given 0.7 is right about 70% of the
    time). Fitted state ends in ``_``.
    """

    def __init__(self, C: float = 1.0, temperature: float = 0.12, random_state: int = 0):
        self.C = C
        self.temperature = temperature
        self.random_state = random_state

    def fit(self, texts: Sequence[str], labels: Sequence[str], sample_weight=None) -> LearnedReader:
        """Learn the services of labelled texts (each weighing ``sample_weight``, default 1); returns self."""
        from sklearn.svm import LinearSVC

        self.letters_, self.words_ = _vectorizers()
        x = self._stack(self.letters_.fit_transform(texts), self.words_.fit_transform(texts))
        model = LinearSVC(C=self.C, random_state=self.random_state)
        model.fit(x, np.asarray(labels), sample_weight=sample_weight)
        self.classes_ = [str(c) for c in model.classes_]
        self.coef_ = model.coef_.astype(np.float32)
        self.intercept_ = model.intercept_.astype(np.float32)
        if len(self.classes_) == 2:  # scikit-learn keeps one row for two classes
            self.coef_ = np.vstack([-self.coef_, self.coef_]) / 2
            self.intercept_ = np.array([-self.intercept_[0], self.intercept_[0]]) / 2
        return self

    @staticmethod
    def _stack(letters, words) -> sparse.csr_matrix:
        return sparse.hstack([letters, words], format="csr")

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self._stack(self.letters_.transform(texts), self.words_.transform(texts))

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.features(texts) @ self.coef_.T) + self.intercept_

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's probability of each of ``classes_``."""
        if not len(texts):
            return np.zeros((0, len(self.classes_)))
        return _softmax(self.decision_function(texts).astype(np.float64) / self.temperature)

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[k] for k in np.argmax(self.predict_proba(texts), axis=1)]

    def proba_for(self, texts: Sequence[str], services: Sequence[str]) -> np.ndarray:
        """Probabilities in the order of ``services`` (0 for a service it never learned)."""
        out = np.zeros((len(texts), len(services)))
        proba = self.predict_proba(texts)
        at = {c: k for k, c in enumerate(self.classes_)}
        for j, service in enumerate(services):
            if service in at:
                out[:, j] = proba[:, at[service]]
        return out

    # -- as bytes, without pickle ---------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The fitted model as an ``.npz`` of plain arrays (no pickle)."""
        buffer = io.BytesIO()
        header = {"format": _FORMAT, "C": self.C, "temperature": self.temperature,
                  "classes": self.classes_}
        arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
        for name, vectorizer in (("letters", self.letters_), ("words", self.words_)):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            arrays[f"{name}_terms"] = np.frombuffer("\x00".join(terms).encode(), dtype=np.uint8)
            arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
        arrays["coef"], arrays["intercept"] = self.coef_, self.intercept_
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedReader:
        """A model stored by :meth:`to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            header = json.loads(stored["header"].tobytes().decode())
            if header.get("format") != _FORMAT:
                raise ValueError(f"unknown reader format {header.get('format')!r}")
            reader = cls(C=header["C"], temperature=header["temperature"])
            reader.letters_, reader.words_ = _vectorizers()
            for name, vectorizer in (("letters", reader.letters_), ("words", reader.words_)):
                terms = stored[f"{name}_terms"].tobytes().decode().split("\x00")
                vectorizer.vocabulary_ = {t: k for k, t in enumerate(terms)}
                vectorizer.idf_ = stored[f"{name}_idf"].astype(np.float64)
            reader.classes_ = list(header["classes"])
            reader.coef_, reader.intercept_ = stored["coef"], stored["intercept"]
        return reader


def proba_by_sentence(learned: LearnedReader, texts: Sequence[str], services: Sequence[str],
                      background: float = 0.0) -> np.ndarray:
    """The learned reader's probabilities, read sentence by sentence: each sentence votes
    with how central it is (:func:`matching.text.sentences`, scaled so the most central
    counts 1), and sentences about the person count ``background`` of their weight (0:
    they do not vote unless no sentence is more central). A one-sentence text is read whole."""
    from matching.text import sentences

    pieces: list[str] = []
    owners: list[int] = []
    weights: list[float] = []
    for i, text in enumerate(texts):
        parts = sentences(text)
        top = max((w for _, w in parts), default=1.0)
        if len(parts) <= 1:
            parts = [(text, top)]
        for sentence, weight in parts:
            pieces.append(sentence)
            owners.append(i)
            weights.append(1.0 if weight >= top else background * weight / top)
    proba = learned.proba_for(pieces, services) * np.asarray(weights)[:, None]
    out = np.zeros((len(texts), len(services)))
    np.add.at(out, np.asarray(owners, dtype=np.int64), proba)
    total = np.zeros(len(texts))
    np.add.at(total, np.asarray(owners, dtype=np.int64), np.asarray(weights))
    return out / np.maximum(total, 1e-12)[:, None]


def handmade_proba(texts: Sequence[str], services: Sequence[str], knowledge: Knowledge) -> np.ndarray:
    """The hand-made reader's evidence as probabilities over ``services``: each category's
    squared evidence against a fixed "don't know" (as the engine reads it), so a row sums
    to less than 1 by how unsure it is. The hand-made reader reads with ``knowledge``
    (whose ids, in order, are its own indices)."""
    from matching.text import read_text

    all_ids = knowledge.ids
    at = {s: j for j, s in enumerate(services)}
    out = np.zeros((len(texts), len(services)))
    for i, text in enumerate(texts):
        weights = [(at[all_ids[k]], w) for k, w in read_text(text, knowledge).weights
                   if k < len(all_ids) and all_ids[k] in at]
        if weights:
            columns, evidence = zip(*weights)
            squared = np.square(np.array(evidence))
            np.add.at(out[i], list(columns), squared / (squared.sum() + _HANDMADE_UNSURE ** 2))
    return out


@dataclass(frozen=True)
class Reading:
    """The service read from one text (None when nothing is known), how sure the combined
    reader is, and whether the two voters agree on it (when not, a form should ask)."""

    service_id: str | None
    confidence: float
    agree: bool
    learned: str | None
    handmade: str | None


class CombinedReader:
    """The learned reader and the hand-made one, voting.

    A text's probabilities are the learned reader's, except that the hand-made reader's
    evidence takes ``handmade_weight`` of them in proportion to how sure it is: a text it
    cannot read is left to the learned reader, one it reads confidently is shared. Called
    with texts, it returns their probabilities over ``services`` (ids, in order).

    The learned reader reads the whole text: read sentence by sentence with background
    sentences silenced (``background``, see :func:`proba_by_sentence`) it read unseen
    wording 5 points worse (``benchmarks/reader_choice.py``: "ex-bookkeeper" is background
    and the offer both), so only the hand-made voter weighs sentences.
    """

    def __init__(self, learned: LearnedReader, services: Sequence[str], knowledge: Knowledge | None = None,
                 handmade_weight: float = 0.5, background: float | None = None):
        self.learned = learned
        self.services = list(services)
        self.knowledge = knowledge or load_knowledge()
        self.handmade_weight = handmade_weight
        self.background = background

    def parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The learned and the hand-made probabilities of each text, over ``services``."""
        learned = (self.learned.proba_for(texts, self.services) if self.background is None
                   else proba_by_sentence(self.learned, texts, self.services, self.background))
        return learned, handmade_proba(texts, self.services, self.knowledge)

    @staticmethod
    def mix(learned: np.ndarray, handmade: np.ndarray, weight: float) -> np.ndarray:
        """The vote: the formula, written once."""
        sure = handmade.sum(axis=1, keepdims=True)
        return learned * (1.0 - weight * sure) + weight * handmade

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        learned, handmade = self.parts(texts)
        return self.mix(learned, handmade, self.handmade_weight)

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """Each text's reading, with whether the voters agree."""
        learned, handmade = self.parts(texts)
        combined = self.mix(learned, handmade, self.handmade_weight)
        out = []
        for row, own, hand in zip(combined, learned, handmade):
            k = int(np.argmax(row))
            learned_id = self.services[int(np.argmax(own))] if own.max() > 0 else None
            hand_id = self.services[int(np.argmax(hand))] if hand.max() > 0 else None
            service = self.services[k] if row[k] > 0 else None
            out.append(Reading(service, round(float(row[k]), 2),
                               hand_id is None or learned_id is None or hand_id == learned_id,
                               learned_id, hand_id))
        return out


#: How much one of a bank's own examples weighs against one shipped example
#: (``benchmarks/bank_vocabulary.py``).
EXTRA_WEIGHT = 1.0


def train(services: Sequence[str], extra: Iterable[tuple[str, str]] = (),
          sources: Iterable[str] | None = None, extra_weight: float = EXTRA_WEIGHT, **options) -> LearnedReader:
    """A learned reader fitted on the shipped examples of ``services`` (all sources
    unless named) and ``extra`` ``(text, service_id)`` examples (a bank's own, each
    weighing ``extra_weight``)."""
    keep = set(services)
    rows = [(t, s) for t, s, _ in load_examples(sources, services)]
    shipped = len(rows)
    rows += [(t, s) for t, s in extra if s in keep and t and t.strip()]
    texts, labels = zip(*rows)
    weights = np.where(np.arange(len(rows)) < shipped, 1.0, extra_weight)
    return LearnedReader(**options).fit(list(texts), list(labels), sample_weight=weights)


#: The learned reader fitted on every shipped example (``python -m matching.learned``):
#: loading it takes a tenth of a second, fitting it several seconds.
SHIPPED = Path(__file__).parent / "data" / "learned_reader.npz"


@lru_cache(maxsize=1)
def shipped_reader() -> LearnedReader | None:
    """The learned reader fitted on every shipped example, read once a process."""
    return LearnedReader.from_bytes(SHIPPED.read_bytes()) if SHIPPED.exists() else None


def services_examples(knowledge: Knowledge, ids: Iterable[str]) -> list[tuple[str, str]]:
    """What ``knowledge`` says of the services ``ids`` as ``(text, service_id)`` examples:
    their names, descriptions and example sentences (a bank's own service is learned
    from these)."""
    out = []
    for service_id in ids:
        category = knowledge.by_id[service_id]
        for text in (category.name, category.description, *category.examples):
            if text and text.strip():
                out.append((text, service_id))
    return out


@lru_cache(maxsize=8)
def _default(knowledge: Knowledge) -> CombinedReader:
    services = knowledge.ids
    learned = shipped_reader()
    unknown = [s for s in services if learned is None or s not in learned.classes_]
    if unknown:
        # A bank's own services, which the shipped model was not fitted on: fitted again
        # (seconds, once a process for each service list) with what the bank wrote of them.
        learned = train(services, services_examples(knowledge, unknown))
    return CombinedReader(learned, services, knowledge)


def default_reader(knowledge: Knowledge | None = None) -> CombinedReader:
    """The shipped combined reader over ``knowledge``'s services (the shipped knowledge
    when None), loaded once a process for each knowledge."""
    return _default(knowledge or load_knowledge())


if __name__ == "__main__":
    SHIPPED.write_bytes(train(load_knowledge().ids).to_bytes())
    print(f"wrote {SHIPPED} ({SHIPPED.stat().st_size} bytes)")
