"""What the engine knows about services, as data: parsed from ``matching/data/services.toml``
(shipped with the package), never written in Python.

The file lists the services (id, name, description, the terms people use, in the
mini-language of :mod:`matching.taxonomy`) with the few flags the reader needs, and the
word lists some terms are made from. It is parsed once, on first use; nothing is built at
import. The engine takes a :class:`Knowledge` as a parameter (``matching.match(...,
knowledge=...)``), so a bank's own service list can extend it: :meth:`Knowledge.extended`.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources

from matching.taxonomy import Category

__all__ = ["Knowledge", "KnowledgeError", "BankService", "load_knowledge", "read_knowledge"]

_FIELDS = {"id", "name", "description", "terms", "learned_in", "translates", "moves_to_translation",
           "together", "each"}
# The weight of the name a bank gives its own service, read as a phrase: as strong as the
# taxonomy's strongest phrases, so the bank's word for it wins over a shorter shipped term.
_BANK_NAME_WEIGHT = 3.5
# A content word used in at least this many of a bank service's example sentences is
# one of its words.
_SHARED_BY = 2
# Words that say nothing about a service, however often the examples use them.
_PLAIN = re.compile(r"^(?:[0-9]+|.{1,2})$")


class KnowledgeError(ValueError):
    """A knowledge file that cannot be read: the message says which service and field."""


@dataclass(frozen=True)
class BankService:
    """A service as a bank lists it on its Services page: ``id`` (its slug), ``name``,
    ``description`` and the coordinator's ``examples`` sentences."""

    id: str
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Knowledge:
    """The services in display order, and what the reader needs besides their terms.

    ``read_as`` maps a word written with a capital inside a sentence to the word it is
    read as ("Polish" -> "polski"). Compared and hashed by identity: knowledge is built
    once and passed around, and caches key on it.
    """

    categories: tuple[Category, ...]
    read_as: tuple[tuple[str, str], ...] = ()
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        ids = [c.id for c in self.categories]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise KnowledgeError(f"service ids must be unique: {', '.join(twice)}")
        for c in self.categories:
            if c.learned_in is not None and c.learned_in not in ids:
                raise KnowledgeError(f"service {c.id}: learned_in names no service: {c.learned_in!r}")

    @cached_property
    def by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.categories)

    def name(self, service_id: str) -> str:
        """The display name of a service (the id itself when it is not known)."""
        category = self.by_id.get(service_id)
        return category.name if category else service_id

    def extended(self, services: Iterable[BankService]) -> Knowledge:
        """This knowledge with a bank's own services.

        A service with a shipped id keeps its terms, takes the bank's name (shown in
        reasons) and learns from its examples; a new id is a new service, read from its
        name (as a phrase) and from the words its example sentences share, and placed by
        likeness to its name, description and examples.
        """
        from matching.text import stem, stop_words, tokens

        merged = dict(self.by_id)
        added: list[str] = []
        for own in services:
            examples = tuple(e for e in own.examples if e.strip())
            base = merged.get(own.id)
            if base is not None:
                merged[own.id] = replace(base, name=own.name or base.name,
                                         description=own.description or base.description,
                                         examples=tuple(dict.fromkeys(base.examples + examples)))
                continue
            name_words = [w for w in tokens(own.name) if w not in stop_words()]
            terms = [f"{' '.join(name_words)}^{_BANK_NAME_WEIGHT}"] if name_words else []
            seen: dict[str, list[str]] = {}
            for example in examples:
                for word in dict.fromkeys(w for w in tokens(example) if w not in stop_words() and not _PLAIN.match(w)):
                    seen.setdefault(stem(word), []).append(word)
            terms += [written[0] for st, written in seen.items()
                      if len(written) >= _SHARED_BY and written[0] not in name_words]
            merged[own.id] = Category(own.id, own.name, own.description, tuple(terms), examples=examples)
            added.append(own.id)
        categories = tuple(merged[i] for i in self.ids) + tuple(merged[i] for i in added)
        return Knowledge(categories, self.read_as, self.lists)


def _words(value, lists: dict[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    """A list of words given inline or by the name of a list in ``[lists]``."""
    if isinstance(value, str):
        if value not in lists:
            raise KnowledgeError(f"{where}: no list called {value!r} in [lists]")
        return lists[value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: expected a list of words or the name of one")
    return tuple(value)


def _format_weight(weight) -> str:
    # As Python writes a float ("3.5"), so a generated term reads as one written by hand.
    return str(float(weight))


def _category(table: dict, lists: dict[str, tuple[str, ...]]) -> Category:
    where = f"service {table.get('id', '?')!r}"
    unknown = set(table) - _FIELDS
    if unknown:
        raise KnowledgeError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for name in ("id", "name"):
        if not isinstance(table.get(name), str) or not table[name].strip():
            raise KnowledgeError(f"{where}: a service needs a non-empty {name}")
    terms = list(_words(table.get("terms", []), lists, f"{where}, terms"))
    for n, rule in enumerate(table.get("together", [])):
        things = _words(rule.get("things"), lists, f"{where}, together {n + 1}")
        left_out = set(_words(rule.get("except", []), lists, f"{where}, together {n + 1}"))
        words = _words(rule.get("words"), lists, f"{where}, together {n + 1}")
        weight = _format_weight(rule.get("weight", 1.0))
        terms += [f"{a}+{b}^{weight}" for a in things if a not in left_out for b in words]
    for n, rule in enumerate(table.get("each", [])):
        over = _words(rule.get("list"), lists, f"{where}, each {n + 1}")
        patterns = _words(rule.get("terms"), lists, f"{where}, each {n + 1}")
        terms += [pattern.replace("{}", word) for word in over for pattern in patterns]
    return Category(
        id=table["id"], name=table["name"], description=str(table.get("description", "")),
        terms=tuple(terms), learned_in=table.get("learned_in"),
        translates=bool(table.get("translates", False)),
        moves_to_translation=bool(table.get("moves_to_translation", False)))


def read_knowledge(text: str) -> Knowledge:
    """Knowledge from the text of a services file laid out as ``matching/data/services.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeError(f"services file: {error}") from None
    lists = {name: _words(words, {}, f"[lists] {name}") for name, words in data.get("lists", {}).items()}
    services = data.get("service", [])
    if not services:
        raise KnowledgeError("services file: no [[service]] table")
    return Knowledge(tuple(_category(table, lists) for table in services),
                     tuple(data.get("read_as", {}).items()), lists)


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    """The shipped knowledge, parsed once, on first use."""
    return read_knowledge(resources.files("matching").joinpath("data", "services.toml").read_text("utf-8"))
