"""Why a sign-in session ended, so the page that asks for a sign-in again can say why.

Beside `auth` rather than in it: this answers only for a session that is over, and
tells nothing a stranger could use (a token is needed to ask, and only its owner had it).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from timebank.db.engine import Database
from timebank.db.models import SignInSession
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["EndedSession", "TIMED_OUT", "ended_session"]

# The ends a person did not choose: the idle timeout and the session's whole lifetime.
TIMED_OUT = frozenset({"idle", "lifetime"})


@dataclass(frozen=True)
class EndedSession:
    user_id: int
    because: str  # "idle", "lifetime", "signed_out", "user_disabled", "password_changed", ...

    @property
    def timed_out(self) -> bool:
        return self.because in TIMED_OUT


def ended_session(database: Database, token: str | None) -> EndedSession | None:
    """Whose session this token was and why it ended; None for a live or unknown one."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    with UnitOfWork(database, readonly=True) as uow:
        row = uow.session.execute(
            select(SignInSession.user_id, SignInSession.ended_because)
            .where(SignInSession.token_digest == digest, SignInSession.ended_at.is_not(None))
        ).one_or_none()
    return EndedSession(row.user_id, row.ended_because or "") if row else None
