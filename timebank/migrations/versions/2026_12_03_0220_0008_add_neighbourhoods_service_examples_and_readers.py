"""Add what matching learns from a bank: its neighbourhoods (each with a centre point),
example sentences for its services, the readings social workers corrected or confirmed by
accepting a match, and each bank's trained reader.

Rejected pairs need no table: a rejected proposal already holds the need, the helper's
capability, the day and the reason.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 02:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'neighbourhoods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('name_key', sa.String(length=120), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.CheckConstraint('length(name_key) > 0', name=op.f('ck_neighbourhoods_name_key_not_empty')),
        sa.CheckConstraint('latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180',
                           name=op.f('ck_neighbourhoods_centre_on_the_globe')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_neighbourhoods_bank_id_banks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_neighbourhoods')),
        sa.UniqueConstraint('bank_id', 'name_key', name=op.f('uq_neighbourhoods_bank_id_name_key')),
    )
    op.create_table(
        'service_examples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_service_examples_bank_id_banks')),
        sa.ForeignKeyConstraint(['category_id'], ['service_categories.id'],
                                name=op.f('fk_service_examples_category_id_service_categories')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_examples')),
    )
    op.create_index(op.f('ix_service_examples_category_id'), 'service_examples', ['category_id'])
    op.create_table(
        'reading_examples',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('service_id', sa.String(length=64), nullable=False),
        sa.Column('side', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.CheckConstraint("side IN ('need', 'capability')", name=op.f('ck_reading_examples_side_known')),
        sa.CheckConstraint("source IN ('correction', 'accepted_match')",
                           name=op.f('ck_reading_examples_source_known')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_reading_examples_bank_id_banks')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reading_examples')),
    )
    op.create_index(op.f('ix_reading_examples_bank_id'), 'reading_examples', ['bank_id'])
    op.create_table(
        'bank_readers',
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('model', sa.LargeBinary(), nullable=True),
        sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('example_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_bank_readers_bank_id_banks')),
        sa.PrimaryKeyConstraint('bank_id', name=op.f('pk_bank_readers')),
    )


def downgrade() -> None:
    op.drop_table('bank_readers')
    op.drop_index(op.f('ix_reading_examples_bank_id'), table_name='reading_examples')
    op.drop_table('reading_examples')
    op.drop_index(op.f('ix_service_examples_category_id'), table_name='service_examples')
    op.drop_table('service_examples')
    op.drop_table('neighbourhoods')
