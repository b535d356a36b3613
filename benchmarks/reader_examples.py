"""Write the learned reader's training examples (`matching/data/examples/*.jsonl`) from the
project's own labelled texts, one file per source, so that a set can be left out whole:

    .venv/bin/python benchmarks/reader_examples.py

- ``taxonomy``: each service's name, description and listed words (`matching.taxonomy`);
- ``first``, ``wider``, ``blind``: the tuning sets of `benchmarks/data/tuned.py`;
- ``set_a``, ``set_b``: the December 2026 blind sets (`benchmarks/data/blind_2026_12`).

`benchmarks/data/locked.py` is never read: it stays untouched by any tuning.
Each line is ``{"text", "service", "side"}`` with ``service`` a service id.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "matching" / "data" / "examples"
BLIND = ROOT / "benchmarks" / "data" / "blind_2026_12"


def taxonomy_rows(categories) -> list[dict]:
    """A service's name, description and each of its words, as short labelled texts."""
    rows = []
    for category in categories:
        texts = [category.name, category.description] + [t.text for t in category.parsed_terms]
        for text in dict.fromkeys(t for t in texts if t.strip()):
            rows.append({"text": text, "service": category.id, "side": ""})
    return rows


def blind_rows(path: Path, id_by_name: dict[str, str]) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{"text": r["text"], "service": id_by_name[r["service"]], "side": r["side"]} for r in rows]


def sources() -> dict[str, list[dict]]:
    from benchmarks.data import tuned
    from matching.taxonomy import CATEGORIES

    id_by_name = {c.name: c.id for c in CATEGORIES}
    out = {"taxonomy": taxonomy_rows(CATEGORIES)}
    for name, rows in (("first", tuned.FIRST_TUNING), ("wider", tuned.WIDER_TUNING), ("blind", tuned.BLIND_TUNING)):
        out[name] = [{"text": r[0], "service": r[1], "side": r[2] if len(r) > 2 else ""} for r in rows]
    for path in sorted(BLIND.glob("*.jsonl")):
        out[path.stem] = blind_rows(path, id_by_name)
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in sources().items():
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        (OUT / f"{name}.jsonl").write_text(lines, encoding="utf-8")
        print(f"{name}: {len(rows)} examples")


if __name__ == "__main__":
    main()
