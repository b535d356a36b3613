"""Places: a bank's neighbourhoods, and how an area written by a person is compared.

An area is compared without case or spaces ("Leith Walk", "leith walk" and "LeithWalk"
are one place), and a neighbourhood's centre stands in for the location of a person who
gave none, so that two people in neighbouring areas can still be found near each other.
A UK postcode district ("EH6") or sector ("EH6 5") is an area too: its centre comes from
the ONS Postcode Directory (`timebank.services.places.district_centre`).
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import NamedTuple

from timebank.domain.errors import InvalidInput, NeighbourhoodInvalid
from timebank.domain.text import clean_text

__all__ = ["MAX_NAME_CHARS", "Centre", "area_key", "clean_neighbourhood", "centre_of", "postcode_district"]

MAX_NAME_CHARS = 120  # the width of neighbourhoods.name


# An outward code (one or two letters, a digit, then a digit or letter or nothing), and a
# sector digit after a space: "EH6", "eh6 5", "SW1A 1", "M1". Not a whole postcode.
_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(?:\s+([0-9]))?$")


class Centre(NamedTuple):
    latitude: float
    longitude: float


def area_key(area: str | None) -> str:
    """The area as compared: every space gone and case folded; "" when none was given."""
    return "".join((area or "").split()).casefold()


def clean_neighbourhood(name: object, latitude: object, longitude: object) -> tuple[str, str, Centre]:
    """(name, its key, centre), or NeighbourhoodInvalid with each field's problem."""
    problems: dict[str, str] = {}
    clean_name = ""
    try:
        clean_name = clean_text(name, "the neighbourhood's name", MAX_NAME_CHARS, required=True) or ""
    except InvalidInput as refused:
        problems["name"] = refused.message
    if clean_name and not area_key(clean_name):
        problems["name"] = "Say the neighbourhood's name."
    centre = []
    for field, value, bound in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            number = float(str(value).strip().replace(",", "."))
            if not (math.isfinite(number) and -bound <= number <= bound):
                raise ValueError("outside the globe")
            centre.append(round(number, 6))
        except (TypeError, ValueError):
            problems[field] = f"Give the centre's {field} in degrees, from -{bound} to {bound}."
    if problems:
        raise NeighbourhoodInvalid(problems)
    return clean_name, area_key(clean_name), Centre(*centre)


def centre_of(area: str | None, centres: Mapping[str, Centre]) -> Centre | None:
    """The centre of the neighbourhood an area names (`centres` by area key), or None."""
    return centres.get(area_key(area)) if area_key(area) else None


def postcode_district(area: str | None) -> str | None:
    """The UK postcode district ("EH6") or sector ("EH6 5") an area is written as, in
    capitals with one space; None when the area is not one."""
    found = _DISTRICT.match(" ".join((area or "").split()).upper())
    if found is None:
        return None
    district, sector = found.groups()
    return f"{district} {sector}" if sector else district
