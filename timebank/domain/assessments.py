"""What a Needs and Capabilities Assessment holds, and the rules on it.

An assessment's content is a plain document (a dict), validated here field by field so
that a form can show each problem beside its field. Needs and capabilities keep a
stable `key` across versions, so that a match can name what it was based on.

The content is written for the matching engine's input format (matching-io.md), so its
slots and the helper's default distance are the engine's own (`matching.profiles`).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from matching.profiles import DAYS, DEFAULT_MAX_KM, PARTS, SLOTS
from timebank.domain.errors import AssessmentInvalid, InvalidInput, MemberNotActive
from timebank.domain.places import area_key, postcode_district
from timebank.domain.text import clean_text

__all__ = [
    "DAYS",
    "PARTS",
    "SLOTS",
    "DEFAULT_MAX_KM",
    "CAPABILITY_STATUSES",
    "ASSESSMENT_STATUSES",
    "DIFFERENCES",
    "outcome_difference",
    "MAX_NEEDS",
    "MAX_CAPABILITIES",
    "MAX_ITEM_CHARS",
    "validate_content",
    "row_message",
    "check_member_link",
    "new_key",
]

#: Does the person do it already, or could they if encouraged?
CAPABILITY_STATUSES = ("doing", "could")
ASSESSMENT_STATUSES = ("active", "closed")
#: Did the help make a difference, as each side of an introduction says (an outcome).
DIFFERENCES = ("a_lot", "a_little", "none", "not_sure")


def outcome_difference(help_happened: bool, difference: str | None) -> str:
    """The difference an outcome records: as the side said it; when the help did not
    happen and nothing was said, "none" (asking would make no sense)."""
    if not difference and not help_happened:
        return "none"
    if difference not in DIFFERENCES:
        raise InvalidInput("Say whether it made a difference.")
    return difference
MAX_NEEDS = MAX_CAPABILITIES = 20
MAX_ITEM_CHARS = 1000
MAX_AREA_CHARS = 120
MAX_CAPACITY = 20
MAX_KM = 200
_KEY = re.compile(r"^[a-z0-9_-]{1,40}$")


def new_key(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


class _Rules(NamedTuple):
    """What the bank and the day decide: the categories it offers, today, and the areas
    it lists (name by area key; empty: any area may be written)."""

    categories: set[str]
    today: dt.date
    areas: Mapping[str, str] = {}


class _Checked(NamedTuple):
    """One field group's clean values, and its problems by field path."""

    clean: dict
    problems: dict[str, str]


Validator = Callable[[dict, _Rules], _Checked]


def validate_content(content: dict, *, categories: set[str], today: dt.date,
                     areas: Mapping[str, str] | None = None) -> dict:
    """A clean copy of an assessment's content, or AssessmentInvalid with every problem.

    With `areas` (the bank's neighbourhoods, name by `places.area_key`), the area must be
    one of them, and is kept as the list spells it.

    Each validator cleans one group of fields; then the checks on the whole run over the
    clean copy. Problems keep form order, and a field shows the first problem found on it.
    """
    rules = _Rules(categories, today, areas or {})
    clean: dict = {}
    problems: dict[str, str] = {}
    for validator in VALIDATORS:
        checked = validator(content, rules)
        clean.update(checked.clean)
        _add(problems, checked.problems)
    for check in WHOLE_CHECKS:
        _add(problems, check(clean))
    if problems:
        raise AssessmentInvalid(problems)
    return clean


def _add(problems: dict[str, str], found: dict[str, str]) -> None:
    for path, message in found.items():
        problems.setdefault(path, message)


# ---------------------------------------------------------------- one validator per field group

def clean_consent(content: dict, rules: _Rules) -> _Checked:
    """Whether the person consented, and on which day (not after today)."""
    given = _bool(content.get("consent"))
    if not given:
        return _Checked({"consent": False, "consent_on": None}, {})
    value = content.get("consent_on")
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return _Checked({"consent": True},
                        {"consent_on": "Enter the day consent was given, for example 2026-03-14."})
    problems = {}
    if day > rules.today:
        problems["consent_on"] = "The day consent was given cannot be in the future."
    return _Checked({"consent": True, "consent_on": day.isoformat()}, problems)


def clean_place(content: dict, rules: _Rules) -> _Checked:
    """The area in words, and a location as both coordinates or neither."""
    clean: dict = {"area": None, "location": None}
    problems = {}
    try:
        clean["area"] = clean_text(content.get("area"), "the area", MAX_AREA_CHARS)
    except InvalidInput as refused:
        problems["area"] = refused.message
    if clean["area"] and rules.areas:
        if area_key(clean["area"]) in rules.areas:
            clean["area"] = rules.areas[area_key(clean["area"])]
        elif postcode_district(clean["area"]):  # a postcode district or sector is a place too
            clean["area"] = postcode_district(clean["area"])
        else:
            problems["area"] = "Choose the neighbourhood from the bank's list."
    latitude, longitude = content.get("latitude"), content.get("longitude")
    if latitude in (None, "") and longitude in (None, ""):
        return _Checked(clean, problems)
    try:
        clean["location"] = _location(float(latitude), float(longitude))
    except (TypeError, ValueError):
        problems["latitude"] = "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
    return _Checked(clean, problems)


def _location(latitude: float, longitude: float) -> list[float]:
    if not (math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("outside the globe")
    return [round(latitude, 6), round(longitude, 6)]


def clean_availability(content: dict, rules: _Rules) -> _Checked:
    """The week's slots the person is free in, in week order; none given: free at any time."""
    given = content.get("availability")
    if given in (None, "", []):
        return _Checked({"availability": None}, {})
    if not all(slot in SLOTS for slot in given):
        return _Checked({"availability": None},
                        {"availability": "Choose times from the list (for example mon-am)."})
    return _Checked({"availability": sorted(set(given), key=SLOTS.index)}, {})


@dataclass(frozen=True)
class ItemKind:
    """Needs or capabilities: the same rows, with their own words and details."""

    field: str  # "needs"
    noun: str  # "need"
    key_prefix: str
    most: int
    no_words: str
    details: Callable[[dict, str], _Checked]


def clean_items(content: dict, rules: _Rules, *, kind: ItemKind) -> _Checked:
    """Each need (or capability) in the person's words, with a category from the bank's list."""
    rows = content.get(kind.field) or []
    clean: list[dict] = []
    problems: dict[str, str] = {}
    for i, given in enumerate(rows[:kind.most + 1]):
        row = _item(given, f"{kind.field}.{i}", rules, kind)
        problems.update({path: row_message(kind.noun, i, message) for path, message in row.problems.items()})
        if row.clean:
            clean.append(row.clean)
    if len(clean) > kind.most:
        problems[kind.field] = f"An assessment can hold at most {kind.most} {kind.field}."
    return _Checked({kind.field: clean}, problems)


def row_message(noun: str, index: int, message: str) -> str:
    """A row's problem naming its row as the form numbers it ("Capability 2: capacity is ..."),
    so the summary at the top of a long form says which row to go to."""
    return f"{noun.capitalize()} {index + 1}: {message[:1].lower()}{message[1:]}"


def _item(given: dict, path: str, rules: _Rules, kind: ItemKind) -> _Checked:
    """One row; a row with neither words nor category is left out (`clean` empty)."""
    category = (given.get("category") or "").strip() or None
    problems = {}
    try:
        words = clean_text(given.get("text"), f"each {kind.noun}", MAX_ITEM_CHARS)
    except InvalidInput as refused:
        words = str(given.get("text")).strip()
        problems[f"{path}.text"] = refused.message
    if not words:
        return _Checked({}, {f"{path}.text": kind.no_words} if category else {})
    if category is not None and category not in rules.categories:
        problems[f"{path}.category"] = "Choose a category from the bank's list."
    details = kind.details(given, path)
    problems.update(details.problems)
    key = given.get("key") or new_key(kind.key_prefix)
    if not _KEY.match(key):
        problems[f"{path}.key"] = f"This {kind.noun}'s reference is damaged; add it again."
    return _Checked({"key": key, "text": words, "category": category, **details.clean}, problems)


def _need_details(given: dict, path: str) -> _Checked:
    return _Checked({"requires_checked": _bool(given.get("requires_checked"))}, {})


def _capability_details(given: dict, path: str) -> _Checked:
    problems = {}
    status = given.get("status") or CAPABILITY_STATUSES[0]
    if status not in CAPABILITY_STATUSES:
        problems[f"{path}.status"] = "Choose whether they do it already or could if encouraged."
    try:
        capacity = int(given.get("capacity") or 1)
        if not 1 <= capacity <= MAX_CAPACITY:
            raise ValueError("capacity out of range")
    except (TypeError, ValueError):
        problems[f"{path}.capacity"] = (
            f"Capacity is how many people at once: a whole number from 1 to {MAX_CAPACITY}.")
        capacity = 1
    try:
        max_km = float(given.get("max_km") or DEFAULT_MAX_KM)
        if not (math.isfinite(max_km) and 0 < max_km <= MAX_KM):
            raise ValueError("distance out of range")
    except (TypeError, ValueError):
        problems[f"{path}.max_km"] = f"How far they will travel: more than 0 and at most {MAX_KM} km."
        max_km = DEFAULT_MAX_KM
    return _Checked({"status": status, "share": _bool(given.get("share", True)), "capacity": capacity,
                     "max_km": max_km, "remote": _bool(given.get("remote"))}, problems)


NEEDS = ItemKind("needs", "need", "n", MAX_NEEDS, "Say what the need is, in the person's words.",
                 _need_details)
CAPABILITIES = ItemKind("capabilities", "capability", "c", MAX_CAPABILITIES,
                        "Say what the person does or could do.", _capability_details)


def clean_needs(content: dict, rules: _Rules) -> _Checked:
    return clean_items(content, rules, kind=NEEDS)


def clean_capabilities(content: dict, rules: _Rules) -> _Checked:
    return clean_items(content, rules, kind=CAPABILITIES)


# ---------------------------------------------------------------- checks on the whole

def holds_a_need_or_a_capability(clean: dict) -> dict[str, str]:
    if clean["needs"] or clean["capabilities"]:
        return {}
    return {"needs.0.text": "Record at least one need or one capability."}


def references_are_unique(clean: dict) -> dict[str, str]:
    keys = [row["key"] for row in clean["needs"] + clean["capabilities"]]
    if len(keys) == len(set(keys)):
        return {}
    return {"needs": "Two needs or capabilities share a reference; add one again."}


#: In form order: the order in which a refused form lists its problems.
VALIDATORS: tuple[Validator, ...] = (clean_consent, clean_place, clean_availability, clean_needs, clean_capabilities)
WHOLE_CHECKS: tuple[Callable[[dict], dict[str, str]], ...] = (holds_a_need_or_a_capability, references_are_unique)


# ---------------------------------------------------------------- the member an assessment is of

def check_member_link(member_name: str, member_status: str) -> None:
    """An assessment is linked only to a member who has not left the bank.

    A suspended member is still a member (the suspension may be lifted); a closed one has
    left, and their assessment stays "not a member yet" until they join again.
    """
    if member_status == "closed":
        raise MemberNotActive(f"{member_name} has left the time bank (their membership is closed): "
                              "choose a current member, or “Not a member yet”.")
