"""Candidate generation: the feasible pairs worth scoring, without scoring all pairs.

Hard rules first: within each category bucket, a spatial index (BallTree, haversine)
finds helpers within reach, an area join covers people without a location, and remote
offers are joined by category alone; every pair then passes the five rules. Only the
union of each need's best and each capability's best pairs is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.rules import EARTH_RADIUS_KM, Table, feasible_mask
from matching.scoring import BUCKET_MIN_PROBABILITY, Features, pair_scores, proximity

__all__ = ["Pairs", "candidate_pairs", "bucket_members"]

# Pairs kept per need and per capability (plus its capacity) after scoring.
KEEP_PER_NEED = 25
KEEP_PER_CAPABILITY = 25
# Remote offers are joined with every need of their category, in blocks of this many pairs.
_BLOCK_PAIRS = 2_000_000


@dataclass
class Pairs:
    """Feasible (need, capability) pairs as parallel arrays, sorted by need then best score."""

    need: np.ndarray
    cap: np.ndarray
    score: np.ndarray
    distance_km: np.ndarray


def bucket_members(prob: np.ndarray) -> list[np.ndarray]:
    """For each category, the rows likely enough to be in it (always their top category)."""
    top = np.argmax(prob, axis=1)
    known = prob.max(axis=1) > 0
    members = []
    for k in range(prob.shape[1]):
        rows = np.flatnonzero(((prob[:, k] >= BUCKET_MIN_PROBABILITY) | (top == k)) & known)
        members.append(rows)
    return members


def _local_pairs(table: Table, needs: np.ndarray, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with a non-remote capability that distance or area might allow."""
    from sklearn.neighbors import BallTree

    out_n, out_c = [], []
    cap_owner = table.cap_owner[caps]
    need_owner = table.need_owner[needs]
    cap_located = table.has_location[cap_owner]
    need_located = table.has_location[need_owner]
    located_caps = caps[cap_located]
    located_needs = needs[need_located]
    if len(located_caps) and len(located_needs):
        owners = table.cap_owner[located_caps]
        tree = BallTree(np.radians(np.column_stack([table.lat[owners], table.lon[owners]])), metric="haversine")
        asker = table.need_owner[located_needs]
        radius = table.max_km[located_caps].max() / EARTH_RADIUS_KM
        found = tree.query_radius(np.radians(np.column_stack([table.lat[asker], table.lon[asker]])), r=radius)
        counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
        if counts.sum():
            out_n.append(np.repeat(located_needs, counts))
            out_c.append(located_caps[np.concatenate(found)])
    # Where either side lacks a location, rule 5 asks for the same area.
    by_area: dict[int, list[int]] = {}
    for c, area, located in zip(caps, table.area[cap_owner], cap_located):
        if area >= 0:
            by_area.setdefault(int(area), []).append((int(c), bool(located)))
    for n, area, located in zip(needs, table.area[need_owner], need_located):
        if area < 0 or int(area) not in by_area:
            continue
        partners = [c for c, c_located in by_area[int(area)] if not (located and c_located)]
        if partners:
            out_n.append(np.full(len(partners), n, dtype=np.int64))
            out_c.append(np.array(partners, dtype=np.int64))
    if not out_n:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(out_n), np.concatenate(out_c)


def _remote_pairs(needs: np.ndarray, caps: np.ndarray):
    """Every need of the bucket with every remote capability, in blocks."""
    if not len(needs) or not len(caps):
        return
    step = max(1, _BLOCK_PAIRS // len(caps))
    for start in range(0, len(needs), step):
        block = needs[start:start + step]
        yield np.repeat(block, len(caps)), np.tile(caps, len(block))


def _keep_best(need: np.ndarray, cap: np.ndarray, score: np.ndarray, capacity: np.ndarray,
               per_need: int) -> np.ndarray:
    """Mask of pairs among each need's best ``per_need`` or each capability's best few."""
    keep = np.zeros(len(need), dtype=bool)
    order = np.lexsort((cap, -score, need))
    starts = np.r_[0, np.flatnonzero(np.diff(need[order])) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep[order[rank < per_need]] = True
    order = np.lexsort((need, -score, cap))
    starts = np.r_[0, np.flatnonzero(np.diff(cap[order])) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    keep[order[rank < KEEP_PER_CAPABILITY + capacity[cap[order]]]] = True
    return keep


def candidate_pairs(table: Table, features: Features, per_need: int = KEEP_PER_NEED,
                    progress=None) -> Pairs:
    """All kept feasible pairs, each scored, sorted by need and then best score first."""
    n_members = bucket_members(features.n_prob)
    c_members = bucket_members(features.c_prob)
    shared = table.share
    keys = []
    for k, (needs, caps) in enumerate(zip(n_members, c_members)):
        caps = caps[shared[caps]]
        if len(needs) and len(caps):
            remote = table.remote[caps]
            n_idx, c_idx = _local_pairs(table, needs, caps[~remote])
            chunks = [(n_idx, c_idx)]
            chunks.extend(_remote_pairs(needs, caps[remote]))
            for n_idx, c_idx in chunks:
                if len(n_idx):
                    ok = feasible_mask(table, n_idx, c_idx)
                    keys.append(n_idx[ok] * len(table.capabilities) + c_idx[ok])
        if progress is not None:
            progress(1)
    if keys:
        key = np.unique(np.concatenate(keys))
    else:
        key = np.empty(0, dtype=np.int64)
    need, cap = np.divmod(key, max(1, len(table.capabilities)))
    distance = table.distance_km(need, cap)
    near = proximity(distance, table.max_km[cap], table.remote[cap])
    score = pair_scores(features, need, cap, table.doing.astype(np.float64), near)
    keep = _keep_best(need, cap, score, table.capacity, per_need)
    need, cap, score, distance = need[keep], cap[keep], score[keep], distance[keep]
    order = np.lexsort((cap, -score, need))
    return Pairs(need[order], cap[order], score[order], distance[order])
