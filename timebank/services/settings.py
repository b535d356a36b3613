"""Settings read from the environment, for the parts that run without the web application
(the notice worker) as well as with it.

Every setting is an environment variable `TIMEBANK_...`, as the rest of timebank reads
them; each is listed in the README's settings section.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from timebank.domain.notices import MAX_ATTEMPTS

__all__ = ["instance_folder", "instance_secret", "secret_key", "DeliverySettings", "SMTP_SECURITY"]

#: none: plain SMTP (a relay on the same machine); starttls: upgrade on the submission
#: port (587); tls: TLS from the first byte (465).
SMTP_SECURITY = ("none", "starttls", "tls")


def instance_folder() -> Path:
    return Path(os.environ.get("TIMEBANK_INSTANCE", "instance")).resolve()


def instance_secret(instance: Path) -> str:
    """A secret key kept in the instance folder, made once, so restarts keep sessions."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        # Created 0600 in one step: written first and narrowed after, the key would be
        # readable by everyone for a moment.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def secret_key() -> str:
    """The application's secret key, as the web application reads it: `TIMEBANK_SECRET_KEY`,
    or the one kept in the instance folder."""
    return os.environ.get("TIMEBANK_SECRET_KEY") or instance_secret(instance_folder())


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass(frozen=True)
class DeliverySettings:
    """How the notice worker reaches the mail server, and how it retries."""

    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_security: str = "none"
    smtp_user: str | None = None
    smtp_password: str | None = None
    sender: str = "timebank@localhost"
    timeout_seconds: int = 30
    base_url: str = "http://127.0.0.1:5000"
    secret_key: str = ""
    max_attempts: int = MAX_ATTEMPTS
    retry_base_seconds: int = 60
    lease_seconds: int = 300
    batch_size: int = 200

    def __post_init__(self):
        if self.smtp_security not in SMTP_SECURITY:
            raise ValueError(f"TIMEBANK_SMTP_SECURITY is one of {', '.join(SMTP_SECURITY)}, "
                             f"not {self.smtp_security!r}")

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2].strip(">") or "localhost"

    @classmethod
    def from_environment(cls) -> DeliverySettings:
        security = os.environ.get("TIMEBANK_SMTP_SECURITY", "none").strip().lower()
        default_port = {"none": 25, "starttls": 587, "tls": 465}.get(security, 25)
        return cls(
            smtp_host=os.environ.get("TIMEBANK_SMTP_HOST", "localhost"),
            smtp_port=_int("TIMEBANK_SMTP_PORT", default_port),
            smtp_security=security,
            smtp_user=os.environ.get("TIMEBANK_SMTP_USER") or None,
            smtp_password=os.environ.get("TIMEBANK_SMTP_PASSWORD") or None,
            sender=os.environ.get("TIMEBANK_SMTP_SENDER", "timebank@localhost"),
            timeout_seconds=_int("TIMEBANK_SMTP_TIMEOUT", 30),
            base_url=os.environ.get("TIMEBANK_BASE_URL", "http://127.0.0.1:5000"),
            secret_key=secret_key(),
            max_attempts=_int("TIMEBANK_NOTICE_MAX_ATTEMPTS", MAX_ATTEMPTS),
            retry_base_seconds=_int("TIMEBANK_NOTICE_RETRY_SECONDS", 60),
            lease_seconds=_int("TIMEBANK_NOTICE_LEASE_SECONDS", 300),
            batch_size=_int("TIMEBANK_NOTICE_BATCH", 200),
        )
