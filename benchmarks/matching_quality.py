"""Matching quality figures: the dev set scored by the shared scorer, and category reading.

    .venv/bin/python benchmarks/matching_quality.py [--shared ../shared] [--blind DIR [--only-blind]]

Prints F1, top-1 and violations on the development set (through the `timebank match`
command and `score_matches.py`), the accuracy of category inference on the dev gold
file (needs and capabilities), on the wording the engine was tuned on
(benchmarks/data/tuned.py: the first set, the wider set's tuning half, the blind set's
tuning half) and on the locked wording nothing was tuned on (benchmarks/data/locked.py:
the wider set's and the blind set's locked halves). The locked figures are reported
here and gate nothing: no test reads them. Figures, not a test: nothing here fails a build.

``--blind DIR``: for each ``*.jsonl`` file in DIR (lines ``{"text", "service", "side"}``,
``service`` a service's name or id), the reading accuracy of the hand-made reader alone
(its strongest category), the engine as it read before the learned reader (hand-made
plus its likeness guess), the learned reader alone and the two combined (the engine's
reader now), each text read on its own side. ``--only-blind`` prints only those.
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


def blind_accuracy(path: Path) -> dict[str, str]:
    """Reading accuracy of each reader on one blind file."""
    import numpy as np

    from matching.knowledge import load_knowledge
    from matching.learned import handmade_proba
    from matching.profiles import Capability, Need
    from matching.scoring import build_features, default_reader
    from matching.taxonomy import CATEGORIES

    ids = [c.id for c in CATEGORIES]
    id_of = {c.name.lower(): c.id for c in CATEGORIES} | {c.id: c.id for c in CATEGORIES}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows]
    wanted = [id_of.get(r["service"].strip().lower(), r["service"]) for r in rows]
    reader = default_reader()

    def share(proba) -> str:
        picked = [ids[k] if row[k] > 0 else None for row, k in zip(proba, np.argmax(proba, axis=1))]
        right = sum(p == w for p, w in zip(picked, wanted))
        return f"{right}/{len(rows)} = {right / len(rows):.3f}"

    needs = [i for i, r in enumerate(rows) if r.get("side") != "capability"]
    caps = [i for i, r in enumerate(rows) if r.get("side") == "capability"]
    engine = np.zeros((len(rows), len(ids)))
    features = build_features([Need(str(i), texts[i]) for i in needs], [Capability(str(i), texts[i]) for i in caps],
                              handmade_only=True)
    engine[needs] = features.n_prob[:, :len(ids)]
    engine[caps] = features.c_prob[:, :len(ids)]
    learned, handmade = reader.parts(texts)
    return {"hand-made reader alone": share(handmade_proba(texts, ids, load_knowledge())),
            "engine before (hand-made + likeness)": share(engine),
            "learned reader alone": share(learned),
            "combined (the engine's reader now)": share(reader(texts))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--blind", type=Path, help="a folder of blind sets (*.jsonl)")
    parser.add_argument("--only-blind", action="store_true")
    args = parser.parse_args()
    if args.blind:
        for path in sorted(args.blind.glob("*.jsonl")):
            print(f"reading accuracy on {path}:")
            for key, value in blind_accuracy(path).items():
                print(f"  {key:38} {value}")
        if args.only_blind:
            return
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
