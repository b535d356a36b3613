"""Password rules: long enough, not one of the passwords everybody tries first."""
from __future__ import annotations

from timebank.domain.errors import WeakPassword

__all__ = ["MIN_PASSWORD_LENGTH", "PASSWORD_HASHING", "check_password_rules"]

# How costly a password hash is: "standard" for every real bank, "fast" (the cheapest
# argon2 parameters) for tests and throwaway demonstrations only. A Database carries
# one (timebank.db.engine), set by create_app's PASSWORD_HASHING and the CLI's
# --password-hashing; timebank.services.auth hashes with it.
PASSWORD_HASHING = ("standard", "fast")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

# The commonest passwords of 8 characters or more in published breach corpora, and the
# obvious local ones; with the length rule they stop the first guesses an attacker makes.
COMMON_PASSWORDS = frozenset(["password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssword", "p@ssw0rd", "12345678", "123456789", "1234567890", "12341234", "11111111", "00000000", "88888888", "87654321", "99999999", "11223344", "12121212", "123123123", "1q2w3e4r", "1qaz2wsx", "qwertyui", "qwertyuiop", "qwerty123", "qwerty12", "asdfghjk", "asdfghjkl", "zxcvbnm1", "iloveyou", "iloveyou1", "sunshine", "sunshine1", "princess", "princess1", "football", "football1", "baseball", "baseball1", "welcome1", "welcome123", "letmein1", "letmein123", "trustno1", "superman", "batman123", "starwars", "starwars1", "dragon123", "monkey123", "abcdefgh", "abcd1234", "abc12345", "aa123456", "computer", "internet", "whatever", "michelle", "jennifer", "jordan23", "liverpool", "chelsea1", "arsenal1", "rangers1", "celtic12", "scotland", "edinburgh", "glasgow1", "london12", "manchester", "changeme", "changeme1", "administrator", "admin123", "adminadmin", "master12", "mustang1", "shadow12", "charlie1", "freedom1", "pa55word", "pa$$word", "timebank", "timebank1", "timebank123", "volunteer", "volunteer1"])


def check_password_rules(password: str, *, email: str | None = None, name: str | None = None) -> None:
    """Raise WeakPassword with a reason a member can act on."""
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"A password can be at most {MAX_PASSWORD_LENGTH} characters.")
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 3:
        raise WeakPassword("That password is one of the first that people try: choose another.")
    for personal in (email, (email or "").split("@")[0], name):
        if personal and len(personal) >= 4 and lowered == personal.lower():
            raise WeakPassword("Your password cannot be your email address or your name.")
