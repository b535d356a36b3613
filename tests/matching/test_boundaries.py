"""What the matching package may import, and edge cases of input size."""
from __future__ import annotations

import subprocess
import sys

from matching import match
from tests.matching.conftest import need, person, profiles


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_matching_library_imports_nothing_of_the_ledger_database_or_web():
    loaded = _modules_after("import matching; from matching import match, read_profiles, write_matches")
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & {"timebank", "sqlalchemy", "flask", "web"}


def test_the_taxonomy_stays_light_for_the_ledger():
    loaded = _modules_after("from matching.taxonomy import CATEGORIES")
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & {"numpy", "scipy", "sklearn", "ortools", "networkx"}


def test_no_profiles_give_no_results():
    assert match([]) == []


def test_people_with_nothing_to_match_give_no_results():
    assert match(profiles(person(), person())) == []


def test_a_need_with_words_the_engine_cannot_read_says_so():
    n = need("zzz qqq")
    [result] = match(profiles(person([n])))
    assert result.capability is None
    assert result.reasons == ("could not tell which service this need is about: please choose a category",)
