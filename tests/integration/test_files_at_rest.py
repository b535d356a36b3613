"""Files at rest: an SQLite database and the instance's secret key are readable by their
owner only, and reading commands never create a database."""
import os
import stat

import pytest

from tests.conftest import cli_runner
from timebank.db.engine import Database


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The common umask 022, under which files are made readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_an_sqlite_database_and_its_wal_files_are_readable_by_their_owner_only(tmp_path, open_umask):
    path = tmp_path / "bank" / "timebank.sqlite3"
    run = cli_runner(f"sqlite:///{path}")
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith").exit_code == 0
    database = Database(f"sqlite:///{path}")  # a connection held open keeps -wal and -shm
    try:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM banks").scalar_one()
            made = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            assert {p.name: _mode(p) for p in made} == {p.name: 0o600 for p in made}
    finally:
        database.dispose()


def test_an_existing_folder_is_used_as_it_is(tmp_path, open_umask):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    run = cli_runner(f"sqlite:///{folder / 'timebank.sqlite3'}")
    assert run("init").exit_code == 0
    assert _mode(folder) == 0o755 and _mode(folder / "timebank.sqlite3") == 0o600


@pytest.mark.parametrize("command", [
    ["check"], ["check", "--json"], ["balance", "--bank", "leith"], ["balance", "--bank", "leith", "1"],
    ["statement", "--bank", "leith", "1"], ["statement", "--bank", "leith", "1", "--csv"],
])
def test_a_reading_command_on_a_missing_database_creates_nothing(tmp_path, command):
    missing = tmp_path / "not" / "there" / "timebank.sqlite3"
    result = cli_runner(f"sqlite:///{missing}")(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "timebank init" in result.stderr
    assert str(missing) in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_instance_secret_key_is_readable_by_its_owner_only(tmp_path, open_umask, monkeypatch):
    from timebank.web import create_app

    monkeypatch.setenv("TIMEBANK_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("TIMEBANK_SECRET_KEY", raising=False)
    database = Database(f"sqlite:///{tmp_path / 'web.sqlite3'}", password_hashing="fast")
    try:
        create_app({"DATABASE": database})
    finally:
        database.dispose()
    assert _mode(tmp_path / "instance" / "secret_key") == 0o600
