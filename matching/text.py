"""Reading free text: words, stems, spelling slips, and the service category it names.

Pure Python and cached per distinct text, because assessments repeat themselves a lot:
the same offer is often written the same way by many people.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from matching.taxonomy import CATEGORIES

__all__ = ["CategoryGuess", "STOP_WORDS", "read_text", "sentences", "stem", "tokens"]

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SENTENCE = re.compile(r"[.!?\n]+|\s[-–]\s")
# Within a sentence, a comma, semicolon, colon or bracket closes a clause: the reach of
# a "not" or a "so I can".
_CLAUSE = re.compile(r"[,;:()]+")
# "I'll" is an offer ("I'll fetch your messages"), not the word "ill".
_CONTRACTIONS = {"can't": "cant", "won't": "wont", "don't": "dont", "i'm": "im", "i've": "ive", "i'd": "id",
                 "i'll": "will", "we'll": "will", "couldn't": "couldnt", "isn't": "isnt", "doesn't": "doesnt",
                 "it's": "its"}

# Words that say "this sentence is the request or the offer" rather than background
# about the person ("Retired nurse.", "I used to walk the dog every day ...").
_INTENT = frozenset(
    ["need", "needs", "needed", "help", "helping", "helper", "someone", "anyone", "somebody", "anybody", "like", "love", "want", "wants", "wanted", "looking", "request", "requests", "requested", "require", "requires", "required", "would", "could", "can", "able", "happy", "glad", "available", "offer", "offering", "willing", "please", "enjoy", "interested", "benefit", "support", "assist", "keen", "fancy", "wish", "wishes", "hoping", "hope", "let", "teach", "give", "do", "will"]
)
_REMOTE_NOTE = re.compile(r"\b(also|too|as well|remotely)\b")
_REMOTE_WORDS = re.compile(r"\b(phone|video|online|remote|remotely|zoom|skype|call|calls)\b")
_BACKGROUND = re.compile(r"\bused to\b")

STOP_WORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "about", "over", "as", "is", "are", "was", "were", "be", "been", "being", "am", "i", "me", "my", "mine", "we", "our", "us", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their", "it", "its", "this", "that", "these", "those", "there", "here", "have", "has", "had", "having", "do", "does", "did", "so", "such", "than", "too", "very", "just", "also", "some", "any", "all", "each", "per", "not", "no", "nor", "own", "same", "other", "only", "once", "more", "most", "much", "many", "few", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "im", "ive", "id", "ill", "get", "got", "bit", "bits", "thing", "things", "thank", "thanks", "many", "week", "weekly", "day", "days", "time", "times", "someone", "anyone", "somebody", "anybody", "help", "helping", "need", "needs", "needed", "like", "would", "love", "happy", "able", "available", "please", "willing", "want", "wants", "looking", "person", "people", "who", "what", "which", "when", "where", "how", "again", "now", "still", "one", "two", "three", "after", "look", "make", "take", "give", "go", "come", "keep", "around", "round", "back", "new", "also", "well", "really"]
)


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
    for word in _WORD.findall(text.lower().replace("-", " ").replace("/", " ").replace("’", "'")):
        if "'" in word:
            word = _CONTRACTIONS.get(word) or word.replace("'s", "").replace("'", "")
        out.append(word)
    return out


_POLISH_INSIDE = re.compile(r"(?<=\S)(\s+)Polish\b")
# Everyday sayings whose words belong to a service: "fit as a fiddle" is no music lesson,
# "on the mend" no repair, "snowed under" no snow. They are read as if not written.
_IDIOMS = re.compile(r"\b(?:(?:as )?fit as a (?:fiddle|flea)|piece of cake|icing on the cake|"
                     r"not my cup of tea|on the mend|on the cards|snowed under)\b", re.IGNORECASE)


def _sentence_weight(words: list[str]) -> float:
    """How central a sentence is: 1 for the request or offer itself, lower for
    background about the person and for "can also do this by phone" notes."""
    low = " ".join(words)
    if _REMOTE_NOTE.search(low) and _REMOTE_WORDS.search(low) and len(words) <= 9:
        return 0.15
    if _BACKGROUND.search(low):
        return 0.3
    if not _INTENT.isdisjoint(words):
        return 1.0
    return 0.35


# ----------------------------------------------------------------------------------------
# The term index, built once from the taxonomy.
# ----------------------------------------------------------------------------------------

def _build_index():
    phrases: dict[tuple[tuple[str, ...], str], dict[int, float]] = {}
    for k, cat in enumerate(CATEGORIES):
        for term in cat.parsed_terms:
            stems = tuple(stem(t) for t in tokens(term.text))
            if not stems:
                continue
            slot = phrases.setdefault((stems, term.mode), {})
            slot[k] = max(slot.get(k, 0.0), term.weight_for(len(stems)))
    by_stem: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for key in phrases:
        by_stem.setdefault(min(key[0]), []).append(key)
    vocabulary = {s for stems, _ in phrases for s in stems}
    return phrases, by_stem, vocabulary


_PHRASES, _BY_FIRST, _VOCABULARY = _build_index()
_MAX_GAP = 3


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _build_fuzzy():
    index: dict[str, list[str]] = {}
    for word in sorted(_VOCABULARY):
        if len(word) < 4:
            continue
        for variant in _deletes(word) | {word}:
            index.setdefault(variant, []).append(word)
    return index


_FUZZY = _build_fuzzy()


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


# Everyday words one letter away from a taxonomy word, which must not be "corrected".
_KNOWN = frozenset(stem(w) for w in (
    ["physio", "physics", "fitter", "filter", "litter", "letter", "later", "latter", "sitter", "setter", "bitter", "better", "butter", "batter", "matter", "hatter", "hotter", "potter", "clatter", "chatter", "shatter", "dinner", "winner", "thinner", "sinner", "spinner", "diner", "carer", "career", "caring", "carrying", "cater", "water", "waiter", "waters", "later", "lately", "lovely", "lonely", "only", "ready", "reading", "heading", "leading", "beading", "bedding", "wedding", "sheets", "shoots", "sweets", "streets", "polite", "police", "policy", "posted", "poster", "poster", "pastor", "plaster", "planter", "painter", "printer", "pointer", "drive", "drove", "driven", "dive", "diver", "river", "rover", "cover", "covers", "lover", "lower", "power", "tower", "mower", "mowers", "hearing", "heating", "healing", "sealing", "ceiling", "dealing", "feeling", "peeling", "wheeling", "visit", "visiting", "vision", "cooker", "cookie", "booking", "looking", "hooking", "walker", "talker", "talking", "cards", "carts", "cars", "care", "card", "cart", "bake", "bike", "hike", "like", "lake", "make", "take", "wake", "cake", "shops", "shows", "stops", "chops", "tops", "sews", "news", "pews", "jobs", "mobs", "robs", "sobs", "meals", "deals", "heals", "seals", "reals", "mails", "nails", "tails", "rails", "sails", "tales", "males", "cannae", "canna", "dinnae", "didnae", "couldnae", "wouldnae", "willnae", "isnae", "wasnae", "havenae", "naebody", "somebody", "anybody", "single", "singles"]))


@lru_cache(maxsize=200_000)
def _correct(word_stem: str) -> str:
    """Map a misspelt stem to a taxonomy stem one slip away ("prescripton" -> "prescription")."""
    if word_stem in _VOCABULARY or len(word_stem) < 5 or word_stem in STOP_WORDS or word_stem in _KNOWN:
        return word_stem
    found = set()
    for variant in _deletes(word_stem) | {word_stem}:
        for candidate in _FUZZY.get(variant, ()):
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

def _phrases(text: str) -> dict[str, list[tuple[str, ...]]]:
    """Comma-separated phrases, indexed by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted((tuple(p.split()) for p in text.split(",")), key=len, reverse=True):
        index.setdefault(phrase[0], []).append(phrase)
    return index


# Phrases that open a clause the person does not want ("not after a lift", "I don't need
# help around the house", "rather than a visit"): its terms do not vote. Saying what one
# cannot do ("can't cook", "not managing", "not fit to") is a need, so it opens nothing.
_NEGATORS = _phrases(
    "not after,not looking,not wanting,not want,not needing,not need,not asking,not interested,"
    "not bothered,not fussed,not for,not about,not so much,not a,not an,not the,not my,not any,"
    "dont need,dont want,dont really need,dont really want,do not need,do not want,doesnt need,"
    "doesnt want,didnt want,didnt need,dont require,no need for,no need of,rather than,instead of")
# "not a great walker", "not the best with computers": the person, not what they refuse.
_NOT_REFUSED_AFTER_ARTICLE = frozenset(
    ["good", "great", "bad", "big", "best", "very", "confident", "strong", "fit", "natural", "bit", "lot", "problem", "same", "most", "least", "only", "first"])
# "I don't want to be alone", "not wanting to go out on my own": a state they fear, not
# a service they refuse.
_STATE_VERBS = frozenset(
    ["be", "feel", "get", "end", "lose", "become", "burden", "bother", "trouble", "rely", "depend", "worry", "fall", "stay", "sit", "spend", "miss", "go"])
# Phrases that stress the clause after them: "I just want", "really what I need is".
_STRESS = _phrases(
    "just want,just need,just like,just looking,just wanting,just needing,really need,really want,"
    "really like,all i need,all i want,what i need,only want,only need")
# Phrases that open a purpose or a time clause: "sit with him so I can get to the
# hairdresser", "mind the bairns while I go to an interview". What follows is why the
# help is wanted, not the help itself.
_PURPOSE = _phrases(
    ",".join(f"{a} {p}" for a in ("while", "whilst", "when") for p in ("i", "im", "we", "she", "he", "they"))
    + "," + ",".join(f"so {p} {v}" for p in ("i", "we", "she", "he", "they") for v in ("can", "could", "am"))
    + ",so that,in order to")
# Words that close a clause opened above.
_CLAUSE_ENDS = frozenset(["but", "though", "although", "however", "just", "only", "so", "because", "cos", "coz", "yet", "except", "i", "we"])
_NEGATED, _STRESSED, _PURPOSE_CLAUSE = 0.0, 1.5, 0.3
# Words that say the person wants to learn it rather than have it done. "Practice" after
# "the" or "GP" is the surgery; "confidence" counts only when it is being built.
_LEARNING = frozenset(
    ["learn", "learning", "learnt", "learned", "teach", "teaching", "taught", "lesson", "lessons", "learner", "coach", "coaching", "tuition", "practise", "practises", "practising", "skills"])
_SURGERY = frozenset(["the", "gp", "doctor", "doctors", "dental", "dentist", "my", "our", "surgery", "medical"])
_BUILDING = frozenset(["build", "building", "builds", "boost", "boosting", "gain", "gaining", "regain", "grow", "growing", "give", "giving"])
_TRANSLATING = frozenset(
    ["translate", "translated", "translating", "translation", "translations", "translator", "interpret", "interpreted", "interpreting", "interpreter"])


def _starts(words: list[str], i: int, phrases) -> int:
    """The length of the longest phrase that starts at ``words[i]``, or 0."""
    for phrase in phrases.get(words[i], ()):
        if tuple(words[i:i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _refuses(words: list[str], i: int, length: int) -> bool:
    """Whether the negating phrase at ``i`` refuses a service (see _NEGATORS)."""
    after = words[i + length: i + length + 2]
    if words[i + length - 1] in ("a", "an", "the", "my", "any"):
        return not after or after[0] not in _NOT_REFUSED_AFTER_ARTICLE
    if after[:1] == ["to"]:
        return len(after) < 2 or after[1] not in _STATE_VERBS
    return True


def _clause_factors(words: list[str], clause_ends: set[int]) -> list[float]:
    """How much each word's terms count: 0 in a refused clause, 1.5 in a stressed one,
    0.3 in a purpose clause (applied only when the rest of the sentence names a service),
    1 elsewhere. A refused or purpose clause ends at a comma or a word that opens another
    clause; a stressed one runs to the end of the sentence unless something is refused."""
    factors = [1.0] * len(words)
    scope, i = None, 0
    while i < len(words):
        if i in clause_ends or (words[i] in _CLAUSE_ENDS and scope in (_NEGATED, _PURPOSE_CLAUSE)):
            scope = None if scope != _STRESSED or i in clause_ends else scope
        length = _starts(words, i, _NEGATORS)
        if length and _refuses(words, i, length):
            scope, i = _NEGATED, i + length
            continue
        for phrases, kind in ((_STRESS, _STRESSED), (_PURPOSE, _PURPOSE_CLAUSE)):
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
    """The word saying the person wants to learn (outside a refused clause), if any."""
    for i, w in enumerate(words):
        if factors[i] == _NEGATED:
            continue
        before = words[i - 1] if i else ""
        if (w in _LEARNING or (w == "practice" and before not in _SURGERY)
                or (w == "confidence" and not _BUILDING.isdisjoint(words[max(i - 3, 0):i]))
                or (w == "show" and words[i + 1: i + 3] in (["me", "how"], ["how", "to"], ["them", "how"]))):
            return w
    return None


def _sentence_words(raw: str) -> tuple[list[str], set[int]]:
    """A sentence's words, and the positions where a clause starts after a comma."""
    raw = _IDIOMS.sub(" ", raw)
    # "Polish" with a capital inside a sentence is the language, not furniture polish.
    if "Polish" in raw:
        raw = _POLISH_INSIDE.sub(r"\1polski", raw)
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
def _read_sentence(raw: str) -> _Sentence | None:
    """What one sentence says, or None when it has no words (cached: filler sentences
    repeat across many texts)."""
    words, clause_ends = _sentence_words(raw)
    if not words:
        return None
    factors = _clause_factors(words, clause_ends)
    stems = [_correct(stem(w)) for w in words]
    content = {}
    for w, s, f in zip(words, stems, factors):
        if w not in STOP_WORDS and len(w) > 1 and s not in STOP_WORDS and f != _NEGATED:
            content.setdefault(s, w.replace("polski", "Polish"))
    present = set(stems)
    candidates = [key for st in present for key in _BY_FIRST.get(st, ()) if present.issuperset(key[0])]
    # Longest and strongest phrases claim their words first.
    candidates.sort(key=lambda key: (-len(key[0]), -max(_PHRASES[key].values()), key))
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
        said = " ".join(span if len(span) <= 4 else [words[j] for j in positions]).replace("polski", "Polish")
        into = purpose if factor == _PURPOSE_CLAUSE else main
        for k, weight in _PHRASES[key].items():
            into[k] = into.get(k, 0.0) + weight * (1.0 if into is purpose else factor)
            named_a_service |= into is main and weight >= 1.0
            if weight >= 0.5:
                evidence.append((k, said))
    scores = main
    for k, v in purpose.items():
        scores[k] = scores.get(k, 0.0) + v * (_PURPOSE_CLAUSE if named_a_service else 1.0)
    cue = _learning_cue(words, factors)
    if cue:
        scores, evidence = _to_learning(scores, evidence, cue)
    translating = any(w in _TRANSLATING and f != _NEGATED for w, f in zip(words, factors))
    return _Sentence(_sentence_weight(words), scores, evidence, content, translating)


_LEARNED_IN = {k: [c.id for c in CATEGORIES].index(c.learned_in)
               for k, c in enumerate(CATEGORIES) if c.learned_in}
# What stays with the service itself when the person asks to learn it.
_KEPT_WHEN_LEARNING = 0.2


def _to_learning(scores: dict[int, float], evidence: list[tuple[int, str]], cue: str):
    """Move most of the evidence for a service done for someone to the sibling that
    teaches it, with the words that carried it and the word asking to learn."""
    scores = dict(scores)
    moved = False
    for k, sibling in _LEARNED_IN.items():
        if scores.get(k, 0.0) > 0.0:
            scores[sibling] = scores.get(sibling, 0.0) + scores[k] * (1.0 - _KEPT_WHEN_LEARNING)
            scores[k] *= _KEPT_WHEN_LEARNING
            evidence = evidence + [(sibling, said) for kk, said in evidence if kk == k]
            moved = True
    if moved:
        evidence = evidence + [(sibling, cue) for sibling in set(_LEARNED_IN.values()) if sibling in scores]
    return scores, evidence


_TRANSLATE_IDS = [k for k, c in enumerate(CATEGORIES) if c.id.startswith("translate_")]
# Letters to be translated are translation; "into English" names the language wanted.
_MOVED_BY_TRANSLATING = [k for k, c in enumerate(CATEGORIES) if c.id in ("paperwork", "english_practice")]


def _language_named(sentences: list[_Sentence]) -> int | None:
    """The translation category whose language the text names most strongly, if any;
    the weak "translate" cue alone names none."""
    totals = {k: sum(r.scores.get(k, 0.0) * r.weight for r in sentences) for k in _TRANSLATE_IDS}
    best = max(totals, key=lambda k: (totals[k], -k))
    others = [v for k, v in totals.items() if k != best]
    return best if totals[best] > max(others) else None


@lru_cache(maxsize=400_000)
def read_text(text: str) -> CategoryGuess:
    """Find the taxonomy terms in a text and the evidence they give for each category.

    Terms in a clause the person refuses ("not after a lift") do not count, a stressed
    clause ("I just want ...") counts more, a purpose clause ("so I can get to the
    hairdresser") less; a sentence asking to learn moves a service to the sibling that
    teaches it, and one asking for translation moves letters to the language named.
    """
    sentences = [r for r in (_read_sentence(raw) for raw in _SENTENCE.split(text)) if r is not None]
    top = max((r.weight for r in sentences), default=1.0)
    scores: dict[int, float] = {}
    evidence: dict[int, list[str]] = {}
    content: dict[str, float] = {}
    surface: dict[str, str] = {}
    language = _language_named(sentences)
    for sentence in sentences:
        weight = sentence.weight / top
        moved = _MOVED_BY_TRANSLATING if sentence.translating and language is not None else ()
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


def sentences(text: str) -> list[tuple[str, float]]:
    """The text's sentences with how central each is: 1 for the request or offer itself,
    lower for background about the person ("I used to ...", "Retired nurse.") and for
    "can also do this by phone" notes, as the hand-made reader weighs them."""
    out = []
    for raw in _SENTENCE.split(text):
        words, _ = _sentence_words(raw)
        if words:
            out.append((raw.strip(), _sentence_weight(words)))
    return out
