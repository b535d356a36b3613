"""A bank's reader retrained after a save, without making the social worker wait.

Retraining fits the learned reader again on the shipped and the bank's examples (13 s
of CPU on a quiet machine, half a minute on a busy one): too long for the request that
saved a correction. After the response, a thread of this process runs `timebank reader
train --only-when-taught` as a child process at a lower priority (a fit holds Python's
lock for seconds at a time: on a thread of the server it would stall every page), at
most one per bank at a time; a save made while one runs asks for one more pass, so the
last correction is always learned. Until it ends, the bank reads with the reader it had.
A server that stops first loses nothing: the next save, or `timebank reader train`,
catches up.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from flask import current_app

from timebank.services import Database, readings

__all__ = ["retrain_soon", "wait_for_retraining"]

log = logging.getLogger(__name__)
_state_lock = threading.Lock()
_running: dict[str, threading.Thread] = {}
_again: set[str] = set()
CHILD_TIMEOUT_SECONDS = 15 * 60


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
            _train_in_a_child(database, bank_slug)
        except Exception:  # a failed retrain leaves the bank's reader as it was
            log.exception("retraining the reader of bank %s failed", bank_slug)
        with _state_lock:  # one lock for "again?" and "done", so no request falls between
            if bank_slug in _again:
                _again.discard(bank_slug)
                continue
            _running.pop(bank_slug, None)
            return


def _train_in_a_child(database: Database, bank_slug: str) -> None:
    # The address goes in the child's environment, not its arguments, which any local
    # user may read in the process list.
    environment = {**os.environ, "TIMEBANK_DATABASE_URL": database.url}
    done = subprocess.run(
        [sys.executable, "-m", "timebank.cli", "reader", "train", "--bank", bank_slug, "--only-when-taught"],
        env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        timeout=CHILD_TIMEOUT_SECONDS, preexec_fn=_lower_priority if os.name == "posix" else None)
    if done.returncode != 0:
        log.error("retraining the reader of bank %s failed: %s", bank_slug,
                  done.stderr.decode(errors="replace")[-2000:])


def _lower_priority() -> None:
    os.nice(10)


def wait_for_retraining(timeout_seconds: float = 60) -> None:
    """Wait for the retraining threads of this process to end (tests use it)."""
    with _state_lock:
        threads = list(_running.values())
    for thread in threads:
        thread.join(timeout_seconds)
