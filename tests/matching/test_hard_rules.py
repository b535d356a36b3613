"""Each hard rule broken on purpose: never in the assignment, never in a candidate list."""
from __future__ import annotations

import random

import numpy as np
import pytest

from matching import match
from matching.candidates import within_km
from matching.profiles import SLOTS
from matching.rules import RULE_CODES, Table, broken_rules, feasible_mask, haversine_km, why_infeasible
from tests.matching.conftest import LEITH, LINLITHGOW, NEW_TOWN, need, offer, person, profiles

DOG = "Could someone walk my dog while my hip heals?"
DOG_OFFER = "Happy to walk dogs for neighbours"


def _result(people, need_id):
    results = {r.need: r for r in match(profiles(*people), top_k=5)}
    return results[need_id]


def _ids(result):
    return {c.capability for c in result.candidates} | ({result.capability} - {None})


def test_a_person_never_helps_themself():
    n, own, other = need(DOG), offer(DOG_OFFER), offer(DOG_OFFER)
    result = _result([person([n], [own]), person([], [other])], n["id"])
    assert own["id"] not in _ids(result)
    assert result.capability == other["id"]


def test_an_offer_not_shared_is_never_used():
    n, hidden = need(DOG), offer(DOG_OFFER, share=False)
    result = _result([person([n]), person([], [hidden])], n["id"])
    assert result.capability is None and result.candidates == ()


def test_a_need_requiring_a_check_only_gets_checked_helpers():
    n = need("Looking for a babysitter on Friday evenings", requires_checked=True)
    unchecked, checked = offer("I can babysit"), offer("I can babysit")
    result = _result([person([n]), person([], [unchecked], checked=False), person([], [checked], checked=True)],
                     n["id"])
    assert _ids(result) == {checked["id"]}
    assert any("safeguarding check" in r for r in result.reasons)


def test_an_unchecked_helper_is_refused_when_the_check_is_missing_from_the_profile():
    n = need("Looking for a babysitter on Friday evenings", requires_checked=True)
    result = _result([person([n]), person([], [offer("I can babysit")])], n["id"])
    assert result.capability is None
    assert any("no checked helper within reach" in r for r in result.reasons)


def test_people_with_slots_must_share_one():
    n = need(DOG)
    other_time, same_time, any_time = offer(DOG_OFFER), offer(DOG_OFFER), offer(DOG_OFFER)
    people = [person([n], availability=["mon-am", "tue-pm"]),
              person([], [other_time], availability=["sat-am"]),
              person([], [same_time], availability=["tue-pm", "sun-eve"]),
              person([], [any_time])]
    result = _result(people, n["id"])
    assert _ids(result) == {same_time["id"], any_time["id"]}


def test_no_common_time_is_named_when_it_removed_every_helper():
    n = need(DOG)
    result = _result([person([n], availability=["mon-am"]), person([], [offer(DOG_OFFER)], availability=["sat-am"])],
                     n["id"])
    assert result.capability is None
    assert any("no common free time" in r for r in result.reasons)


def test_a_helper_beyond_their_distance_is_refused_but_remote_help_has_no_limit():
    n = need("Need a weekly friendly phone call, I'm lonely")
    near_enough, too_far = offer("I can make befriending phone calls", max_km=40),\
        offer("I can make befriending phone calls", max_km=5)
    remote = offer("I can make befriending phone calls", max_km=1, remote=True)
    people = [person([n], location=LEITH), person([], [near_enough, too_far], location=LINLITHGOW),
              person([], [remote], location=[57.48, -4.22])]  # Inverness: far, but by phone
    assert haversine_km(*LEITH, *LINLITHGOW) > 5
    result = _result(people, n["id"])
    assert _ids(result) == {near_enough["id"], remote["id"]}


def test_without_a_location_the_areas_must_be_equal_ignoring_case_and_spaces():
    n = need(DOG)
    same, other, no_area = offer(DOG_OFFER), offer(DOG_OFFER), offer(DOG_OFFER)
    people = [person([n], location=None, area="Leith"),
              person([], [same], location=NEW_TOWN, area="  lEITH "),
              person([], [other], location=LEITH, area="Portobello"),
              {"person": "p-nowhere", "capabilities": [no_area]}]
    result = _result(people, n["id"])
    assert _ids(result) == {same["id"]}


def test_two_people_without_area_or_location_never_meet():
    n = need(DOG)
    people = [{"person": "pa", "needs": [n]}, {"person": "pb", "capabilities": [offer(DOG_OFFER)]}]
    assert _result(people, n["id"]).capability is None


def _random_people(seed: int, count: int = 40):
    rng = random.Random(seed)
    people = []
    for _ in range(count):
        fields = {}
        if rng.random() < 0.8:
            fields["location"] = [55.95 + rng.uniform(-0.08, 0.08), -3.2 + rng.uniform(-0.12, 0.12)]
        else:
            fields["location"] = None
        fields["area"] = rng.choice(["Leith", "leith ", "Gorgie", None])
        if rng.random() < 0.6:
            fields["availability"] = rng.sample(SLOTS, rng.randint(0, 4))
        fields["checked"] = rng.random() < 0.5
        needs = [need(DOG, requires_checked=rng.random() < 0.3) for _ in range(rng.randint(0, 2))]
        offers = [offer(DOG_OFFER, share=rng.random() < 0.8, remote=rng.random() < 0.2,
                        max_km=rng.choice([1, 3, 5.5, 8])) for _ in range(rng.randint(0, 2))]
        people.append(person(needs, offers, **fields))
    return profiles(*people)


@pytest.mark.parametrize("seed", range(5))
def test_array_rules_agree_with_the_rules_one_pair_at_a_time(seed):
    """Every vectorised form the engine uses: pairs as parallel arrays (local offers), a
    block of needs against a row of remote offers with the distance given (remote
    offers; the distance must not matter to them), and the first broken rule (the
    explanations)."""
    table = Table.from_profiles(_random_people(seed))
    needs, caps = np.arange(len(table.needs)), np.arange(len(table.capabilities))
    n_idx, c_idx = np.divmod(np.arange(len(needs) * len(caps)), len(caps))
    fast = feasible_mask(table, n_idx, c_idx)
    remote = caps[table.remote]
    assert len(remote) and len(remote) < len(caps)
    by_block = feasible_mask(table, needs[:, None], remote[None, :],
                             distance_km=np.full((len(needs), len(remote)), np.nan))
    remote_column = {j: r for r, j in enumerate(remote.tolist())}
    codes = broken_rules(table, needs[:, None], caps[None, :])
    for i, j, ok in zip(n_idx.tolist(), c_idx.tolist(), fast.tolist()):
        slow = why_infeasible(table.profiles[table.need_owner[i]], table.needs[i],
                              table.profiles[table.cap_owner[j]], table.capabilities[j])
        assert ok == (slow is None), slow
        assert RULE_CODES[codes[i, j]] == (slow or ""), slow
        if j in remote_column:
            assert by_block[i, remote_column[j]] == ok, slow


@pytest.mark.parametrize("seed", range(5))
def test_every_assigned_and_candidate_pair_is_feasible(seed):
    people = _random_people(seed)
    table = Table.from_profiles(people)
    need_by_id = {n.id: i for i, n in enumerate(table.needs)}
    cap_by_id = {c.id: j for j, c in enumerate(table.capabilities)}
    for result in match(people, top_k=10):
        i = need_by_id[result.need]
        for cid in _ids(result):
            j = cap_by_id[cid]
            assert why_infeasible(table.profiles[table.need_owner[i]], table.needs[i],
                                  table.profiles[table.cap_owner[j]], table.capabilities[j]) is None


@pytest.mark.parametrize("lat_range, lon_range, radius_km", [
    ((50, 60), (-6, 1), 12.5),          # Britain
    ((55.9, 56.0), (-3.3, -3.1), 2.0),  # one city, short trips
    ((-20, -15), (178, 180), 60.0),     # across the date line
    ((85, 89.5), (-180, 180), 150.0),   # near the pole
])
def test_the_grid_index_finds_what_a_haversine_balltree_finds(lat_range, lon_range, radius_km):
    from sklearn.neighbors import BallTree

    rng = np.random.default_rng(7)
    points = np.column_stack([rng.uniform(*lat_range, 2000), rng.uniform(*lon_range, 2000)])
    if lon_range == (178, 180):
        points[1000:, 1] -= 358.0  # half of them just east of the date line
    queries = points[:300]
    ball = BallTree(np.radians(points), metric="haversine").query_radius(np.radians(queries),
                                                                        r=radius_km / 6371.0088)
    found_q, found_p = within_km(queries[:, 0], queries[:, 1], points[:, 0], points[:, 1], radius_km)
    grid = [set() for _ in queries]
    for q, p in zip(found_q.tolist(), found_p.tolist()):
        grid[q].add(p)
    for query, exact, mine in zip(queries, ball, grid):
        assert {j for j in mine if haversine_km(*query, *points[j]) <= radius_km} == set(exact.tolist())
