"""Password rules: long enough, and not among the first guesses (zxcvbn's estimate)."""
from __future__ import annotations

from zxcvbn import zxcvbn

from timebank.domain.errors import WeakPassword

__all__ = ["MIN_PASSWORD_LENGTH", "PASSWORD_HASHING", "check_password_rules"]

# How costly a password hash is: "standard" for every real bank, "fast" (the cheapest
# argon2 parameters) for tests and throwaway demonstrations only. A Database carries
# one (timebank.db.engine), set by create_app's PASSWORD_HASHING and the CLI's
# --password-hashing; timebank.services.auth hashes with it.
PASSWORD_HASHING = ("standard", "fast")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

# zxcvbn estimates how many guesses a password takes, knowing the passwords of published
# breaches (its frequency lists: some 30,000 passwords, with English words, names and
# keyboard patterns) and the person's own email and name. Below this score (0 to 4) a
# password falls to an attacker's first 10^8 guesses.
MIN_STRENGTH_SCORE = 3
# zxcvbn's time grows with the length, so it refuses more than 72 characters (its own
# guard); what matters of a long password is its beginning.
STRENGTH_CHECKED_CHARACTERS = 72

def check_password_rules(password: str, *, email: str | None = None, name: str | None = None) -> None:
    """Raise WeakPassword with a reason a member can act on."""
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"A password can be at most {MAX_PASSWORD_LENGTH} characters.")
    lowered = password.lower()
    personal = [part for part in (email, (email or "").split("@")[0], name) if part and len(part) >= 4]
    if any(lowered == part.lower() for part in personal):
        raise WeakPassword("Your password cannot be your email address or your name.")
    estimate = zxcvbn(password[:STRENGTH_CHECKED_CHARACTERS], user_inputs=personal)
    if estimate["score"] < MIN_STRENGTH_SCORE:
        raise WeakPassword("That password is one of the first that people try: choose another. "
                           "A short sentence of your own is easy to remember.")
