"""Create the ledger: banks, members, accounts, exchanges and their entries.

Triggers on both databases keep entries append-only and let an exchange change only
its state, along the allowed transitions.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:29:12.479259
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('banks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('floor_minutes', sa.Integer(), nullable=False),
    sa.Column('ceiling_minutes', sa.Integer(), nullable=False),
    sa.Column('member_exchanges_need_confirmation', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ceiling_minutes >= 0', name=op.f('ck_banks_ceiling_not_negative')),
    sa.CheckConstraint('floor_minutes <= 0', name=op.f('ck_banks_floor_not_positive')),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_banks_slug_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banks')),
    sa.UniqueConstraint('slug', name=op.f('uq_banks_slug'))
    )
    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='person', nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('area', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='active', nullable=False),
    sa.Column('floor_minutes', sa.Integer(), nullable=True),
    sa.Column('ceiling_minutes', sa.Integer(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('person', 'organisation')", name=op.f('ck_members_kind_known')),
    sa.CheckConstraint("status IN ('active', 'suspended', 'closed')", name=op.f('ck_members_status_known')),
    sa.CheckConstraint('ceiling_minutes IS NULL OR ceiling_minutes >= 0', name=op.f('ck_members_ceiling_not_negative')),
    sa.CheckConstraint('floor_minutes IS NULL OR floor_minutes <= 0', name=op.f('ck_members_floor_not_positive')),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_members_name_not_empty')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_members_bank_id_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('bank_id', 'email', name=op.f('uq_members_bank_id_email')),
    sa.UniqueConstraint('id', 'bank_id', name=op.f('uq_members_id_bank_id'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_bank_id'), ['bank_id'], unique=False)

    op.create_table('service_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.CheckConstraint('length(slug) > 0', name=op.f('ck_service_categories_slug_not_empty')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_service_categories_bank_id_banks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_categories')),
    sa.UniqueConstraint('bank_id', 'slug', name=op.f('uq_service_categories_bank_id_slug'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('balance_minutes', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'member') = (member_id IS NOT NULL)", name=op.f('ck_accounts_member_account_has_member')),
    sa.CheckConstraint("kind IN ('member', 'bank', 'community_pot')", name=op.f('ck_accounts_kind_known')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_accounts_bank_id_banks')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_accounts_member_id_bank_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('id', 'bank_id', name=op.f('uq_accounts_id_bank_id')),
    sa.UniqueConstraint('member_id', name=op.f('uq_accounts_member_id'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index('uq_accounts_bank_id_kind_system', ['bank_id', 'kind'], unique=True, sqlite_where=sa.text("kind <> 'member'"), postgresql_where=sa.text("kind <> 'member'"))

    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('provider_member_id', sa.Integer(), nullable=True),
    sa.Column('receiver_member_id', sa.Integer(), nullable=True),
    sa.Column('amount_minutes', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('initiated_by_member_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('details_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('reverses_exchange_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settled_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("(kind = 'reversal') = (reverses_exchange_id IS NOT NULL)", name=op.f('ck_exchanges_reversal_points_at_exchange')),
    sa.CheckConstraint("kind IN ('exchange', 'group', 'grant', 'donation', 'reversal')", name=op.f('ck_exchanges_kind_known')),
    sa.CheckConstraint("state IN ('pending', 'posted', 'declined', 'reversed')", name=op.f('ck_exchanges_state_known')),
    sa.CheckConstraint('amount_minutes > 0', name=op.f('ck_exchanges_amount_positive')),
    sa.CheckConstraint('provider_member_id IS NULL OR receiver_member_id IS NULL OR provider_member_id <> receiver_member_id', name=op.f('ck_exchanges_distinct_members')),
    sa.CheckConstraint('reverses_exchange_id IS NULL OR reverses_exchange_id <> id', name=op.f('ck_exchanges_not_self_reversal')),
    sa.ForeignKeyConstraint(['bank_id', 'category'], ['service_categories.bank_id', 'service_categories.slug'], name=op.f('fk_exchanges_bank_id_category_service_categories')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_exchanges_bank_id_banks')),
    sa.ForeignKeyConstraint(['provider_member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_exchanges_provider_member_id_bank_id_members')),
    sa.ForeignKeyConstraint(['receiver_member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_exchanges_receiver_member_id_bank_id_members')),
    sa.ForeignKeyConstraint(['reverses_exchange_id', 'bank_id'], ['exchanges.id', 'exchanges.bank_id'], name=op.f('fk_exchanges_reverses_exchange_id_bank_id_exchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges')),
    sa.UniqueConstraint('bank_id', 'idempotency_key', name=op.f('uq_exchanges_bank_id_idempotency_key')),
    sa.UniqueConstraint('id', 'bank_id', name=op.f('uq_exchanges_id_bank_id')),
    sa.UniqueConstraint('reverses_exchange_id', name=op.f('uq_exchanges_reverses_exchange_id'))
    )
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.create_index('ix_exchanges_bank_id_given_on', ['bank_id', 'given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_provider_member_id'), ['provider_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchanges_receiver_member_id'), ['receiver_member_id'], unique=False)

    op.create_table('entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount_minutes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_minutes <> 0', name=op.f('ck_entries_amount_not_zero')),
    sa.ForeignKeyConstraint(['account_id', 'bank_id'], ['accounts.id', 'accounts.bank_id'], name=op.f('fk_entries_account_id_bank_id_accounts')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_entries_bank_id_banks')),
    sa.ForeignKeyConstraint(['exchange_id', 'bank_id'], ['exchanges.id', 'exchanges.bank_id'], name=op.f('fk_entries_exchange_id_bank_id_exchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entries')),
    sa.UniqueConstraint('exchange_id', 'account_id', name=op.f('uq_entries_exchange_id_account_id'))
    )
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_index('ix_entries_account_id_id', ['account_id', 'id'], unique=False)

    create_ledger_guards()


def downgrade() -> None:
    drop_ledger_guards()
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index('ix_entries_account_id_id')

    op.drop_table('entries')
    with op.batch_alter_table('exchanges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchanges_receiver_member_id'))
        batch_op.drop_index(batch_op.f('ix_exchanges_provider_member_id'))
        batch_op.drop_index('ix_exchanges_bank_id_given_on')

    op.drop_table('exchanges')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('uq_accounts_bank_id_kind_system', sqlite_where=sa.text("kind <> 'member'"), postgresql_where=sa.text("kind <> 'member'"))

    op.drop_table('accounts')
    op.drop_table('service_categories')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_bank_id'))

    op.drop_table('members')
    op.drop_table('banks')


# Columns of an exchange that never change once written.
IMMUTABLE_EXCHANGE_COLUMNS = (
    "id", "bank_id", "kind", "provider_member_id", "receiver_member_id", "amount_minutes",
    "category", "description", "given_on", "recorded_by", "initiated_by_member_id",
    "idempotency_key", "details_fingerprint", "reverses_exchange_id", "reason", "created_at",
)
ALLOWED_TRANSITIONS = (
    "(OLD.state = 'pending' AND NEW.state IN ('posted', 'declined')) "
    "OR (OLD.state = 'posted' AND NEW.state = 'reversed')"
)


def create_ledger_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        unchanged = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in IMMUTABLE_EXCHANGE_COLUMNS)
        op.execute("""
            CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END $$""")
        op.execute(f"""
            CREATE FUNCTION exchange_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NOT ({unchanged}) THEN
                    RAISE EXCEPTION 'an exchange''s details never change' USING ERRCODE = 'restrict_violation';
                END IF;
                IF NEW.state IS DISTINCT FROM OLD.state AND NOT ({ALLOWED_TRANSITIONS}) THEN
                    RAISE EXCEPTION 'an exchange cannot go from % to %', OLD.state, NEW.state
                        USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()")
        op.execute("CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()")
        op.execute("CREATE TRIGGER exchanges_no_delete BEFORE DELETE ON exchanges "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()")
        op.execute("CREATE TRIGGER exchanges_no_truncate BEFORE TRUNCATE ON exchanges "
                   "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()")
        op.execute("CREATE TRIGGER exchanges_guard_update BEFORE UPDATE ON exchanges "
                   "FOR EACH ROW EXECUTE FUNCTION exchange_guard_update()")
    else:
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE_EXCHANGE_COLUMNS)
        op.execute("CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN "
                   "SELECT RAISE(ABORT, 'ledger rows are append-only: UPDATE on entries refused'); END")
        op.execute("CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN "
                   "SELECT RAISE(ABORT, 'ledger rows are append-only: DELETE on entries refused'); END")
        op.execute("CREATE TRIGGER exchanges_no_delete BEFORE DELETE ON exchanges BEGIN "
                   "SELECT RAISE(ABORT, 'ledger rows are append-only: DELETE on exchanges refused'); END")
        op.execute(f"CREATE TRIGGER exchanges_guard_update BEFORE UPDATE ON exchanges "
                   f"WHEN ({changed}) OR (NEW.state IS NOT OLD.state AND NOT ({ALLOWED_TRANSITIONS})) BEGIN "
                   "SELECT RAISE(ABORT, 'an exchange''s details never change, and its state only moves forward'); END")


def drop_ledger_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (("entries_append_only", "entries"), ("entries_no_truncate", "entries"),
                               ("exchanges_no_delete", "exchanges"), ("exchanges_no_truncate", "exchanges"),
                               ("exchanges_guard_update", "exchanges")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS exchange_guard_update()")
        op.execute("DROP FUNCTION IF EXISTS ledger_refuse_change()")
    else:
        for trigger in ("entries_no_update", "entries_no_delete", "exchanges_no_delete", "exchanges_guard_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
