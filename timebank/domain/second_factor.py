"""The second factor: a time-based one-time code (RFC 6238) from an authenticator app,
and one-time recovery codes for a lost phone. Pure rules; the services store the secret.

Where a signed-in session stands (`sign_in_stage`):
- "passed": signed in fully;
- "code": the password was right, but the code from the app is still due;
- "setup": staff without a factor, where the deployment requires one, set it up first.
Until "passed", every page but the code (or setup) page and signing out is refused.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets

import pyotp

from timebank.domain.errors import CodeRefused, CodesLocked, Forbidden
from timebank.domain.roles import STAFF_ROLES

__all__ = [
    "DIGITS",
    "STEP_SECONDS",
    "RECOVERY_CODE_COUNT",
    "new_secret",
    "provisioning_uri",
    "matching_step",
    "clean_code",
    "is_app_code",
    "new_recovery_codes",
    "clean_recovery_code",
    "sign_in_stage",
    "check_may_reset_factor",
    "MAX_REFUSED_CODES",
    "REFUSED_CODES_WINDOW",
    "check_codes_not_locked",
    "count_refused_code",
]

DIGITS = 6
STEP_SECONDS = 30
# A phone's clock may be a little out: the step before and the step after are taken too.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Wrong codes (app or recovery) allowed in a window before every code is refused until
# the window has passed: like the password's limit per account, but counted on the factor
# itself, so that two processes, or a restart, share the count.
MAX_REFUSED_CODES = 5
REFUSED_CODES_WINDOW = dt.timedelta(minutes=15)
# Lower case letters and digits without the ones read wrongly (0/o, 1/l/i): 10 of them give
# about 48 bits, beyond guessing within the sign-in limits.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10


def new_secret() -> str:
    """A new shared secret, base32 (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer)


def clean_code(typed: str | None) -> str:
    """What someone typed, without the spaces and dashes apps and people put in codes."""
    return re.sub(r"[\s\-]", "", typed or "").lower()


def is_app_code(code: str) -> bool:
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def matching_step(secret: str, typed: str, *, at: float, last_used_step: int | None) -> int:
    """The time step whose code was typed, within the drift allowed and later than the last
    step used, so a code is never taken twice (RFC 6238 5.2); CodeRefused otherwise."""
    code = clean_code(typed)
    if not is_app_code(code):
        raise CodeRefused(f"Enter the {DIGITS}-digit code from your authenticator app.")
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(at // STEP_SECONDS)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.at(step * STEP_SECONDS), code):
            if last_used_step is not None and step <= last_used_step:
                raise CodeRefused("That code was already used. Wait for the next code from your app.")
            return step
    raise CodeRefused("The code is not right. Check the time on your phone and try the newest code.")


def new_recovery_codes() -> list[str]:
    """Codes that each work once instead of the app, written xxxxx-xxxxx to read aloud."""
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        code = f"{raw[:5]}-{raw[5:]}"
        if code not in codes:
            codes.append(code)
    return codes


def clean_recovery_code(typed: str | None) -> str | None:
    """A recovery code in the one form it is stored in, or None when it cannot be one."""
    raw = clean_code(typed)
    if len(raw) != _RECOVERY_LENGTH or any(c not in _RECOVERY_ALPHABET for c in raw):
        return None
    return f"{raw[:5]}-{raw[5:]}"


def sign_in_stage(*, role: str, has_factor: bool, code_given: bool, staff_must_enrol: bool) -> str:
    """Where a session with a right password stands (see the module's words)."""
    if has_factor:
        return "passed" if code_given else "code"
    if role in STAFF_ROLES and staff_must_enrol:
        return "setup"
    return "passed"


def check_may_reset_factor(*, resetter_id: int, resetter_role: str, holder_id: int, holder_role: str) -> None:
    """A coordinator may reset the second factor of other staff of their bank (who lost a
    phone); a member's is reset by the operator, and one's own by another coordinator, so
    that someone holding only a password cannot clear the factor that guards it."""
    if resetter_role != "coordinator":
        raise Forbidden("Only a coordinator can reset a second factor.")
    if holder_role not in STAFF_ROLES:
        raise Forbidden("A member's second factor is reset by the operator of the time bank, "
                        "with `timebank user reset-factor`.")
    if holder_id == resetter_id:
        raise Forbidden("Your own second factor is reset by another coordinator, or by the operator.")


def _window_open(since: dt.datetime | None, now: dt.datetime) -> bool:
    return since is not None and now < since + REFUSED_CODES_WINDOW


def check_codes_not_locked(refused: int, since: dt.datetime | None, now: dt.datetime) -> None:
    """CodesLocked when `refused` wrong codes since `since` reach the limit within the window."""
    if refused >= MAX_REFUSED_CODES and _window_open(since, now):
        minutes = max(1, -(-int((since + REFUSED_CODES_WINDOW - now).total_seconds()) // 60))
        raise CodesLocked(f"Too many wrong codes. Wait {minutes} minute{'s' if minutes != 1 else ''} "
                          "and try the newest code from your app.")


def count_refused_code(refused: int, since: dt.datetime | None, now: dt.datetime) -> tuple[int, dt.datetime]:
    """The count and its window's start after one more wrong code: a window that has
    passed starts again at this code."""
    if _window_open(since, now):
        return refused + 1, since
    return 1, now
