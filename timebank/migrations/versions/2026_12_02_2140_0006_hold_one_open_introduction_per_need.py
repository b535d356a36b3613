"""Hold one open introduction per need in the database: introductions keep the need
they introduce (copied from their proposal), and a partial unique index refuses a
second open introduction for it.

accept_proposal locks the need's assessment before counting its open introductions;
the index is the belt to those braces. A database where two accepts raced before that
lock may already hold two open introductions for one need: the upgrade then stops and
names them, so a social worker can close all but one (nothing is closed for them).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 21:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    # Nullable columns without a default: no rebuild on SQLite.
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('need_assessment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('need_key', sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE introductions SET "
        "need_assessment_id = (SELECT need_assessment_id FROM match_proposals "
        "WHERE match_proposals.id = introductions.proposal_id), "
        "need_key = (SELECT need_key FROM match_proposals WHERE match_proposals.id = introductions.proposal_id)"
    )
    twice = op.get_bind().execute(sa.text(
        "SELECT need_assessment_id, need_key, COUNT(*) FROM introductions WHERE status = 'open' "
        "GROUP BY need_assessment_id, need_key HAVING COUNT(*) > 1")).all()
    if twice:
        needs = ", ".join(f"assessment {a} need {k} ({n} open)" for a, k, n in twice)
        raise RuntimeError(f"Some needs have more than one open introduction: {needs}. "
                           "Close all but one of each, then upgrade again.")
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index('uq_introductions_open_need', ['need_assessment_id', 'need_key'], unique=True,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    with op.batch_alter_table('introductions', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('uq_introductions_open_need', sqlite_where=OPEN, postgresql_where=OPEN)
        # SQLite drops a column in place (3.35 and later).
        batch_op.drop_column('need_key')
        batch_op.drop_column('need_assessment_id')
