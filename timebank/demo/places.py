"""The demonstration bank's ten neighbourhoods, each with a centre near the real one."""
from __future__ import annotations

from timebank.db.engine import Database
from timebank.services import places

#: (name, latitude, longitude): every area a demonstration member or assessment names.
NEIGHBOURHOODS: tuple[tuple[str, float, float], ...] = (
    ("Abbeyhill", 55.9560, -3.1700),
    ("Corstorphine", 55.9410, -3.2810),
    ("Craigmillar", 55.9320, -3.1400),
    ("Gorgie", 55.9380, -3.2330),
    ("Granton", 55.9800, -3.2250),
    ("Leith", 55.9755, -3.1720),
    ("Morningside", 55.9270, -3.2100),
    ("Pilton", 55.9720, -3.2300),
    ("Portobello", 55.9531, -3.1140),
    ("Stockbridge", 55.9582, -3.2090),
)


def list_neighbourhoods(database: Database, bank_slug: str) -> None:
    """The bank's neighbourhoods, for social workers to choose an area from."""
    for name, latitude, longitude in NEIGHBOURHOODS:
        places.save_neighbourhood(database, bank_slug, name=name, latitude=latitude, longitude=longitude)
