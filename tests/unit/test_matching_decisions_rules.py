"""The pure rules behind issue 12: areas compared without case or spaces, and a
neighbourhood's centre. (Rejected pairs are left out inside the engine:
tests/matching/test_engine.py.)"""
from __future__ import annotations

import pytest

from timebank.domain.errors import NeighbourhoodInvalid
from timebank.domain.places import Centre, area_key, centre_of, clean_neighbourhood


@pytest.mark.parametrize("written", ["Leith Walk", "leith walk", "  LEITH   WALK ", "LeithWalk", "leith\twalk"])
def test_an_area_is_compared_without_case_or_spaces(written):
    assert area_key(written) == area_key("Leith Walk") == "leithwalk"


def test_different_areas_stay_different_and_none_is_no_area():
    assert area_key("Leith") != area_key("Leith Walk")
    assert area_key(None) == area_key("   ") == ""


def test_a_person_without_a_location_takes_their_neighbourhoods_centre():
    centres = {"leithwalk": Centre(55.965, -3.177)}
    assert centre_of("leith WALK", centres) == Centre(55.965, -3.177)
    assert centre_of("Gorgie", centres) is None
    assert centre_of("", centres) is None


def test_a_neighbourhood_is_cleaned_and_its_centre_read_in_either_decimal_mark():
    assert clean_neighbourhood(" Leith Walk ", "55,965", "-3.177") == ("Leith Walk", "leithwalk",
                                                                        Centre(55.965, -3.177))


def test_a_neighbourhood_with_bad_fields_is_refused_field_by_field():
    with pytest.raises(NeighbourhoodInvalid) as refused:
        clean_neighbourhood("  ", "91", "east")
    assert set(refused.value.problems) == {"name", "latitude", "longitude"}


def _content(area):
    return {"consent": False, "area": area, "needs": [{"text": "Help with my shopping"}]}


def test_an_assessments_area_is_kept_as_the_bank_lists_it():
    import datetime as dt

    from timebank.domain.assessments import validate_content

    clean = validate_content(_content(" leith  WALK"), categories=set(), today=dt.date(2026, 12, 3),
                             areas={"leithwalk": "Leith Walk"})
    assert clean["area"] == "Leith Walk"


def test_an_area_off_the_banks_list_is_refused_beside_the_field():
    import datetime as dt

    from timebank.domain.assessments import validate_content
    from timebank.domain.errors import AssessmentInvalid

    with pytest.raises(AssessmentInvalid) as refused:
        validate_content(_content("Narnia"), categories=set(), today=dt.date(2026, 12, 3),
                         areas={"leithwalk": "Leith Walk"})
    assert refused.value.problems == {"area": "Choose the neighbourhood from the bank's list."}
    # A bank that lists none takes the area as written.
    assert validate_content(_content("Narnia"), categories=set(), today=dt.date(2026, 12, 3))["area"] == "Narnia"


def test_an_outcome_of_help_that_did_not_happen_needs_no_difference_and_any_other_does():
    import pytest

    from timebank.domain.assessments import outcome_difference
    from timebank.domain.errors import InvalidInput

    assert outcome_difference(False, None) == "none"
    assert outcome_difference(False, "not_sure") == "not_sure"
    assert outcome_difference(True, "a_lot") == "a_lot"
    for happened, said in ((True, None), (True, ""), (False, "bogus")):
        with pytest.raises(InvalidInput):
            outcome_difference(happened, said)
