"""A bank with its own wording corrects 50 texts, then reads its next 100: before and after.

    .venv/bin/python benchmarks/bank_vocabulary.py [--seeds 3] [--corrected 50] [--next 100]

The simulated bank: the texts of ``matching/data/examples/set_a.jsonl`` (left out of the
shipped reader for this benchmark, so it has never seen them), rewritten in the bank's
house words: each service has a made-up name in this bank ("a gorran" for shopping),
and in every text the words that named its service (the words the hand-made reader
found for it) are replaced by that name, as a bank's social workers come to write
"needs a gorran Thursdays". Texts naming their service in no word the hand-made reader
knows keep their wording.

Per seed, the texts are shuffled; a social worker corrects the first ``--corrected``
(they become the bank's examples, as `timebank.services.readings` keeps them) and the
bank's reader is retrained on the shipped examples plus those (as `retrain_reader`
does); then the next ``--next`` are read, before and after. Figures, not a test.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_SYLLABLES = ("gor", "ran", "bel", "tik", "mun", "sev", "lor", "dak", "pim", "vos", "qua", "zen")


def house_words(services: list[str], seed: int = 7) -> dict[str, str]:
    """A made-up name for each service: words no reader has ever seen."""
    pick = random.Random(seed)
    names: dict[str, str] = {}
    for service in services:
        name = ""
        while not name or name in names.values():
            name = "".join(pick.choice(_SYLLABLES) for _ in range(2))
        names[service] = name
    return names


def in_house_words(text: str, service: str, names: dict[str, str], ids: list[str]) -> str:
    """The text with the words that named its service replaced by the bank's name for it."""
    from matching.text import read_text

    k = ids.index(service)
    for said in sorted(dict(read_text(text).evidence).get(k, ()), key=len, reverse=True):
        pattern = r"[\s\-/]+".join(re.escape(part) for part in said.split())
        text = re.sub(rf"(?<!\w){pattern}(?!\w)", names[service], text, flags=re.IGNORECASE)
    return text


def accuracy(reader, texts: list[str], wanted: list[str]) -> dict[str, float]:
    learned, handmade = reader.parts(texts)
    out = {}
    for name, proba in (("hand-made", handmade), ("learned", learned), ("combined", reader(texts))):
        picked = [reader.services[k] if row[k] > 0 else None for row, k in zip(proba, np.argmax(proba, axis=1))]
        out[name] = float(np.mean([p == w for p, w in zip(picked, wanted)]))
    return out


def main() -> None:
    from matching.learned import CombinedReader, load_examples, train
    from matching.taxonomy import CATEGORIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--corrected", type=int, default=50)
    parser.add_argument("--next", type=int, default=100)
    parser.add_argument("--extra-weight", type=float, default=None, help="a bank example's weight (default: shipped)")
    args = parser.parse_args()
    ids = [c.id for c in CATEGORIES]
    names = house_words(ids)
    bank = [(in_house_words(t, s, names, ids), s) for t, s, _ in load_examples(["set_a"], ids)]
    changed = sum(a != t for (a, _), (t, _, _) in zip(bank, load_examples(["set_a"], ids)))
    print(f"the bank's texts: {len(bank)} ({changed} in its house words), e.g. {bank[0][0]!r}")
    others = [p.stem for p in (ROOT / "matching" / "data" / "examples").glob("*.jsonl") if p.stem != "set_a"]
    shipped = CombinedReader(train(ids, sources=others), ids)
    totals: dict[str, list[float]] = {}
    for seed in range(args.seeds):
        order = random.Random(seed).sample(bank, len(bank))
        corrected, upcoming = order[:args.corrected], order[args.corrected:args.corrected + args.next]
        texts, wanted = [t for t, _ in upcoming], [s for _, s in upcoming]
        before = accuracy(shipped, texts, wanted)
        started = time.perf_counter()
        options = {} if args.extra_weight is None else {"extra_weight": args.extra_weight}
        retrained = CombinedReader(train(ids, corrected, sources=others, **options), ids)
        seconds = time.perf_counter() - started
        after = accuracy(retrained, texts, wanted)
        print(f"seed {seed}: retrained in {seconds:.1f} s; next {len(texts)} texts read right, before -> after: "
              + ", ".join(f"{k} {before[k]:.2f} -> {after[k]:.2f}" for k in before))
        for k in before:
            totals.setdefault(f"{k} before", []).append(before[k])
            totals.setdefault(f"{k} after", []).append(after[k])
    print("mean over seeds: " + ", ".join(f"{k} {np.mean(v):.3f}" for k, v in totals.items()))


if __name__ == "__main__":
    main()
