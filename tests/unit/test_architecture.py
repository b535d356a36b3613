"""Dependencies point one way: entry points (web, CLI) -> services -> domain and db;
matching <- services; nothing imports an entry point, the tests or the benchmarks.

Walks the import statements of every module of every folder with Python code, so a
shortcut through the layers fails here before it becomes a habit. Each folder says which
of our own packages it may import (everything else of ours is refused) and which
third-party frameworks it must not touch. A folder with Python code and no row fails too.
"""
import ast
import os
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Top-level names that are ours: an import of one is checked against the folder's `ours`.
OURS = ("timebank", "matching", "tests", "benchmarks")
WEB_FRAMEWORK = ("flask", "flask_login", "flask_wtf", "flask_limiter", "wtforms", "werkzeug", "waitress")


class Rule(NamedTuple):
    ours: tuple[str, ...]  # the packages of ours it may import (a name allows its sub-modules)
    never: tuple[str, ...] = ()  # third-party packages it must not import
    # (package, function): an import of ours allowed only inside that function
    only_inside: tuple[tuple[str, str], ...] = ()


RULES = {
    # A pure library: it imports nothing of ours, so it could leave the repository.
    "matching": Rule(("matching",), ("sqlalchemy", "alembic", "click", *WEB_FRAMEWORK)),
    "timebank": Rule(()),  # the package's own __init__.py
    # Plain rules; matching, itself importing nothing of ours, lends them its constants
    # (an assessment's time slots and default distance come from matching.profiles).
    "timebank/domain": Rule(("timebank.domain", "matching"), ("sqlalchemy", "alembic", "click", *WEB_FRAMEWORK)),
    "timebank/db": Rule(("timebank.db", "timebank.domain"), ("click", *WEB_FRAMEWORK)),
    "timebank/migrations": Rule(("timebank.migrations", "timebank.db"), ("click", *WEB_FRAMEWORK)),
    # A revision is frozen: it must not change when the models or the rules change later.
    "timebank/migrations/versions": Rule(()),
    "timebank/services": Rule(("timebank.services", "timebank.db", "timebank.domain", "matching"),
                              ("click", *WEB_FRAMEWORK)),
    # The demonstration bank is made through the use cases, as a user's writes are.
    # Its one use of the database layer is Database (bulk_loading), never the ORM.
    "timebank/demo": Rule(("timebank.demo", "timebank.services", "timebank.domain", "timebank.db.engine",
                           "matching"), ("sqlalchemy", "alembic", "click", *WEB_FRAMEWORK)),
    # The web app's views call the use cases, and read the domain's rules, errors and
    # hours; never the database layer or the ORM (timebank.services hands it `Database`).
    "timebank/web": Rule(("timebank.web", "timebank.services", "timebank.domain"), ("sqlalchemy", "alembic", "click")),
    # The other entry point. It imports the web app only to serve it (`timebank serve`).
    "timebank/cli": Rule(("timebank.cli", "timebank.services", "timebank.db", "timebank.domain", "timebank.demo",
                          "matching"), ("flask",), only_inside=(("timebank.web", "serve_command"),)),
    # Benchmarks measure the code as shipped, on data of their own (benchmarks/data); they
    # must not need the tests.
    "benchmarks": Rule(("timebank", "matching", "benchmarks")),
}
# Folders with Python code that no rule covers, and why.
UNRULED = {
    "tests": "tests may import whatever they test",
}


def imported_modules(path: Path):
    """(line, module, enclosing function or None) for every absolute import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            inside = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, function
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                yield child.lineno, child.module, function
            yield from walk(child, inside)

    yield from walk(tree, None)


def _under(module: str, packages) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _files(folder: str):
    base = ROOT / folder
    # The `timebank` row holds only the package's own files; its sub-packages have rows.
    return sorted(base.glob("*.py") if folder == "timebank" else base.rglob("*.py"))


def _refused(module: str, rule: Rule, function: str | None) -> bool:
    if _under(module, rule.never):
        return True
    if not _under(module, OURS) or _under(module, rule.ours):
        return False
    return not any(_under(module, (package,)) and function == inside for package, inside in rule.only_inside)


def _violations(folder: str, rule: Rule):
    for path in _files(folder):
        for line, module, function in imported_modules(path):
            if _refused(module, rule, function):
                yield f"{path.relative_to(ROOT)}:{line} imports {module}"


def _folder_of(relative: Path) -> str:
    """The row a Python file falls under: `timebank/<sub-package>`, `timebank`, or its top folder."""
    parts = relative.parts
    if parts[0] == "timebank":
        return "timebank" if len(parts) == 2 else f"timebank/{parts[1]}"
    return parts[0] if len(parts) > 1 else "."


def _python_folders(root: Path) -> set[str]:
    skip = {"build", "dist", "instance", "node_modules"}
    found = set()
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in skip and not d.startswith(".")
                         and not d.endswith(".egg-info") and d != "__pycache__"]
        if any(f.endswith(".py") for f in files):
            found.add(_folder_of(Path(folder, "x.py").relative_to(root)))
    return found


@pytest.mark.parametrize("folder", sorted(RULES))
def test_layers_import_only_what_their_rule_allows(folder):
    assert list(_violations(folder, RULES[folder])) == []


def test_every_folder_with_python_code_has_a_rule():
    assert sorted(_python_folders(ROOT) - set(RULES) - set(UNRULED)) == []


def test_the_walk_finds_a_forbidden_import(tmp_path, monkeypatch):
    """The check itself can fail: Flask in the domain, the ORM in the web app, the web
    app in the CLI outside `serve`, and the tests in a benchmark are all caught."""
    for relative, text in {
        "timebank/domain/bad.py": "from flask import request\n",
        "timebank/web/bad.py": "def view():\n    from timebank.db.models import Member\n",
        "timebank/cli/bad.py": "from timebank.web import create_app\n"
                               "def serve_command():\n    from timebank.web import create_app\n",
        "benchmarks/bad.py": "from tests.matching.conftest import profiles\n",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert [v for folder in ("timebank/domain", "timebank/web", "timebank/cli", "benchmarks")
            for v in _violations(folder, RULES[folder])] == [
        "timebank/domain/bad.py:1 imports flask",
        "timebank/web/bad.py:2 imports timebank.db.models",
        "timebank/cli/bad.py:1 imports timebank.web",
        "benchmarks/bad.py:1 imports tests.matching.conftest",
    ]


def test_a_folder_without_a_rule_is_found(tmp_path):
    for relative in ("timebank/domain/ok.py", "timebank/reports/new.py", "tools/script.py", "tests/test_x.py",
                     ".venv/lib/site.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("")
    assert sorted(_python_folders(tmp_path) - set(RULES) - set(UNRULED)) == ["timebank/reports", "tools"]


# Knowledge is data (matching/data/services.toml): no service id is written in Python.
KNOWLEDGE_IN_CODE_SCANNED = ("matching", "timebank")
# The demonstration bank's made-up people say which service each of their offers is:
# data about people, not the engine's knowledge.
KNOWLEDGE_IN_CODE_EXEMPT = ("timebank/demo",)


def _service_ids_written(root: Path, ids: set[str]):
    for folder in KNOWLEDGE_IN_CODE_SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if any(relative.as_posix().startswith(exempt + "/") for exempt in KNOWLEDGE_IN_CODE_EXEMPT):
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids:
                    yield f"{relative}:{node.lineno} writes {node.value!r}"


def _shipped_ids() -> set[str]:
    from matching.knowledge import load_knowledge

    return set(load_knowledge().ids)


def test_no_service_id_is_written_in_python_outside_the_tests():
    assert list(_service_ids_written(ROOT, _shipped_ids())) == []


def test_the_scan_finds_a_service_id_written_in_python(tmp_path):
    """The check itself can fail: an id in a comparison, in a list and as a default."""
    for relative, text in {
        "matching/bad.py": 'MOVED = [k for k in ks if k in ("paperwork", "english_practice")]\n',
        "timebank/services/bad.py": 'def f(service="shopping"):\n    return service\n',
        "timebank/demo/people.py": 'OFFERS = ["shopping"]\n',
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    assert list(_service_ids_written(tmp_path, _shipped_ids())) == [
        "matching/bad.py:1 writes 'paperwork'",
        "matching/bad.py:1 writes 'english_practice'",
        "timebank/services/bad.py:1 writes 'shopping'",
    ]
