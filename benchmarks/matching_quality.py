"""Matching quality figures: the dev set scored by the shared scorer, and category reading.

    .venv/bin/python benchmarks/matching_quality.py [--shared ../shared]

Prints F1, top-1 and violations on the development set (through the `timebank match`
command and `score_matches.py`), the accuracy of category inference on the dev gold
file (needs and capabilities), and on our own held-out wording in tests/matching
(the first set, the wider set's tuning half, and its locked half, which nothing was tuned on),
and on the blind tuning half written by an author who never saw the taxonomy.
Figures, not a test: nothing here fails a build.
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


def held_out_accuracy(texts: list[tuple[str, str]]) -> str:
    """How often the engine's most likely category (needs read on their own, as the
    engine reads a small input) is the one we wrote the text for."""
    from matching.profiles import Need
    from matching.scoring import build_features

    features = build_features([Need(str(i), text) for i, (text, _) in enumerate(texts)], [])
    right = sum(features.top_category(row) == want for row, (_, want) in zip(features.n_prob, texts))
    return f"{right}/{len(texts)} = {right / len(texts):.3f}"


def blind_accuracy(rows: list[tuple[str, str, str]]) -> str:
    """The same, for ``(text, category, side)`` rows read as the engine reads an input."""
    from tests.matching.blind_texts import hits

    right = hits(rows)
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
    from tests.matching import heldout_texts

    print("category inference on our own held-out wording (tests/matching/heldout_texts.py):")
    for name in ("HELD_OUT", "WIDER_TUNING", "WIDER_LOCKED"):
        print(f"  {name:24} {held_out_accuracy(getattr(heldout_texts, name))}")
    from tests.matching import blind_texts

    print("category inference on the blind set (tests/matching/blind_texts.py):")
    for name in ("BLIND_TUNING", "BLIND_LOCKED"):
        print(f"  {name:24} {blind_accuracy(getattr(blind_texts, name))}")


if __name__ == "__main__":
    main()
