"""The words a member is stored with: a person or an organisation, and where they stand."""
from __future__ import annotations

__all__ = ["MEMBER_KINDS", "MEMBER_STATUSES"]

MEMBER_KINDS = ("person", "organisation")
#: A member is closed, never deleted: their history stays in the ledger.
MEMBER_STATUSES = ("active", "suspended", "closed")
