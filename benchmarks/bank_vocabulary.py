"""A bank with its own words: does training on 50 of its corrections read its next 100 better?

    TIMEBANK_EMBEDDINGS=/tmp/emb .venv/bin/python benchmarks/bank_vocabulary.py [--seed 1]

A simulated bank whose members use words the shipped knowledge does not teach for
their services ("the close" for the garden path, "a redd-up" for tidying, "the dossette"
for the pharmacy's packs). Texts are generic frames filled with the bank's phrases, so
the phrase is what tells the service. The bank's first 50 texts, corrected by its social
workers, become training examples (``Reader.train(knowledge, examples)``); its next 100
are read before and after.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matching.knowledge import load_knowledge  # noqa: E402
from matching.reader import Reader, default_reader  # noqa: E402

# The bank's own words, by service id.
BANK_WORDS = {
    "gardening": ["the close", "the back court", "the drying green", "the bit out the back"],
    "cleaning": ["a redd-up", "the redding", "a good redd of the place", "the hoovering and that"],
    "prescriptions": ["the dossette", "my blister packs", "the box from Boots", "my repeats"],
    "lifts": ["the hoppa run", "a run in the motor", "a hurl up the road", "a hurl to the clinic"],
    "shopping": ["the Friday provisions", "the Co-op run", "the big Lidl trip", "my bits and bobs"],
    "befriending": ["a sit-in", "a sit and a blether", "a visit for a cuppa", "the company call-round"],
    "tech_help": ["the blower", "the tablet thingy", "the Facebook on my phone", "the email box"],
    "paperwork": ["the brown envelopes", "the PIP stuff", "the council bumf", "the DWP forms"],
}
NEED_FRAMES = ["Could someone help with {x}?", "Struggling with {x} these days", "Need a hand with {x} on {day}",
               "SU requests support with {x}", "Would be grand if somebody could do {x}",
               "{x} is getting beyond me", "Looking for help with {x}, {day} suits"]
OFFER_FRAMES = ["Happy to do {x} for a neighbour", "Can help with {x} on {day}", "I could take on {x} now and then",
                "Volunteer: {x}, {day}s", "Glad to help anyone with {x}"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def bank_texts(n: int, rng: random.Random) -> list[tuple[str, str]]:
    rows = []
    for _ in range(n):
        service = rng.choice(sorted(BANK_WORDS))
        frame = rng.choice(NEED_FRAMES + OFFER_FRAMES)
        rows.append((frame.format(x=rng.choice(BANK_WORDS[service]), day=rng.choice(DAYS)), service))
    return rows


def accuracy(reader: Reader, rows: list[tuple[str, str]]) -> float:
    readings = reader.read([t for t, _ in rows])
    return sum(r.service_id == k for r, (_, k) in zip(readings, rows)) / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corrections, later = bank_texts(50, rng), bank_texts(100, rng)
    before = accuracy(default_reader(), later)
    started, cpu = time.perf_counter(), time.process_time()
    trained = Reader.train(load_knowledge(), corrections)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = accuracy(trained, later)
    print(f"the bank's next 100 texts read right: before {before:.2f}, after training on 50 corrections "
          f"{after:.2f} (training took {seconds:.1f} s, {cpu:.1f} s of CPU)")


if __name__ == "__main__":
    main()
