"""Schema upgrades through Alembic: the only way the schema is made."""
from __future__ import annotations

from importlib.resources import as_file, files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from timebank.db.engine import Database

__all__ = ["FILE_TEMPLATE", "TIMEZONE", "alembic_config", "upgrade", "downgrade", "current_revision", "head_revision"]

# The migrations ship inside the package; a wheel installed as files (as pip does) gives a
# real folder, which Alembic needs in order to read the revision scripts.
MIGRATIONS = files("timebank.migrations")
# A new revision's file name, dated in UTC, so that the files sort in revision order:
# 2026_11_25_1829_0001_create_ledger.py. alembic.ini (for `alembic` by hand) says the same.
FILE_TEMPLATE = "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s"
TIMEZONE = "UTC"


def alembic_config(database: Database) -> Config:
    config = Config()
    with as_file(MIGRATIONS) as folder:
        config.set_main_option("script_location", str(folder))
    config.set_main_option("file_template", FILE_TEMPLATE.replace("%", "%%"))
    config.set_main_option("timezone", TIMEZONE)
    # ConfigParser would read % as interpolation.
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    config.attributes["database"] = database
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    command.upgrade(alembic_config(database), revision)


def downgrade(database: Database, revision: str) -> None:
    command.downgrade(alembic_config(database), revision)


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(database: Database) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database)).get_current_head()
