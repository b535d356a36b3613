"""Texts' embeddings kept in the database (revision 0021), on both databases: computed
once a text, read back by the next use case, never kept by a read-only one, and deleted
with the words of an erased assessment."""
from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import sqlalchemy as sa

from matching.embeddings import ENCODER, CachedEncoder, text_key
from timebank.db.models import Assessment, TextEmbedding
from timebank.services import assessments, auth
from timebank.services.erasure import erase_assessment_rows
from timebank.services.readings import DatabaseEmbeddings
from timebank.services.unit_of_work import UnitOfWork


class CountingEncoder:
    def __init__(self):
        self.embedded: list[str] = []

    def __call__(self, texts):
        self.embedded += list(texts)
        return np.array([[len(t), 1.0, -0.5] for t in texts], dtype=np.float32)


def _embed(database, texts, counting, keep=True):
    with UnitOfWork(database, readonly=not keep) as uow:
        vectors = CachedEncoder(counting, "test-encoder", DatabaseEmbeddings(uow.session, keep))(texts)
        if keep:
            uow.commit()
    return vectors


def test_a_text_is_embedded_once_and_read_back_by_the_next_use_case(database):
    texts = [f"needs a lift {uuid.uuid4().hex}", f"fixes bikes {uuid.uuid4().hex}"]
    counting = CountingEncoder()
    first = _embed(database, texts, counting)
    again = _embed(database, list(reversed(texts)) + texts, counting)
    assert counting.embedded == texts, "the second use case embedded nothing"
    assert np.array_equal(again[:2], first[::-1]) and again.dtype == np.float32


def test_a_read_only_use_case_reads_kept_embeddings_but_keeps_none(database):
    kept, fresh = f"kept {uuid.uuid4().hex}", f"fresh {uuid.uuid4().hex}"
    _embed(database, [kept], CountingEncoder())
    counting = CountingEncoder()
    _embed(database, [kept, fresh], counting, keep=False)
    assert counting.embedded == [fresh]
    with database.session(readonly=True) as session:
        found = set(session.scalars(sa.select(TextEmbedding.text_sha256).where(
            TextEmbedding.text_sha256.in_([text_key(kept), text_key(fresh)]))))
    assert found == {text_key(kept)}


def test_two_use_cases_keeping_the_same_text_both_succeed(database):
    text = f"same words {uuid.uuid4().hex}"
    with UnitOfWork(database) as first, UnitOfWork(database) as second:
        DatabaseEmbeddings(first.session).put("test-encoder", {text_key(text): np.ones(3)})
        first.commit()
        DatabaseEmbeddings(second.session).put("test-encoder", {text_key(text): np.ones(3)})
        second.commit()
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TextEmbedding)
                              .where(TextEmbedding.text_sha256 == text_key(text))) == 1


def test_erasing_an_assessment_deletes_the_embeddings_of_its_words(database, bank):
    worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Sam",
                              password="a long enough password", role="social_worker")
    need, other = f"Someone to walk my dog {uuid.uuid4().hex}", f"unrelated {uuid.uuid4().hex}"
    content = {"consent": True, "consent_on": dt.date.today().isoformat(), "area": "Leith",
               "needs": [{"text": need}], "capabilities": []}
    view = assessments.record_assessment(database, worker, person_name="Ann", content=content)
    with UnitOfWork(database) as uow:
        DatabaseEmbeddings(uow.session).put(ENCODER, {text_key(need): np.ones(3), text_key(other): np.ones(3)})
        uow.commit()

    with UnitOfWork(database) as uow:
        erase_assessment_rows(uow.session, uow.session.get(Assessment, view.id))
        uow.commit()

    with database.session(readonly=True) as session:
        left = set(session.scalars(sa.select(TextEmbedding.text_sha256).where(
            TextEmbedding.text_sha256.in_([text_key(need), text_key(other)]))))
    assert left == {text_key(other)}
