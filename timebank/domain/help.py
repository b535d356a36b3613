"""The words a request for help is stored with."""
from __future__ import annotations

__all__ = ["REQUEST_STATUSES"]

#: Open until the member who asked closes it.
REQUEST_STATUSES = ("open", "closed")
