"""What a person typed when their session timed out, kept until they sign in again.

A member who types a request slowly, over a cup of tea, and sends it after the idle
timeout must not lose it (review, members' problem 2). The form they sent is kept here,
in the server's memory, under a random key that goes in their session cookie; after
signing in again as the same person, the same page shows it filled in, for them to
check and send: it is never sent on its own. Passwords and the CSRF token are never
kept. Memory rather than the cookie, because a long text in Arabic would not fit in a
cookie; rather than the database, because words nobody comes back for should vanish
(after KEEP_FOR, or when MAX_KEPT newer ones push them out, or a restart).
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, flash, redirect, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound

from timebank.services import session_ends
from timebank.web.extensions import database

__all__ = ["SIGNED_OUT_IDLE", "WAITING", "notice_timed_out_session", "keep_session_key", "take"]

KEEP_FOR_SECONDS = 2 * 60 * 60
MAX_KEPT = 500
SESSION_KEY = "kept_words"
WAITING = "Welcome back. What you typed is below: check it, then send it."
NEVER_KEPT = ("csrf_token",)


def SIGNED_OUT_IDLE(minutes: int, kept: bool) -> str:  # noqa: N802  (a message, named as one)
    words = " Sign in again and your words will be waiting." if kept else " Please sign in again."
    return f"You were signed out after {minutes} minutes without activity.{words}"


SIGNED_OUT_LIFETIME = "You were signed out because you had been signed in for a long time."


@dataclass(frozen=True)
class _Kept:
    user_id: int
    path: str
    fields: tuple[tuple[str, str], ...]
    at: float


_kept: OrderedDict[str, _Kept] = OrderedDict()
_lock = threading.Lock()


def _keep(user_id: int, path: str, fields: list[tuple[str, str]]) -> str:
    key = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for old in [k for k, v in _kept.items() if now - v.at > KEEP_FOR_SECONDS]:
            del _kept[old]
        _kept[key] = _Kept(user_id, path, tuple(fields), now)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return key


def _page_for(path: str) -> bool:
    """Whether the address a form was sent to is also a page to show it again on."""
    try:
        current_app.url_map.bind("").match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    except Exception:  # a redirect rule or anything else: not a page to go back to
        return False
    return True


def _typed_fields() -> list[tuple[str, str]]:
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in NEVER_KEPT and "password" not in name.lower()]


def notice_timed_out_session():
    """For a request whose session has just timed out: say why sign-in is asked again and,
    for a form that was sent, keep what was typed. Returns the redirect to signing in, or
    None when the cookie held no session that timed out."""
    token = session.get("_user_id")
    ended = session_ends.ended_session(database(), token) if token else None
    if ended is None or not ended.timed_out:
        return None
    # Said once: the dead token leaves the cookie, so the next page is a plain sign-in.
    for name in ("_user_id", "_fresh", "_id"):
        session.pop(name, None)
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    back_to = request.full_path.rstrip("?") if request.method == "GET" else None
    kept = False
    if request.method == "POST" and not request.path.startswith(("/sign-in", "/password", "/reset")) \
            and _page_for(request.path):
        session[SESSION_KEY] = _keep(ended.user_id, request.path, _typed_fields())
        back_to, kept = request.path, True
    flash(SIGNED_OUT_IDLE(minutes, kept) if ended.because == "idle" else
          SIGNED_OUT_LIFETIME + (" Sign in again and your words will be waiting." if kept else ""), "info")
    return redirect(url_for("auth.sign_in", next=back_to))


def keep_session_key() -> str | None:
    """The kept words' key, read before signing in clears the session, to put back after."""
    return session.get(SESSION_KEY)


def _belongs(name: str, field_names: set[str]) -> bool:
    """A field of the form, or a row of one of its lists (`needs-0-text` of `needs`)."""
    return name in field_names or any(name.startswith(f"{field}-") for field in field_names)


def take(user_id: int, field_names: set[str]) -> MultiDict | None:
    """The words kept for this person on this page, for a form with these fields; once.

    Someone else signing in on the same computer gets nothing, and the words are gone.
    """
    key = session.get(SESSION_KEY)
    if not key:
        return None
    with _lock:
        kept = _kept.get(key)
        if kept is None or kept.user_id != user_id:
            _kept.pop(key, None)
            session.pop(SESSION_KEY, None)
            return None
        if kept.path != request.path or not all(_belongs(name, field_names) for name, _ in kept.fields):
            return None  # another page, or another form on this page: leave them waiting
        del _kept[key]
    session.pop(SESSION_KEY, None)
    flash(WAITING, "info")
    return MultiDict(kept.fields)
