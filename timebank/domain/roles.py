"""What someone who signs in may do in their bank: the role they are given."""
from __future__ import annotations

__all__ = ["ROLES"]

ROLES = ("member", "coordinator", "social_worker")
