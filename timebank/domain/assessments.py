"""What a Needs and Capabilities Assessment holds, and the rules on it.

An assessment's content is a plain document (a dict), validated here field by field so
that a form can show each problem beside its field. Needs and capabilities keep a
stable `key` across versions, so that a match can name what it was based on.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import uuid

from timebank.domain.errors import TimebankError

__all__ = [
    "SLOTS",
    "DIFFERENCES",
    "AssessmentInvalid",
    "validate_content",
    "new_key",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("am", "pm", "eve")
SLOTS = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)
STATUSES = ("doing", "could")
DIFFERENCES = ("a_lot", "a_little", "none", "not_sure")
MAX_NEEDS = MAX_CAPABILITIES = 20
_KEY = re.compile(r"^[a-z0-9_-]{1,40}$")


class AssessmentInvalid(TimebankError):
    """Problems with an assessment, by field path (`needs.0.text`, `consent_on` ...)."""

    code = "assessment_invalid"

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        first = next(iter(self.problems.items()))
        super().__init__(f"The assessment has {len(self.problems)} problem(s): {first[0]}: {first[1]}")


def new_key(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit + 1]


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "y")
    return bool(value)


def validate_content(content: dict, *, categories: set[str], today: dt.date) -> dict:
    """A clean copy of an assessment's content, or AssessmentInvalid with every problem."""
    problems: dict[str, str] = {}
    clean: dict = {}

    consent = _bool(content.get("consent"))
    clean["consent"] = consent
    consent_on = content.get("consent_on")
    if consent:
        try:
            day = (consent_on if isinstance(consent_on, dt.date)
                   else dt.date.fromisoformat(str(consent_on or "").strip()))
            if day > today:
                problems["consent_on"] = "The day consent was given cannot be in the future."
            clean["consent_on"] = day.isoformat()
        except ValueError:
            problems["consent_on"] = "Enter the day consent was given, for example 2026-03-14."
    else:
        clean["consent_on"] = None

    area = _text(content.get("area"), 120)
    if len(area) > 120:
        problems["area"] = "Keep the area to 120 characters."
    clean["area"] = area or None

    clean["location"] = None
    lat, lon = content.get("latitude"), content.get("longitude")
    if (lat not in (None, "")) or (lon not in (None, "")):
        try:
            lat_f, lon_f = float(lat), float(lon)
            if not (math.isfinite(lat_f) and math.isfinite(lon_f) and -90 <= lat_f <= 90 and -180 <= lon_f <= 180):
                raise ValueError
            clean["location"] = [round(lat_f, 6), round(lon_f, 6)]
        except (TypeError, ValueError):
            problems["latitude"] = "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."

    availability = content.get("availability")
    if availability in (None, "", []):
        clean["availability"] = None  # free at any time
    else:
        slots = sorted(set(availability), key=SLOTS.index) if all(s in SLOTS for s in availability) else None
        if slots is None:
            problems["availability"] = "Choose times from the list (for example mon-am)."
        clean["availability"] = slots

    clean["needs"] = []
    for i, need in enumerate((content.get("needs") or [])[:MAX_NEEDS + 1]):
        path = f"needs.{i}"
        text = _text(need.get("text"), 1000)
        category = (need.get("category") or "").strip() or None
        if not text:
            if category:
                problems[f"{path}.text"] = "Say what the need is, in the person's words."
            continue
        if len(text) > 1000:
            problems[f"{path}.text"] = "Keep each need to 1000 characters."
        if category is not None and category not in categories:
            problems[f"{path}.category"] = "Choose a category from the bank's list."
        key = need.get("key") or new_key("n")
        if not _KEY.match(key):
            problems[f"{path}.key"] = "This need's reference is damaged; add it again."
        clean["needs"].append({"key": key, "text": text, "category": category,
                               "requires_checked": _bool(need.get("requires_checked"))})
    if len(clean["needs"]) > MAX_NEEDS:
        problems["needs"] = f"An assessment can hold at most {MAX_NEEDS} needs."

    clean["capabilities"] = []
    for i, capability in enumerate((content.get("capabilities") or [])[:MAX_CAPABILITIES + 1]):
        path = f"capabilities.{i}"
        text = _text(capability.get("text"), 1000)
        category = (capability.get("category") or "").strip() or None
        if not text:
            if category:
                problems[f"{path}.text"] = "Say what the person does or could do."
            continue
        if category is not None and category not in categories:
            problems[f"{path}.category"] = "Choose a category from the bank's list."
        status = capability.get("status") or "doing"
        if status not in STATUSES:
            problems[f"{path}.status"] = "Choose whether they do it already or could if encouraged."
        try:
            capacity = int(capability.get("capacity") or 1)
            if not 1 <= capacity <= 20:
                raise ValueError
        except (TypeError, ValueError):
            problems[f"{path}.capacity"] = "Capacity is how many people at once: a whole number from 1 to 20."
            capacity = 1
        remote = _bool(capability.get("remote"))
        try:
            max_km = float(capability.get("max_km") or 5.0)
            if not (math.isfinite(max_km) and 0 < max_km <= 200):
                raise ValueError
        except (TypeError, ValueError):
            problems[f"{path}.max_km"] = "How far they will travel: more than 0 and at most 200 km."
            max_km = 5.0
        key = capability.get("key") or new_key("c")
        if not _KEY.match(key):
            problems[f"{path}.key"] = "This capability's reference is damaged; add it again."
        clean["capabilities"].append({
            "key": key, "text": text, "category": category, "status": status,
            "share": _bool(capability.get("share", True)), "capacity": capacity,
            "max_km": max_km, "remote": remote,
        })
    if len(clean["capabilities"]) > MAX_CAPABILITIES:
        problems["capabilities"] = f"An assessment can hold at most {MAX_CAPABILITIES} capabilities."

    if not clean["needs"] and not clean["capabilities"]:
        problems.setdefault("needs.0.text", "Record at least one need or one capability.")
    keys = [n["key"] for n in clean["needs"]] + [c["key"] for c in clean["capabilities"]]
    if len(keys) != len(set(keys)):
        problems["needs"] = "Two needs or capabilities share a reference; add one again."
    if problems:
        raise AssessmentInvalid(problems)
    return clean
