"""Migration files sort in the order they run, and a new revision sorts after them.

Read without a database: the revision chain comes from the scripts themselves.
"""
import configparser
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from timebank.db import migrate
from timebank.db.engine import Database

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = Path(str(files("timebank.migrations")))


def _chain(script_location: Path) -> list[str]:
    """The revision files from the first revision to the head, in the order they run."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    scripts = ScriptDirectory.from_config(config)
    return [Path(s.path).name for s in reversed(list(scripts.walk_revisions("base", "heads")))]


def _file_names(script_location: Path) -> list[str]:
    return sorted(p.name for p in (script_location / "versions").glob("*.py"))


def test_the_files_sort_in_the_order_the_revisions_run():
    assert _file_names(MIGRATIONS) == _chain(MIGRATIONS)


def test_each_file_name_carries_its_date_time_and_revision():
    for path in (MIGRATIONS / "versions").glob("*.py"):
        year, month, day, time, revision = path.name.split("_")[:5]
        assert len(year) == 4 and len(month) == len(day) == 2 and len(time) == 4, path.name
        assert f"revision = '{revision}'" in path.read_text(), path.name


def test_alembic_ini_names_files_as_the_application_does():
    """`alembic revision` from the repository root and the application's configuration agree."""
    ini = configparser.ConfigParser()
    ini.read(ROOT / "alembic.ini")
    assert ini.get("alembic", "file_template") == migrate.FILE_TEMPLATE
    assert ini.get("alembic", "timezone") == migrate.TIMEZONE
    assert ini.get("alembic", "script_location") == "timebank/migrations"


@pytest.mark.parametrize("configured_by", ["application", "alembic.ini"])
def test_a_new_revision_sorts_after_every_existing_one(tmp_path, configured_by):
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    if configured_by == "application":
        config = migrate.alembic_config(Database("sqlite://"))
    else:
        config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(copy))
    made = command.revision(config, message="add something new")
    assert _file_names(copy)[-1] == Path(made.path).name
    assert _file_names(copy) == _chain(copy)


def test_the_order_check_can_fail(tmp_path):
    """Files named by slug alone, as they once were, sort out of revision order."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for path in (copy / "versions").glob("*.py"):
        path.rename(path.with_name("2026_11_25_" + path.name.split("_", 5)[5]))
    assert _file_names(copy) != _chain(copy)
