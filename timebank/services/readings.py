"""Reading a person's words into one of the bank's services, and learning from the
social workers who confirm or correct the reading.

Every reading goes through `read_services`, and every training through `retrain_reader`.
A text is read by the learned reader (`matching.learned`: the bank's own, once trained,
else the shipped one) and the hand-made reader (`matching.text.read_text`) voting; when
the two disagree, or the vote is unsure, the form asks. A bank's examples (corrections,
accepted matches, its services' example sentences and names) train its own learned
reader, stored per bank as plain arrays (no pickle).

The learned reader reads a text it is unsure of again with the text's sentence
embedding; each text is embedded once and kept in `text_embeddings` (`DatabaseEmbeddings`,
in the use case's own transaction), so a second run, reading or retraining embeds only
what it has never seen. A bank reader stored before embeddings reads without them until
it is trained again.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Bank,
    BankReader,
    ReadingExample,
    ServiceCategory,
    ServiceExample,
    TextEmbedding,
    utcnow,
)
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "ASK_BELOW",
    "ReadingView",
    "ReaderView",
    "read_services",
    "read_in_session",
    "note_corrections",
    "note_accepted_match",
    "retrain_reader",
    "retrain_when_taught",
    "warm_up",
    "engine_reader",
    "DatabaseEmbeddings",
    "kept_encoder",
]

#: Below this confidence the form asks the social worker instead of offering the reading
#: (the combined reader's probabilities are calibrated: at 0.6 it is right about 6 times
#: in 10 on wording it never saw, benchmarks/reader_choice.py).
ASK_BELOW = 0.6


@dataclass(frozen=True)
class ReadingView:
    """The service read from one text: None when nothing on the bank's list was read."""

    service_id: str | None
    service_name: str | None
    confidence: float  # 0 to 1
    words: tuple[str, ...]  # the person's words that carried it
    agree: bool = True  # whether the learned and the hand-made readers read the same

    @property
    def sure(self) -> bool:
        """Whether the form may offer the reading rather than ask: confident, and the
        two readers agree."""
        return self.service_id is not None and self.confidence >= ASK_BELOW and self.agree


@dataclass(frozen=True)
class ReaderView:
    bank_slug: str
    example_count: int
    trained_at: dt.datetime
    model_stored: bool


class DatabaseEmbeddings:
    """Texts' embeddings kept in the database (`text_embeddings`), in the caller's
    transaction: a store for `matching.embeddings.CachedEncoder`. A row another
    transaction kept first is left as it is (same text, same encoder, same vector).
    Without ``keep`` (a read-only unit of work) it only reads: the next writing use
    case keeps what this one embedded."""

    _CHUNK = 500  # keys a query, well under either database's limit on parameters

    def __init__(self, session: Session, keep: bool = True):
        self.session = session
        self.keep = keep

    def get(self, encoder: str, keys: Sequence[str]) -> dict:
        import numpy as np

        out = {}
        keys = list(keys)
        for start in range(0, len(keys), self._CHUNK):
            rows = self.session.execute(select(TextEmbedding.text_sha256, TextEmbedding.vector).where(
                TextEmbedding.encoder == encoder, TextEmbedding.text_sha256.in_(keys[start:start + self._CHUNK])))
            out.update((key, np.frombuffer(vector, dtype="<f4")) for key, vector in rows)
        return out

    def put(self, encoder: str, vectors) -> None:
        import numpy as np

        if not vectors or not self.keep:
            return
        if self.session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        # In the keys' order: two transactions keeping some of the same texts take their
        # rows' locks in one order, so they wait for each other rather than deadlock.
        rows = [{"text_sha256": key, "encoder": encoder, "vector": np.asarray(vector, dtype="<f4").tobytes()}
                for key, vector in sorted(vectors.items())]
        for start in range(0, len(rows), self._CHUNK):
            self.session.execute(insert(TextEmbedding).values(rows[start:start + self._CHUNK])
                                 .on_conflict_do_nothing())


def kept_encoder(session: Session, keep: bool = True):
    """The shipped encoder, each text embedded once and kept in the database (read
    there only, without ``keep``)."""
    from matching.embeddings import default_encoder

    return default_encoder(DatabaseEmbeddings(session, keep))


def _bank_services(session: Session, bank: Bank) -> dict[str, str]:
    return dict(session.execute(select(ServiceCategory.slug, ServiceCategory.name).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))).all())


@lru_cache(maxsize=8)
def _stored_reader(model: bytes):
    from matching.learned import LearnedReader

    return LearnedReader.from_bytes(model)


def _learned(session: Session, bank: Bank, knowledge):
    """The bank's own learned reader once trained, else the shipped one (fitted again
    with the bank's own services when it has some the shipped one never saw)."""
    from matching.learned import default_reader

    stored = session.scalar(select(BankReader.model).where(BankReader.bank_id == bank.id))
    own = _stored_reader(stored) if stored else None
    if own is None or not set(knowledge.ids) <= set(own.classes_):
        # Never trained, or trained before the bank added a service: the shipped reader,
        # fitted with what the bank wrote of its new services, until it is trained again.
        return default_reader(knowledge).learned
    return own


def engine_reader(session: Session, bank: Bank, knowledge):
    """The reader a match run of the bank uses: its learned reader voting with the
    hand-made one, over ``knowledge``'s services (the bank's knowledge)."""
    from matching.learned import CombinedReader

    return CombinedReader(_learned(session, bank, knowledge), knowledge.ids, knowledge, embed=kept_encoder(session))


def _view(text: str, reading, services: dict[str, str], knowledge) -> ReadingView:
    from matching.text import read_text

    if reading.service_id is None:
        return ReadingView(None, None, 0.0, (), reading.agree)
    ids = knowledge.ids
    k = ids.index(reading.service_id) if reading.service_id in ids else None
    words = dict(read_text(text, knowledge).evidence).get(k, ()) if k is not None else ()
    return ReadingView(reading.service_id, services[reading.service_id], reading.confidence, tuple(words),
                       reading.agree)


def read_in_session(session: Session, bank: Bank, texts: Sequence[str], keep: bool = True) -> list[ReadingView]:
    """`read_services` inside a unit of work that is already open (a writing one, unless
    not ``keep``: then the embeddings made are not kept)."""
    from timebank.services.service_examples import bank_knowledge

    services = _bank_services(session, bank)
    knowledge = bank_knowledge(session, bank)
    said = [i for i, text in enumerate(texts) if (text or "").strip()]
    out = [ReadingView(None, None, 0.0, ())] * len(texts)
    if said and services:
        from matching.learned import CombinedReader

        reader = CombinedReader(_learned(session, bank, knowledge), list(services), knowledge,
                                embed=kept_encoder(session, keep))
        for i, reading in zip(said, reader.read([texts[i] for i in said])):
            out[i] = _view(texts[i], reading, services, knowledge)
    return out


def read_services(database: Database, bank_slug: str, texts: Sequence[str]) -> list[ReadingView]:
    """The service each text reads as, among the bank's services, with how sure it is."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return read_in_session(uow.session, bank, texts, keep=False)


def note_corrections(session: Session, bank: Bank, items: Iterable[tuple[str, str, str | None]],
                     today: dt.date) -> int:
    """Keep as training examples the (side, text, chosen service) whose service differs
    from what the words read as; how many were kept."""
    chosen = [(side, text, service) for side, text, service in items if service and (text or "").strip()]
    readings = read_in_session(session, bank, [text for _, text, _ in chosen])
    kept = 0
    for (side, text, service), reading in zip(chosen, readings):
        if reading.service_id != service:
            session.add(ReadingExample(bank_id=bank.id, text=text, service_id=service, side=side,
                                       source="correction", day=today))
            kept += 1
    return kept


def note_accepted_match(session: Session, bank: Bank, need: dict, capability: dict, today: dt.date) -> None:
    """An accepted match says both texts are of their service: keep them as examples."""
    for side, item in (("need", need), ("capability", capability)):
        if item.get("category") and (item.get("text") or "").strip():
            session.add(ReadingExample(bank_id=bank.id, text=item["text"], service_id=item["category"],
                                       side=side, source="accepted_match", day=today))


def retrain_reader(database: Database, bank_slug: str) -> ReaderView:
    """Train the bank's reader on its examples and store it (with how many it learned from).

    Three steps, so no transaction is open while it fits (seconds to half a minute): on
    SQLite an open write transaction would hold every other writer of the bank back
    that long. It reads the examples and the embeddings kept of their words, fits, then
    keeps the new embeddings and the model in one short transaction. Examples added
    meanwhile are learned by the next retrain (it stores how many it learned from)."""
    from matching.embeddings import ENCODER, MemoryStore, default_encoder, text_key

    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        rows = session.execute(
            select(ReadingExample.id, ReadingExample.text, ReadingExample.service_id)
            .where(ReadingExample.bank_id == bank.id).order_by(ReadingExample.id)).all()
        learned_ids = {row.id for row in rows}
        examples = [(row.text, row.service_id) for row in rows]
        services, sentences = _bank_services(session, bank), _service_sentences(session, bank)
        kept = MemoryStore()
        texts = [text for text, _ in sentences + list(examples)]
        kept.put(ENCODER, DatabaseEmbeddings(session, keep=False).get(ENCODER, [text_key(t) for t in texts]))
    known = set(kept.vectors)
    model = _train(services, sentences + list(examples), default_encoder(kept))
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        # Ids only grow: fewer rows up to the last one learned means some were deleted.
        still_there = session.scalar(select(func.count()).select_from(ReadingExample).where(
            ReadingExample.bank_id == bank.id, ReadingExample.id <= max(learned_ids, default=0)))
        if still_there != len(learned_ids):
            # A person was erased while it fitted: the model and the new embeddings hold
            # their words. Neither is kept; the next retrain learns from what remains.
            model, examples = None, []
        else:
            DatabaseEmbeddings(session).put(ENCODER, {
                key: vector for (encoder, key), vector in kept.vectors.items()
                if (encoder, key) not in known and encoder == ENCODER})
        reader = session.get(BankReader, bank.id)
        if reader is None:
            reader = BankReader(bank_id=bank.id)
            session.add(reader)
        reader.model, reader.trained_at, reader.example_count = model, utcnow(), len(examples)
        view = ReaderView(bank.slug, len(examples), reader.trained_at, model is not None)
        uow.commit()
    return view


def warm_up() -> None:
    """Load what the first reading of a process needs (scikit-learn, the shipped reader,
    the sentence encoder): seconds that a server pays at its start, on a thread, rather
    than the first social worker to open an assessment."""
    from matching.embeddings import default_encoder
    from matching.learned import shipped_reader

    shipped_reader()
    encoder = default_encoder()
    if encoder is not None:
        encoder(["warming up"])


def retrain_when_taught(database: Database, bank_slug: str) -> ReaderView | None:
    """Retrain the bank's reader only when it has examples it has not learned from yet (a
    correction, an accepted match): saving an assessment that taught nothing costs
    nothing. The retrained view, or None when there was nothing new."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        examples = session.scalar(select(func.count()).select_from(ReadingExample)
                                  .where(ReadingExample.bank_id == bank.id)) or 0
        learned = session.scalar(select(BankReader.example_count).where(BankReader.bank_id == bank.id))
    if examples == (learned or 0):
        return None
    return retrain_reader(database, bank_slug)


def _service_sentences(session: Session, bank: Bank) -> list[tuple[str, str]]:
    """The bank's services' names and the example sentences its coordinators gave them,
    as (text, service id): how a service the shipped examples never saw is learned."""
    named = session.execute(select(ServiceCategory.name, ServiceCategory.slug).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))).all()
    given = session.execute(select(ServiceExample.text, ServiceCategory.slug)
                            .join(ServiceCategory, ServiceExample.category_id == ServiceCategory.id)
                            .where(ServiceExample.bank_id == bank.id).order_by(ServiceExample.id)).all()
    return [tuple(row) for row in named] + [tuple(row) for row in given]


def _train(services: dict[str, str], examples: list[tuple[str, str]], embed) -> bytes | None:
    """The bank's learned reader, fitted on the shipped examples of its services and its
    own examples (embedded with ``embed``, once each), as bytes (an npz of arrays); None
    when it has too few services to tell apart."""
    from matching.learned import train

    if len(services) < 2:
        return None
    return train(list(services), [(text, service) for text, service in examples], embed=embed).to_bytes()


def example_count(database: Database, bank_slug: str) -> int:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return uow.session.scalar(select(func.count()).select_from(ReadingExample)
                                  .where(ReadingExample.bank_id == bank.id)) or 0
