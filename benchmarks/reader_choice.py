"""How the reader's features were chosen: accuracy on wording it never saw, speed, size.

    TIMEBANK_EMBEDDINGS=/tmp/emb .venv/bin/python benchmarks/reader_choice.py

Cross-validation grouped by source: the labelled sentences come in sets written by
different people at different times (``matching/data/examples/*.toml``); each set in turn
is held out, the reader is trained on the service names, descriptions, words, the
'about the person' sentences and every other set, and it reads the held-out set. This is
accuracy on unseen wording, not on unseen sentences of a familiar author. The locked sets
(benchmarks/data/locked.py) are not read here.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.knowledge import Knowledge, load_knowledge  # noqa: E402
from matching.reader import Reader  # noqa: E402

CONFIGS = {
    "letters + words (TF-IDF)": dict(use_embeddings=False, config={}),
    "letters + words, C=20": dict(use_embeddings=False, config={"C": 20.0}),
    "words only": dict(use_embeddings=False, config={"char_weight": 0.0}),
    "letters + words + e5 on every text": dict(use_embeddings=True, config={"embed_below": 1.01}),
    "letters + words + e5 where unsure (<0.35)": dict(use_embeddings=True, config={"embed_below": 0.35}),
    "letters + words + e5 where unsure (<0.6)": dict(use_embeddings=True, config={"embed_below": 0.6}),
    "letters + words + e5 where unsure (<0.8)": dict(use_embeddings=True, config={"embed_below": 0.8}),
}


def main() -> None:
    knowledge = load_knowledge()
    only = sys.argv[1:]  # substrings of the configurations to run
    print(f"| features | {' | '.join(knowledge.sources)} | mean | train s | read ms/text |")
    print("| --- |" + " --- |" * (len(knowledge.sources) + 3))
    for name, options in CONFIGS.items():
        if only and not any(o in name for o in only):
            continue
        scores, train_s, read_s, n_read = [], [], 0.0, 0
        for held in knowledge.sources:
            rest = {k: v for k, v in knowledge.sources.items() if k != held}
            fold = Knowledge(knowledge.services, rest, knowledge.about_the_person)
            started = time.perf_counter()
            reader = Reader.train(fold, **options)
            train_s.append(time.perf_counter() - started)
            rows = knowledge.sources[held]
            started = time.perf_counter()
            readings = reader.read([t for t, _ in rows])
            read_s += time.perf_counter() - started
            n_read += len(rows)
            scores.append(np.mean([r.service_id == want for r, (_, want) in zip(readings, rows)]))
        print(f"| {name} | {' | '.join(f'{s:.3f}' for s in scores)} | {np.mean(scores):.3f} | "
              f"{np.mean(train_s):.1f} | {1000 * read_s / n_read:.2f} |", flush=True)


if __name__ == "__main__":
    main()
