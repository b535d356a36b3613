"""The bank's neighbourhoods: listed and edited by its coordinator, chosen as an
assessment's area, and used for distances when a person gave no location."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, Neighbourhood
from timebank.domain.errors import NeighbourhoodTaken, UnknownNeighbourhood
from timebank.domain.places import Centre, clean_neighbourhood
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["NeighbourhoodView", "list_neighbourhoods", "save_neighbourhood", "centres"]


@dataclass(frozen=True)
class NeighbourhoodView:
    id: int
    name: str
    latitude: float
    longitude: float


def centres(session: Session, bank: Bank) -> dict[str, tuple[str, Centre]]:
    """Each neighbourhood of the bank by its key: (its name as listed, its centre)."""
    rows = session.scalars(select(Neighbourhood).where(Neighbourhood.bank_id == bank.id))
    return {r.name_key: (r.name, Centre(r.latitude, r.longitude)) for r in rows}


def list_neighbourhoods(database: Database, bank_slug: str) -> list[NeighbourhoodView]:
    """The bank's neighbourhoods, by name."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        rows = uow.session.scalars(select(Neighbourhood).where(Neighbourhood.bank_id == bank.id)
                                   .order_by(Neighbourhood.name_key))
        return [NeighbourhoodView(r.id, r.name, r.latitude, r.longitude) for r in rows]


def save_neighbourhood(database: Database, bank_slug: str, *, name: object, latitude: object,
                       longitude: object, neighbourhood_id: int | None = None) -> NeighbourhoodView:
    """Add a neighbourhood (or rename or move one); a name the bank already lists, case
    and spaces aside, is refused (NeighbourhoodTaken)."""
    clean_name, key, centre = clean_neighbourhood(name, latitude, longitude)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        same_name = session.scalars(select(Neighbourhood).where(
            Neighbourhood.bank_id == bank.id, Neighbourhood.name_key == key)).one_or_none()
        if neighbourhood_id is None:
            row = Neighbourhood(bank_id=bank.id)
            session.add(row)
        else:
            row = session.scalars(select(Neighbourhood).where(
                Neighbourhood.bank_id == bank.id, Neighbourhood.id == neighbourhood_id)).one_or_none()
            if row is None:
                raise UnknownNeighbourhood("There is no such neighbourhood in this bank.")
        if same_name is not None and same_name is not row:
            raise NeighbourhoodTaken(f"The bank already lists {same_name.name}: change that one instead.")
        row.name, row.name_key = clean_name, key
        row.latitude, row.longitude = centre
        session.flush()
        view = NeighbourhoodView(row.id, row.name, row.latitude, row.longitude)
        uow.commit()
    return view
