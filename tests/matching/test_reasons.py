"""Reasons tell the truth about how a service is known, in the names people use (B7, B18)."""
from __future__ import annotations

from matching import match
from matching.explain import slot_words
from matching.knowledge import Service, load_knowledge
from tests.matching.conftest import LINLITHGOW, need, offer, person, profiles


def test_recorded_only_when_the_assessor_recorded_both_services():
    people = profiles(person([need("Someone for my dog", category="pet_care")]),
                      person([], [offer("Dog walker", category="pet_care")]))
    [result] = match(people)
    assert result.reasons[0] == "both about Dog walking and pet care (as recorded by the assessor)"


def test_a_read_service_says_the_words_that_carried_it_never_recorded():
    people = profiles(person([need("Could someone walk my dog on Tuesdays?")]),
                      person([], [offer("Happy to take dogs out", category="pet_care")]))
    [result] = match(people)
    text = " | ".join(result.reasons)
    assert "as recorded by the assessor" not in result.reasons[0]
    assert "the need's service was read from the words \u201cdog\u201d" in text
    assert "the offer's service was recorded by the assessor" in text
    assert "-" not in [w.strip("\u201c\u201d") for w in text.split()], "no placeholder dash"


def test_the_service_name_is_the_banks_as_written_never_lower_cased():
    knowledge = load_knowledge().extended([Service("pet_care", "Dogs & Pets (Leith)")])
    people = profiles(person([need("Could someone walk my dog?")]), person([], [offer("Dog walker")]))
    [result] = match(people, knowledge=knowledge)
    assert result.reasons[0] == "both about Dogs & Pets (Leith)"


def test_slot_codes_read_as_words():
    assert slot_words("wed-pm") == "Wednesday afternoon"
    assert slot_words("sat-am") == "Saturday morning" and slot_words("sun-eve") == "Sunday evening"
    people = profiles(person([need("Could someone walk my dog?")], availability=["wed-pm"]),
                      person([], [offer("Dog walker")], availability=["wed-pm", "fri-eve"]))
    [result] = match(people)
    assert "both free: Wednesday afternoon" in result.reasons


def test_one_offer_exists_and_two_offers_exist():
    one = match(profiles(person([need("Could someone walk my dog?")]),
                         person([], [offer("Dog walker")], location=LINLITHGOW)))[0]
    assert any(r.startswith("1 offer of Dog walking and pet care exists:") for r in one.reasons), one.reasons
    two = match(profiles(person([need("Could someone walk my dog?")]),
                         person([], [offer("Dog walker"), offer("I walk dogs")], location=LINLITHGOW)))[0]
    assert any(r.startswith("2 offers of Dog walking and pet care exist:") for r in two.reasons), two.reasons
