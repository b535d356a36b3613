"""The demonstration bank's messages in every state: the worker runs on them as it would
against a mail server, but the server here is a stand-in that keeps nothing and refuses
the first message it is given (so nothing leaves the machine)."""
from __future__ import annotations

import smtplib

from timebank.db.engine import Database
from timebank.services.notice_delivery import send_pass
from timebank.services.settings import DeliverySettings

__all__ = ["deliver"]


class _StandInServer:
    """Takes messages and drops them, refusing the first one with `code` and `words`."""

    def __init__(self, code: int, words: str):
        self.refusal: tuple[int, str] | None = (code, words)

    def send_message(self, message) -> None:
        if self.refusal is not None:
            code, words = self.refusal
            self.refusal = None
            raise smtplib.SMTPDataError(code, words)

    def quit(self) -> None:
        pass


def deliver(database: Database, *, refusal: tuple[int, str], max_attempts: int) -> None:
    """One worker pass: every email due is sent, but the first is refused with `refusal`
    (given up when `max_attempts` is 1, to be tried again otherwise); the messages for
    members without email stay waiting on the coordinator's list."""
    server = _StandInServer(*refusal)
    settings = DeliverySettings(sender="news@leith-timebank.example.org", secret_key="demonstration",
                                max_attempts=max_attempts)
    send_pass(database, settings, connect=lambda _settings: server)
