"""Reading free text: words, stems, spelling slips, and the service category it names.

Pure Python and cached per distinct text, because assessments repeat themselves a lot:
the same offer is often written the same way by many people. What it knows of services
(their terms, which teaches which, which translate) is a :class:`matching.knowledge.Knowledge`
passed in, the shipped one by default; its term index is built on first use, not at import.
The English it knows besides the terms (filler words, words that refuse, stress or give a
purpose, sayings) is data too: ``matching/data/english.toml``, read on first use.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from matching.knowledge import Knowledge, load_knowledge

__all__ = ["CategoryGuess", "read_text", "sentences", "stem", "stop_words", "tokens"]

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE = re.compile(r"[.!?\n]+|\s[-–]\s")
# Within a sentence, a comma, semicolon, colon or bracket closes a clause: the reach of
# a "not" or a "so I can".
_CLAUSE = re.compile(r"[,;:()]+")


def _any_of(phrases, flags: int = 0) -> re.Pattern:
    """A pattern finding any of the phrases as whole words, the longest first."""
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")\b",
                      flags)


def _phrases(phrases: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases indexed by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted((tuple(p.split()) for p in phrases), key=len, reverse=True):
        index.setdefault(phrase[0], []).append(phrase)
    return index


class _English:
    """The reader's English, as ``matching/data/english.toml`` gives it (its comments say
    what each list is for)."""

    def __init__(self, data: dict):
        words, phrases = data["words"], data["phrases"]
        self.stop_words = frozenset(data["stop_words"])
        self.intent = frozenset(data["intent"])
        self.background = _any_of(data["background"])
        self.remote_note = _any_of(data["remote_note"])
        self.remote_words = _any_of(data["remote_words"])
        self.contractions: dict[str, str] = dict(data["contractions"])
        self.sayings = _any_of(phrases["sayings"], re.IGNORECASE)
        self.refusing = _phrases(phrases["refusing"])
        self.stressing = _phrases(phrases["stressing"])
        self.purpose = _phrases(phrases["purpose"])
        self.not_refused_after_article = frozenset(words["not_refused_after_article"])
        self.state_verbs = frozenset(words["state_verbs"])
        self.clause_ends = frozenset(words["clause_ends"])
        self.learning = frozenset(words["learning"])
        self.surgery = frozenset(words["surgery"])
        self.building = frozenset(words["building"])
        self.translating = frozenset(words["translating"])
        self.not_misspelt = frozenset(stem(w) for w in words["not_misspelt"])


@lru_cache(maxsize=1)
def _english() -> _English:
    return _English(tomllib.loads(resources.files("matching").joinpath("data", "english.toml").read_text("utf-8")))


def stop_words() -> frozenset[str]:
    """Filler words: never content, never a service's evidence."""
    return _english().stop_words


def __getattr__(name: str):
    if name == "STOP_WORDS":  # read on first use, like the rest of the reader's English
        return stop_words()
    raise AttributeError(f"module 'matching.text' has no attribute {name!r}")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer: "walking", "walks", "walked" all become "walk".

    Terms and texts go through the same function, so it need only be consistent,
    not linguistically exact.
    """
    w = word
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith("ss"):
                break
            if suffix == "es" and not re.search(r"(ch|sh|x|ss|zz)es$", w):
                continue
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, with common contractions folded ("can't" -> "cant")."""
    out = []
    contractions = _english().contractions
    for word in _WORD.findall(text.lower().replace("-", " ").replace("/", " ").replace("’", "'")):
        if "'" in word:
            word = contractions.get(word) or word.replace("'s", "").replace("'", "")
        out.append(word)
    return out


def _sentence_weight(words: list[str]) -> float:
    """How central a sentence is: 1 for the request or offer itself, lower for
    background about the person and for "can also do this by phone" notes."""
    english = _english()
    low = " ".join(words)
    if english.remote_note.search(low) and english.remote_words.search(low) and len(words) <= 9:
        return 0.15
    if english.background.search(low):
        return 0.3
    if not english.intent.isdisjoint(words):
        return 1.0
    return 0.35


# ----------------------------------------------------------------------------------------
# The term index, built once per knowledge, on first use.
# ----------------------------------------------------------------------------------------

_MAX_GAP = 3


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


class _Index:
    """What the reader looks up, built from one knowledge: every term's stems with the
    weight it gives each category index (``phrases``), the terms by their first stem in
    sort order (``by_first``), the terms' stems (``vocabulary``) and their one-deletion
    variants for spelling correction (``fuzzy``), and the categories' roles."""

    def __init__(self, knowledge: Knowledge):
        categories = knowledge.categories
        phrases: dict[tuple[tuple[str, ...], str], dict[int, float]] = {}
        for k, cat in enumerate(categories):
            for term in cat.parsed_terms:
                stems = tuple(stem(t) for t in tokens(term.text))
                if not stems:
                    continue
                slot = phrases.setdefault((stems, term.mode), {})
                slot[k] = max(slot.get(k, 0.0), term.weight_for(len(stems)))
        by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key in phrases:
            by_first.setdefault(min(key[0]), []).append(key)
        self.phrases, self.by_first = phrases, by_first
        self.vocabulary = {s for stems, _ in phrases for s in stems}
        self.fuzzy: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary):
            if len(word) < 4:
                continue
            for variant in _deletes(word) | {word}:
                self.fuzzy.setdefault(variant, []).append(word)
        ids = [c.id for c in categories]
        self.learned_in = {k: ids.index(c.learned_in) for k, c in enumerate(categories) if c.learned_in}
        self.translate_ids = [k for k, c in enumerate(categories) if c.translates]
        self.moved_by_translating = [k for k, c in enumerate(categories) if c.moves_to_translation]
        # A word written with a capital inside a sentence read as another ("Polish" is the
        # language there, not furniture polish), and shown as written.
        self.read_as = [(written, read, re.compile(rf"(?<=\S)(\s+){re.escape(written)}\b"))
                        for written, read in knowledge.read_as]

    def as_written(self, said: str) -> str:
        for written, read, _ in self.read_as:
            said = said.replace(read, written)
        return said


@lru_cache(maxsize=16)
def _index(knowledge: Knowledge) -> _Index:
    return _Index(knowledge)


def _damerau1(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


@lru_cache(maxsize=200_000)
def _correct(word_stem: str, index: _Index) -> str:
    """Map a misspelt stem to a taxonomy stem one slip away ("prescripton" -> "prescription")."""
    english = _english()
    if (word_stem in index.vocabulary or len(word_stem) < 5 or word_stem in english.stop_words
            or word_stem in english.not_misspelt):
        return word_stem
    found = set()
    for variant in _deletes(word_stem) | {word_stem}:
        for candidate in index.fuzzy.get(variant, ()):
            # Slips rarely hit the first letter; requiring it keeps "fitter" from becoming "litter".
            if candidate[0] != word_stem[0] or not _damerau1(word_stem, candidate):
                continue
            # In short words a changed letter is as likely another word ("canna", Scots for
            # cannot, is not "canvas"); a letter dropped, added or swapped is a slip.
            if len(word_stem) < 6 and len(candidate) == len(word_stem) and sorted(candidate) != sorted(word_stem):
                continue
            found.add(candidate)
    return min(found) if found else word_stem


@dataclass(frozen=True)
class CategoryGuess:
    """What the text says about categories.

    ``words`` pairs each content stem with the word as first written, for explanations.
    ``weights`` maps a category index to the evidence for it (sum of matched term
    weights, scaled by how central their sentence is); ``evidence`` maps a category
    index to the words that carried it, as written; ``stems`` are the text's content
    stems, spelling corrected, for the word-overlap part of the score.
    """

    weights: tuple[tuple[int, float], ...]
    evidence: tuple[tuple[int, tuple[str, ...]], ...]
    stems: tuple[tuple[str, float], ...]
    words: tuple[tuple[str, str], ...] = ()


def _find(key, stems: list[str], used: list[bool]) -> list[int] | None:
    """Positions of a term's words among the unused ones, or None when it is absent."""
    phrase, mode = key
    if mode == "together":
        positions = []
        for part in phrase:
            j = next((j for j, st in enumerate(stems) if st == part and not used[j] and j not in positions), None)
            if j is None:
                return None
            positions.append(j)
        return positions
    gap = 0 if mode == "adjacent" else _MAX_GAP
    for start, st in enumerate(stems):
        if used[start] or st != phrase[0]:
            continue
        positions = [start]
        for part in phrase[1:]:
            pos = positions[-1]
            nxt = next((j for j in range(pos + 1, min(len(stems), pos + 2 + gap))
                        if stems[j] == part and not used[j]), None)
            if nxt is None:
                break
            positions.append(nxt)
        if len(positions) == len(phrase):
            return positions
    return None


# ----------------------------------------------------------------------------------------
# Clauses: what the text says it does not want, what it stresses, and what it is for.
# ----------------------------------------------------------------------------------------

# How much a term counts in a refused, a stressed and a purpose clause (the phrases that
# open each are in english.toml).
_NEGATED, _STRESSED, _PURPOSE_CLAUSE = 0.0, 1.5, 0.3


def _starts(words: list[str], i: int, phrases) -> int:
    """The length of the longest phrase that starts at ``words[i]``, or 0."""
    for phrase in phrases.get(words[i], ()):
        if tuple(words[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _refuses(words: list[str], i: int, length: int) -> bool:
    """Whether the refusing phrase at ``i`` refuses a service ("not a great walker" and
    "don't want to be alone" do not)."""
    english = _english()
    after = words[i + length: i + length + 2]
    if words[i + length - 1] in ("a", "an", "the", "my", "any"):
        return not after or after[0] not in english.not_refused_after_article
    if after[:1] == ["to"]:
        return len(after) < 2 or after[1] not in english.state_verbs
    return True


def _clause_factors(words: list[str], clause_ends: set[int]) -> list[float]:
    """How much each word's terms count: 0 in a refused clause, 1.5 in a stressed one,
    0.3 in a purpose clause (applied only when the rest of the sentence names a service),
    1 elsewhere. A refused or purpose clause ends at a comma or a word that opens another
    clause; a stressed one runs to the end of the sentence unless something is refused."""
    english = _english()
    factors = [1.0] * len(words)
    scope, i = None, 0
    while i < len(words):
        if i in clause_ends or (words[i] in english.clause_ends and scope in (_NEGATED, _PURPOSE_CLAUSE)):
            scope = None if scope != _STRESSED or i in clause_ends else scope
        length = _starts(words, i, english.refusing)
        if length and _refuses(words, i, length):
            scope, i = _NEGATED, i + length
            continue
        for phrases, kind in ((english.stressing, _STRESSED), (english.purpose, _PURPOSE_CLAUSE)):
            length = _starts(words, i, phrases)
            if length:
                scope, i = kind, i + length
                break
        else:
            if scope is not None:
                factors[i] = scope
            i += 1
    return factors


def _learning_cue(words: list[str], factors: list[float]) -> str | None:
    """The word saying the person wants to learn (outside a refused clause), if any.
    "Practice" after "the" or "GP" is the surgery; "confidence" counts only when it is
    being built."""
    english = _english()
    for i, w in enumerate(words):
        if factors[i] == _NEGATED:
            continue
        before = words[i - 1] if i else ""
        if (w in english.learning or (w == "practice" and before not in english.surgery)
                or (w == "confidence" and not english.building.isdisjoint(words[max(i - 3, 0):i]))
                or (w == "show" and words[i + 1: i + 3] in (["me", "how"], ["how", "to"], ["them", "how"]))):
            return w
    return None


def _sentence_words(raw: str, index: _Index) -> tuple[list[str], set[int]]:
    """A sentence's words, and the positions where a clause starts after a comma."""
    raw = _english().sayings.sub(" ", raw)
    for written, read, inside in index.read_as:
        if written in raw:
            raw = inside.sub(rf"\1{read}", raw)
    words: list[str] = []
    clause_ends: set[int] = set()
    for piece in _CLAUSE.split(raw):
        if words:
            clause_ends.add(len(words))
        words.extend(tokens(piece))
    return words, clause_ends


class _Sentence(NamedTuple):
    """What one sentence says: ``weight``, how central it is (see ``_sentence_weight``);
    ``scores``, the evidence for each category index; ``evidence``, (category index,
    words as written) pairs; ``content``, each content stem with its word as written;
    ``translating``, whether it asks for translation."""

    weight: float
    scores: dict[int, float]
    evidence: list[tuple[int, str]]
    content: dict[str, str]
    translating: bool


@lru_cache(maxsize=400_000)
def _read_sentence(raw: str, index: _Index) -> _Sentence | None:
    """What one sentence says, or None when it has no words (cached: filler sentences
    repeat across many texts)."""
    words, clause_ends = _sentence_words(raw, index)
    if not words:
        return None
    factors = _clause_factors(words, clause_ends)
    stems = [_correct(stem(w), index) for w in words]
    english = _english()
    content = {}
    for w, s, f in zip(words, stems, factors):
        if w not in english.stop_words and len(w) > 1 and s not in english.stop_words and f != _NEGATED:
            content.setdefault(s, index.as_written(w))
    present = set(stems)
    phrases = index.phrases
    candidates = [key for st in present for key in index.by_first.get(st, ()) if present.issuperset(key[0])]
    # Longest and strongest phrases claim their words first.
    candidates.sort(key=lambda key: (-len(key[0]), -max(phrases[key].values()), key))
    used = [False] * len(stems)
    main: dict[int, float] = {}
    purpose: dict[int, float] = {}
    named_a_service = False
    evidence: list[tuple[int, str]] = []
    for key in candidates:
        positions = _find(key, stems, used)
        if positions is None:
            continue
        for j in positions:
            used[j] = True
        # A refused word silences the term; a term reaching out of a purpose clause
        # ("a driver ... while she practises") is not only about the purpose.
        outside = [factors[j] for j in positions if factors[j] != _PURPOSE_CLAUSE]
        factor = min(outside) if outside else _PURPOSE_CLAUSE
        if factor == _NEGATED:
            # Words outside the refused clause stay free for shorter terms.
            for j in positions:
                used[j] = factors[j] == _NEGATED
            continue
        positions.sort()
        span = words[positions[0]: positions[-1] + 1]
        said = index.as_written(" ".join(span if len(span) <= 4 else [words[j] for j in positions]))
        into = purpose if factor == _PURPOSE_CLAUSE else main
        for k, weight in phrases[key].items():
            into[k] = into.get(k, 0.0) + weight * (1.0 if into is purpose else factor)
            named_a_service |= into is main and weight >= 1.0
            if weight >= 0.5:
                evidence.append((k, said))
    scores = main
    for k, v in purpose.items():
        scores[k] = scores.get(k, 0.0) + v * (_PURPOSE_CLAUSE if named_a_service else 1.0)
    cue = _learning_cue(words, factors)
    if cue:
        scores, evidence = _to_learning(scores, evidence, cue, index.learned_in)
    translating = any(w in english.translating and f != _NEGATED for w, f in zip(words, factors))
    return _Sentence(_sentence_weight(words), scores, evidence, content, translating)


# What stays with the service itself when the person asks to learn it.
_KEPT_WHEN_LEARNING = 0.2


def _to_learning(scores: dict[int, float], evidence: list[tuple[int, str]], cue: str,
                 learned_in: dict[int, int]):
    """Move most of the evidence for a service done for someone to the sibling that
    teaches it (``learned_in``: category index to sibling index), with the words that
    carried it and the word asking to learn."""
    scores = dict(scores)
    moved = False
    for k, sibling in learned_in.items():
        if scores.get(k, 0.0) > 0.0:
            scores[sibling] = scores.get(sibling, 0.0) + scores[k] * (1.0 - _KEPT_WHEN_LEARNING)
            scores[k] *= _KEPT_WHEN_LEARNING
            evidence = evidence + [(sibling, said) for kk, said in evidence if kk == k]
            moved = True
    if moved:
        evidence = evidence + [(sibling, cue) for sibling in set(learned_in.values()) if sibling in scores]
    return scores, evidence


def _language_named(sentences: list[_Sentence], translate_ids: list[int]) -> int | None:
    """The translation category whose language the text names most strongly, if any;
    the weak "translate" cue alone names none."""
    if not translate_ids:
        return None
    totals = {k: sum(r.scores.get(k, 0.0) * r.weight for r in sentences) for k in translate_ids}
    best = max(totals, key=lambda k: (totals[k], -k))
    others = [v for k, v in totals.items() if k != best]
    return best if totals[best] > max(others) else None


def read_text(text: str, knowledge: Knowledge | None = None) -> CategoryGuess:
    """Find the taxonomy terms in a text and the evidence they give for each category
    (by its index in ``knowledge.categories``; the shipped knowledge when None).

    Terms in a clause the person refuses ("not after a lift") do not count, a stressed
    clause ("I just want ...") counts more, a purpose clause ("so I can get to the
    hairdresser") less; a sentence asking to learn moves a service to the sibling that
    teaches it, and one asking for translation moves letters to the language named.
    """
    return _read_text(text, _index(knowledge if knowledge is not None else load_knowledge()))


@lru_cache(maxsize=400_000)
def _read_text(text: str, index: _Index) -> CategoryGuess:
    sentences = [r for r in (_read_sentence(raw, index) for raw in _SENTENCE.split(text)) if r is not None]
    top = max((r.weight for r in sentences), default=1.0)
    scores: dict[int, float] = {}
    evidence: dict[int, list[str]] = {}
    content: dict[str, float] = {}
    surface: dict[str, str] = {}
    language = _language_named(sentences, index.translate_ids)
    for sentence in sentences:
        weight = sentence.weight / top
        moved = index.moved_by_translating if sentence.translating and language is not None else ()
        for k, v in sentence.scores.items():
            into = language if k in moved else k
            scores[into] = scores.get(into, 0.0) + v * weight
        for k, said in sentence.evidence:
            said_list = evidence.setdefault(language if k in moved else k, [])
            if said not in said_list:
                said_list.append(said)
        for s, w in sentence.content.items():
            content[s] = max(content.get(s, 0.0), weight)
            surface.setdefault(s, w)
    return CategoryGuess(
        weights=tuple(sorted(scores.items())),
        evidence=tuple((k, tuple(v)) for k, v in sorted(evidence.items())),
        stems=tuple(sorted(content.items())),
        words=tuple(surface.items()),
    )


def sentences(text: str, knowledge: Knowledge | None = None) -> list[tuple[str, float]]:
    """The text's sentences with how central each is: 1 for the request or offer itself,
    lower for background about the person ("I used to ...", "Retired nurse.") and for
    "can also do this by phone" notes, as the hand-made reader weighs them."""
    index = _index(knowledge or load_knowledge())
    out = []
    for raw in _SENTENCE.split(text):
        words, _ = _sentence_words(raw, index)
        if words:
            out.append((raw.strip(), _sentence_weight(words)))
    return out
