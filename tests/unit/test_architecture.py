"""Dependencies point one way: web/CLI -> services -> domain; matching <- services.

Walks the import statements of every module, so a shortcut through the layers fails here
before it becomes a habit.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "matching": ("timebank", "web", "sqlalchemy", "flask", "alembic"),
    "timebank/domain": ("sqlalchemy", "flask", "web", "timebank.db", "timebank.services", "alembic"),
    "timebank/db": ("flask", "web", "timebank.services"),
    "timebank/services": ("flask", "web", "click"),
    "timebank/demo": ("flask", "click", "sqlalchemy", "timebank.web", "timebank.cli", "timebank.db.models"),
    "web": ("timebank.db", "sqlalchemy"),
}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _violations(package: str, forbidden: tuple[str, ...]):
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                yield f"{path.relative_to(ROOT)}:{line} imports {module}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layers_import_only_downwards(package):
    assert list(_violations(package, FORBIDDEN[package])) == []


def test_the_walk_finds_a_forbidden_import(tmp_path, monkeypatch):
    """The check itself can fail: a module importing Flask into the domain is caught."""
    package = tmp_path / "timebank" / "domain"
    package.mkdir(parents=True)
    (package / "bad.py").write_text("from flask import request\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert list(_violations("timebank/domain", FORBIDDEN["timebank/domain"])) == [
        "timebank/domain/bad.py:1 imports flask"]
