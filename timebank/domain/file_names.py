"""Members and kinds of help as a coordinator writes them in an uploaded file: a member
by number ("12", "#12"), by name ("Ann Smith"), or both ("Ann Smith (Leith, #12)", as the
members list shows them); a kind of help by its code ("chair_yoga") or its name ("Chair
yoga"), case and spaces not counting."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from timebank.domain.errors import InvalidInput
from timebank.domain.members import NamedMember, name_key

__all__ = ["member_in_file", "category_in_file", "MAX_MEMBER_NUMBER"]

# The largest id both databases can store; a longer number is no member.
MAX_MEMBER_NUMBER = 2**31 - 1

_ONLY_NUMBER = re.compile(r"#?\s*(\d+)")
_NUMBER_IN_NAME = re.compile(r"#\s*(\d+)")


def _number(digits: str, column: str, value: str) -> int:
    # ASCII digits only: str.isdigit() also takes "²", "٣" (Arabic-Indic 3) and "১"
    # (Bengali 1), which a person reads as other numbers or not as numbers at all.
    if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_MEMBER_NUMBER:
        raise InvalidInput(f"{column}: {value!r} is not a member number.")
    return int(digits)


def _label(member: NamedMember) -> str:
    return f"{member.name} ({member.area + ', ' if member.area else ''}#{member.id})"


def member_in_file(value: str | None, column: str, members: Iterable[NamedMember] | None = None) -> int:
    """The member number a cell names, or InvalidInput saying why not.

    With `members` (the bank's active members), a name alone must belong to exactly one of
    them, and a name with a number must be that member's name: two members of one name
    are told apart by their number, never guessed."""
    value = " ".join((value or "").split())
    whole = _ONLY_NUMBER.fullmatch(value)
    # A cell of digits alone is a number, even digits no one reads as ours ("²"): it is
    # refused as a number, not looked up as a name.
    if whole or members is None or value.lstrip("#").strip().isdigit():
        return _number(whole.group(1) if whole else value.lstrip("#").strip(), column, value)
    by_id = {m.id: m for m in members}
    tagged = _NUMBER_IN_NAME.search(value)
    # The name is what is left without the number and anything in brackets (the area).
    name = re.sub(r"\([^)]*\)|#\s*\d+", " ", value).strip(" ,()")
    if tagged:
        number = _number(tagged.group(1), column, value)
        member = by_id.get(number)
        if member is not None and name and name_key(name) != name_key(member.name):
            raise InvalidInput(f"{column}: member #{number} is {member.name}, not {name}. "
                               "Check the number or the name.")
        return number
    called = [m for m in by_id.values() if name_key(m.name) == name_key(name)]
    if not called:
        raise InvalidInput(f"{column}: no member is called {value!r}. Write the name as the members "
                           "list shows it, or the member's number.")
    if len(called) > 1:
        raise InvalidInput(f"{column}: {len(called)} members are called {called[0].name} "
                           f"({'; '.join(_label(m) for m in sorted(called, key=lambda m: m.id))}): "
                           "write the number of the one you mean, for example "
                           f"\u201c{called[0].name} #{called[0].id}\u201d.")
    return called[0].id


def _category_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", (text or "").casefold())


def category_in_file(value: str | None, categories: Mapping[str, str] | None = None) -> str | None:
    """The code of the kind of help a cell names, by code or by name (`categories`: code to
    name); a cell naming none of them is returned as written, for the ledger to refuse."""
    value = (value or "").strip() or None
    if value is None or not categories or value in categories:
        return value
    key = _category_key(value)
    found = [code for code, name in categories.items() if key in (_category_key(code), _category_key(name))]
    return found[0] if len(found) == 1 else value
