"""Remember whom a match run was for: `match_runs.for_assessment_id`.

"Find matches for this person" runs the engine only on the pairs involving one
assessment's needs and capabilities; the run is kept in the history like the others,
and this column says whose it was (NULL for a run over the whole bank, as every run
before this revision was).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 06:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_assessment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_match_runs_for_assessment_id_assessments', 'assessments',
                                    ['for_assessment_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_match_runs_for_assessment_id_assessments', type_='foreignkey')
        batch_op.drop_column('for_assessment_id')
