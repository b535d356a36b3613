"""Keep text embeddings: each text's sentence embedding, computed once.

- `text_embeddings`: the learned reader's embedding of a text it was unsure of (384
  float32 numbers, little-endian), keyed by the SHA-256 of the text and the encoder's
  name, so a second match run, reading or retraining embeds nothing it has seen.
  No words are kept; erasure deletes the rows of an erased assessment's texts.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 06:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'text_embeddings',
        sa.Column('text_sha256', sa.String(length=64), nullable=False),
        sa.Column('encoder', sa.String(length=80), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('text_sha256', 'encoder', name=op.f('pk_text_embeddings')),
    )


def downgrade() -> None:
    op.drop_table('text_embeddings')
