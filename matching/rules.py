"""The five hard rules of matching-io.md, one pair at a time and over whole arrays.

The scalar form (:func:`why_infeasible`) names the broken rule for one pair; the array
forms (:func:`feasible_mask` for candidate generation, :func:`broken_rules` for the
explanations) share one vectorised statement of the rules. Tests check the scalar form
against every array form the engine uses.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from matching.profiles import SLOT_INDEX, Capability, Need, Profile

__all__ = [
    "EARTH_RADIUS_KM",
    "RULES",
    "RULE_CODES",
    "broken_rules",
    "haversine_km",
    "why_infeasible",
    "Table",
    "feasible_mask",
]

EARTH_RADIUS_KM = 6371.0088
# Distances are compared with the same small tolerance as the reference scorer.
DISTANCE_SLACK_KM = 1e-9

#: Rule codes, in the spec's order, with the words used to explain them.
RULES = {
    "same_person": "it is the person's own offer",
    "not_shared": "the helper does not wish to share it",
    "not_checked": "the helper has no current safeguarding check",
    "no_common_time": "no common free time",
    "too_far": "the helper is beyond the distance they will travel",
    "other_area": "no location given and not the same area",
}


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between points given in degrees (scalars or arrays)."""
    lat1, lon1, lat2, lon2 = (np.radians(x) for x in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def why_infeasible(asker: Profile, need: Need, helper: Profile, capability: Capability) -> str | None:
    """Return None when the pair may be matched, else the code of the first rule it breaks."""
    if asker.person == helper.person:
        return "same_person"
    if not capability.share:
        return "not_shared"
    if need.requires_checked and not helper.checked:
        return "not_checked"
    if (asker.availability is not None and helper.availability is not None
            and not set(asker.availability) & set(helper.availability)):
        return "no_common_time"
    if not capability.remote:
        if asker.location is not None and helper.location is not None:
            distance_km = float(haversine_km(*asker.location, *helper.location))
            if distance_km > capability.max_km + DISTANCE_SLACK_KM:
                return "too_far"
        elif not asker.area_key or asker.area_key != helper.area_key:
            return "other_area"
    return None


def _slot_mask(availability: tuple[str, ...] | None) -> int:
    if availability is None:
        return -1  # any time: every bit set
    mask = 0
    for slot in availability:
        mask |= 1 << SLOT_INDEX[slot]
    return mask


@dataclass
class Table:
    """Column arrays of people, needs and capabilities, indexed by position in the input."""

    profiles: list[Profile]
    needs: list[Need]
    capabilities: list[Capability]

    def __post_init__(self) -> None:
        people = self.profiles
        self.lat = np.array([p.location[0] if p.location else np.nan for p in people], dtype=np.float64)
        self.lon = np.array([p.location[1] if p.location else np.nan for p in people], dtype=np.float64)
        self.has_location = ~np.isnan(self.lat)
        keys = [p.area_key for p in people]
        code = {a: i for i, a in enumerate(sorted(set(keys) - {""}))}
        self.area = np.array([code.get(k, -1) for k in keys], dtype=np.int64)
        self.checked = np.array([p.checked for p in people], dtype=bool)
        self.slots = np.array([_slot_mask(p.availability) for p in people], dtype=np.int64)
        need_owner, cap_owner = [], []
        for i, p in enumerate(people):
            need_owner.extend([i] * len(p.needs))
            cap_owner.extend([i] * len(p.capabilities))
        self.need_owner = np.array(need_owner, dtype=np.int64)
        self.cap_owner = np.array(cap_owner, dtype=np.int64)
        self.requires_checked = np.array([n.requires_checked for n in self.needs], dtype=bool)
        caps = self.capabilities
        self.share = np.array([c.share for c in caps], dtype=bool)
        self.remote = np.array([c.remote for c in caps], dtype=bool)
        self.max_km = np.array([c.max_km for c in caps], dtype=np.float64)
        self.capacity = np.array([c.capacity for c in caps], dtype=np.int64)
        self.doing = np.array([c.status == "doing" for c in caps], dtype=bool)

    @classmethod
    def from_profiles(cls, profiles: list[Profile]) -> Table:
        """Flatten profiles into arrays, needs and capabilities in input order."""
        needs = [n for p in profiles for n in p.needs]
        caps = [c for p in profiles for c in p.capabilities]
        return cls(list(profiles), needs, caps)

    def distance_km(self, need_idx: np.ndarray, cap_idx: np.ndarray) -> np.ndarray:
        """Distance between asker and helper for each pair; NaN where a location is missing."""
        a, b = self.need_owner[need_idx], self.cap_owner[cap_idx]
        return haversine_km(self.lat[a], self.lon[a], self.lat[b], self.lon[b])


def _broken(table: Table, need_idx: np.ndarray, cap_idx: np.ndarray,
            distance_km: np.ndarray | None = None) -> list[np.ndarray]:
    """For arrays of (need, capability) pairs, one mask per rule in :data:`RULES` order:
    True where the pair breaks it. The arrays broadcast."""
    a, b = table.need_owner[need_idx], table.cap_owner[cap_idx]
    if distance_km is None:
        distance_km = table.distance_km(need_idx, cap_idx)
    both_located = table.has_location[a] & table.has_location[b]
    with np.errstate(invalid="ignore"):
        near = distance_km <= table.max_km[cap_idx] + DISTANCE_SLACK_KM
    same_area = (table.area[a] >= 0) & (table.area[a] == table.area[b])
    sa, sb = table.slots[a], table.slots[b]
    remote = table.remote[cap_idx]
    return [
        a == b,
        ~table.share[cap_idx],
        table.requires_checked[need_idx] & ~table.checked[b],
        (sa != -1) & (sb != -1) & ((sa & sb) == 0),
        ~remote & both_located & ~near,
        ~remote & ~both_located & ~same_area,
    ]


def feasible_mask(table: Table, need_idx: np.ndarray, cap_idx: np.ndarray,
                  distance_km: np.ndarray | None = None) -> np.ndarray:
    """For arrays of (need, capability) pairs, True where all five hard rules hold.

    The arrays broadcast (a column of needs against a row of capabilities gives a
    matrix). ``distance_km``, when given, is the pairs' distance already computed; it
    matters only for capabilities that are not remote.
    """
    broken = _broken(table, need_idx, cap_idx, distance_km)
    return ~functools.reduce(np.logical_or, broken)


RULE_CODES = ("", *RULES)


def broken_rules(table: Table, need_idx: np.ndarray, cap_idx: np.ndarray) -> np.ndarray:
    """For each pair, the index in :data:`RULE_CODES` of the first hard rule it breaks
    (0 when the pair is feasible). Arrays broadcast: a column of needs against a row of
    capabilities gives a matrix."""
    checks = _broken(table, need_idx, cap_idx)
    out = np.zeros(np.broadcast_shapes(*(np.shape(c) for c in checks)), dtype=np.int8)
    for code in range(len(checks), 0, -1):
        out[np.broadcast_to(checks[code - 1], out.shape)] = code
    return out
