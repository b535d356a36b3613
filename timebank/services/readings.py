"""Reading a person's words into one of the bank's services, and learning from the
social workers who confirm or correct the reading.

Every reading goes through `read_services`, and every training through `retrain_reader`:
the two places the learned reader (`matching.reader.Reader`) plugs in. Until it does,
words are read by the hand-made reader (`matching.text.read_text`), and the bank's
examples (corrections, accepted matches) are stored and counted, ready for it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, BankReader, ReadingExample, ServiceCategory, utcnow
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
]

#: Below this confidence the form asks the social worker instead of offering the reading.
ASK_BELOW = 0.6
#: How sure the hand-made reader's weights make it: the engine's own "unsure" weight
#: (matching.scoring), so that a form and a match run agree on what was read.
_UNSURE_WEIGHT = 0.8


@dataclass(frozen=True)
class ReadingView:
    """The service read from one text: None when nothing on the bank's list was read."""

    service_id: str | None
    service_name: str | None
    confidence: float  # 0 to 1
    words: tuple[str, ...]  # the person's words that carried it

    @property
    def sure(self) -> bool:
        """Whether the form may offer the reading rather than ask."""
        return self.service_id is not None and self.confidence >= ASK_BELOW


@dataclass(frozen=True)
class ReaderView:
    bank_slug: str
    example_count: int
    trained_at: dt.datetime
    model_stored: bool


def _bank_services(session: Session, bank: Bank) -> dict[str, str]:
    return dict(session.execute(select(ServiceCategory.slug, ServiceCategory.name).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))).all())


def _read_one(text: str, services: dict[str, str], knowledge) -> ReadingView:
    # The lead's swap: `Reader.from_bytes(bank_readers.model).read([text])` goes here.
    from matching.text import read_text

    ids = knowledge.ids
    guess = read_text(text, knowledge)
    on_list = [(k, w) for k, w in guess.weights if ids[k] in services]
    if not on_list:
        return ReadingView(None, None, 0.0, ())
    squared_total = sum(w * w for _, w in guess.weights) + _UNSURE_WEIGHT ** 2
    k, weight = max(on_list, key=lambda kw: kw[1])
    service_id = ids[k]
    words = dict(guess.evidence).get(k, ())
    return ReadingView(service_id, services[service_id], round(weight * weight / squared_total, 2), tuple(words))


def read_in_session(session: Session, bank: Bank, texts: Sequence[str]) -> list[ReadingView]:
    """`read_services` inside a unit of work that is already open."""
    from timebank.services.service_examples import bank_knowledge

    services = _bank_services(session, bank)
    knowledge = bank_knowledge(session, bank)
    return [_read_one(text, services, knowledge) if (text or "").strip() else ReadingView(None, None, 0.0, ())
            for text in texts]


def read_services(database: Database, bank_slug: str, texts: Sequence[str]) -> list[ReadingView]:
    """The service each text reads as, among the bank's services, with how sure it is."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return read_in_session(uow.session, bank, texts)


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
    """Train the bank's reader on its examples and store it (with how many it learned from)."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        examples = session.execute(
            select(ReadingExample.text, ReadingExample.service_id, ReadingExample.side)
            .where(ReadingExample.bank_id == bank.id).order_by(ReadingExample.id)).all()
        model = _train(examples)
        reader = session.get(BankReader, bank.id)
        if reader is None:
            reader = BankReader(bank_id=bank.id)
            session.add(reader)
        reader.model, reader.trained_at, reader.example_count = model, utcnow(), len(examples)
        view = ReaderView(bank.slug, len(examples), reader.trained_at, model is not None)
        uow.commit()
    return view


def _train(examples) -> bytes | None:
    """THE LEAD'S ONE CALL SITE: the learned reader's model bytes, or None until it exists.

    With `matching.reader` merged: `Reader.train(knowledge, examples).to_bytes()`, where
    knowledge is `service_examples.bank_services(...)` and examples these rows.
    """
    return None


def example_count(database: Database, bank_slug: str) -> int:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return uow.session.scalar(select(func.count()).select_from(ReadingExample)
                                  .where(ReadingExample.bank_id == bank.id)) or 0
