"""Reasons a social worker can read aloud: why this helper, or why nobody."""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from matching.profiles import SLOTS, Capability, Need, Profile
from matching.rules import RULE_CODES, RULES, Table, broken_rules
from matching.text import read_text
from matching.vectors import alike_words

__all__ = ["match_reasons", "unassigned_reasons", "rule_counts", "category_name", "slot_words", "CHECK_WORDS"]

CHECK_WORDS = "the helper holds a current safeguarding check"


def category_name(label: str | None, names: dict[str, str] | None = None) -> str:
    """The name people see for a service id: the bank's or the shipped name as written,
    the id itself for a category named only in the input."""
    if label is None:
        return "an unclear service"
    return (names or {}).get(label) or label


@lru_cache(maxsize=100_000)
def _stem_set(text: str) -> frozenset:
    return frozenset(s for s, _ in read_text(text).stems)


_DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
              "sat": "Saturday", "sun": "Sunday"}
_PART_NAMES = {"am": "morning", "pm": "afternoon", "eve": "evening"}


def slot_words(slot: str) -> str:
    """A slot code in words: "wed-pm" is "Wednesday afternoon"."""
    day, _, part = slot.partition("-")
    return f"{_DAY_NAMES.get(day, day)} {_PART_NAMES.get(part, part)}".strip()


def _quoted(words) -> str:
    return ", ".join(f"\u201c{w}\u201d" for w in words)


def _how_known(side: str, given: bool, reading) -> str | None:
    """How one side's service is known: recorded, or read from which words."""
    if given:
        return f"the {side}'s service was recorded by the assessor"
    if reading is not None and reading.words:
        return f"the {side}'s service was read from the words {_quoted(reading.words)}"
    if reading is not None:
        return f"the {side}'s service was read from its wording as a whole"
    return None


@lru_cache(maxsize=200_000)
def _shared_words(need_text: str, cap_text: str) -> tuple[str, ...]:
    cap_stems = _stem_set(cap_text)
    words = [w for s, w in read_text(need_text).words if s in cap_stems and len(w) > 2 and not w.isdigit()]
    return tuple(words[:5])


def _slots_words(slots: list[str]) -> str:
    words = [slot_words(s) for s in slots]
    return ", ".join(words[:6]) + (f" and {len(words) - 6} more" if len(words) > 6 else "")


def match_reasons(asker: Profile, need: Need, helper: Profile, capability: Capability,
                  label: str | None, need_given: bool, cap_given: bool,
                  need_reading=None, cap_reading=None, distance_km: float = float("nan"),
                  names: dict[str, str] | None = None) -> list[str]:
    """Why this capability fits this need: service (and how each side's service is
    known), words, distance, times, check, status.

    "as recorded by the assessor" is said only when both sides' services were recorded;
    a read service names the words of the text that carried it (``*_reading`` are
    :class:`matching.reader.Reading`).
    """
    name = category_name(label, names)
    if need_given and cap_given:
        reasons = [f"both about {name} (as recorded by the assessor)"]
    else:
        reasons = [f"both about {name}"]
        reasons += [how for how in (_how_known("need", need_given, need_reading),
                                    _how_known("offer", cap_given, cap_reading)) if how]
    shared = _shared_words(need.text, capability.text)
    if shared:
        reasons.append("both mention: " + ", ".join(shared))
    alike = alike_words(need.text, capability.text)
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
    elif helper.availability is not None:
        reasons.append("the person needing help is free at any time; the helper is free: "
                       + _slots_words([s for s in SLOTS if s in helper.availability]))
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
        return f"no checked helper within reach: none of the {total} offers of {name} is both checked and within reach"
    if not blocking:
        if set(removed) == {"same_person"}:
            return f"the only offer of {name} is the person's own"
        return f"the offers of {name} are not shared with others"
    if blocking == {"no_common_time"}:
        return f"no common free time with any of the {total} helpers offering {name}"
    if blocking <= {"too_far", "other_area"}:
        return f"no helper offering {name} within reach"
    return f"no offer of {name} passes the rules for this need"


def unassigned_reasons(table: Table, need_index: int, label: str | None, top_prob: float,
                       counts: np.ndarray | None, feasible_caps: np.ndarray,
                       feasible_scores: np.ndarray, min_score: float,
                       cap_labels: list[str | None], names: dict[str, str] | None = None) -> list[str]:
    """Why a need stays unassigned: its candidates went to other needs, no one offers the
    service, a named rule removed every offer, or the best feasible offer scores too low.

    ``counts`` holds, for the offers of the need's category, how many each rule removed
    (see :func:`rule_counts`).
    """
    if label is None:
        return ["could not tell which service this need is about: please choose a category"]
    name = category_name(label, names)
    reasons = []
    if top_prob < 0.5:
        reasons.append(f"the need most likely asks for {name}, but the text is unclear")
    good = int((feasible_scores >= min_score).sum())
    if good:
        reasons.append(f"the {good} suitable offer{'s' if good > 1 else ''} within reach "
                       "went to other needs (their capacity is full)")
        return reasons
    total = int(counts.sum()) if counts is not None else 0
    if not total:
        return reasons + [f"no one offers {name} yet"]
    removed = {RULE_CODES[code]: int(counts[code]) for code in range(1, len(RULE_CODES)) if counts[code]}
    if sum(removed.values()) == total:
        detail = "; ".join(f"{count} removed because {RULES[rule]}" for rule, count in sorted(removed.items()))
        return reasons + [_headline(removed, total, name, table.needs[need_index].requires_checked),
                          f"{total} offer{'s' if total > 1 else ''} of {name} "
                          f"{'exist' if total > 1 else 'exists'}: {detail}"]
    if len(feasible_caps):
        best = int(np.argmax(feasible_scores))
        other = cap_labels[int(feasible_caps[best])]
        reasons.append(f"the best feasible offer scores {feasible_scores[best]:.2f}, below the "
                       f"{min_score:.2f} needed" + (f": it is {category_name(other, names)}, not {name}"
                                                     if other != label else ""))
    else:
        reasons.append(f"no suitable offer of {name} passed the rules")
    return reasons
