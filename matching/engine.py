"""The matching engine: profiles in, one result per need out."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from matching.assignment import assign
from matching.candidates import KEEP_PER_NEED, candidate_pairs
from matching.explain import match_reasons, rule_counts, unassigned_reasons
from matching.knowledge import Knowledge, load_knowledge
from matching.profiles import Profile
from matching.rules import Table
from matching.scoring import MIN_SCORE, Features, Reader, build_features

__all__ = ["Candidate", "MatchResult", "match", "write_matches", "match_to_dict"]


@dataclass(frozen=True)
class Candidate:
    """A feasible capability for a need, with its score."""

    capability: str
    score: float


@dataclass(frozen=True)
class MatchResult:
    """The outcome for one need: the assigned capability (or None), the score, the
    reasons, and the best feasible candidates (whatever was assigned)."""

    need: str
    capability: str | None
    score: float | None
    reasons: tuple[str, ...]
    candidates: tuple[Candidate, ...] = field(default=())


def _round(score: float) -> float:
    return round(float(score), 4)


def match(profiles: Iterable[Profile], top_k: int | None = None, min_score: float = MIN_SCORE,
          progress: Callable[[int], None] | None = None, *, knowledge: Knowledge | None = None,
          forbidden_pairs: Collection[tuple[str, str]] = (), reader: Reader | None = None,
          involving: Collection[str] | None = None) -> list[MatchResult]:
    """Match every need to at most one capability, maximising the total score.

    Args:
        profiles: the people, as read by :func:`matching.read_profiles`.
        top_k: when given, each result lists up to ``top_k`` best feasible candidates.
        min_score: pairs scoring below this are never assigned.
        progress: called with a number of steps done (``progress_steps`` in total).
        knowledge: the services and the words people use for them
            (:class:`matching.knowledge.Knowledge`); the shipped knowledge when None.
        forbidden_pairs: (need id, capability id) pairs never to propose, such as pairs a
            person rejected: they are neither assigned nor listed as candidates, so they
            take no helper's capacity.
        reader: reads texts into probabilities over ``knowledge``'s services (default:
            the shipped learned and hand-made readers voting, :func:`matching.learned.default_reader`).
        involving: when given, the people (``Profile.person``) whose pairs alone are
            matched: their needs against everyone else's capabilities, and everyone
            else's needs against their capabilities. Every text is still read with all
            the others, so a pair scores exactly as in a run over everyone. ``progress``
            is then not called.

    Returns:
        One :class:`MatchResult` per need, in input order; with ``involving``, one per
        need of theirs and one per other need given one of their capabilities. The same
        input always gives the same output.
    """
    knowledge = knowledge or load_knowledge()
    table = Table.from_profiles(list(profiles))
    features = build_features(table.needs, table.capabilities, knowledge, reader=reader)
    if involving is None:
        return _solve(table, features, top_k, min_score, progress, knowledge, forbidden_pairs)
    return _solve_involving(table, features, set(involving), top_k, min_score, knowledge, forbidden_pairs)


def _solve_involving(table: Table, features: Features, involving: set[str], top_k: int | None, min_score: float,
                     knowledge: Knowledge, forbidden_pairs: Collection[tuple[str, str]]) -> list[MatchResult]:
    """The pairs involving some people, as two assignments that share no need and no
    capability: their needs helped by the others, and the others' needs helped by them
    (a person never helps themselves, so no pair is left out)."""
    theirs = np.array([p.person in involving for p in table.profiles], dtype=bool)
    their_needs, their_caps = theirs[table.need_owner], theirs[table.cap_owner]
    helped = _solve(*_part(table, features, their_needs, ~their_caps), top_k, min_score, None, knowledge,
                    forbidden_pairs)
    helping = _solve(*_part(table, features, ~their_needs, their_caps), top_k, min_score, None, knowledge,
                     forbidden_pairs, unassigned=False)
    by_need = {r.need: r for r in helped}
    by_need.update((r.need, r) for r in helping)
    return [by_need[need.id] for need in table.needs if need.id in by_need]


def _part(table: Table, features: Features, need_mask: np.ndarray, cap_mask: np.ndarray) -> tuple[Table, Features]:
    """The table and features of only some needs and capabilities (the people stay)."""
    n_at, c_at = np.flatnonzero(need_mask), np.flatnonzero(cap_mask)
    needs, caps = set(n_at.tolist()), set(c_at.tolist())
    n_seen = c_seen = 0
    profiles = []
    for p in table.profiles:
        kept_needs = tuple(n for k, n in enumerate(p.needs, n_seen) if k in needs)
        kept_caps = tuple(c for k, c in enumerate(p.capabilities, c_seen) if k in caps)
        n_seen, c_seen = n_seen + len(p.needs), c_seen + len(p.capabilities)
        profiles.append(replace(p, needs=kept_needs, capabilities=kept_caps))
    part = replace(features, n_prob=features.n_prob[n_at], c_prob=features.c_prob[c_at],
                   n_root=features.n_root[n_at], c_root=features.c_root[c_at], n_words=features.n_words[n_at],
                   c_words=features.c_words[c_at], n_given=features.n_given[n_at], c_given=features.c_given[c_at])
    return Table.from_profiles(profiles), part


def _solve(table: Table, features: Features, top_k: int | None, min_score: float,
           progress: Callable[[int], None] | None, knowledge: Knowledge,
           forbidden_pairs: Collection[tuple[str, str]], unassigned: bool = True) -> list[MatchResult]:
    """One result per need of ``table`` (per need assigned a capability, unless
    ``unassigned``): candidates, the assignment, and the reasons."""
    pairs = candidate_pairs(table, features, per_need=max(top_k or 0, KEEP_PER_NEED), progress=progress,
                            forbidden=_pair_keys(table, forbidden_pairs))
    usable = pairs.score >= min_score
    assigned = assign(len(table.needs), table.capacity, pairs.need[usable], pairs.cap[usable],
                      pairs.score[usable])
    if progress is not None:
        progress(1)

    n_labels = features.top_categories(features.n_prob)
    c_labels = features.top_categories(features.c_prob)
    starts = np.searchsorted(pairs.need, np.arange(len(table.needs) + 1))
    # For needs left alone: how many offers of their category each rule removed.
    counts = {}
    c_label_array = np.array([c or "" for c in c_labels], dtype=object)
    alone = np.flatnonzero(assigned < 0) if unassigned else np.empty(0, dtype=np.int64)
    alone_labels = np.array([n_labels[i] or "" for i in alone], dtype=object)
    for label in sorted(set(alone_labels.tolist()) - {""}):
        rows = alone[alone_labels == label]
        found = rule_counts(table, rows, np.flatnonzero(c_label_array == label))
        counts.update(zip(rows.tolist(), found))

    cap_ids = [table.capabilities[j].id for j in pairs.cap.tolist()] if top_k else []
    # Fully booked offers (capacity 0) are there only to tell a need why it waits.
    booked = set(np.flatnonzero(table.capacity[pairs.cap] < 1).tolist()) if top_k else set()
    rounded = np.round(pairs.score, 4).tolist() if top_k else []
    label_index = {label: k for k, label in enumerate(features.labels)}
    where = np.full(len(table.needs), -1, dtype=np.int64)
    hit = np.flatnonzero(pairs.cap == assigned[pairs.need])
    where[pairs.need[hit]] = hit
    starts_list, assigned_list, where_list = starts.tolist(), assigned.tolist(), where.tolist()
    need_owner, cap_owner = table.need_owner.tolist(), table.cap_owner.tolist()
    results = []
    for i, need in enumerate(table.needs):
        lo, hi = starts_list[i], starts_list[i + 1]
        label = n_labels[i]
        chosen = assigned_list[i]
        if chosen < 0 and not unassigned:
            continue
        asker = table.profiles[need_owner[i]]
        if chosen >= 0:
            at = where_list[i]
            cap = table.capabilities[chosen]
            # The category the pair has most in common, for the words that carried it.
            k_pair = int(np.argmax(features.n_root[i] * features.c_root[chosen]))
            reasons = match_reasons(asker, need, table.profiles[cap_owner[chosen]], cap,
                                    features.labels[k_pair], k_pair if k_pair < len(knowledge.categories) else None,
                                    float(pairs.distance_km[at]), features.likeness_words, knowledge)
            result_cap, result_score = cap.id, _round(pairs.score[at])
        else:
            top_prob = float(features.n_prob[i, label_index[label]]) if label is not None else 0.0
            reasons = unassigned_reasons(table, i, label, top_prob, counts.get(i),
                                         pairs.cap[lo:hi], pairs.score[lo:hi], min_score, c_labels, knowledge)
            result_cap, result_score = None, None
        candidates = ()
        if top_k:
            kept = [k for k in range(lo, hi) if k not in booked][:top_k]
            candidates = tuple(Candidate(cap_ids[k], rounded[k]) for k in kept)
        results.append(MatchResult(need.id, result_cap, result_score, tuple(reasons), candidates))
    return results


def _pair_keys(table: Table, pairs: Collection[tuple[str, str]]) -> np.ndarray:
    """(need id, capability id) pairs as the candidate keys ``need * n_capabilities + cap``
    (ids not in this run are ignored)."""
    if not pairs:
        return np.empty(0, dtype=np.int64)
    need_at = {n.id: i for i, n in enumerate(table.needs)}
    cap_at = {c.id: j for j, c in enumerate(table.capabilities)}
    keys = [need_at[n] * len(table.capabilities) + cap_at[c] for n, c in pairs if n in need_at and c in cap_at]
    return np.array(sorted(keys), dtype=np.int64)


def match_to_dict(result: MatchResult, with_candidates: bool) -> dict:
    """The JSON object of one output line (matching-io.md)."""
    line = {"need": result.need, "capability": result.capability, "score": result.score,
            "reasons": list(result.reasons)}
    if with_candidates:
        line["candidates"] = [{"capability": c.capability, "score": c.score} for c in result.candidates]
    return line


def write_matches(results: Iterable[MatchResult], path: str | Path, with_candidates: bool = False) -> None:
    """Write results as JSON Lines, atomically: a temporary file renamed into place, so
    a failed run never leaves a half-written file."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for result in results:
                out.write(json.dumps(match_to_dict(result, with_candidates), ensure_ascii=False) + "\n")
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
