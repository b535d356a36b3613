"""Reasons a social worker can read aloud: why this helper, or why nobody."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from matching.knowledge import Knowledge, load_knowledge
from matching.profiles import SLOTS, Capability, Need, Profile
from matching.rules import RULE_CODES, RULES, Table, broken_rules
from matching.text import read_text
from matching.vectors import alike_words

__all__ = ["match_reasons", "unassigned_reasons", "rule_counts", "category_name", "CHECK_WORDS"]

CHECK_WORDS = "the helper holds a current safeguarding check"


def category_name(label: str | None, knowledge: Knowledge | None = None) -> str:
    """The display name of a category id in ``knowledge`` (the shipped knowledge when
    None), as the bank names it; the id itself when it is not known."""
    if label is None:
        return "an unclear service"
    # As written: lower-casing turns "DIY" and "CVs" into words nobody uses.
    return (knowledge or load_knowledge()).name(label)


@lru_cache(maxsize=100_000)
def _evidence_map(text: str, knowledge: Knowledge | None) -> dict:
    return dict(read_text(text, knowledge).evidence)


@lru_cache(maxsize=100_000)
def _stem_set(text: str, knowledge: Knowledge | None) -> frozenset:
    return frozenset(s for s, _ in read_text(text, knowledge).stems)


def _evidence(text: str, k: int | None, likeness_words: dict,
              knowledge: Knowledge | None = None) -> tuple[list[str], bool]:
    """The words of a text that carried category ``k``: the taxonomy's terms found in
    it, or, for a text placed by likeness alone, the words most like the category's
    (then the flag is True)."""
    if k is None:
        return [], False
    found = list(_evidence_map(text, knowledge).get(k, ()))
    if not found and likeness_words.get(text, (None,))[0] == k:
        return _as_written(text, list(likeness_words[text][1])), True
    return _as_written(text, found), False


def _as_written(text: str, words: list[str]) -> list[str]:
    """The words as the text spells them ("CV", "Tesco"): the reader works in lower case,
    and a word it corrected or joined across a gap is kept as it read it."""
    out = []
    for word in words:
        pattern = r"[\s\-/]+".join(re.escape(part) for part in word.split())
        found = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) if pattern else None
        out.append(found.group(0) if found else word)
    return out


def _quoted(words: list[str]) -> str:
    shown = [f"\u201c{w}\u201d" for w in words[:3]]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _read_from(evidence: tuple[list[str], bool]) -> str:
    words, by_likeness = evidence
    noun = "word" if len(words[:3]) == 1 and " " not in words[0] else "words"
    return f"read from the {noun} {_quoted(words)}" + (", by their likeness in spelling" if by_likeness else "")


def _how_known(need: Need, capability: Capability, label: str | None,
               need_evidence: tuple[list[str], bool], cap_evidence: tuple[list[str], bool]) -> str:
    """How each side came to this service: recorded by the assessor, or read from its
    words. A side read without words to quote is left out rather than shown as "-"."""
    need_recorded = need.category is not None and need.category == label
    cap_recorded = capability.category is not None and capability.category == label
    if need_recorded and cap_recorded:
        return "as recorded by the assessor"
    need_words, cap_words = need_evidence[0], cap_evidence[0]
    if not need_recorded and not cap_recorded:
        if need_words and cap_words:
            return f"{_read_from(need_evidence)} in the need and {_quoted(cap_words)} in the offer" \
                if need_evidence[1] == cap_evidence[1] else \
                f"the need {_read_from(need_evidence)}; the offer {_read_from(cap_evidence)}"
        if need_words:
            return f"{_read_from(need_evidence)} in the need"
        if cap_words:
            return f"{_read_from(cap_evidence)} in the offer"
        return "read from both texts"
    clauses = []
    if need_recorded:
        clauses.append("the need as recorded by the assessor")
    elif need_words:
        clauses.append(f"the need {_read_from(need_evidence)}")
    if cap_recorded:
        clauses.append("the offer as recorded by the assessor")
    elif cap_words:
        clauses.append(f"the offer {_read_from(cap_evidence)}")
    return "; ".join(clauses)


@lru_cache(maxsize=200_000)
def _shared_words(need_text: str, cap_text: str, knowledge: Knowledge | None) -> tuple[str, ...]:
    cap_stems = _stem_set(cap_text, knowledge)
    words = [w for s, w in read_text(need_text, knowledge).words
             if s in cap_stems and len(w) > 2 and not w.isdigit()]
    return tuple(words[:5])


_DAY_WORDS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
              "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
_PART_WORDS = {"am": "morning", "pm": "afternoon", "eve": "evening"}


def slot_words(slot: str) -> str:
    """A slot code in words: "wed-pm" is "Wednesday afternoon"."""
    day, part = slot.split("-")
    return f"{_DAY_WORDS[day]} {_PART_WORDS[part]}"


def _slots_words(slots: list[str]) -> str:
    shown = [slot_words(s) for s in slots[:6]]
    if len(slots) > 6:
        return ", ".join(shown) + f" and {len(slots) - 6} more"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def match_reasons(asker: Profile, need: Need, helper: Profile, capability: Capability,
                  label: str | None, k: int | None, distance_km: float,
                  likeness_words: dict | None = None, knowledge: Knowledge | None = None) -> list[str]:
    """Why this capability fits this need: service, words, distance, times, check, status.

    The service is "as recorded by the assessor" only for a side whose category the
    assessor gave (``Need.category``); a side read from its text names the words that
    carried the reading. ``likeness_words`` maps a text placed in its category by likeness alone to that
    category and the words that carried it (``Features.likeness_words``). ``knowledge``
    names the services (the shipped knowledge when None).
    """
    likeness_words = likeness_words or {}
    how = _how_known(need, capability, label, _evidence(need.text, k, likeness_words, knowledge),
                     _evidence(capability.text, k, likeness_words, knowledge))
    reasons = [f"both about {category_name(label, knowledge)} ({how})"]
    shared = _shared_words(need.text, capability.text, knowledge)
    if shared:
        reasons.append("both mention: " + ", ".join(_as_written(need.text, list(shared))))
    alike = alike_words(need.text, capability.text, knowledge=knowledge)
    if alike:
        reasons.append("alike in spelling: " + ", ".join(f"{a} / {b}" for a, b in alike[:3]))
    if capability.remote:
        reasons.append("by phone or online")
    elif not np.isnan(distance_km):
        reasons.append(f"{distance_km:.1f} km apart (the helper travels up to {capability.max_km:g} km)")
    else:
        reasons.append(f"same area: {(asker.area or helper.area or '').strip()}")
    if asker.availability is not None and helper.availability is not None:
        common = [s for s in SLOTS if s in set(asker.availability) & set(helper.availability)]
        reasons.append("both free: " + _slots_words(common))
    elif helper.availability:
        reasons.append("the person needing help is free at any time; the helper is free: "
                       + _slots_words([s for s in SLOTS if s in helper.availability]))
    elif helper.availability is not None:
        reasons.append("the person needing help is free at any time; the helper gave no free times")
    elif asker.availability is not None:
        reasons.append("the helper is free at any time")
    else:
        reasons.append("neither gave fixed times")
    if helper.checked:
        reasons.append(CHECK_WORDS + (", as this need requires" if need.requires_checked else ""))
    reasons.append("the helper already does this" if capability.status == "doing"
                   else "the helper could do this if encouraged")
    return reasons


def rule_counts(table: Table, need_idx: np.ndarray, cap_idx: np.ndarray) -> np.ndarray:
    """For each need, how many of the given capabilities each rule removes
    (columns follow :data:`RULE_CODES`; column 0 counts the feasible ones)."""
    counts = np.zeros((len(need_idx), len(RULE_CODES)), dtype=np.int64)
    if not len(cap_idx):
        return counts
    step = max(1, 1_000_000 // len(cap_idx))
    for start in range(0, len(need_idx), step):
        codes = broken_rules(table, need_idx[start:start + step, None], cap_idx[None, :])
        for code in range(len(RULE_CODES)):
            counts[start:start + step, code] = (codes == code).sum(axis=1)
    return counts


def _headline(removed: dict[str, int], total: int, name: str, requires_checked: bool) -> str:
    """The one rule to name when every offer of the category was removed."""
    blocking = set(removed) - {"same_person", "not_shared"}
    if requires_checked and "not_checked" in removed:
        if total == 1:
            return f"no checked helper within reach: the only offer of {name} is not both checked and within reach"
        return f"no checked helper within reach: none of the {total} offers of {name} is both checked and within reach"
    if not blocking:
        if set(removed) == {"same_person"}:
            return f"the only offer of {name} is the person's own"
        return (f"the only offer of {name} is not shared with others" if total == 1
                else f"the offers of {name} are not shared with others")
    if blocking == {"no_common_time"}:
        if total == 1:
            return f"no common free time with the only helper offering {name}"
        return f"no common free time with any of the {total} helpers offering {name}"
    if blocking <= {"too_far", "other_area"}:
        return f"no helper offering {name} within reach"
    return f"no offer of {name} passes the rules for this need"


def _booked_words(booked: np.ndarray, cap_labels: list[str | None], knowledge: Knowledge | None) -> str:
    """Why helpers who would suit a need cannot take it: their open introductions already
    take all the help they offered (capacity 0)."""
    names = sorted({category_name(cap_labels[int(j)], knowledge) for j in booked})
    offering = " or ".join(names)
    if len(booked) == 1:
        return (f"the one helper within reach who offers {offering} is fully booked: "
                "their open introductions take all the help they offered")
    return (f"the {len(booked)} helpers within reach who offer {offering} are fully booked: "
            "their open introductions take all the help they offered")


def unassigned_reasons(table: Table, need_index: int, label: str | None, top_prob: float,
                       counts: np.ndarray | None, feasible_caps: np.ndarray,
                       feasible_scores: np.ndarray, min_score: float,
                       cap_labels: list[str | None], knowledge: Knowledge | None = None) -> list[str]:
    """Why a need stays unassigned: its candidates went to other needs or are fully booked
    (capacity 0), no one offers the service, a named rule removed every offer, or the best
    feasible offer scores too low.

    ``counts`` holds, for the offers of the need's category, how many each rule removed
    (see :func:`rule_counts`).
    """
    if label is None:
        return ["could not tell which service this need is about: please choose a category"]
    name = category_name(label, knowledge)
    reasons = []
    if top_prob < 0.5:
        reasons.append(f"the need most likely asks for {name}, but the text is unclear")
    suitable = feasible_caps[feasible_scores >= min_score]
    if len(suitable):
        booked = suitable[table.capacity[suitable] < 1]
        taken = len(suitable) - len(booked)
        if taken:
            reasons.append(f"the {taken} suitable offer{'s' if taken > 1 else ''} within reach "
                           "went to other needs (their capacity is full)")
        if len(booked):
            reasons.append(_booked_words(booked, cap_labels, knowledge))
        return reasons
    total = int(counts.sum()) if counts is not None else 0
    if not total:
        return reasons + [f"no one offers {name} yet"]
    removed = {RULE_CODES[code]: int(counts[code]) for code in range(1, len(RULE_CODES)) if counts[code]}
    if sum(removed.values()) == total:
        detail = "; ".join(f"{count} removed because {RULES[rule]}" for rule, count in sorted(removed.items()))
        return reasons + [_headline(removed, total, name, table.needs[need_index].requires_checked),
                          (f"1 offer of {name} exists: {detail}" if total == 1
                           else f"{total} offers of {name} exist: {detail}")]
    if len(feasible_caps):
        best = int(np.argmax(feasible_scores))
        other = cap_labels[int(feasible_caps[best])]
        reasons.append(f"the best feasible offer scores {feasible_scores[best]:.2f}, below the "
                       f"{min_score:.2f} needed" + (f": it is {category_name(other, knowledge)}, not {name}"
                                                     if other != label else ""))
    else:
        reasons.append(f"no suitable offer of {name} passed the rules")
    return reasons
