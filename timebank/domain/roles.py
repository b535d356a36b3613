"""What someone who signs in may do in their bank: the role they are given."""
from __future__ import annotations

from timebank.domain.errors import Forbidden

__all__ = ["ROLES", "STAFF_ROLES", "RESET_RIGHTS", "check_may_issue_reset"]

ROLES = ("member", "coordinator", "social_worker")
STAFF_ROLES = ("coordinator", "social_worker")

# Whose reset link a signed-in person may issue, in their own bank. A coordinator sees
# the link they issue, so they could sign in with it: they may do so for members only.
# Staff sign-ins are reset by the operator on the command line (`timebank user reset`),
# so a coordinator cannot become a social worker and read assessments.
RESET_RIGHTS: dict[str, frozenset[str]] = {
    "coordinator": frozenset({"member"}),
}


def check_may_issue_reset(issuer_role: str, holder_role: str) -> None:
    """Raise Forbidden unless someone of issuer_role may issue a reset link for holder_role."""
    if holder_role not in RESET_RIGHTS.get(issuer_role, frozenset()):
        if holder_role in STAFF_ROLES:
            raise Forbidden("A staff sign-in is reset by the operator of the time bank, "
                            "with `timebank user reset`.")
        raise Forbidden("Only a coordinator of the bank can issue a reset link.")
