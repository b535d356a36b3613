"""The pure rules behind issue 12: areas compared without case or spaces, a
neighbourhood's centre, and rejected pairs taken out of the engine's choices."""
from __future__ import annotations

import pytest

from timebank.domain.errors import NeighbourhoodInvalid
from timebank.domain.matches import Proposed, without_forbidden
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


def _proposed(need, capability, *candidates):
    score = dict(candidates).get(capability)
    return Proposed(need, capability, score, tuple(candidates))


def test_a_rejected_pair_gives_way_to_the_next_candidate():
    proposed = [_proposed("jean", "hamish", ("hamish", 0.9), ("kirsty", 0.7))]
    [kept] = without_forbidden(proposed, {("jean", "hamish")}, {"hamish": 1, "kirsty": 1})
    assert (kept.capability, kept.score) == ("kirsty", 0.7)
    assert [c for c, _ in kept.candidates] == ["kirsty"], "the rejected helper is no alternative either"


def test_a_rejected_pair_never_takes_a_helper_already_full():
    proposed = [_proposed("ann", "kirsty", ("kirsty", 0.8)),
                _proposed("jean", "hamish", ("hamish", 0.9), ("kirsty", 0.7))]
    kept = without_forbidden(proposed, {("jean", "hamish")}, {"hamish": 1, "kirsty": 1})
    assert [(k.need, k.capability) for k in kept] == [("ann", "kirsty"), ("jean", None)]


def test_a_candidate_below_the_bar_is_not_chosen():
    proposed = [_proposed("jean", "hamish", ("hamish", 0.9), ("kirsty", 0.1))]
    [kept] = without_forbidden(proposed, {("jean", "hamish")}, {"kirsty": 1}, min_score=0.2)
    assert kept.capability is None and kept.candidates == (("kirsty", 0.1),)


def test_a_pair_rejected_for_one_need_is_still_proposed_for_another():
    proposed = [_proposed("ann", "hamish", ("hamish", 0.9))]
    assert without_forbidden(proposed, {("jean", "hamish")}, {"hamish": 1}) == proposed


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
