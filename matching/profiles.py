"""Profiles: the people, needs and capabilities the engine reads (matching-io.md).

Every optional field takes the spec's "absent means" default here, once, so the rest of
the engine never has to ask whether a field was given.
"""
from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "SLOTS",
    "ProfileError",
    "Need",
    "Capability",
    "Profile",
    "parse_profile",
    "read_profiles",
    "iter_profiles",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("am", "pm", "eve")
#: Every availability slot, in week order; a slot's index is its bit in a mask.
SLOTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)
SLOT_INDEX = {s: i for i, s in enumerate(SLOTS)}
DEFAULT_MAX_KM = 5.0
#: Bytes in one line at most: a profile is a few kilobytes, so this is generous, and it
#: keeps one runaway line (a pasted file, a 50 MB text) from taking the machine's memory.
MAX_LINE_BYTES = 1024 * 1024
#: Nesting of arrays and objects at most: a profile needs four (needs, a need, its fields).
MAX_DEPTH = 16
#: People a capability can help at once, at most: far beyond any helper, and an integer
#: the engine's arrays can hold.
MAX_CAPACITY = 1000


class ProfileError(ValueError):
    """A profile line breaks the input format.

    Carries the 1-based ``line`` number and the ``field`` at fault (a path such as
    ``needs[0].requires_checked``), so the message can point a coordinator at the cell
    to correct.
    """

    def __init__(self, line: int | None, field: str, problem: str):
        self.line = line
        self.field = field
        self.problem = problem
        where = f"line {line}: " if line is not None else ""
        super().__init__(f"{where}{field}: {problem}")


@dataclass(frozen=True)
class Need:
    """Something a person needs help with."""

    id: str
    text: str
    requires_checked: bool = False
    category: str | None = None


@dataclass(frozen=True)
class Capability:
    """Something a person can do and may share with others.

    ``capacity`` is how many more needs it can take; 0 when the helper's open
    introductions already take all they offered: such an offer is never assigned nor
    listed as a candidate, but a need it would suit is told it is fully booked rather
    than that no one offers the service.
    """

    id: str
    text: str
    status: str = "doing"
    share: bool = True
    capacity: int = 1
    max_km: float = DEFAULT_MAX_KM
    remote: bool = False
    category: str | None = None


@dataclass(frozen=True)
class Profile:
    """One person's assessment: where and when they are, what they need and offer.

    ``availability`` is None when the person gave none (free at any time);
    ``location`` is ``(lat, lon)`` in WGS84 degrees, or None when unknown.
    """

    person: str
    area: str | None = None
    location: tuple[float, float] | None = None
    checked: bool = False
    availability: tuple[str, ...] | None = None
    needs: tuple[Need, ...] = field(default=())
    capabilities: tuple[Capability, ...] = field(default=())

    @property
    def area_key(self) -> str:
        """The area compared by rule 5: case and surrounding spaces ignored."""
        return (self.area or "").strip().lower()


def _shown(value) -> str:
    """A value for an error message: JSON, cut short so the message stays one short line."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = repr(type(value).__name__)
    return text if len(text) <= 60 else text[:57] + "..."


def _depth(value) -> int:
    """How deeply arrays and objects nest in a decoded value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _not_a_number(word: str):
    raise ValueError(f"{word} is not a number")


def _decode(raw: str, number: int):
    """One line's JSON, or ProfileError: invalid, nested too deeply, or a number nobody means."""
    try:
        obj = json.loads(raw, parse_constant=_not_a_number)
    except json.JSONDecodeError as exc:
        raise ProfileError(number, "(json)", f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise ProfileError(number, "(json)", f"nested more than {MAX_DEPTH} deep") from None
    except ValueError as exc:  # NaN, Infinity, or an integer of more than 4300 digits
        raise ProfileError(number, "(json)", f"not valid JSON: {str(exc).split(';')[0][:80]}") from None
    if _depth(obj) > MAX_DEPTH:
        raise ProfileError(number, "(json)", f"nested more than {MAX_DEPTH} deep")
    return obj


def _bool(obj: dict, key: str, default: bool, line: int | None, path: str) -> bool:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ProfileError(line, path + key, f"expected true or false, got {_shown(value)}")
    return value


def _text(obj: dict, key: str, line: int | None, path: str, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        what = "missing" if value is None else f"expected a non-empty string, got {_shown(value)}"
        raise ProfileError(line, path + key, what)
    return value


def _number(value, line, path) -> float:
    try:
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan
    except OverflowError:  # an int beyond any float: not a distance or a degree
        number = math.nan
    if not math.isfinite(number):
        raise ProfileError(line, path, f"expected a number, got {_shown(value)}")
    return number


def _list(obj: dict, key: str, line: int | None, path: str = "") -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProfileError(line, path + key, f"expected a list, got {_shown(value)}")
    return value


def _need(obj, line: int | None, path: str) -> Need:
    if not isinstance(obj, dict):
        raise ProfileError(line, path, "expected an object")
    return Need(
        id=_text(obj, "id", line, path + "."),
        text=_text(obj, "text", line, path + "."),
        requires_checked=_bool(obj, "requires_checked", False, line, path + "."),
        category=_text(obj, "category", line, path + ".", required=False),
    )


def _capability(obj, line: int | None, path: str) -> Capability:
    if not isinstance(obj, dict):
        raise ProfileError(line, path, "expected an object")
    status = obj.get("status", "doing")
    if status is None:
        status = "doing"
    if status not in ("doing", "could"):
        raise ProfileError(line, path + ".status", f"expected \"doing\" or \"could\", got {_shown(status)}")
    capacity = obj.get("capacity", 1)
    if capacity is None:
        capacity = 1
    if isinstance(capacity, float) and capacity.is_integer():
        capacity = int(capacity)
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise ProfileError(line, path + ".capacity",
                           f"expected a whole number from 1 to {MAX_CAPACITY}, got {_shown(capacity)}")
    max_km = obj.get("max_km", DEFAULT_MAX_KM)
    max_km = DEFAULT_MAX_KM if max_km is None else _number(max_km, line, path + ".max_km")
    if max_km <= 0:
        raise ProfileError(line, path + ".max_km", f"expected a distance above 0, got {_shown(obj['max_km'])}")
    return Capability(
        id=_text(obj, "id", line, path + "."),
        text=_text(obj, "text", line, path + "."),
        status=status,
        share=_bool(obj, "share", True, line, path + "."),
        capacity=capacity,
        max_km=max_km,
        remote=_bool(obj, "remote", False, line, path + "."),
        category=_text(obj, "category", line, path + ".", required=False),
    )


def parse_profile(obj, line: int | None = None) -> Profile:
    """Validate one decoded JSON object and return its :class:`Profile`.

    Raises:
        ProfileError: naming ``line`` and the first field that breaks the format.
    """
    if not isinstance(obj, dict):
        raise ProfileError(line, "(profile)", "expected a JSON object")
    person = _text(obj, "person", line, "")
    area = obj.get("area")
    if area is not None and not isinstance(area, str):
        raise ProfileError(line, "area", f"expected a string, got {_shown(area)}")
    location = obj.get("location")
    if location is not None:
        if not isinstance(location, list) or len(location) != 2:
            raise ProfileError(line, "location", f"expected [lat, lon], got {_shown(location)}")
        lat = _number(location[0], line, "location")
        lon = _number(location[1], line, "location")
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ProfileError(line, "location", f"not a WGS84 [lat, lon] in degrees: {_shown(location)}")
        location = (lat, lon)
    availability = obj.get("availability")
    if availability is not None:
        if not isinstance(availability, list):
            raise ProfileError(line, "availability", f"expected a list of slots, got {_shown(availability)}")
        for i, slot in enumerate(availability):
            if not isinstance(slot, str) or slot not in SLOT_INDEX:
                raise ProfileError(line, f"availability[{i}]",
                                   f"unknown slot {_shown(slot)} (expected mon..sun with -am, -pm or -eve)")
        availability = tuple(availability)
    needs = tuple(_need(n, line, f"needs[{i}]") for i, n in enumerate(_list(obj, "needs", line)))
    capabilities = tuple(
        _capability(c, line, f"capabilities[{i}]") for i, c in enumerate(_list(obj, "capabilities", line))
    )
    return Profile(
        person=person,
        area=area,
        location=location,
        checked=_bool(obj, "checked", False, line, ""),
        availability=availability,
        needs=needs,
        capabilities=capabilities,
    )


def iter_profiles(lines: Iterable[str]) -> Iterator[Profile]:
    """Parse JSON Lines profiles one by one, checking ids are unique over the input.

    Blank lines are skipped. Raises :class:`ProfileError` at the first bad line.
    """
    persons: set[str] = set()
    need_ids: set[str] = set()
    capability_ids: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        profile = parse_profile(_decode(raw, number), number)
        if profile.person in persons:
            raise ProfileError(number, "person", f"duplicate person id {_shown(profile.person)}")
        persons.add(profile.person)
        for i, need in enumerate(profile.needs):
            if need.id in need_ids:
                raise ProfileError(number, f"needs[{i}].id", f"duplicate need id {_shown(need.id)}")
            need_ids.add(need.id)
        for i, cap in enumerate(profile.capabilities):
            if cap.id in capability_ids:
                raise ProfileError(number, f"capabilities[{i}].id", f"duplicate capability id {_shown(cap.id)}")
            capability_ids.add(cap.id)
        yield profile


def read_profiles(path: str | Path) -> list[Profile]:
    """Read a whole JSON Lines profiles file (UTF-8).

    Raises:
        ProfileError: at the first malformed line, naming the line and the field.
        OSError: when the file cannot be read.
    """
    with open(path, "rb") as handle:
        return list(iter_profiles(_lines(handle)))


def _lines(handle) -> Iterator[str]:
    """The file's lines as text, each refused when longer than MAX_LINE_BYTES (before more
    of it is read) or not UTF-8."""
    for number in itertools.count(1):
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES:
            raise ProfileError(number, "(line)", f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB: "
                                                 "a profile is a few kilobytes")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProfileError(None, "(file)", f"not UTF-8 text: {exc.reason}") from None
