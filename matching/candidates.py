"""Candidate generation: the feasible pairs worth scoring, without scoring all pairs.

Hard rules first: within each category bucket, a spatial index finds helpers within
reach (a grid of cells as wide as the longest distance any helper travels; tests check it
finds exactly what scikit-learn's haversine BallTree finds, without the 2.4 s that
importing scikit-learn, or the 1.4 s that importing scipy.spatial, costs on this machine),
an area join covers people without a location, and remote
offers are joined by category alone; every pair then passes the five rules. Only the
union of each need's best and each capability's best pairs is kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.rules import EARTH_RADIUS_KM, Table, feasible_mask, haversine_km
from matching.scoring import BUCKET_MIN_PROBABILITY, Features, combine, pair_scores, proximity

__all__ = ["Pairs", "candidate_pairs", "bucket_members", "unit_vectors", "within_km"]

# Pairs kept per need and per capability (plus its capacity) after scoring.
KEEP_PER_NEED = 10
KEEP_PER_CAPABILITY = 10
# Remote offers are joined with every need of their category, in blocks of this many pairs.
_BLOCK_PAIRS = 2_000_000
# Kilometres per degree of latitude on the mean Earth sphere.
_KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0


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


def unit_vectors(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, one row per (lat, lon) in degrees."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def within_km(lat_a: np.ndarray, lon_a: np.ndarray, lat_b: np.ndarray, lon_b: np.ndarray,
              radius_km: float) -> tuple[np.ndarray, np.ndarray]:
    """All (a, b) index pairs at most ``radius_km`` apart by great-circle distance.

    A grid index: points fall into cells at least ``radius_km`` wide (longitude cells
    widened for the highest latitude present, wrapping round the date line), so each
    point of ``a`` looks only at its own and the eight neighbouring cells of ``b``.
    """
    if not len(lat_a) or not len(lat_b):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    dlat = max(radius_km / _KM_PER_DEGREE, 1e-6)
    top_lat = min(float(np.abs(np.r_[lat_a, lat_b]).max()) + dlat, 89.9)
    dlon = min(dlat / np.cos(np.radians(top_lat)), 360.0)
    columns = max(1, int(360.0 // dlon))  # every column at least dlon wide, wrapping at 360
    dlon = 360.0 / columns

    def cell(lat, lon):
        return (np.floor((lat + 90.0) / dlat).astype(np.int64),
                np.floor((lon + 180.0) / dlon).astype(np.int64) % columns)

    row_b, col_b = cell(lat_b, lon_b)
    order = np.argsort(row_b * columns + col_b, kind="stable")
    sorted_keys = (row_b * columns + col_b)[order]
    row_a, col_a = cell(lat_a, lon_a)
    found_a, found_b = [], []
    for dr, dc in sorted({(dr, dc % columns) for dr in (-1, 0, 1) for dc in (-1, 0, 1)}):
        key = (row_a + dr) * columns + (col_a + dc) % columns
        lo = np.searchsorted(sorted_keys, key, side="left")
        counts = np.searchsorted(sorted_keys, key, side="right") - lo
        total = int(counts.sum())
        if not total:
            continue
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        found_a.append(np.repeat(np.arange(len(lat_a)), counts))
        found_b.append(order[np.repeat(lo, counts) + offsets])
    if not found_a:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    a, b = np.concatenate(found_a), np.concatenate(found_b)
    # A hair of slack so rounding never loses a pair; the hard rules re-check distance exactly.
    near = haversine_km(lat_a[a], lon_a[a], lat_b[b], lon_b[b]) <= radius_km * (1 + 1e-9) + 1e-9
    return a[near], b[near]


def _equal_keys(keys_a: np.ndarray, keys_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (a, b) index pairs whose keys are equal and not negative (an unknown area)."""
    order = np.argsort(keys_b, kind="stable")
    sorted_b = keys_b[order]
    lo = np.searchsorted(sorted_b, keys_a, side="left")
    counts = np.where(keys_a >= 0, np.searchsorted(sorted_b, keys_a, side="right") - lo, 0)
    total = int(counts.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(np.arange(len(keys_a)), counts), order[np.repeat(lo, counts) + offsets]


def _local_pairs(table: Table, needs: np.ndarray, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs with a non-remote capability that distance or area might allow."""
    out_n, out_c = [], []
    cap_owner = table.cap_owner[caps]
    need_owner = table.need_owner[needs]
    cap_located = table.has_location[cap_owner]
    need_located = table.has_location[need_owner]
    located_caps = caps[cap_located]
    located_needs = needs[need_located]
    if len(located_caps) and len(located_needs):
        owners, asker = table.cap_owner[located_caps], table.need_owner[located_needs]
        found_n, found_c = within_km(table.lat[asker], table.lon[asker], table.lat[owners], table.lon[owners],
                                     float(table.max_km[located_caps].max()))
        out_n.append(located_needs[found_n])
        out_c.append(located_caps[found_c])
    # Where either side lacks a location, rule 5 asks for the same area.
    need_area, cap_area = table.area[need_owner], table.area[cap_owner]
    for need_rows, cap_rows in ((~need_located, np.ones(len(caps), dtype=bool)), (need_located, ~cap_located)):
        a, b = _equal_keys(need_area[need_rows], cap_area[cap_rows])
        out_n.append(needs[need_rows][a])
        out_c.append(caps[cap_rows][b])
    if not out_n:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(out_n), np.concatenate(out_c)


def _remote_pairs(table: Table, features: Features, needs: np.ndarray, caps: np.ndarray,
                  per_need: int) -> np.ndarray:
    """Keys of the best feasible pairs between a bucket's needs and its remote offers.

    Remote help has no distance limit, so every need of the category could take every
    remote offer: scored in dense blocks, only each need's best ``per_need`` and each
    offer's best few (per block) are kept.
    """
    if not len(needs) or not len(caps):
        return np.empty(0, dtype=np.int64)
    n_caps = len(table.capabilities)
    c_owner = table.cap_owner[caps]
    c_root = features.c_root[caps].T
    c_words = features.c_words[caps].T.tocsr()
    doing = table.doing[caps].astype(np.float64)
    keep_cap = KEEP_PER_CAPABILITY + table.capacity[caps]
    need_points = unit_vectors(table.lat[table.need_owner[needs]], table.lon[table.need_owner[needs]])
    cap_points = unit_vectors(table.lat[c_owner], table.lon[c_owner])
    keys = []
    step = max(1, _BLOCK_PAIRS // len(caps))
    for start in range(0, len(needs), step):
        block = needs[start:start + step]
        # Nearness only (remote help has no distance rule): chords from one matrix product.
        chord = np.sqrt(np.maximum(2.0 - 2.0 * (need_points[start:start + step] @ cap_points.T), 0.0))
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))
        ok = feasible_mask(table, block[:, None], caps[None, :], distance_km=distance)
        score = combine(features.n_root[block] @ c_root, (features.n_words[block] @ c_words).toarray(),
                        doing[None, :], proximity(distance, table.max_km[caps][None, :], True))
        score = np.where(ok, score, -1.0)
        rows, cols = [], []
        if len(caps) > per_need:
            best = np.argpartition(-score, per_need - 1, axis=1)[:, :per_need]
            rows.append(np.repeat(np.arange(len(block)), per_need))
            cols.append(best.ravel())
        else:
            rows.append(np.repeat(np.arange(len(block)), len(caps)))
            cols.append(np.tile(np.arange(len(caps)), len(block)))
        if len(block) > keep_cap.max():
            # Each offer's best few needs of the block (a superset when its capacity is
            # small; the final pruning keeps exactly the best).
            most = int(keep_cap.max())
            best = np.argpartition(-score, most - 1, axis=0)[:most]
            rows.append(best.ravel())
            cols.append(np.tile(np.arange(len(caps)), most))
        else:
            rows.append(np.repeat(np.arange(len(block)), len(caps)))
            cols.append(np.tile(np.arange(len(caps)), len(block)))
        r, c = np.concatenate(rows), np.concatenate(cols)
        r, c = r[ok[r, c]], c[ok[r, c]]
        keys.append(block[r] * n_caps + caps[c])
    return np.concatenate(keys)


def _ranks(group: np.ndarray, score: np.ndarray, n_groups: int) -> np.ndarray:
    """Each pair's rank within its group, best score first (ties keep input order)."""
    # One stable argsort on a float key: group number plus a fraction that falls with the score.
    order = np.argsort(group + (1.0 - score) * 0.999, kind="stable")
    starts = np.searchsorted(group[order], np.arange(n_groups))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - starts[group[order]]
    return rank


def _keep_best(need: np.ndarray, cap: np.ndarray, score: np.ndarray, capacity: np.ndarray,
               per_need: int) -> np.ndarray:
    """Mask of pairs among each need's best ``per_need`` or each capability's best few."""
    if not len(need):
        return np.zeros(0, dtype=bool)
    keep = _ranks(need, score, int(need.max()) + 1) < per_need
    keep |= _ranks(cap, score, len(capacity)) < KEEP_PER_CAPABILITY + capacity[cap]
    return keep


def candidate_pairs(table: Table, features: Features, per_need: int = KEEP_PER_NEED,
                    progress=None, forbidden: np.ndarray | None = None) -> Pairs:
    """All kept feasible pairs, each scored, sorted by need and then best score first.

    ``forbidden`` holds keys (``need * n_capabilities + cap``) of pairs never to keep:
    they are dropped before the best are chosen, so they take no one's place.
    """
    n_members = bucket_members(features.n_prob)
    c_members = bucket_members(features.c_prob)
    shared = table.share
    keys = []
    for _k, (needs, caps) in enumerate(zip(n_members, c_members)):
        caps = caps[shared[caps]]
        if len(needs) and len(caps):
            remote = table.remote[caps]
            n_idx, c_idx = _local_pairs(table, needs, caps[~remote])
            if len(n_idx):
                ok = feasible_mask(table, n_idx, c_idx)
                keys.append(n_idx[ok] * len(table.capabilities) + c_idx[ok])
            keys.append(_remote_pairs(table, features, needs, caps[remote], per_need))
        if progress is not None:
            progress(1)
    if keys:
        key = np.concatenate(keys)
        key.sort()
        # Drop duplicate pairs (an empty array has none, and np.r_ would give it one flag).
        key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    else:
        key = np.empty(0, dtype=np.int64)
    if forbidden is not None and len(forbidden):
        key = key[~np.isin(key, forbidden)]
    need, cap = np.divmod(key, max(1, len(table.capabilities)))
    distance = table.distance_km(need, cap)
    near = proximity(distance, table.max_km[cap], table.remote[cap])
    score = pair_scores(features, need, cap, table.doing.astype(np.float64), near)
    keep = _keep_best(need, cap, score, table.capacity, per_need)
    need, cap, score, distance = need[keep], cap[keep], score[keep], distance[keep]
    order = np.argsort(need + (1.0 - score) * 0.999, kind="stable")
    return Pairs(need[order], cap[order], score[order], distance[order])
