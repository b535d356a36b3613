"""Places: a bank's neighbourhoods, and how an area written by a person is compared.

An area is compared without case or spaces ("Leith Walk", "leith walk" and "LeithWalk"
are one place), and a neighbourhood's centre stands in for the location of a person who
gave none, so that two people in neighbouring areas can still be found near each other.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from timebank.domain.errors import InvalidInput, NeighbourhoodInvalid
from timebank.domain.text import clean_text

__all__ = ["MAX_NAME_CHARS", "Centre", "area_key", "clean_neighbourhood", "centre_of"]

MAX_NAME_CHARS = 120  # the width of neighbourhoods.name


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
