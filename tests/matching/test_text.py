"""Category inference: paraphrase, dialect, shorthand, misspelling and look-alikes."""
from __future__ import annotations

import re

import pytest

from matching.profiles import Need
from matching.scoring import build_features
from matching.taxonomy import CATEGORIES, CATEGORY_BY_ID, Term
from matching.text import read_text, stem


def top_category(text: str) -> str | None:
    weights = read_text(text).weights
    return CATEGORIES[max(weights, key=lambda kw: (kw[1], -kw[0]))[0]].id if weights else None


def test_every_category_has_a_unique_id_a_name_a_description_and_words():
    ids = [c.id for c in CATEGORIES]
    assert len(set(ids)) == len(ids), "two categories share an id"
    assert len({c.name for c in CATEGORIES}) == len(CATEGORIES), "two categories share a name"
    for category in CATEGORIES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", category.id), category.id
        assert category.name.strip() and category.description.strip(), category.id
        assert len(category.terms) >= 10, category.id
        assert all(term.text.split() for term in category.parsed_terms), category.id
        assert category.learned_in is None or category.learned_in in ids, category.id


@pytest.mark.parametrize("raw, term, weight", [
    ("walk dog", Term("walk dog"), 1.6),
    ("~advice", Term("advice", weak=True), 0.4),
    ("=phone me^2.5", Term("phone me", mode="adjacent", weight=2.5), 2.5),
    ("sewing machine+packed up^3", Term("sewing machine packed up", mode="together", weight=3.0), 3.0),
    ("~walk+dog^0.3", Term("walk dog", mode="together", weak=True, weight=0.3), 0.3),
    ("bread and milk", Term("bread and milk"), 2.0),
])
def test_a_term_is_parsed_from_the_taxonomy_mini_language(raw, term, weight):
    assert Term.parse(raw) == term
    assert term.weight_for(len(term.text.split())) == weight


@pytest.mark.parametrize("text, right, look_alike", [
    ("Could someone take my dog for a walk each morning?", "pet_care", "walking_buddy"),
    ("I'd like someone to go walking with, I lack confidence on my own", "walking_buddy", "pet_care"),
    ("Help with my phone please, it keeps asking for updates", "tech_help", "phone_befriending"),
    ("A friendly phone call once a week would cheer me up", "phone_befriending", "tech_help"),
    ("I want cooking lessons so I can make my own tea", "cooking_lessons", "meals"),
    ("Could someone cook me a hot meal now and then?", "meals", "cooking_lessons"),
    ("My grandson needs to practise for his driving test", "driving_practice", "lifts"),
    ("I need a lift to the eye clinic", "lifts", "driving_practice"),
    ("Stuck on my computer science homework", "tutoring", "tech_help"),
    ("My computer keeps freezing, can anyone sort it?", "tech_help", "tutoring"),
    ("Would like help planning a garden design for wildlife", "garden_advice", "gardening"),
    ("The weeds are taking over and the lawn needs mowing", "gardening", "garden_advice"),
    ("My sewing machine has jammed and needs repairing", "appliance_repair", "sewing_alterations"),
    ("Can anyone sew a hem on my skirt?", "sewing_alterations", "appliance_repair"),
    ("I'm happy to polish furniture and dust", "cleaning", "translate_polish"),
    ("I can translate Polish documents into English", "translate_polish", "cleaning"),
])
def test_look_alikes_go_to_the_right_category(text, right, look_alike):
    assert top_category(text) == right
    weights = dict(read_text(text).weights)
    right_k = [c.id for c in CATEGORIES].index(right)
    alike_k = [c.id for c in CATEGORIES].index(look_alike)
    assert weights.get(alike_k, 0.0) < weights[right_k]


@pytest.mark.parametrize("text, category", [
    ("Need someone to pick up my perscription", "prescriptions"),
    ("Lookng for a babysiter on Saturday", "childcare"),
    # A known loss of the embeddings (benchmarks/results/2026-12-03-encoders.md): e5 has no
    # token for "computor" and finds "Help with my ... please" nearest homework help, so
    # the learned reader, surer now, outvotes the hand-made reader's spelling correction.
    pytest.param("Help with my computor please", "tech_help", marks=pytest.mark.xfail(
        strict=True, reason="read as tutoring since the reader reads unsure texts with their embedding")),
    ("I need my hoovring done", "cleaning"),
    ("Would like a babysittter", "childcare"),
    ("Need sombody to hoover and mop", "cleaning"),
])
def test_small_spelling_slips_are_forgiven(text, category):
    features = build_features([Need("n1", text)], [])
    assert features.top_category(features.n_prob[0]) == category


def test_background_about_the_person_weighs_less_than_the_request():
    text = "I used to walk the dog every day. Now I need help with my weekly shopping."
    assert top_category(text) == "shopping"


def test_a_remote_note_does_not_make_an_offer_phone_befriending():
    assert top_category("Can help fill in benefit forms. Can also do this by phone.") == "paperwork"


def test_a_given_category_is_trusted_over_the_text():
    features = build_features([Need("n1", "walk my dog", category="walking_buddy")], [])
    k = features.labels.index("walking_buddy")
    assert features.n_prob[0, k] == 1.0 and features.n_prob[0].sum() == 1.0


def test_a_banks_own_category_is_kept_as_its_own_label():
    features = build_features([Need("n1", "repair the church organ", category="organ_repair")], [])
    assert features.labels[-1] == "organ_repair"


def test_stems_are_consistent():
    assert stem("walking") == stem("walks") == stem("walked") == "walk"
    assert stem("shopping") == "shop"
    assert CATEGORY_BY_ID["pet_care"].name == "Dog walking and pet care"
