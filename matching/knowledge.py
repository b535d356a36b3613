"""What the engine knows about services, as data: read from TOML files shipped with the
package (``matching/data/``), never written in Python.

``services.toml`` lists the services (id, name, description, the words people use, a few
example sentences); ``examples/*.toml`` hold labelled sentences grouped by where they
came from (each file says its provenance); ``about_the_person.toml`` holds sentences that
only describe a person and must not vote for any service. A linguist can review and
extend all three without reading code.

A bank's own services (from its Services page) extend or replace the shipped list:
:meth:`Knowledge.extended`.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Service", "Knowledge", "KnowledgeError", "load_knowledge", "DATA_DIR"]

#: Where the shipped knowledge lives.
DATA_DIR = Path(__file__).with_name("data")

_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_SIDES = {"need", "offer"}


class KnowledgeError(ValueError):
    """A knowledge file that cannot be read: the message names the file and the line."""


@dataclass(frozen=True)
class Service:
    """One service: stable ``id``, display ``name``, plain ``description``, the ``words``
    people use for it and whole ``examples`` sentences. ``learned_in`` names the service
    that teaches this one, when there is one (meals are learned in cooking lessons)."""

    id: str
    name: str
    description: str = ""
    words: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    learned_in: str | None = None


@dataclass(frozen=True)
class Knowledge:
    """The services in display order, labelled example sentences by source, and the
    sentences that only describe a person.

    ``sources`` maps a source name (an ``examples/*.toml`` file's stem, or ``"bank"``)
    to its ``(text, service_id)`` rows: the cross-validation in the benchmarks holds
    one source out at a time.
    """

    services: tuple[Service, ...]
    sources: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    about_the_person: tuple[str, ...] = ()

    def __post_init__(self):
        ids = [s.id for s in self.services]
        if len(set(ids)) != len(ids):
            raise KnowledgeError(f"service ids must be unique: {sorted({i for i in ids if ids.count(i) > 1})}")

    def __hash__(self) -> int:  # identity: knowledge is built once and passed around
        return id(self)

    def __eq__(self, other) -> bool:
        return self is other

    @property
    def by_id(self) -> dict[str, Service]:
        return {s.id: s for s in self.services}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.services)

    def labelled(self) -> list[tuple[str, str]]:
        """Every labelled sentence: each service's name, description, words and examples,
        then every source's rows (for services that exist)."""
        known = set(self.ids)
        rows = []
        for s in self.services:
            rows.append((s.name, s.id))
            if s.description:
                rows.append((s.description, s.id))
            rows.extend((w, s.id) for w in s.words)
            rows.extend((e, s.id) for e in s.examples)
        for source_rows in self.sources.values():
            rows.extend((t, k) for t, k in source_rows if k in known)
        return rows

    def extended(self, bank_services: Iterable[Service], replace: bool = False) -> Knowledge:
        """This knowledge with a bank's own services: a service with a shipped id adds its
        name, words and examples to it (the bank's name is shown); a new id is a new
        service. With ``replace``, only the bank's services remain (shipped examples of
        services the bank kept still teach the reader)."""
        bank = list(bank_services)
        shipped = self.by_id
        merged: dict[str, Service] = {} if replace else dict(shipped)
        for own in bank:
            base = shipped.get(own.id)
            if base is None:
                merged[own.id] = own
                continue
            merged[own.id] = Service(
                id=own.id, name=own.name or base.name, description=own.description or base.description,
                words=tuple(dict.fromkeys(base.words + tuple(own.words))),
                examples=tuple(dict.fromkeys(base.examples + tuple(own.examples))),
                learned_in=own.learned_in or base.learned_in)
        order = [s.id for s in self.services if s.id in merged] + [s.id for s in bank if s.id not in shipped]
        services = tuple(merged[i] for i in dict.fromkeys(order))
        return Knowledge(services, self.sources, self.about_the_person)


def _header_lines(raw: str, header: str) -> list[int]:
    """The lines (1-based) of every ``[[header]]`` table in a TOML text, in order."""
    return [number for number, line in enumerate(raw.splitlines(), start=1) if line.strip() == f"[[{header}]]"]


def _line_of(raw: str, header: str, n: int) -> int:
    """The line (1-based) of the ``n``-th ``[[header]]`` table in a TOML text."""
    lines = _header_lines(raw, header)
    return lines[n] if n < len(lines) else 1


def _read(path: Path) -> tuple[dict, str]:
    raw = path.read_text(encoding="utf-8")
    try:
        return tomllib.loads(raw), raw
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"{path}: {error}") from None


def _text_list(value, path: Path, line: int, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{path}, line {line}: {name} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def read_services(path: Path) -> tuple[Service, ...]:
    """The ``[[service]]`` tables of one file."""
    data, raw = _read(path)
    services = []
    lines = _header_lines(raw, "service")
    for n, table in enumerate(data.get("service", [])):
        line = lines[n] if n < len(lines) else 1
        unknown = set(table) - {"id", "name", "description", "words", "examples", "learned_in"}
        if unknown:
            raise KnowledgeError(f"{path}, line {line}: unknown field(s) {', '.join(sorted(unknown))}")
        for name in ("id", "name"):
            if not isinstance(table.get(name), str) or not table[name].strip():
                raise KnowledgeError(f"{path}, line {line}: a service needs a non-empty {name}")
        if not _ID.match(table["id"]):
            raise KnowledgeError(f"{path}, line {line}: id {table['id']!r} must be lower case letters, "
                                 "digits, '_' or '-'")
        services.append(Service(
            id=table["id"], name=table["name"].strip(), description=str(table.get("description", "")).strip(),
            words=_text_list(table.get("words", []), path, line, "words"),
            examples=_text_list(table.get("examples", []), path, line, "examples"),
            learned_in=table.get("learned_in")))
    if not services:
        raise KnowledgeError(f"{path}, line 1: no [[service]] table")
    return tuple(services)


def read_examples(path: Path, known: set[str]) -> tuple[tuple[str, str], ...]:
    """The ``[[example]]`` tables of one file, as ``(text, service_id)``."""
    data, raw = _read(path)
    rows = []
    lines = _header_lines(raw, "example")
    for n, table in enumerate(data.get("example", [])):
        line = lines[n] if n < len(lines) else 1
        text, service = table.get("text"), table.get("service")
        if not isinstance(text, str) or not text.strip():
            raise KnowledgeError(f"{path}, line {line}: an example needs a non-empty text")
        if service not in known:
            raise KnowledgeError(f"{path}, line {line}: unknown service {service!r}")
        if table.get("side", "need") not in _SIDES:
            raise KnowledgeError(f"{path}, line {line}: side must be 'need' or 'offer'")
        rows.append((text.strip(), service))
    return tuple(rows)


def read_knowledge(directory: Path) -> Knowledge:
    """Knowledge from a directory laid out as ``matching/data/`` is."""
    services = read_services(directory / "services.toml")
    known = {s.id for s in services}
    path = directory / "services.toml"
    for n, s in enumerate(services):
        if s.learned_in is not None and s.learned_in not in known:
            line = _line_of(path.read_text(encoding="utf-8"), "service", n)
            raise KnowledgeError(f"{path}, line {line}: learned_in names unknown service {s.learned_in!r}")
    sources = {path.stem: read_examples(path, known) for path in sorted((directory / "examples").glob("*.toml"))}
    person_path = directory / "about_the_person.toml"
    about = ()
    if person_path.exists():
        data, _ = _read(person_path)
        about = _text_list(data.get("sentences", []), person_path, 1, "sentences")
    return Knowledge(services, sources, about)


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The shipped knowledge, parsed once."""
    return read_knowledge(DATA_DIR)
