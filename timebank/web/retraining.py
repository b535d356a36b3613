"""A bank's reader retrained after a save, without making the social worker wait.

Retraining fits the learned reader again on the shipped and the bank's examples (5 to 13
seconds of CPU): too long for the request that saved a correction. It runs on a thread
of this process after the response, at most one per bank at a time; a save made while
one runs asks for one more pass, so the last correction is always learned. Until it
ends, the bank reads with the reader it had. A process that stops first loses nothing:
`retrain_when_taught` at the next save (or `timebank reader train`) catches up.
"""
from __future__ import annotations

import logging
import threading

from flask import current_app

from timebank.services import Database, readings

__all__ = ["retrain_soon", "wait_for_retraining"]

log = logging.getLogger(__name__)
_state_lock = threading.Lock()
_running: dict[str, threading.Thread] = {}
_again: set[str] = set()


def retrain_soon(database: Database, bank_slug: str) -> None:
    """Retrain the bank's reader if a save taught it something: on a thread, or at once
    where the app says so (RETRAIN_IN_BACKGROUND off; by default off in testing apps,
    whose database may be gone when a thread would finish)."""
    if not current_app.config.get("RETRAIN_IN_BACKGROUND", not current_app.testing):
        readings.retrain_when_taught(database, bank_slug)
        return
    with _state_lock:
        if bank_slug in _running:
            _again.add(bank_slug)
            return
        thread = threading.Thread(target=_retrain, args=(database, bank_slug), daemon=True,
                                  name=f"retrain-{bank_slug}")
        _running[bank_slug] = thread
    thread.start()


def _retrain(database: Database, bank_slug: str) -> None:
    while True:
        try:
            readings.retrain_when_taught(database, bank_slug)
        except Exception:  # a failed retrain leaves the bank's reader as it was
            log.exception("retraining the reader of bank %s failed", bank_slug)
        with _state_lock:  # one lock for "again?" and "done", so no request falls between
            if bank_slug in _again:
                _again.discard(bank_slug)
                continue
            _running.pop(bank_slug, None)
            return


def wait_for_retraining(timeout_seconds: float = 60) -> None:
    """Wait for retraining threads to end (for tests, and a clean shutdown)."""
    with _state_lock:
        threads = list(_running.values())
    for thread in threads:
        thread.join(timeout_seconds)
