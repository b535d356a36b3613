"""An assessment's content, cleaned or refused field by field: a pure function, no database."""
import datetime as dt

import pytest

from timebank.domain.assessments import SLOTS, validate_content
from timebank.domain.errors import AssessmentInvalid

TODAY = dt.date(2026, 6, 15)
CATEGORIES = {"shopping", "lifts"}


def content(**fields):
    return {"consent": True, "consent_on": TODAY.isoformat(), "needs": [{"text": "A weekly shop"}],
            **fields}


def clean(given):
    return validate_content(given, categories=CATEGORIES, today=TODAY)


def problems(given) -> dict[str, str]:
    with pytest.raises(AssessmentInvalid) as refused:
        clean(given)
    return refused.value.problems


def test_a_full_assessment_comes_back_clean_with_every_default_filled_in():
    got = clean({
        "consent": "yes", "consent_on": "2026-06-01", "area": "  Leith ", "latitude": "55.97",
        "longitude": -3.17, "availability": ["wed-pm", "mon-am", "wed-pm"],
        "needs": [{"text": " A lift to the Western ", "category": "lifts", "requires_checked": "on"}],
        "capabilities": [{"text": "Does a big shop on Fridays", "category": "shopping"}],
    })
    need, = got["needs"]
    capability, = got["capabilities"]
    assert got["consent"] is True and got["consent_on"] == "2026-06-01"
    assert got["area"] == "Leith" and got["location"] == [55.97, -3.17]
    assert got["availability"] == ["mon-am", "wed-pm"]
    assert need == {"key": need["key"], "text": "A lift to the Western", "category": "lifts",
                    "requires_checked": True}
    assert capability == {"key": capability["key"], "text": "Does a big shop on Fridays",
                          "category": "shopping", "status": "doing", "share": True, "capacity": 1,
                          "max_km": 5.0, "remote": False}
    assert need["key"].startswith("n") and capability["key"].startswith("c")


def test_without_consent_no_day_is_kept_and_empty_fields_mean_any_time_anywhere():
    got = clean({"consent": False, "consent_on": "2026-06-01", "needs": [{"text": "Shopping"}]})
    assert got["consent"] is False and got["consent_on"] is None
    assert got["area"] is None and got["location"] is None and got["availability"] is None


def test_keys_are_kept_across_versions():
    got = clean(content(needs=[{"key": "n-kept", "text": "Shopping"}]))
    assert got["needs"][0]["key"] == "n-kept"


def test_rows_without_words_or_category_are_left_out():
    got = clean(content(needs=[{"text": "Shopping"}, {"text": "  "}, {}]))
    assert [n["text"] for n in got["needs"]] == ["Shopping"]


@pytest.mark.parametrize("kind, other, noun", [("needs", "capabilities", "need"),
                                               ("capabilities", "needs", "capability")])
def test_words_over_a_thousand_characters_are_refused_for_needs_and_capabilities_alike(kind, other, noun):
    """A capability's words were once cut to 1,001 characters without a word, where a need's were refused."""
    found = problems(content(**{kind: [{"text": "x" * 5000}], other: []}))
    assert found == {f"{kind}.0.text": f"{noun.capitalize()} 1: keep each {noun} to 1000 characters or fewer."}


@pytest.mark.parametrize("kind", ["needs", "capabilities"])
def test_exactly_a_thousand_characters_are_kept_whole(kind):
    got = clean(content(**{kind: [{"text": "x" * 1000}]}))
    assert got[kind][0]["text"] == "x" * 1000


@pytest.mark.parametrize("given, field, message", [
    ({"consent_on": "2026-06-16"}, "consent_on", "The day consent was given cannot be in the future."),
    ({"consent_on": "last week"}, "consent_on", "Enter the day consent was given, for example 2026-03-14."),
    ({"area": "x" * 121}, "area", "Keep the area to 120 characters or fewer."),
    ({"latitude": "55.9"}, "latitude", "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."),
    ({"latitude": "95", "longitude": "0"}, "latitude",
     "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."),
    ({"latitude": "nan", "longitude": "0"}, "latitude",
     "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."),
    ({"availability": ["mon-am", "someday"]}, "availability", "Choose times from the list (for example mon-am)."),
    ({"needs": [{"text": "Shopping", "category": "skydiving"}]}, "needs.0.category",
     "Need 1: choose a category from the bank's list."),
    ({"needs": [{"category": "shopping"}]}, "needs.0.text",
     "Need 1: say what the need is, in the person's words."),
    ({"needs": [{"text": "Shopping", "key": "Bad Key!"}]}, "needs.0.key",
     "Need 1: this need's reference is damaged; add it again."),
    ({"capabilities": [{"category": "lifts"}]}, "capabilities.0.text",
     "Capability 1: say what the person does or could do."),
    ({"capabilities": [{"text": "Driving", "category": "flying"}]}, "capabilities.0.category",
     "Capability 1: choose a category from the bank's list."),
    ({"capabilities": [{"text": "Driving", "status": "maybe"}]}, "capabilities.0.status",
     "Capability 1: choose whether they do it already or could if encouraged."),
    ({"capabilities": [{"text": "Driving", "capacity": "21"}]}, "capabilities.0.capacity",
     "Capability 1: capacity is how many people at once: a whole number from 1 to 20."),
    ({"capabilities": [{"text": "Driving", "capacity": "two"}]}, "capabilities.0.capacity",
     "Capability 1: capacity is how many people at once: a whole number from 1 to 20."),
    ({"capabilities": [{"text": "Driving", "max_km": "-3"}]}, "capabilities.0.max_km",
     "Capability 1: how far they will travel: more than 0 and at most 200 km."),
    ({"capabilities": [{"text": "Driving", "max_km": "201"}]}, "capabilities.0.max_km",
     "Capability 1: how far they will travel: more than 0 and at most 200 km."),
    ({"capabilities": [{"text": "Driving", "key": "c" * 41}]}, "capabilities.0.key",
     "Capability 1: this capability's reference is damaged; add it again."),
    ({"needs": [], "capabilities": []}, "needs.0.text", "Record at least one need or one capability."),
    ({"needs": [{"text": "Shopping", "key": "same"}], "capabilities": [{"text": "Driving", "key": "same"}]},
     "needs", "Two needs or capabilities share a reference; add one again."),
    ({"needs": [{"text": f"Need {i}"} for i in range(25)]}, "needs", "An assessment can hold at most 20 needs."),
    ({"capabilities": [{"text": f"Skill {i}"} for i in range(21)]}, "capabilities",
     "An assessment can hold at most 20 capabilities."),
])
def test_each_problem_is_named_beside_its_field(given, field, message):
    assert problems(content(**given)) == {field: message}


def test_every_problem_is_reported_at_once_in_form_order():
    found = problems({"consent": True, "consent_on": "soon", "area": "x" * 200, "availability": ["never"],
                      "needs": [{"text": "Shopping", "category": "skydiving"}],
                      "capabilities": [{"text": "Driving", "capacity": "0", "max_km": "0"}]})
    assert list(found) == ["consent_on", "area", "availability", "needs.0.category",
                           "capabilities.0.capacity", "capabilities.0.max_km"]


def test_a_category_given_without_words_keeps_its_own_message_when_nothing_else_is_recorded():
    assert problems(content(needs=[{"category": "shopping"}])) == {
        "needs.0.text": "Need 1: say what the need is, in the person's words."}


def test_every_slot_of_the_week_is_accepted_in_week_order():
    got = clean(content(availability=list(reversed(SLOTS))))
    assert got["availability"] == list(SLOTS)
