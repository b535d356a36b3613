"""The engine end to end: paraphrase, ranking, explanations, determinism."""
from __future__ import annotations

import json
import random

from matching import match, write_matches
from matching.explain import CHECK_WORDS
from matching.rules import haversine_km
from tests.matching.conftest import LEITH, NEW_TOWN, need, offer, person, profiles


def test_paraphrased_need_and_offer_meet():
    n = need("Can't get to the chemist for my tablets, could somebody fetch them?")
    chemist_run = offer("I'll pick up repeat prescriptions from the pharmacy")
    buddy = offer("Happy to go for a walk with someone")
    [result] = match(profiles(person([n]), person([], [buddy, chemist_run])), top_k=2)
    assert result.capability == chemist_run["id"]
    assert result.candidates[0].capability == chemist_run["id"]


def test_help_with_a_phone_is_not_phone_befriending():
    n = need("Help with my phone please, I can't work out how to send photos")
    befriender = offer("Happy to ring lonely people for a weekly chat", remote=True)
    techie = offer("I can help set up smartphones and apps")
    [result] = match(profiles(person([n]), person([], [befriender]), person([], [techie])))
    assert result.capability == techie["id"]


def test_doing_ranks_above_could_and_nearer_above_farther():
    n = need("Could someone walk my dog?")
    could, doing_far, doing_near = offer("Dog walker", status="could"), offer("Dog walker"), offer("Dog walker")
    people = [person([n], location=LEITH), person([], [could], location=[55.9705, -3.1705]),
              person([], [doing_far], location=NEW_TOWN), person([], [doing_near], location=[55.9710, -3.1710])]
    [result] = match(profiles(*people), top_k=3)
    assert [c.capability for c in result.candidates] == [doing_near["id"], doing_far["id"], could["id"]]
    assert all(0.0 <= c.score <= 1.0 for c in result.candidates)


def test_reasons_are_present_and_truthful():
    n = need("Could someone walk my dog? I'm not able since my fall", requires_checked=True)
    walker = offer("Experienced dog walker", max_km=4)
    people = [person([n], location=LEITH, availability=["mon-am", "tue-pm", "sat-am"]),
              person([], [walker], location=NEW_TOWN, checked=True, availability=["sat-am", "tue-pm"])]
    [result] = match(profiles(*people))
    text = " | ".join(result.reasons)
    assert "Dog walking and pet care" in text
    assert "both mention: dog" in text
    assert f"{haversine_km(*LEITH, *NEW_TOWN):.1f} km apart" in text
    assert "both free: Tuesday afternoon and Saturday morning" in text
    assert CHECK_WORDS in text
    assert "already does this" in text


def test_reasons_say_remote_help_is_by_phone_and_claim_no_check_that_is_absent():
    n = need("I'd like a regular phone call for a chat, I'm very lonely")
    caller = offer("I can make weekly befriending phone calls", remote=True)
    [result] = match(profiles(person([n]), person([], [caller], location=[57.48, -4.22], checked=False)))
    assert "by phone or online" in result.reasons
    assert not any(CHECK_WORDS in r for r in result.reasons)


def test_same_input_gives_the_same_bytes(tmp_path):
    rng = random.Random(3)
    texts = ["Could someone walk my dog?", "Happy to walk dogs", "Need help with shopping",
             "I can do a weekly shop", "Need a lift to the GP", "Volunteer driver"]
    people = [person([need(rng.choice(texts[0::2]))], [offer(rng.choice(texts[1::2]), capacity=rng.randint(1, 3))],
                     location=[55.95 + rng.uniform(-0.02, 0.02), -3.19 + rng.uniform(-0.03, 0.03)])
              for _ in range(30)]
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_matches(match(profiles(*people), top_k=5), first, with_candidates=True)
    write_matches(match(profiles(*people), top_k=5), second, with_candidates=True)
    assert first.read_bytes() == second.read_bytes()
    lines = [json.loads(line) for line in first.read_text().splitlines()]
    assert len(lines) == 30 and all(set(line) == {"need", "capability", "score", "reasons", "candidates"}
                                    for line in lines)


def test_a_run_involving_one_person_matches_only_their_pairs_and_scores_them_as_a_whole_run():
    shopping, garden, lift = need("Someone to carry my shopping up the stair"), need("My hedge is a jungle"), \
        need("A lift to the hospital on Tuesdays")
    shops, gardens, drives = offer("Happy to do a weekly shop"), offer("Keen gardener, will cut hedges"), \
        offer("I drive and take people to appointments")
    shops_too = offer("I fetch shopping from the supermarket", capacity=1)
    mine = person([garden], [shops_too])
    people = profiles(person([shopping]), person([lift]), mine, person([], [shops, gardens, drives]))
    whole = match(people, top_k=5)

    found = match(people, top_k=5, involving={mine["person"]})

    # Their need, and the other needs their capability is given; the lift involves nobody of theirs.
    assert [(r.need, r.capability) for r in found] == [(shopping["id"], shops_too["id"]),
                                                      (garden["id"], gardens["id"])]
    scored = {(r.need, c.capability): c.score for r in whole for c in r.candidates}
    assert all(r.score == scored[(r.need, r.capability)] for r in found)
    assert all(c.capability != shops_too["id"] for c in next(r for r in found if r.need == garden["id"]).candidates)
    # A need of theirs nobody can help is still answered, with why.
    asker = person([lift])
    [alone] = match(profiles(asker, person([], [gardens])), involving={asker["person"]})
    assert alone.need == lift["id"] and alone.capability is None and alone.reasons
