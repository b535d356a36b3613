"""The learned reader: fitted on labelled texts, stored as plain arrays, voting with the
hand-made reader, and taught a bank's own words by its examples."""
from __future__ import annotations

import io

import numpy as np
import pytest

from matching.learned import CombinedReader, LearnedReader, default_reader, proba_by_sentence, train
from matching.taxonomy import CATEGORIES

IDS = [c.id for c in CATEGORIES]


@pytest.fixture(scope="module")
def shipped() -> CombinedReader:
    return default_reader()


def test_a_fitted_reader_travels_as_plain_arrays_and_reads_the_same():
    reader = LearnedReader().fit(["walk my dog", "feed the cat", "fix my laptop", "wifi is broken"],
                                 ["pet_care", "pet_care", "tech_help", "tech_help"])
    data = reader.to_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:  # no object arrays: nothing to unpickle
        assert all(stored[name].dtype != object for name in stored.files)
    again = LearnedReader.from_bytes(data)
    texts = ["my dog needs a walk", "laptop will not start"]
    assert np.allclose(again.predict_proba(texts), reader.predict_proba(texts))
    assert again.predict(texts) == ["pet_care", "tech_help"]


def test_a_stored_model_of_another_format_is_refused():
    reader = LearnedReader().fit(["walk my dog", "fix my laptop"], ["pet_care", "tech_help"])
    data = bytearray(reader.to_bytes())
    with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    arrays["header"] = np.frombuffer(b'{"format": 99}', dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    with pytest.raises(ValueError, match="format"):
        LearnedReader.from_bytes(buffer.getvalue())


def test_probabilities_are_over_the_services_asked_for_in_their_order():
    reader = LearnedReader().fit(["walk my dog", "fix my laptop"], ["pet_care", "tech_help"])
    proba = reader.proba_for(["walk my dog"], ["tech_help", "gardening", "pet_care"])
    assert proba.shape == (1, 3) and proba[0, 1] == 0.0 and proba[0, 2] > proba[0, 0]


@pytest.mark.parametrize("text, service", [
    # The paraphrases of misses the hand-made reader made: world knowledge.
    ("ex-taxi driver, glad to run folk up to the hospital", "lifts"),
    ("the leaflet for this wardrobe kit might as well be in Greek", "flatpack"),
    ("the drying green is a jungle", "gardening"),
])
def test_the_combined_reader_reads_what_a_person_gets_at_once(shipped, text, service):
    [reading] = shipped.read([text])
    assert reading.service_id == service


def test_when_the_voters_disagree_the_reading_says_so(shipped):
    [reading] = shipped.read(["the leaflet for this wardrobe kit might as well be in Greek"])
    assert reading.learned == "flatpack" and reading.handmade != "flatpack" and not reading.agree


def test_a_text_the_hand_made_reader_cannot_read_is_left_to_the_learned_one():
    learned = np.array([[0.7, 0.2, 0.1]])
    nothing = np.zeros((1, 3))
    assert np.allclose(CombinedReader.mix(learned, nothing, 0.5), learned)
    sure = np.array([[0.0, 0.9, 0.0]])
    mixed = CombinedReader.mix(learned, sure, 0.5)
    assert mixed.sum() == pytest.approx(1.0) and mixed[0, 1] > learned[0, 1]


def test_read_by_sentence_a_sentence_only_about_the_person_does_not_vote(shipped):
    text = "I used to walk the dog every day. Now I need help with my weekly shopping."
    by_sentence = proba_by_sentence(shipped.learned, [text], IDS)
    assert IDS[int(np.argmax(by_sentence[0]))] == "shopping"


def test_where_background_misleads_the_learned_reader_the_voters_disagree_so_the_form_asks(shipped):
    # The whole text is read (by sentence measured 5 points worse); the hand-made voter
    # weighs the background down, so the reading is not offered as sure.
    [reading] = shipped.read(["I used to walk the dog every day. Now I need help with my weekly shopping."])
    assert reading.handmade == "shopping" and not reading.agree


def test_a_banks_examples_teach_the_reader_its_own_word():
    # "a gorran" is this bank's word for clearing the snow from a path.
    extra = [(f"needs a gorran on {day}", "snow_clearing") for day in ("Monday", "Tuesday", "Friday")]
    before = train(IDS[:6])
    after = train(IDS[:6], extra)
    assert before.predict(["a gorran on Thursday please"]) != ["snow_clearing"]
    assert after.predict(["a gorran on Thursday please"]) == ["snow_clearing"]
