"""Matching quality figures: the dev set scored by the shared scorer, and category reading.

    .venv/bin/python benchmarks/matching_quality.py [--shared ../shared]

Prints F1, top-1 and violations on the development set (through the `timebank match`
command and `score_matches.py`), the accuracy of category inference on the dev gold
file (needs and capabilities), on the wording the engine was tuned on
(benchmarks/data/tuned.py: the first set, the wider set's tuning half, the blind set's
tuning half) and on the locked wording nothing was tuned on (benchmarks/data/locked.py:
the wider set's and the blind set's locked halves), and with ``--blind DIR`` on every
``DIR/*.jsonl`` set of ``{"text", "service" (the service's name), "side"}`` lines.
The locked figures are reported here and gate nothing: no test reads them. Figures, not
a test: nothing here fails a build.

    .venv/bin/python benchmarks/matching_quality.py --blind /work/blind
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dev_scores(shared: Path, top: int) -> dict:
    dev = shared / "data" / "matching-dev"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dev.jsonl"
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "timebank"), "match", str(dev / "profiles.jsonl"),
                        "--out", str(out), "--top", str(top)], check=True)
        seconds = time.perf_counter() - started
        scored = subprocess.run([sys.executable, str(shared / "eval" / "score_matches.py"),
                                 str(dev / "profiles.jsonl"), str(dev / "gold.jsonl"), str(out), "--json"],
                                capture_output=True, text=True)
    result = json.loads(scored.stdout)
    result["seconds"] = round(seconds, 2)
    return result


def inference_accuracy(shared: Path) -> dict:
    from matching import read_profiles
    from matching.scoring import build_features

    dev = shared / "data" / "matching-dev"
    people = read_profiles(dev / "profiles.jsonl")
    gold = {}
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold[row.get("need") or row.get("capability")] = row["category"]
    needs = [n for p in people for n in p.needs]
    caps = [c for p in people for c in p.capabilities]
    features = build_features(needs, caps)
    out = {}
    for name, items, prob in (("needs", needs, features.n_prob), ("capabilities", caps, features.c_prob)):
        right = sum(features.top_category(row) == gold[item.id] for item, row in zip(items, prob))
        out[name] = f"{right}/{len(items)} = {right / len(items):.3f}"
    return out


def accuracy(rows: list[tuple]) -> str:
    """How often the engine reads a set right: ``(text, category)`` rows read as needs,
    ``(text, category, side)`` rows read as needs and offers together."""
    from benchmarks.data import hits, needs_read_right

    right = needs_read_right(rows) if len(rows[0]) == 2 else hits(rows)
    return f"{right}/{len(rows)} = {right / len(rows):.3f}"


def blind_accuracy(path: Path) -> tuple[str, list[tuple[str, str, str]]]:
    """How often the default reader reads a set's texts as the service named, and the misses."""
    from matching.knowledge import load_knowledge
    from matching.reader import default_reader

    knowledge = load_knowledge()
    by_name = {s.name.casefold(): s.id for s in knowledge.services} | {s.id: s.id for s in knowledge.services}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = sorted({r["service"] for r in rows if r["service"].strip().casefold() not in by_name})
    if unknown:
        raise SystemExit(f"{path}: services not in the knowledge: {unknown}")
    want = [by_name[r["service"].strip().casefold()] for r in rows]
    readings = default_reader().read([r["text"] for r in rows])
    right = sum(r.service_id == w for r, w in zip(readings, want))
    misses = [(row["text"], w, r.service_id) for row, w, r in zip(rows, want, readings) if r.service_id != w]
    by_side = {}
    for row, w, r in zip(rows, want, readings):
        ok, n = by_side.get(row.get("side", "?"), (0, 0))
        by_side[row.get("side", "?")] = (ok + (r.service_id == w), n + 1)
    sides = ", ".join(f"{side} {ok}/{n}" for side, (ok, n) in sorted(by_side.items()))
    return f"{right}/{len(rows)} = {right / len(rows):.3f} ({sides})", misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--blind", type=Path, default=None, help="a folder of blind *.jsonl sets")
    parser.add_argument("--misses", type=Path, default=None, help="write the blind sets' misses here")
    args = parser.parse_args()
    scores = dev_scores(args.shared, args.top)
    print(f"dev set (timebank match --top {args.top}, score_matches.py):")
    for key in ("needs", "capabilities", "assigned", "precision", "recall", "f1", "top1",
                "unmatchable_left_alone", "violations", "seconds"):
        print(f"  {key:24} {scores[key]}")
    print("category inference on dev gold:")
    for key, value in inference_accuracy(args.shared).items():
        print(f"  {key:24} {value}")
    from benchmarks.data import locked, tuned

    print("category inference on the wording the engine was tuned on (benchmarks/data/tuned.py):")
    for name in ("FIRST_TUNING", "WIDER_TUNING", "BLIND_TUNING"):
        print(f"  {name:24} {accuracy(getattr(tuned, name))}")
    print("category inference on the locked wording, never tuned on (benchmarks/data/locked.py):")
    for name in ("WIDER_LOCKED", "BLIND_LOCKED"):
        print(f"  {name:24} {accuracy(getattr(locked, name))}")
    if args.blind is not None:
        print(f"reading accuracy on the blind sets in {args.blind} (default reader):")
        all_misses = {}
        for path in sorted(args.blind.glob("*.jsonl")):
            figure, misses = blind_accuracy(path)
            all_misses[path.name] = misses
            print(f"  {path.name:24} {figure}")
        if args.misses is not None:
            args.misses.write_text(json.dumps(all_misses, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
