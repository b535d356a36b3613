"""What every request and response passes through: the role check and the headers."""
from __future__ import annotations

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from timebank.web import kept_words, policy

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def init_app(app: Flask) -> None:
    app.before_request(_check_role)
    app.after_request(_set_headers)


def _role() -> str:
    return current_user.role if current_user.is_authenticated else "anonymous"


def _check_role():
    endpoint = request.endpoint
    if endpoint is None:  # no such page: let the 404 handler answer
        return None
    role = _role()
    if policy.allowed(endpoint, role):
        return None
    if role == "anonymous":
        timed_out = kept_words.notice_timed_out_session()
        if timed_out is not None:
            return timed_out
        return redirect(url_for("auth.sign_in", next=request.full_path if request.method == "GET" else None))
    abort(403)


def _set_headers(response):
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.endpoint != "static":
        # Pages carry personal data: never kept by the browser or a shared proxy.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response
