"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for the notice
tests and benchmark: it can refuse the first tries ("451") and take its time."""
from __future__ import annotations

import asyncio
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller

__all__ = ["Inbox", "free_port"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """Messages received, in order; `refuse` tries are answered 451 first."""

    def __init__(self, *, refuse: int = 0, delay_seconds: float = 0.0):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse = refuse
        self.delay_seconds = delay_seconds
        self.refused = 0
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def message_ids(self, bank_id: int | None = None) -> list[str]:
        with self._lock:
            ids = [str(m["Message-ID"]) for m in self.messages]
        return [i for i in ids if bank_id is None or f".b{bank_id}@" in i]

    def __enter__(self) -> Inbox:
        self._controller.start()
        return self

    def __exit__(self, *_):
        self._controller.stop()
