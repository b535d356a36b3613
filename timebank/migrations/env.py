"""Alembic environment: the project's metadata and the application's database URL."""
from __future__ import annotations

import warnings

from alembic import context

from timebank.db.engine import Database
from timebank.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    database = config.attributes.get("database") or Database(config.get_main_option("sqlalchemy.url"))
    # DDL runs in a plain transaction: SQLite's BEGIN IMMEDIATE hook is fine for it too.
    with database.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table by copy, drop and rename; with foreign keys on,
            # dropping a parent of existing rows fails. Off for the migration (outside any
            # transaction, where SQLite honours it), then every key is checked after.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # Without batch mode an ALTER on SQLite can fail halfway and leave the schema
            # changed but the version not moved.
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction(), warnings.catch_warnings():
            # The models' indexes made on PostgreSQL only (`Index.ddl_if`) are not on
            # SQLite, and autogenerate says so: it is meant, not drift.
            warnings.filterwarnings("ignore", category=UserWarning, message=(
                r"autogenerate skipping metadata-specified expression-based index 'ix_exchanges_\w+_trigrams'; "
                r"dialect 'sqlite'"))
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        if connection.in_transaction():  # SQLAlchemy began one on the first statement
            connection.commit()
        if sqlite:
            # The connection goes back to the pool: it must leave with its keys enforced.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
            enforced = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
            connection.rollback()
            if enforced != 1:
                raise RuntimeError("foreign keys could not be switched back on after the migration")


if context.is_offline_mode():
    raise SystemExit("timebank migrations run online only: give a database URL.")
run_migrations_online()
