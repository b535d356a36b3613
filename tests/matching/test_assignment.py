"""Assignment: capacities, the minimum score, and optimality against an exact solver."""
from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from matching import MIN_SCORE, match
from matching.assignment import SCORE_UNITS, assign
from matching.candidates import candidate_pairs
from matching.rules import Table
from matching.scoring import build_features
from tests.matching.conftest import need, offer, person, profiles

DOG = "Could someone walk my dog?"


def test_a_capability_takes_no_more_needs_than_its_capacity():
    needs = [need(DOG) for _ in range(3)]
    walker = offer("Experienced dog walker", capacity=2)
    results = match(profiles(*(person([n]) for n in needs), person([], [walker])))
    assert sum(r.capability == walker["id"] for r in results) == 2
    left = [r for r in results if r.capability is None]
    assert len(left) == 1 and any("went to other needs" in reason for reason in left[0].reasons)


def test_a_need_whose_helpers_are_fully_booked_is_told_so_in_a_run_for_one_person():
    """A helper whose open introductions take all they offered comes in at capacity 0:
    never proposed, and the need they would suit is told why, not that no one offers it."""
    from dataclasses import replace

    lonely, walked = need(DOG), need("Need my dog walked")
    walker, busy = offer("Experienced dog walker"), offer("Happy to walk dogs")
    asker = person([lonely])
    people = profiles(asker, person([walked]), person([], [walker]), person([], [busy]))
    people = [replace(p, capabilities=tuple(replace(c, capacity=0) if c.id == busy["id"] else c
                                            for c in p.capabilities)) for p in people]

    [result] = match(people, top_k=3, involving={asker["person"]})
    assert result.capability == walker["id"]
    assert [c.capability for c in result.candidates] == [walker["id"]], "a booked offer is never a candidate"

    booked_only = [replace(p, capabilities=()) if any(c.id == walker["id"] for c in p.capabilities) else p
                   for p in people]
    [alone] = match(booked_only, top_k=3, involving={asker["person"]})
    assert alone.capability is None and alone.candidates == ()
    assert alone.reasons == ("the one helper within reach who offers Dog walking and pet care is fully booked: "
                             "their open introductions take all the help they offered",)
    whole = {r.need: r for r in match(booked_only)}
    assert whole[walked["id"]].capability is None
    assert not any("no one offers" in reason for reason in whole[walked["id"]].reasons)


def test_a_need_whose_only_neighbour_offers_a_look_alike_stays_unassigned():
    n = need("Could someone walk my dog?")
    buddy = offer("I'd be a walking buddy for anyone wanting exercise")
    [result] = match(profiles(person([n]), person([], [buddy])), top_k=3)
    assert result.capability is None and result.score is None
    assert result.candidates == ()
    assert result.reasons == ("no one offers Dog walking and pet care yet",)


def test_no_pair_below_the_minimum_score_is_assigned():
    n = need("Could someone walk my dog?")
    walker = offer("Happy to walk dogs", status="could")
    people = profiles(person([n]), person([], [walker]))
    [scored] = match(people, top_k=1)
    score = scored.candidates[0].score
    [above] = match(people, min_score=score + 0.01, top_k=1)
    assert above.capability is None and above.candidates == scored.candidates
    assert any(f"{score:.2f}, below the" in reason for reason in above.reasons)
    [at] = match(people, min_score=score - 0.0001)
    assert at.capability == walker["id"]


def test_the_assignment_is_global_not_greedy():
    # Greedy would give the need with two options its favourite and leave the other alone.
    flexible, picky = need("Need my dog walked, or my cat fed"), need("Could someone feed my cat?")
    cat_sitter, dog_walker = offer("I can feed cats and look after pets"), offer("Dog walker, any breed")
    results = {r.need: r.capability for r in match(profiles(person([flexible]), person([picky]),
                                                            person([], [cat_sitter]), person([], [dog_walker])))}
    assert results[picky["id"]] == cat_sitter["id"]
    assert results[flexible["id"]] == dog_walker["id"]


def test_min_cost_flow_matches_a_hand_solved_case():
    # needs 0,1 ; caps 0 (capacity 1), 1 (capacity 1); best total is 0.9 + 0.8.
    chosen = assign(2, np.array([1, 1]), np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0.95, 0.8, 0.9]))
    assert chosen.tolist() == [1, 0]


def exact_total_score(capacity: np.ndarray, need: np.ndarray, cap: np.ndarray, score: np.ndarray) -> float:
    """The best total score, by networkx's exact ``max_weight_matching`` on a graph where
    each capability is copied ``capacity`` times: the reference for :func:`assign`.
    Cubic time: small inputs only."""
    graph = nx.Graph()
    for i, j, s in zip(need.tolist(), cap.tolist(), score.tolist()):
        for copy in range(int(capacity[j])):
            graph.add_edge(("need", i), ("cap", j, copy), weight=round(s * SCORE_UNITS))
    matching = nx.max_weight_matching(graph)
    return sum(graph.edges[u, v]["weight"] for u, v in matching) / SCORE_UNITS


def candidate_graph(need: np.ndarray, cap: np.ndarray) -> nx.Graph:
    """The candidate pairs as a networkx graph: nodes ("need", i) and ("cap", j)."""
    graph = nx.Graph()
    graph.add_edges_from(zip([("need", i) for i in need.tolist()], [("cap", j) for j in cap.tolist()]))
    return graph


TEXTS = [("Could someone walk my dog?", "Happy to walk dogs"),
         ("Help with my weekly shopping", "I can do shopping for a neighbour"),
         ("Need a lift to the hospital", "Volunteer driver with a car"),
         ("Someone to visit for a cup of tea", "I can pop round for a chat and a cuppa"),
         ("Help setting up my tablet", "Good with computers and tablets")]


# Two towns far beyond any helper's reach (Edinburgh and Inverness, about 160 km apart).
TOWNS = [(55.95, -3.19), (57.48, -4.22)]


def _random_input(seed: int, people_per_town: int = 14, towns: int = 1):
    rng = random.Random(seed)
    people = []
    for lat, lon in TOWNS[:towns]:
        for _ in range(people_per_town):
            needs, offers = [], []
            for _ in range(rng.randint(0, 2)):
                needs.append(need(rng.choice(TEXTS)[0] + rng.choice(["", " please", " soon"])))
            for _ in range(rng.randint(0, 2)):
                offers.append(offer(rng.choice(TEXTS)[1], capacity=rng.randint(1, 2),
                                    status=rng.choice(["doing", "could"]), max_km=rng.choice([2, 4, 6])))
            location = [lat + rng.uniform(-0.03, 0.03), lon + rng.uniform(-0.05, 0.05)]
            people.append(person(needs, offers, location=location))
    return profiles(*people)


@pytest.mark.parametrize("seed", range(6))
def test_the_assignment_is_optimal_on_the_candidate_graph(seed):
    table = Table.from_profiles(_random_input(seed))
    features = build_features(table.needs, table.capabilities)
    pairs = candidate_pairs(table, features)
    usable = pairs.score >= MIN_SCORE
    need_idx, cap_idx, score = pairs.need[usable], pairs.cap[usable], pairs.score[usable]
    chosen = assign(len(table.needs), table.capacity, need_idx, cap_idx, score)
    by_pair = {(i, j): s for i, j, s in zip(need_idx.tolist(), cap_idx.tolist(), score.tolist())}
    total = sum(by_pair[(i, j)] for i, j in enumerate(chosen.tolist()) if j >= 0)
    used = np.bincount(chosen[chosen >= 0], minlength=len(table.capacity))
    assert (used <= table.capacity).all(), np.flatnonzero(used > table.capacity)
    assert total == pytest.approx(exact_total_score(table.capacity, need_idx, cap_idx, score), abs=1e-4)


def test_the_candidate_graph_splits_by_town_and_each_piece_is_solved_optimally():
    """Helpers in one town cannot reach the other, so the real candidate graph falls
    apart into pieces that never join the towns; the assignment of the whole graph is,
    piece by piece, what the exact solver finds for that piece alone."""
    table = Table.from_profiles(_random_input(5, people_per_town=16, towns=2))
    features = build_features(table.needs, table.capabilities)
    pairs = candidate_pairs(table, features)
    pieces = list(nx.connected_components(candidate_graph(pairs.need, pairs.cap)))
    town_of_need = (table.lat[table.need_owner] > 56.5).astype(int)
    town_of_cap = (table.lat[table.cap_owner] > 56.5).astype(int)
    towns = [{int(town_of_need[k]) if side == "need" else int(town_of_cap[k]) for side, k in piece}
             for piece in pieces]
    assert all(len(t) == 1 for t in towns)
    assert {t for one in towns for t in one} == {0, 1} and len(pieces) >= 3
    usable = pairs.score >= MIN_SCORE
    need_idx, cap_idx, score = pairs.need[usable], pairs.cap[usable], pairs.score[usable]
    chosen = assign(len(table.needs), table.capacity, need_idx, cap_idx, score)
    by_pair = {(i, j): s for i, j, s in zip(need_idx.tolist(), cap_idx.tolist(), score.tolist())}
    for piece in pieces:
        needs = {k for side, k in piece if side == "need"}
        inside = np.isin(need_idx, list(needs))
        ours = sum(by_pair[(i, int(chosen[i]))] for i in needs if chosen[i] >= 0)
        assert ours == pytest.approx(exact_total_score(table.capacity, need_idx[inside], cap_idx[inside],
                                                       score[inside]), abs=1e-4)
