"""The service taxonomy's types: a category and the terms people use for it.

The categories themselves are data, in ``matching/data/services.toml``, parsed once by
:mod:`matching.knowledge` and passed to the engine as a parameter. ``CATEGORIES`` and
``CATEGORY_BY_ID`` here are the shipped ones, read on first use. Kept free of heavy
imports: the ledger seeds each new bank's category list from it.

Each category carries the words people use for it: plain words, paraphrase, Scots and
social workers' shorthand. A term is a short phrase in a small mini-language, parsed
into a :class:`Term` (the text reader and the TF-IDF references both use it):

``walk dog``
    The words in this order, with up to three other words between neighbours, so
    "walk dog" also finds "walk my dog". Words are stemmed ("walking" is "walk"), and a
    text's words are spelling-corrected towards the taxonomy's before they are compared.
``=phone me``
    Adjacent: the words in this order with nothing between them.
``iron+packed``
    Together: every word anywhere in one sentence, in any order (``+`` joins words or
    phrases: ``sewing machine+packed up`` needs all four words).
``~advice``
    Weak: an ambiguous cue that only tips the balance (weight 0.4 unless given).
    Weak terms are also left out of the single-term references TF-IDF likeness uses.
``...^2.5``
    An explicit weight, written last (``~help+dog^0.3``, ``=phone me^2.5``). Without
    one a term weighs 1 for one word, 1.6 for two and 2 for three or more.

Markers combine in this order: ``~`` first, then ``=``, then the words (joined by ``+``
for together), then ``^weight``. A text's evidence for a category is the sum of the
weights of the terms found in it (scaled by how central their sentence is, see
:mod:`matching.text`); longer terms claim their words before shorter ones, which is how
"walk the dog" stays pet care and "help with my phone" stays tech help.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Category", "Term"]


#: A weak term's weight when none is written.
WEAK_WEIGHT = 0.4
# A term's weight when none is written, by its number of words (one, two, three or more).
_WEIGHT_BY_LENGTH = (1.0, 1.6, 2.0)


@dataclass(frozen=True)
class Term:
    """One term of a category, parsed from the mini-language of the module docstring.

    ``text`` is the words with every marker removed ("iron packed" for
    ``iron+packed^3.5``); ``mode`` is how they must appear: ``"ordered"`` (small gaps),
    ``"adjacent"`` or ``"together"`` (anywhere in one sentence); ``weak`` is the ``~``
    marker; ``weight`` is the weight written after ``^``, or None.
    """

    text: str
    mode: Literal["ordered", "adjacent", "together"] = "ordered"
    weak: bool = False
    weight: float | None = None

    @classmethod
    def parse(cls, raw: str) -> Term:
        """Read one term as written in a category's ``terms``."""
        weak = raw.startswith("~")
        raw = raw.lstrip("~")
        weight = None
        if "^" in raw:
            raw, written = raw.rsplit("^", 1)
            weight = float(written)
        mode: Literal["ordered", "adjacent", "together"] = "ordered"
        if raw.startswith("="):
            mode, raw = "adjacent", raw[1:]
        elif "+" in raw:
            mode = "together"
        return cls(raw.replace("+", " "), mode, weak, weight)

    def weight_for(self, n_words: int) -> float:
        """The term's weight, given how many words the reader found in it."""
        if self.weight is not None:
            return self.weight
        return WEAK_WEIGHT if self.weak else _WEIGHT_BY_LENGTH[min(n_words, 3) - 1]


@dataclass(frozen=True)
class Category:
    """A service category: stable ``id``, display ``name``, plain ``description``, ``terms``.

    ``learned_in`` names the sibling category that teaches this service, for a text that
    asks to learn it rather than have it done ("learn to make meals" is cooking lessons,
    not meals). ``translates`` marks a translation service (a text asking for translation
    that names its language moves to it); ``moves_to_translation`` marks a service whose
    words, in a sentence asking for translation, count for that translation service
    ("translate these letters"). ``examples`` are whole sentences a bank gave for it.
    """

    id: str
    name: str
    description: str = ""
    terms: tuple[str, ...] = field(default=())
    learned_in: str | None = None
    translates: bool = False
    moves_to_translation: bool = False
    examples: tuple[str, ...] = field(default=())

    @property
    def parsed_terms(self) -> tuple[Term, ...]:
        """The ``terms``, each parsed into a :class:`Term`."""
        return tuple(Term.parse(raw) for raw in self.terms)


def __getattr__(name: str):
    # The shipped categories, read from the data file on first use (never at import).
    if name in ("CATEGORIES", "CATEGORY_BY_ID"):
        from matching.knowledge import load_knowledge

        knowledge = load_knowledge()
        return knowledge.categories if name == "CATEGORIES" else knowledge.by_id
    raise AttributeError(f"module 'matching.taxonomy' has no attribute {name!r}")
