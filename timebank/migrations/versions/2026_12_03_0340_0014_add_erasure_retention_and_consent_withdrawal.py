"""Add what subject access, erasure, retention and consent withdrawal need.

- `members.erased_at` and `assessments.erased_at`: when a person was erased (their row
  stays, as "a former member", so every exchange and balance stays whole).
- `banks.retention_years`: how long assessments and closed introductions are kept after
  the last contact (8 years, as the Records Management Code suggests for adult social care).
- `member_access`: who exported or erased which member's record, when and why; the
  member records' counterpart of `assessment_access`, append-only as it is.
- `consent_withdrawals`: a person's withdrawal of consent to their assessment (day, note).

Two narrow exceptions to the append-only guards, and nothing else:

- an exchange's `description` and `reason` (free text a member may have written) may be
  replaced by exactly '(removed)'; every other column, amounts and days above all, stays
  frozen, so no statement changes by a minute;
- an assessment version may be deleted once its assessment is erased (`erased_at` set):
  special-category data must go when the person asks, and the evidence trail of an
  assessment that no longer exists has nothing left to prove.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 03:15:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

REMOVED = "(removed)"
# IMMUTABLE_EXCHANGE_COLUMNS of the first migration, as it stood.
FROZEN = (
    "id", "bank_id", "kind", "provider_member_id", "receiver_member_id", "amount_minutes",
    "category", "description", "given_on", "recorded_by", "initiated_by_member_id",
    "idempotency_key", "details_fingerprint", "reverses_exchange_id", "reason", "created_at",
)
ERASABLE = ("description", "reason")
ALLOWED_TRANSITIONS = (
    "(OLD.state = 'pending' AND NEW.state IN ('posted', 'declined')) "
    "OR (OLD.state = 'posted' AND NEW.state = 'reversed')"
)


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), server_default='8', nullable=False))
    op.create_table(
        'member_access',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('assessment_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('why', sa.String(length=200), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_member_access_bank_id_banks')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_access_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_member_access')),
    )
    with op.batch_alter_table('member_access', schema=None) as batch_op:
        batch_op.create_index('ix_member_access_bank_id_member_id', ['bank_id', 'member_id'], unique=False)
    op.create_table(
        'consent_withdrawals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('withdrawn_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_consent_withdrawals_bank_id_banks')),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                                name=op.f('fk_consent_withdrawals_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'],
                                name=op.f('fk_consent_withdrawals_recorded_by_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_withdrawals')),
        sa.UniqueConstraint('assessment_id', name=op.f('uq_consent_withdrawals_assessment_id')),
    )
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.execute("CREATE TRIGGER member_access_append_only BEFORE UPDATE OR DELETE ON member_access "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()")
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER member_access_no_{action.lower()} BEFORE {action} ON member_access "
                       f"BEGIN SELECT RAISE(ABORT, 'member_access is append-only: {action} refused'); END")
    _exchange_guard(erasable=ERASABLE)
    _assessment_version_guard(deletable_when_erased=True)


def downgrade() -> None:
    _assessment_version_guard(deletable_when_erased=False)
    _exchange_guard(erasable=())
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS member_access_append_only ON member_access")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS member_access_no_{action}")
    op.drop_table('consent_withdrawals')
    with op.batch_alter_table('member_access', schema=None) as batch_op:
        batch_op.drop_index('ix_member_access_bank_id_member_id')
    op.drop_table('member_access')
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.drop_column('retention_years')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('erased_at')


def _exchange_guard(*, erasable: tuple[str, ...]) -> None:
    """The exchanges' update guard of 0001, with `erasable` columns allowed to become
    exactly '(removed)' and nothing else."""
    frozen = [c for c in FROZEN if c not in erasable]
    if op.get_bind().dialect.name == 'postgresql':
        unchanged = " AND ".join(
            [f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in frozen]
            + [f"(NEW.{c} IS NOT DISTINCT FROM OLD.{c} OR NEW.{c} = '{REMOVED}')" for c in erasable])
        op.execute(f"""
            CREATE OR REPLACE FUNCTION exchange_guard_update() RETURNS trigger LANGUAGE plpgsql AS $$
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
    else:
        changed = " OR ".join(
            [f"NEW.{c} IS NOT OLD.{c}" for c in frozen]
            + [f"(NEW.{c} IS NOT OLD.{c} AND NEW.{c} IS NOT '{REMOVED}')" for c in erasable])
        op.execute("DROP TRIGGER IF EXISTS exchanges_guard_update")
        op.execute(f"CREATE TRIGGER exchanges_guard_update BEFORE UPDATE ON exchanges "
                   f"WHEN ({changed}) OR (NEW.state IS NOT OLD.state AND NOT ({ALLOWED_TRANSITIONS})) BEGIN "
                   "SELECT RAISE(ABORT, 'an exchange''s details never change, and its state only moves forward'); END")


def _assessment_version_guard(*, deletable_when_erased: bool) -> None:
    erased = "EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id AND erased_at IS NOT NULL)"
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS assessment_versions_append_only ON assessment_versions")
        if deletable_when_erased:
            op.execute(f"""
                CREATE FUNCTION assessment_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' AND {erased} THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION 'ledger rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                        USING ERRCODE = 'restrict_violation';
                END $$""")
            op.execute("CREATE TRIGGER assessment_versions_append_only BEFORE UPDATE OR DELETE "
                       "ON assessment_versions FOR EACH ROW EXECUTE FUNCTION assessment_version_guard()")
        else:
            op.execute("DROP FUNCTION IF EXISTS assessment_version_guard()")
            op.execute("CREATE TRIGGER assessment_versions_append_only BEFORE UPDATE OR DELETE "
                       "ON assessment_versions FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()")
    else:
        op.execute("DROP TRIGGER IF EXISTS assessment_versions_no_delete")
        when = f"WHEN NOT {erased} " if deletable_when_erased else ""
        op.execute(f"CREATE TRIGGER assessment_versions_no_delete BEFORE DELETE ON assessment_versions {when}"
                   "BEGIN SELECT RAISE(ABORT, 'assessment_versions is append-only: DELETE refused'); END")
