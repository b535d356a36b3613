"""What the engine knows is data passed in (matching/data/*.toml, matching.knowledge), and
what people decided is passed in too: pairs never to propose."""
from __future__ import annotations

import subprocess
import sys

import pytest

from matching import match
from matching.knowledge import BankService, Knowledge, KnowledgeError, load_knowledge, read_knowledge
from matching.text import read_text
from tests.matching.conftest import need, offer, person, profiles

# A bank's own service, and wording no shipped service lists.
TAI_CHI = BankService("tai-chi-park", "Tai chi in the park", "Slow flowing movement outdoors, in a group.", (
    "Join the slow flowing movements on the meadows at dawn",
    "Gentle flowing form practice outdoors with the meadows group",
    "Leading the dawn flowing movements, all ages welcome",
))
NEED_WORDS = "Would love to join the dawn flowing movements on the meadows"
OFFER_WORDS = "I lead flowing movements on the meadows most mornings"


def _top(text: str, knowledge: Knowledge | None = None) -> str | None:
    knowledge = knowledge or load_knowledge()
    weights = read_text(text, knowledge).weights
    return knowledge.ids[max(weights, key=lambda kw: (kw[1], -kw[0]))[0]] if weights else None


def test_nothing_is_read_or_built_at_import():
    code = ("import matching, matching.text, matching.engine, matching.knowledge as k; "
            "print(k.load_knowledge.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0"]


def test_the_shipped_knowledge_is_parsed_once_and_holds_the_42_services():
    knowledge = load_knowledge()
    assert load_knowledge() is knowledge
    assert len(knowledge.categories) == 42 and len(set(knowledge.ids)) == 42
    appliances = knowledge.by_id["appliance_repair"].terms
    assert "kettle+packed up^3.5" in appliances and "sewing machine+mend^3.5" not in appliances
    assert "learn gaelic^3.5" in knowledge.by_id["language_lessons"].terms


def test_a_services_file_with_a_mistake_is_refused_saying_where():
    with pytest.raises(KnowledgeError, match="unknown field"):
        read_knowledge('[[service]]\nid = "a"\nname = "A"\nwords = ["x"]\n')
    with pytest.raises(KnowledgeError, match="no list called 'nowhere'"):
        read_knowledge('[[service]]\nid = "a"\nname = "A"\ntogether = [{things = "nowhere", words = ["x"]}]\n')
    with pytest.raises(KnowledgeError, match="learned_in names no service"):
        read_knowledge('[[service]]\nid = "a"\nname = "A"\nlearned_in = "b"\n')


def test_knowledge_from_another_file_is_what_the_reader_reads_with():
    knowledge = read_knowledge('[[service]]\nid = "puppets"\nname = "Puppet shows"\nterms = ["puppet^2"]\n')
    assert _top("Could someone put on a puppet show?", knowledge) == "puppets"
    assert _top("Could someone put on a puppet show?") is None


def test_a_banks_own_service_is_read_from_its_name_and_the_words_its_examples_share():
    bank = load_knowledge().extended([TAI_CHI])
    assert _top(NEED_WORDS) != "tai-chi-park" and _top(NEED_WORDS, bank) == "tai-chi-park"
    assert _top(OFFER_WORDS, bank) == "tai-chi-park"
    assert _top("Tai chi in the park on Sundays", bank) == "tai-chi-park", "its name wins over chair yoga's"
    assert len(bank.categories) == 43 and bank.ids[:42] == load_knowledge().ids


def test_a_banks_need_and_offer_in_its_examples_words_are_matched_with_its_name_in_the_reasons():
    people = profiles(person(needs=[need(NEED_WORDS)]), person(offers=[offer(OFFER_WORDS)]))
    [before] = match(people)
    [after] = match(people, knowledge=load_knowledge().extended([TAI_CHI]))
    assert before.capability is None
    assert after.capability is not None
    assert after.reasons[0].startswith("both about Tai chi in the park")


def test_a_renamed_service_is_named_as_the_bank_names_it():
    bank = load_knowledge().extended([BankService("pet_care", "Dog walking", "")])
    people = profiles(person(needs=[need("Could someone walk my dog?")]),
                      person(offers=[offer("Happy to walk dogs")]))
    [result] = match(people, knowledge=bank)
    assert result.reasons[0].startswith("both about Dog walking (")
    assert _top("Could someone walk my dog?", bank) == "pet_care"


def test_a_forbidden_pair_takes_no_helpers_capacity():
    """One helper with room for one, two needs: the better pair was rejected, so the
    other need gets the helper (a filter after the run would leave both unmatched)."""
    shop = need("Someone to do my weekly shop at the supermarket")
    also_shop = need("Help carrying shopping home")
    helper = offer("Happy to do a weekly shop at the supermarket for a neighbour", capacity=1)
    people = profiles(person(needs=[shop]), person(needs=[also_shop]), person(offers=[helper]))
    first = {r.need: r.capability for r in match(people)}
    assert first == {shop["id"]: helper["id"], also_shop["id"]: None}, "the better pair wins at first"

    results = match(people, top_k=5, forbidden_pairs={(shop["id"], helper["id"])})

    chosen = {r.need: r.capability for r in results}
    assert chosen == {shop["id"]: None, also_shop["id"]: helper["id"]}
    assert all(c.capability != helper["id"] for c in results[0].candidates), "nor offered as an alternative"


def test_a_pair_forbidden_for_one_need_is_still_proposed_for_another():
    shop = need("Someone to do my weekly shop")
    helper = offer("Happy to do a weekly shop for a neighbour")
    people = profiles(person(needs=[shop]), person(offers=[helper]))
    [result] = match(people, forbidden_pairs={("someone else", helper["id"]), (shop["id"], "nobody")})
    assert result.capability == helper["id"]
