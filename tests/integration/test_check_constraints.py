"""The models' CHECK constraints, built from the domain's enumerations, are the migrations' own.

Alembic's drift check does not compare CHECK constraints, so this compares their text:
SQLite keeps each constraint as the migration wrote it.
"""
import pytest
import sqlalchemy as sa

from timebank.db import models


def _declared() -> dict[tuple[str, str], str]:
    return {(table.name, str(constraint.name)): str(constraint.sqltext)
            for table in models.Base.metadata.sorted_tables for constraint in table.constraints
            if isinstance(constraint, sa.CheckConstraint)}


@pytest.fixture(scope="module")
def migrated(database_factory) -> dict[tuple[str, str], str]:
    inspector = sa.inspect(database_factory.migrated("sqlite").engine)
    return {(table, found["name"]): found["sqltext"]
            for table in inspector.get_table_names() for found in inspector.get_check_constraints(table)}


def test_every_check_the_models_declare_is_the_one_the_migrations_made(migrated):
    assert len(migrated) >= 30
    assert migrated == _declared()


def test_an_enumeration_in_another_order_would_be_caught(migrated):
    """The comparison can fail: the same statuses in another order make another constraint."""
    declared = _declared()
    reordered = models._one_of("status", ("closed", "active", "suspended"), name="status_known")
    declared[("members", "ck_members_status_known")] = str(reordered.sqltext)
    assert migrated != declared
