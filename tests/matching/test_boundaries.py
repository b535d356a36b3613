"""What the matching package may import, and edge cases of input size."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
    loaded = _modules_after("from matching.knowledge import load_knowledge; load_knowledge().categories")
    roots = {name.split(".")[0] for name in loaded}
    assert not roots & {"numpy", "scipy", "sklearn", "ortools", "networkx"}


# An import of benchmarks/data/locked.py, however it is written, or a locked set's name.
_LOCKED = re.compile(r"benchmarks[./]data[./]locked"
                     r"|from\s+benchmarks\.data\s+import\s+[^\n]*\blocked\b"
                     r"|\b(?:WIDER|BLIND)_LOCKED\b")


def _reads_a_locked_set(source: str) -> bool:
    return bool(_LOCKED.search(source))


def test_no_test_reads_a_locked_set():
    """The locked wording is measured by benchmarks/matching_quality.py and reported:
    a test that gated on it would be the first thing the next engineer tuned against."""
    assert _reads_a_locked_set("from benchmarks.data.locked import BLIND_LOCKED")
    assert _reads_a_locked_set("from benchmarks.data import locked, tuned")
    assert not _reads_a_locked_set("from benchmarks.data.tuned import BLIND_TUNING")
    tests = Path(__file__).resolve().parents[1]
    readers = [str(path.relative_to(tests)) for path in sorted(tests.rglob("*.py"))
               if path != Path(__file__).resolve() and _reads_a_locked_set(path.read_text(encoding="utf-8"))]
    assert readers == []


def test_no_profiles_give_no_results():
    assert match([]) == []


def test_people_with_nothing_to_match_give_no_results():
    assert match(profiles(person(), person())) == []


def test_a_need_with_words_the_engine_cannot_read_says_so():
    n = need("zzz qqq")
    [result] = match(profiles(person([n])))
    assert result.capability is None
    assert result.reasons == ("could not tell which service this need is about: please choose a category",)
