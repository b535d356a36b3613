"""An area written as a UK postcode district or sector is a place with a centre
(issue 12 part 5): read in the domain, placed from the ONS Postcode Directory."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from timebank.domain.assessments import validate_content
from timebank.domain.places import postcode_district
from timebank.services.places import district_centre


@pytest.mark.parametrize(("written", "district"), [
    ("EH6", "EH6"), (" eh6 ", "EH6"), ("EH6 5", "EH6 5"), ("eh6   5", "EH6 5"), ("SW1A", "SW1A"),
    ("M1", "M1"), ("Leith", None), ("EH6 5QA", None), ("6EH", None), ("", None), (None, None),
])
def test_a_postcode_district_or_sector_is_read_from_an_area(written, district):
    assert postcode_district(written) == district


def _km(a, b) -> float:
    dlat, dlon = math.radians(b[0] - a[0]), math.radians(b[1] - a[1])
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a[0])) * math.cos(math.radians(b[0])) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_a_districts_centre_is_where_its_postcodes_are():
    leith = (55.9700, -3.1700)
    assert _km(district_centre("EH6"), leith) < 2.0
    assert _km(district_centre("eh6 5"), leith) < 2.0
    assert _km(district_centre("EH6"), district_centre("EH6 5")) < 2.0
    assert _km(district_centre("SW1A"), (51.5014, -0.1419)) < 2.0, "Westminster"
    assert district_centre("ZZ9") is None and district_centre("Leith") is None
    assert district_centre("BT1") is None, "Irish grid points are not converted"


def test_a_bank_with_a_neighbourhood_list_also_takes_a_postcode_district():
    content = {"consent": False, "area": " eh6  5", "needs": [{"text": "Help with my shopping"}]}
    clean = validate_content(content, categories=set(), today=dt.date(2026, 12, 3),
                             areas={"leithwalk": "Leith Walk"})
    assert clean["area"] == "EH6 5"
