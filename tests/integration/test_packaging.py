"""The wheel: two top-level packages, with the templates, static files and migrations,
and an installed copy that makes a database without the repository.

Built from a copy of the source (so the work tree gets no build/ folder), installed
into a folder of its own with `pip install --target`, and run from outside the
repository with that folder first on the path.
"""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from timebank.db import migrate
from timebank.db.engine import Database

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ("timebank", "matching", "setup.cfg", "pyproject.toml", "README.md", "LICENSE")

pytestmark = pytest.mark.slow


def _run(*args, cwd, env=None):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source), cwd=out)
    (found,) = out.glob("timebank-*.whl")
    return found


def test_the_wheel_holds_two_packages_with_their_templates_static_files_and_migrations(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names if ".dist-info/" not in n} == {"timebank", "matching"}
    for folder, suffix in (("timebank/web/templates", ".html"), ("timebank/web/static", ".css")):
        shipped = sorted(n for n in names if n.startswith(folder + "/"))
        in_tree = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file())
        assert shipped == in_tree and any(n.endswith(suffix) for n in shipped), folder
    revisions = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "timebank/migrations/versions").glob("*.py"))
    assert set(revisions) <= set(names) and revisions
    assert {"timebank/migrations/env.py", "timebank/migrations/script.py.mako"} <= set(names)
    # The outcome questions' wording is data the domain reads at run time.
    assert "timebank/domain/outcome_questions.toml" in names
    # So is what the matching engine knows (the services, their words, the reader's English).
    knowledge = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "matching/data").glob("*.toml"))
    assert "matching/data/services.toml" in knowledge and set(knowledge) <= set(names)
    # The learned reader's fitted model and training examples are data it reads at run time.
    assert "matching/data/learned_reader.npz" in names and "matching/data/examples/set_a.jsonl" in names
    assert "matching/data/example_embeddings.npz" in names  # a bank retrains without embedding them
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names)


def test_the_installed_wheel_makes_a_database_at_head_from_outside_the_repository(wheel, tmp_path):
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel),
         cwd=elsewhere)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("TIMEBANK_DATABASE_URL", None)
    imported = _run(sys.executable, "-c", "import timebank, matching; print(timebank.__file__, matching.__file__)",
                    cwd=elsewhere, env=env).split()
    assert all(Path(f).is_relative_to(target) for f in imported), imported
    # The installed engine finds its knowledge in the package and reads with it.
    read = _run(sys.executable, "-c", "from matching.knowledge import load_knowledge; from matching.text import "
                "read_text; k = load_knowledge(); print(len(k.categories), k.ids[read_text('walk my dog')"
                ".weights[0][0]])", cwd=elsewhere, env=env).split()
    assert read == ["42", "pet_care"], read

    by_module = f"sqlite:///{tmp_path / 'by_module.sqlite3'}"
    _run(sys.executable, "-m", "timebank.cli", "--db", by_module, "init", cwd=elsewhere, env=env)
    by_script = f"sqlite:///{tmp_path / 'by_script.sqlite3'}"
    _run(sys.executable, str(target / "bin" / "timebank"), "--db", by_script, "init", cwd=elsewhere, env=env)
    for url in (by_module, by_script):
        database = Database(url)
        assert migrate.current_revision(database) == migrate.head_revision(database) is not None
        database.dispose()
    assert not (elsewhere / "instance").exists()  # the --db given was used, no default


def test_alembic_ini_works_from_the_repository_root():
    history = _run(sys.executable, "-m", "alembic", "history", cwd=ROOT)
    assert "<base> -> 0001" in history and "(head)" in history
