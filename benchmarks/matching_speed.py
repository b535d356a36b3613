"""Matching speed, memory and optimality figures.

    .venv/bin/python benchmarks/matching_speed.py [--people 1000 10000 100000] [--runs 3]
        [--data /tmp/timebank-bench] [--shared ../shared] [--skip-optimum] [--skip-networkx]

For each size: sets from make_profiles.py --seed 1; the whole `timebank match --top 5`
process timed `--runs` times (median wall seconds, peak resident memory, by
/usr/bin/time). Then, at 1,000 people, our min-cost flow against networkx's exact
max_weight_matching on the same feasible candidate graph (same total, time ratio); at
10,000 people, our total score against the optimum over all feasible pairs (every
need against every capability, the hard rules applied, the same scores, solved exactly).
Figures, not a test.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def ensure_set(shared: Path, data: Path, people: int) -> Path:
    folder = data / f"people-{people}-seed-1"
    if not (folder / "profiles.jsonl").exists():
        subprocess.run([sys.executable, str(shared / "eval" / "make_profiles.py"), "--people", str(people),
                        "--seed", "1", "--out", str(folder)], check=True, stdout=subprocess.DEVNULL)
    return folder / "profiles.jsonl"


def time_command(profiles: Path, runs: int) -> tuple[list[float], list[int], list[float]]:
    walls, peaks, cpus = [], [], []
    out = profiles.parent / "matches.jsonl"
    for _ in range(runs):
        done = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", str(ROOT / ".venv" / "bin" / "timebank"), "match",
                               str(profiles), "--out", str(out), "--top", "5"],
                              check=True, capture_output=True, text=True)
        wall, peak_kb, user_s, sys_s = done.stderr.strip().splitlines()[-1].split()
        walls.append(float(wall))
        peaks.append(int(peak_kb))
        cpus.append(round(float(user_s) + float(sys_s), 2))
    return walls, peaks, cpus


def _engine_graph(profiles_path: Path):
    from matching import MIN_SCORE, read_profiles
    from matching.candidates import candidate_pairs
    from matching.rules import Table
    from matching.scoring import build_features

    table = Table.from_profiles(read_profiles(profiles_path))
    features = build_features(table.needs, table.capabilities)
    pairs = candidate_pairs(table, features, per_need=5)
    usable = pairs.score >= MIN_SCORE
    return table, features, pairs.need[usable], pairs.cap[usable], pairs.score[usable]


def networkx_total(capacity: np.ndarray, need: np.ndarray, cap: np.ndarray, score: np.ndarray) -> float:
    """The best total score by networkx's exact ``max_weight_matching`` (what is timed
    against ours), each capability copied ``capacity`` times, scores in the engine's
    integer units."""
    import networkx as nx

    from matching.assignment import SCORE_UNITS

    graph = nx.Graph()
    for i, j, s in zip(need.tolist(), cap.tolist(), score.tolist()):
        for copy in range(int(capacity[j])):
            graph.add_edge(("need", i), ("cap", j, copy), weight=round(s * SCORE_UNITS))
    matching = nx.max_weight_matching(graph)
    return sum(graph.edges[u, v]["weight"] for u, v in matching) / SCORE_UNITS


def networkx_ratio(profiles_path: Path) -> None:
    from matching.assignment import assign

    table, _, need, cap, score = _engine_graph(profiles_path)
    started = time.perf_counter()
    chosen = assign(len(table.needs), table.capacity, need, cap, score)
    ours_s = time.perf_counter() - started
    by_pair = dict(zip(zip(need.tolist(), cap.tolist()), score.tolist()))
    ours = sum(by_pair[(i, j)] for i, j in enumerate(chosen.tolist()) if j >= 0)
    started = time.perf_counter()
    exact = networkx_total(table.capacity, need, cap, score)
    nx_s = time.perf_counter() - started
    print(f"  candidate graph: {len(table.needs)} needs, {len(table.capabilities)} capabilities, "
          f"{len(need)} pairs at or above the minimum score")
    print(f"  min-cost flow (OR-Tools) {ours_s:.3f} s, total {ours:.4f}")
    print(f"  networkx max_weight_matching {nx_s:.2f} s, total {exact:.4f}")
    print(f"  ratio networkx / ours: {nx_s / max(ours_s, 1e-9):.0f}x, same total: {abs(ours - exact) < 1e-3}")


def all_pairs_optimum(profiles_path: Path) -> None:
    from matching import MIN_SCORE
    from matching.assignment import assign
    from matching.rules import feasible_mask
    from matching.scoring import pair_scores, proximity

    table, features, need, cap, score = _engine_graph(profiles_path)
    from matching.engine import match

    results = match(table.profiles)
    by_id = {c.id: j for j, c in enumerate(table.capabilities)}
    ours = sum(r.score for r in results if r.score is not None)
    started = time.perf_counter()
    n_needs, n_caps = len(table.needs), len(table.capabilities)
    keep_n, keep_c, keep_s, feasible_total = [], [], [], 0
    block = max(1, 2_000_000 // n_caps)
    caps_all = np.arange(n_caps)
    for start in range(0, n_needs, block):
        rows = np.arange(start, min(n_needs, start + block))
        n_idx, c_idx = np.repeat(rows, n_caps), np.tile(caps_all, len(rows))
        ok = feasible_mask(table, n_idx, c_idx)
        n_idx, c_idx = n_idx[ok], c_idx[ok]
        feasible_total += len(n_idx)
        distance = table.distance_km(n_idx, c_idx)
        s = pair_scores(features, n_idx, c_idx, table.doing.astype(float),
                        proximity(distance, table.max_km[c_idx], table.remote[c_idx]))
        good = s >= MIN_SCORE
        keep_n.append(n_idx[good]), keep_c.append(c_idx[good]), keep_s.append(s[good])
    need_all, cap_all, score_all = np.concatenate(keep_n), np.concatenate(keep_c), np.concatenate(keep_s)
    chosen = assign(n_needs, table.capacity, need_all, cap_all, score_all)
    by_pair = dict(zip(zip(need_all.tolist(), cap_all.tolist()), score_all.tolist()))
    optimum = sum(by_pair[(i, j)] for i, j in enumerate(chosen.tolist()) if j >= 0)
    print(f"  all feasible pairs: {feasible_total} ({len(need_all)} at or above the minimum score), "
          f"solved exactly in {time.perf_counter() - started:.1f} s")
    print(f"  engine total {ours:.2f} (rounded scores), optimum {optimum:.2f}: "
          f"{100 * ours / optimum:.2f}% of the optimum")
    del by_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/timebank-bench"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--skip-optimum", action="store_true")
    parser.add_argument("--skip-networkx", action="store_true")
    args = parser.parse_args()
    for people in args.people:
        path = ensure_set(args.shared, args.data, people)
        walls, peaks, cpus = time_command(path, args.runs)
        print(f"{people} people: timebank match --top 5, median {statistics.median(walls):.2f} s wall "
              f"of {args.runs} runs {walls}, CPU (user+sys) median {statistics.median(cpus):.2f} s {cpus}, "
              f"peak memory {max(peaks) / 1024:.0f} MiB")
    with open("/proc/loadavg", encoding="ascii") as handle:
        print(f"load average while measuring (2 cores): {handle.read().split()[:3]}")
    if not args.skip_networkx:
        print("1000 people, the same feasible graph:")
        networkx_ratio(ensure_set(args.shared, args.data, 1000))
    if not args.skip_optimum:
        print("10000 people, against the optimum over all feasible pairs:")
        all_pairs_optimum(ensure_set(args.shared, args.data, 10000))


if __name__ == "__main__":
    main()
