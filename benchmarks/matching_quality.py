"""Matching quality figures: the dev set scored by the shared scorer, and category reading.

    .venv/bin/python benchmarks/matching_quality.py [--shared ../shared]

Prints F1, top-1 and violations on the development set (through the `timebank match`
command and `score_matches.py`), the accuracy of category inference on the dev gold
file (needs and capabilities), on the wording the engine was tuned on
(benchmarks/data/tuned.py: the first set, the wider set's tuning half, the blind set's
tuning half) and on the locked wording nothing was tuned on (benchmarks/data/locked.py:
the wider set's and the blind set's locked halves). The locked figures are reported
here and gate nothing: no test reads them. Figures, not a test: nothing here fails a build.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--top", type=int, default=5)
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


if __name__ == "__main__":
    main()
