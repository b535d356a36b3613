"""Append-only means append-only: no statement rewrites a row of the ledger or of the
assessment evidence, whatever its conflict clause, and `timebank check` notices entries
that no longer match their exchange."""
import sqlite3
import uuid
from contextlib import closing

import pytest
import sqlalchemy as sa

from timebank.db.models import Entry
from timebank.services import assessments, auth, ledger
from timebank.services.checks import check_ledger

# Every append-only table, and the rewrite of one of its columns tried on it.
APPEND_ONLY = {
    "entries": ("amount_minutes", "amount_minutes * 10"),
    "exchanges": ("amount_minutes", "amount_minutes * 10"),
    "assessment_access": ("why", "'nothing to see'"),
    "assessment_versions": ("version", "version + 100"),
}


@pytest.fixture
def rows(database, bank, make_member):
    """One row id in each append-only table."""
    ann, bob = make_member(bank), make_member(bank)
    exchange = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id,
                                   minutes=30, recorded_by="t")
    social_worker = auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                                     name="Sw", password="a long enough password", role="social_worker")
    assessment = assessments.record_assessment(database, social_worker, person_name="Mary", content={
        "consent": True, "consent_on": "2026-12-01", "area": "Leith", "latitude": None,
        "longitude": None, "availability": None, "capabilities": [],
        "needs": [{"text": "Help with my weekly shop", "category": "shopping"}]})
    with database.engine.connect() as connection:
        def first(sql, **params):
            return connection.execute(sa.text(sql), params).scalar_one()
        return {
            "entries": first("SELECT min(id) FROM entries WHERE exchange_id = :e", e=exchange.id),
            "exchanges": exchange.id,
            "assessment_access": first("SELECT min(id) FROM assessment_access WHERE assessment_id = :a",
                                       a=assessment.id),
            "assessment_versions": first("SELECT min(id) FROM assessment_versions WHERE assessment_id = :a",
                                         a=assessment.id),
        }


def _columns(database, table):
    return [c["name"] for c in sa.inspect(database.engine).get_columns(table)]


def _copy_of_row(database, table, rewrite=(None, None)):
    """The column list and a SELECT giving the row `:id` again, one column rewritten."""
    changed, value = rewrite
    columns = _columns(database, table)
    values = [value if c == changed else c for c in columns]
    return ", ".join(columns), f"SELECT {', '.join(values)} FROM {table} WHERE id = :id"


def _refused_in_the_sqlite3_shell(database, statement, row_id):
    """Run as someone with the file would: a plain connection, none of our pragmas
    (foreign keys and recursive triggers off)."""
    with closing(sqlite3.connect(database.engine.url.database, timeout=30)) as shell:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            shell.execute(statement, {"id": row_id})
        shell.rollback()


def _row(database, table, row_id):
    with database.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).one()


@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
@pytest.mark.parametrize("verb", ["REPLACE", "INSERT OR REPLACE"])
def test_sqlite_refuses_a_replace_over_a_row_of_an_append_only_table(backend, database, rows, table, verb):
    if backend != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    before = _row(database, table, rows[table])
    columns, select = _copy_of_row(database, table, APPEND_ONLY[table])
    _refused_in_the_sqlite3_shell(database, f"{verb} INTO {table} ({columns}) {select}", rows[table])
    assert _row(database, table, rows[table]) == before


@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
def test_the_database_refuses_an_upsert_over_a_row_of_an_append_only_table(database, rows, table):
    """INSERT ... ON CONFLICT DO UPDATE: refused on SQLite (before the insert) and on
    PostgreSQL (whose upsert fires the UPDATE triggers)."""
    before = _row(database, table, rows[table])
    columns, select = _copy_of_row(database, table, APPEND_ONLY[table])
    changed = APPEND_ONLY[table][0]
    # "WHERE true" lets SQLite parse ON CONFLICT after a SELECT.
    upsert = (f"INSERT INTO {table} ({columns}) {select} AND true "
              f"ON CONFLICT (id) DO UPDATE SET {changed} = excluded.{changed}")
    with pytest.raises(sa.exc.DBAPIError), database.engine.begin() as connection:
        connection.execute(sa.text(upsert), {"id": rows[table]})
    assert _row(database, table, rows[table]) == before


def test_sqlite_refuses_a_replace_on_an_exchanges_other_unique_keys(backend, database, bank, make_member):
    """A REPLACE that meets an exchange by its key or by what it reverses, not its id."""
    if backend != "sqlite":
        pytest.skip("REPLACE is SQLite's")
    ann, bob = make_member(bank), make_member(bank)
    first = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id,
                                minutes=30, recorded_by="t", idempotency_key="kept")
    reversal = ledger.reverse_exchange(database, first.id, reason="x", recorded_by="t")
    columns = [c for c in _columns(database, "exchanges") if c != "id"]
    for row_id in (first.id, reversal.id):
        _refused_in_the_sqlite3_shell(database, f"REPLACE INTO exchanges ({', '.join(columns)}) "
                                      f"SELECT {', '.join(columns)} FROM exchanges WHERE id = :id", row_id)
    assert check_ledger(database).ok


def test_an_allowed_state_move_still_goes_through_an_upsert_on_postgresql(backend, database, bank, make_member):
    """On PostgreSQL an upsert is an UPDATE: the exchange's guard applies as it stands."""
    if backend != "postgresql":
        pytest.skip("SQLite refuses any insert over an existing exchange")
    ann, bob = make_member(bank), make_member(bank)
    posted = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id,
                                 minutes=30, recorded_by="t")
    columns, select = _copy_of_row(database, "exchanges")
    with pytest.raises(sa.exc.DBAPIError, match="details never change"), database.engine.begin() as connection:
        connection.execute(sa.text(f"INSERT INTO exchanges ({columns}) {select} "
                                   "ON CONFLICT (id) DO UPDATE SET description = 'rewritten'"),
                           {"id": posted.id})


def _consistent_rewrite(database, exchange_id, amounts, *, backend):
    """Give an exchange's entries new amounts and move the balances with them, as someone
    with the database file and the sqlite3 shell could (the entries' guard dropped)."""
    with database.engine.begin() as connection:
        if backend == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER entries_no_update")
        else:
            connection.exec_driver_sql("ALTER TABLE entries DISABLE TRIGGER entries_append_only")
        entries = connection.execute(sa.select(Entry.id, Entry.account_id, Entry.amount_minutes)
                                     .where(Entry.exchange_id == exchange_id).order_by(Entry.id)).all()
        for entry, amount in zip(entries, amounts, strict=True):
            connection.execute(sa.text("UPDATE entries SET amount_minutes = :a WHERE id = :id"),
                               {"a": amount, "id": entry.id})
            connection.execute(sa.text("UPDATE accounts SET balance_minutes = balance_minutes + :d "
                                       "WHERE id = :id"), {"d": amount - entry.amount_minutes,
                                                            "id": entry.account_id})


@pytest.mark.parametrize("kind", ["exchange", "group", "grant", "donation", "reversal"])
def test_check_names_entries_rewritten_together_with_the_balances(backend, database_factory, kind):
    """Entries and balances changed together still sum to zero: the exchange's amount and
    kind say what its entries must be (in a database of its own, its guard dropped)."""
    from timebank.services.banks import create_bank
    from timebank.services.members import add_member

    database = database_factory.migrated(backend)
    create_bank(database, "rewritten", "Rewritten bank")
    ann, bob, cat = (add_member(database, "rewritten", name) for name in ("Ann", "Bob", "Cat"))
    ledger.donate(database, "rewritten", member_id=cat.id, minutes=60, recorded_by="t")
    posted = {
        "exchange": lambda: ledger.log_exchange(database, "rewritten", provider_id=ann.id,
                                                receiver_id=bob.id, minutes=120, recorded_by="t"),
        "group": lambda: ledger.log_group_exchange(database, "rewritten", provider_id=ann.id,
                                                   receiver_ids=[bob.id, cat.id], minutes=121,
                                                   recorded_by="t"),
        "grant": lambda: ledger.grant(database, "rewritten", member_id=bob.id, minutes=120,
                                      reason="welcome", recorded_by="t"),
        "donation": lambda: ledger.donate(database, "rewritten", member_id=ann.id, minutes=120,
                                          recorded_by="t"),
        "reversal": lambda: ledger.reverse_exchange(database, ledger.log_exchange(
            database, "rewritten", provider_id=ann.id, receiver_id=bob.id, minutes=120,
            recorded_by="t").id, reason="x", recorded_by="t"),
    }[kind]()
    assert check_ledger(database).ok
    with database.engine.connect() as connection:
        amounts = connection.execute(sa.select(Entry.amount_minutes).where(Entry.exchange_id == posted.id)
                                     .order_by(Entry.id)).scalars().all()
    # Ten times every amount: still summing to zero, balances following.
    _consistent_rewrite(database, posted.id, [a * 10 for a in amounts], backend=backend)
    report = check_ledger(database)
    named = {p.invariant for p in report.problems}
    expected = "reversal_mirrors_exchange" if kind == "reversal" else "entries_match_exchange"
    assert named == {expected}, report.problems
    assert any(str(posted.id) in p.detail for p in report.problems)


def test_check_names_an_exchange_marked_reversed_without_a_reversal(backend, database_factory):
    """posted -> reversed is the one move the guard allows an UPDATE (a reversal makes it),
    so an UPDATE alone that makes it leaves an exchange no reversal undoes."""
    from timebank.services.banks import create_bank
    from timebank.services.members import add_member

    database = database_factory.migrated(backend)
    create_bank(database, "marked", "Marked bank")
    ann, bob = add_member(database, "marked", "Ann"), add_member(database, "marked", "Bob")
    posted = ledger.log_exchange(database, "marked", provider_id=ann.id, receiver_id=bob.id,
                                 minutes=30, recorded_by="t")
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE exchanges SET state = 'reversed' WHERE id = :id"), {"id": posted.id})
    report = check_ledger(database)
    assert [(p.invariant, str(posted.id) in p.detail) for p in report.problems] == [
        ("reversed_exchange_has_reversal", True)]
