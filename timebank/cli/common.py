"""What every command shares: the database, error handling and output."""
from __future__ import annotations

import functools
import getpass
import json
import sys
from dataclasses import dataclass, field

import click
import sqlalchemy.exc

from timebank.domain.errors import TimebankError

__all__ = ["CliContext", "cli_context", "pass_database", "refusals_exit_1", "echo_json", "actor", "ROW_ID"]

#: A member's or an exchange's id: one no database column can hold is wrong usage, said in
#: one line by click, not an overflow in the driver (SQLite's ids are 64 bits, PostgreSQL's 32).
ROW_ID = click.IntRange(1, 2**31 - 1)


@dataclass
class CliContext:
    database_url: str | None
    password_hashing: str = "standard"
    _database: object | None = field(default=None, repr=False)

    def database(self, *, require_schema: bool = True):
        from timebank.db.engine import Database

        if self._database is None:
            # Only a command that may make the schema (init) may make an SQLite file: any
            # other needs the schema, so a missing file is refused and none is left behind.
            self._database = Database(self.database_url, password_hashing=self.password_hashing,
                                      create=not require_schema)
        if require_schema:
            _require_current_schema(self._database)
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None


def cli_context(database_url: str | None, *, password_hashing: str = "standard") -> CliContext:
    return CliContext(database_url, password_hashing)


def _require_current_schema(database) -> None:
    from timebank.db import migrate

    current, head = migrate.current_revision(database), migrate.head_revision(database)
    if current != head:
        state = "is not initialised" if current is None else f"is at revision {current}, not {head}"
        raise TimebankError(f"The database {state}: run `timebank init` first.")


def actor() -> str:
    """Who recorded a write made from the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return "cli"


def refusals_exit_1(command):
    """A rule of the time bank refused: one line on stderr, exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except TimebankError as error:
            click.echo(f"timebank: {error.message}", err=True)
            sys.exit(1)
        except sqlalchemy.exc.ArgumentError:  # NoSuchModuleError too: an unknown scheme
            # The URL itself is not repeated: it can hold a password.
            click.echo("timebank: the database URL (--db or TIMEBANK_DATABASE_URL) is not one timebank can "
                       "open: use sqlite:///FILE or postgresql+psycopg://USER@HOST/NAME.", err=True)
            sys.exit(1)
        except sqlalchemy.exc.OperationalError as error:  # unreachable, refused, locked
            first_line = str(error.orig or error).strip().splitlines()[0][:200]
            click.echo(f"timebank: the database cannot be used: {first_line}", err=True)
            sys.exit(1)

    return wrapper


def echo_json(value) -> None:
    click.echo(json.dumps(value, indent=2, default=str, ensure_ascii=False))


def pass_database(command):
    """Hand the command the database of the group's --db option (schema checked); a refusal
    exits 1 (refusals_exit_1 is applied here, not again on the command)."""

    @click.pass_obj
    @functools.wraps(command)
    @refusals_exit_1
    def wrapper(obj: CliContext, *args, **kwargs):
        return command(obj.database(), *args, **kwargs)

    return wrapper
