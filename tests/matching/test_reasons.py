"""Reasons tell the truth a social worker reads aloud (issue 12 part 6; B7, B18)."""
from __future__ import annotations

import math

from matching import match
from matching.explain import category_name, match_reasons, slot_words
from matching.profiles import SLOTS, Capability, Need, Profile
from tests.matching.conftest import need, offer, person, profiles

LETTERS = "I need someone to help me with english letters from the job centre"
CV_HELP = "I help people write their CV and job applications"


def _assigned_reasons(*people) -> tuple[str, ...]:
    [result] = [r for r in match(profiles(*people)) if r.capability is not None]
    return result.reasons


def _first_reason(*people) -> str:
    return _assigned_reasons(*people)[0]


def test_a_category_the_assessor_did_not_record_is_not_said_to_be_recorded():
    # B7: the need has no Kind of help; only the offer's category was recorded.
    first = _first_reason(person([need(LETTERS)]), person([], [offer(CV_HELP, category="cv_jobs")]))
    assert "(as recorded by the assessor)" not in first
    assert "the need read from the words \u201cjob centre\u201d" in first
    assert "the offer as recorded by the assessor" in first


def test_recorded_on_both_sides_says_so_once():
    first = _first_reason(person([need(LETTERS, category="cv_jobs")]),
                          person([], [offer(CV_HELP, category="cv_jobs")]))
    assert first == "both about CVs and job applications (as recorded by the assessor)"


def test_read_on_both_sides_quotes_the_words_of_each_as_written():
    first = _first_reason(person([need("Could someone help me redo my CV?")]),
                          person([], [offer(CV_HELP)]))
    assert "as recorded" not in first
    assert first.startswith("both about CVs and job applications (read from the word \u201cCV\u201d in the need and ")
    assert first.endswith(" in the offer)") and "\u201cCV\u201d" in first.split("in the need and ")[1]


def test_words_both_texts_mention_are_shown_as_the_need_writes_them():
    reasons = _assigned_reasons(person([need("Could someone do my shopping at Tesco?")]),
                                person([], [offer("I do a weekly shop at tesco for neighbours")]))
    assert any(r.startswith("both mention: ") and "Tesco" in r for r in reasons)


def test_service_names_keep_their_capitals():
    assert category_name("diy_repairs") == "DIY and small household repairs"
    assert category_name("cv_jobs") == "CVs and job applications"
    first = _first_reason(person([need("Shelves need putting up", category="diy_repairs")]),
                          person([], [offer("I can put up shelves", category="diy_repairs")]))
    assert "DIY and small household repairs" in first


def test_a_side_with_no_words_to_quote_is_left_out_not_shown_as_a_dash():
    # A bank's own service outside the taxonomy: no taxonomy words carried it.
    asker = Profile("p1", area="Leith")
    helper = Profile("p2", area="Leith")
    recorded_need = Need("n1", "Sit with my mother on Tuesdays", category="sitting")
    unread_need = Need("n2", "Sit with my mother on Tuesdays")
    sitter = Capability("c1", "Happy to keep someone company")
    one_side = match_reasons(asker, recorded_need, helper, sitter, "sitting", None, math.nan)
    neither = match_reasons(asker, unread_need, helper, sitter, "sitting", None, math.nan)
    assert one_side[0] == "both about sitting (the need as recorded by the assessor)"
    assert neither[0] == "both about sitting (read from both texts)"
    assert not any("-\u201d" in r or "\u201c-" in r for r in one_side + neither)


def test_slot_codes_are_said_in_words():
    assert slot_words("wed-pm") == "Wednesday afternoon"
    assert slot_words("sat-am") == "Saturday morning"
    assert slot_words("sun-eve") == "Sunday evening"
    assert len({slot_words(s) for s in SLOTS}) == len(SLOTS)
    [result] = match(profiles(person([need("Could someone walk my dog?")]),
                              person([], [offer("Happy to walk dogs")], availability=["wed-pm", "sat-am"])))
    said = " | ".join(result.reasons)
    assert "the helper is free: Wednesday afternoon and Saturday morning" in said
    assert not any(code in said for code in SLOTS)


def _unassigned_reasons(offers: int) -> tuple[str, ...]:
    n = need("Looking for a babysitter on Friday evenings", requires_checked=True)
    helpers = [person([], [offer("I can babysit")], checked=False) for _ in range(offers)]
    [result] = [r for r in match(profiles(person([n]), *helpers)) if r.need == n["id"]]
    assert result.capability is None
    return result.reasons


def test_one_offer_exists_and_two_offers_exist():
    one, two = " | ".join(_unassigned_reasons(1)), " | ".join(_unassigned_reasons(2))
    assert "1 offer of Childcare and babysitting exists:" in one
    assert "2 offers of Childcare and babysitting exist:" in two
    assert "the only offer of Childcare and babysitting is not both checked" in one
    assert "none of the 2 offers" in two
