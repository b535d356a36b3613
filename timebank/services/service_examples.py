"""Example sentences a coordinator gives for the bank's services, and the services as
the matching engine's knowledge: (id, name, description, examples)."""
from __future__ import annotations

from sqlalchemy import select

from timebank.db.engine import Database
from timebank.db.models import ServiceCategory, ServiceExample, utcnow
from timebank.domain.errors import InvalidInput, UnknownCategory
from timebank.domain.text import clean_text
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["MAX_EXAMPLES", "MAX_EXAMPLE_CHARS", "bank_services", "service_examples", "set_service_examples"]

MAX_EXAMPLES = 20
MAX_EXAMPLE_CHARS = 500


def bank_services(database: Database, bank_slug: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The services the bank offers now, as the engine's knowledge: (id, name, description,
    example sentences), in list order."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        categories = session.scalars(select(ServiceCategory).where(
            ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True)).order_by(ServiceCategory.id)).all()
        examples: dict[int, list[str]] = {}
        for category_id, text in session.execute(
                select(ServiceExample.category_id, ServiceExample.text)
                .where(ServiceExample.bank_id == bank.id).order_by(ServiceExample.id)):
            examples.setdefault(category_id, []).append(text)
        return [(c.slug, c.name, c.description, tuple(examples.get(c.id, ()))) for c in categories]


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
