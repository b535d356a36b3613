"""Example sentences a coordinator gives for the bank's services, and the services as
the matching engine's knowledge: the shipped knowledge extended by the bank's own list."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.knowledge import BankService, Knowledge, load_knowledge
from timebank.db.engine import Database
from timebank.db.models import ServiceCategory, ServiceExample, utcnow
from timebank.domain.errors import InvalidInput, UnknownCategory
from timebank.domain.text import clean_text
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["MAX_EXAMPLES", "MAX_EXAMPLE_CHARS", "bank_services", "bank_knowledge", "service_examples",
           "set_service_examples"]

MAX_EXAMPLES = 20
MAX_EXAMPLE_CHARS = 500


def bank_services(database: Database, bank_slug: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The services the bank offers now, as the engine's knowledge: (id, name, description,
    example sentences), in list order."""
    with UnitOfWork(database, readonly=True) as uow:
        return _services_in(uow.session, bank_row(uow.session, bank_slug))


def _services_in(session: Session, bank) -> list[tuple[str, str, str, tuple[str, ...]]]:
    categories = session.scalars(select(ServiceCategory).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True)).order_by(ServiceCategory.id)).all()
    examples: dict[int, list[str]] = {}
    for category_id, text in session.execute(
            select(ServiceExample.category_id, ServiceExample.text)
            .where(ServiceExample.bank_id == bank.id).order_by(ServiceExample.id)):
        examples.setdefault(category_id, []).append(text)
    return [(c.slug, c.name, c.description, tuple(examples.get(c.id, ()))) for c in categories]


def bank_knowledge(session: Session, bank) -> Knowledge:
    """What the engine knows for this bank, inside an open unit of work: the shipped
    services, named as the bank names them, with the bank's example sentences, and the
    bank's own services read from their names and examples."""
    return _extended(tuple(_services_in(session, bank)))


@lru_cache(maxsize=32)
def _extended(services: tuple[tuple[str, str, str, tuple[str, ...]], ...]) -> Knowledge:
    # One knowledge object per distinct list: the engine's caches key on it, so a bank
    # whose list has not changed reads its texts from cache on the next run.
    return load_knowledge().extended(BankService(*service) for service in services)


def service_examples(database: Database, bank_slug: str, category: str) -> list[str]:
    """One service's example sentences, oldest first."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        row = _category(session, bank_row(session, bank_slug), category)
        return list(session.scalars(select(ServiceExample.text).where(ServiceExample.category_id == row.id)
                                    .order_by(ServiceExample.id)))


def set_service_examples(database: Database, bank_slug: str, category: str, text: str) -> list[str]:
    """Replace a service's example sentences with the lines of `text` (blank lines and
    repeats dropped); the sentences now kept."""
    lines: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        clean = clean_text(line, f"example {number}", MAX_EXAMPLE_CHARS)
        if clean and clean not in lines:
            lines.append(clean)
    if len(lines) > MAX_EXAMPLES:
        raise InvalidInput(f"Give at most {MAX_EXAMPLES} examples, one a line.")
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        row = _category(session, bank, category)
        for old in session.scalars(select(ServiceExample).where(ServiceExample.category_id == row.id)):
            session.delete(old)
        for line in lines:
            session.add(ServiceExample(bank_id=bank.id, category_id=row.id, text=line, created_at=utcnow()))
        uow.commit()
    return lines


def _category(session, bank, slug: str) -> ServiceCategory:
    row = session.scalars(select(ServiceCategory).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.slug == slug)).one_or_none()
    if row is None:
        raise UnknownCategory("There is no such service in this bank.")
    return row
