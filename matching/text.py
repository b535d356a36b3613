"""Reading free text into words and stems, for the words two texts share.

Which service a text is about is the learned reader's business (:mod:`matching.reader`);
the hand-made clause reader that lived here, with its category ids written in Python,
was retired when the learned reader read unseen wording better (see the README).

Pure Python and cached per distinct text, because assessments repeat themselves a lot.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["TextWords", "STOP_WORDS", "read_text", "stem", "tokens"]

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# "I'll" is an offer ("I'll fetch your messages"), not the word "ill".
_CONTRACTIONS = {"can't": "cant", "won't": "wont", "don't": "dont", "i'm": "im", "i've": "ive", "i'd": "id",
                 "i'll": "will", "we'll": "will", "couldn't": "couldnt", "isn't": "isnt", "doesn't": "doesnt",
                 "it's": "its"}

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


class TextWords(NamedTuple):
    """A text's content words: ``stems`` as ``(stem, weight)`` pairs (weight 1, sorted)
    and ``words`` as ``(stem, word as written)`` in first-seen order."""

    stems: tuple[tuple[str, float], ...]
    words: tuple[tuple[str, str], ...]


@lru_cache(maxsize=400_000)
def read_text(text: str) -> TextWords:
    """The content words of a text (no filler words, no numbers), stemmed."""
    surface: dict[str, str] = {}
    for word in tokens(text):
        if word in STOP_WORDS or len(word) < 2 or word.isdigit():
            continue
        surface.setdefault(stem(word), word)
    return TextWords(stems=tuple(sorted((s, 1.0) for s in surface)), words=tuple(surface.items()))
