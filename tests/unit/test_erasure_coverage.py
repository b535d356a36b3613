"""Erasure knows every text column of the schema: a column added later that can hold a
person's words fails here until erasure covers it, or it is listed below as holding none."""
from __future__ import annotations

import sqlalchemy as sa

from timebank.db.models import Base
from timebank.services.erasure import ERASED_TEXT_COLUMNS

# Columns that hold no personal words, and why.
NO_PERSONAL_WORDS = {
    "banks.slug", "banks.name",  # the bank's own
    "banks.contact_phone",  # the number the bank prints for members to ring, changed on Settings
    "service_categories.slug", "service_categories.name", "service_categories.description",
    "service_categories.name_key",
    "neighbourhoods.name", "neighbourhoods.name_key",  # places the bank serves
    "service_examples.text",  # the bank's own examples of each service
    # A notice's kind, channel, state and key (kind and ids); who told it (a coordinator).
    "notices.kind", "notices.channel", "notices.state", "notices.notice_key", "notices.told_by",
    "notice_opt_outs.kind",
    "reading_examples.service_id", "reading_examples.side", "reading_examples.source",
    "text_embeddings.encoder",  # the encoder's name
    "outcome_questions.key", "outcome_questions.text", "outcome_questions.scale", "outcome_questions.better",
    "members.kind", "members.status",
    "accounts.kind",
    "exchanges.kind", "exchanges.state", "exchanges.category",
    # Who recorded or settled it, as "member:12" or "coordinator:3": an id, never a name.
    "exchanges.recorded_by", "exchanges.settled_by",
    "users.role",
    "help_requests.category", "help_requests.status", "help_answers.status", "offers.category",
    "assessments.status",
    "match_proposals.need_key", "match_proposals.capability_key", "match_proposals.status",
    "match_proposals.alternatives",  # other candidates' keys ("a12:c0") and scores, no words
    "outcome_questions.choices",  # the bank's answers to choose from
    "introductions.status", "introductions.need_key",
    "outcomes.side", "outcomes.difference",
    # The staff member who wrote a contact note (not the member it is about).
    "contact_notes.author",
    # Access logs: roles, actions and reasons the code writes ("erased member 12"), no words typed.
    "assessment_access.role", "assessment_access.action", "assessment_access.why",
    "member_access.role", "member_access.action", "member_access.why",
    "introduction_follow_ups.stage",
    "outcome_measure_answers.side", "outcome_measure_answers.question_key", "outcome_measure_answers.choice",
}


def _text_columns() -> set[str]:
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            name = column.name
            # Keys a client chose and digests of a form's details: random or one-way.
            if name in ("idempotency_key", "close_idempotency_key", "details_fingerprint"):
                continue
            if isinstance(column.type, sa.String | sa.Text | sa.JSON):
                found.add(f"{table.name}.{name}")
    return found


def test_every_text_column_is_erased_or_holds_no_personal_words():
    unknown = _text_columns() - ERASED_TEXT_COLUMNS - NO_PERSONAL_WORDS
    assert not unknown, f"erasure does not know these text columns: {sorted(unknown)}"


def test_the_lists_name_only_columns_that_exist():
    stale = (ERASED_TEXT_COLUMNS | NO_PERSONAL_WORDS) - _text_columns()
    assert not stale, sorted(stale)

