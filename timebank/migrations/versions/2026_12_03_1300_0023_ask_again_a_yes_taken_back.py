"""A yes taken back is asked again: answers already withdrawn from open requests made to one
member from their offer become "asked" again.

Until this revision, a member asked directly who said yes and then "I can no longer help"
was left "withdrawn": the request stayed open for them, but no page let them say yes or no
again. `status_after_taking_back` now makes such an answer "asked" (its `decided_at`, the
moment the yes was taken back, says it was); this does the same for the rows already there.
Closed requests, and members no longer active, keep their history as it was.

What this cannot tell apart: until this revision a member asked directly could also
withdraw an "asked" answer without ever saying yes, and those rows are asked again here
too, shown as "took back their yes". The rows do not say which it was: withdrawing set
`decided_at` to the moment of withdrawal either way, over the moment of any yes. The
notices told of a yes (keys "ask-answered.<request>.<answer>.yes...") are no proof
either way: the outbox came with revision 0019, after asking from an offer, and none is
written to a member who turned that kind off or was not active. Either way the member
may now say yes or no, which is what the request waits for.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 13:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text(
        "UPDATE help_answers SET status = 'asked', decided_at = COALESCE(decided_at, created_at) "
        "WHERE status = 'withdrawn' AND EXISTS (SELECT 1 FROM help_requests r "
        "WHERE r.id = help_answers.request_id AND r.status = 'open' "
        "AND r.addressed_to_member_id = help_answers.member_id) "
        # A member no longer active (suspended, closed, or erased: their answers withdrawn) is not
        # asked again.
        "AND EXISTS (SELECT 1 FROM members m WHERE m.id = help_answers.member_id AND m.status = 'active')"))


def downgrade() -> None:
    op.execute(sa.text(
        "UPDATE help_answers SET status = 'withdrawn' "
        "WHERE status = 'asked' AND decided_at IS NOT NULL"))
