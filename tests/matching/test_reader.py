"""The learned reader: reading, the words that carried a reading, sentences about the
person that do not vote, a bank's examples, and the round trip through bytes."""
from __future__ import annotations

import io

import numpy as np
import pytest

from benchmarks.data.tuned import BLIND_TUNING, FIRST_TUNING, WIDER_TUNING
from matching.knowledge import Knowledge, Service, load_knowledge
from matching.reader import PERSON, Reader, default_reader


@pytest.fixture(scope="module")
def small():
    """A reader without the encoder, on a small knowledge: trains in well under a second."""
    knowledge = Knowledge(
        (Service("shopping", "Shopping", "food shopping", ("shopping", "groceries", "supermarket"),
                 ("Could someone do my weekly shop?", "I can pick up groceries")),
         Service("gardening", "Gardening", "the garden", ("garden", "lawn", "hedge", "weeding"),
                 ("My lawn needs cutting", "Happy to weed borders")),
         Service("lifts", "Lifts", "car rides", ("lift", "drive", "car"),
                 ("Need a lift to the hospital", "I can drive folk to appointments"))),
        about_the_person=("Lost my husband in the spring.", "I live alone.", "I am 84 years old.",
                          "My daughter lives in Canada.", "I had a stroke last year."))
    return Reader.train(knowledge, use_embeddings=False)


def test_a_reading_names_the_service_its_confidence_and_the_words_that_carried_it(small):
    [reading] = small.read(["Could somebody cut my lawn and trim the hedge?"])
    assert reading.service_id == "gardening"
    assert 0.5 < reading.confidence <= 1.0
    assert "lawn" in reading.words or "hedge" in reading.words
    assert [k for k, _ in reading.alternatives] and all(p <= reading.confidence for _, p in reading.alternatives)


def test_a_sentence_about_the_person_does_not_vote(small):
    text = "Lost my husband in the spring. I live alone. Could someone get my groceries?"
    with_background = small.probabilities([text])[0]
    alone = small.probabilities(["Could someone get my groceries?"])[0]
    assert np.allclose(with_background, alone), "the background sentences changed the reading"
    # Without the 'about the person' class the same sentences do vote.
    assert small._without_background([text]) == ["Could someone get my groceries?"]


def test_a_text_only_about_the_person_names_no_service(small):
    [reading] = small.read(["Lost my husband in the spring."])
    assert reading.service_id is None


def test_a_bank_teaches_the_reader_its_own_word(small):
    knowledge = Knowledge(tuple(load_knowledge().by_id[k] for k in ("shopping", "gardening", "lifts")))
    before = Reader.train(knowledge, use_embeddings=False).read(["could someone do the plumpshire for me"])[0]
    taught = Reader.train(knowledge, [("the plumpshire on a friday", "gardening"),
                                      ("need my plumpshire done", "gardening")], use_embeddings=False)
    after = taught.read(["could someone do the plumpshire for me"])[0]
    assert after.service_id == "gardening"
    assert after.confidence > (before.confidence if before.service_id == "gardening" else 0.0)


def test_a_reader_travels_as_bytes_without_pickle(small):
    data = small.to_bytes()
    again = Reader.from_bytes(data)
    texts = ["Need a lift to the GP", "weeding please", "Lost my husband in the spring. I need shopping"]
    assert [r.service_id for r in again.read(texts)] == [r.service_id for r in small.read(texts)]
    assert np.allclose(again.probabilities(texts), small.probabilities(texts), atol=2e-3)  # float16 weights
    assert Reader.from_bytes(again.to_bytes()).read(texts) == again.read(texts)
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:  # plain arrays only
        assert not any(npz[name].dtype == object for name in npz.files)


def test_the_default_reader_is_shipped_trained_on_the_shipped_knowledge():
    reader = default_reader()
    assert reader is default_reader()
    assert reader.services == list(load_knowledge().ids) and PERSON in reader.classes


@pytest.mark.parametrize("rows, floor", [
    # Regression floors on sets that are part of the reader's training (0.99, 1.0 and
    # 0.98 when set). The locked sets are not here, nor any floor on unseen wording.
    pytest.param(FIRST_TUNING, 0.97, id="FIRST_TUNING"),
    pytest.param(WIDER_TUNING, 0.95, id="WIDER_TUNING"),
    pytest.param(BLIND_TUNING, 0.95, id="BLIND_TUNING"),
])
def test_the_wording_the_reader_was_trained_on_is_still_read_right(rows, floor):
    readings = default_reader().read([row[0] for row in rows])
    assert np.mean([r.service_id == row[1] for r, row in zip(readings, rows)]) >= floor


@pytest.mark.parametrize("name", ["blind_2026_12_set_a", "blind_2026_12_set_b"])
def test_the_december_blind_sets_folded_into_training_are_read_right(name):
    """Regression floors only: these sets were measured once before joining training."""
    rows = load_knowledge().sources[name]
    readings = default_reader().read([t for t, _ in rows])
    assert np.mean([r.service_id == k for r, (_, k) in zip(readings, rows)]) >= 0.9
