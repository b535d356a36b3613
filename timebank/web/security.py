"""What every request and response passes through: the role check and the headers."""
from __future__ import annotations

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import current_user

from timebank.domain.second_factor import sign_in_stage
from timebank.web import kept_words, policy

# Half signed in (a right password, the second factor still due): these pages only.
# Every other one, GET or POST, is sent to the page that finishes signing in.
HALF_SIGNED_IN = {
    "code": ("auth.second_factor_code", frozenset({"auth.second_factor_code", "auth.sign_out", "static"})),
    "setup": ("auth.second_factor_setup", frozenset({"auth.second_factor_setup", "auth.sign_out", "static"})),
}

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
    if role != "anonymous":
        user = current_user.user
        g.sign_in_stage = stage = sign_in_stage(
            role=role, has_factor=user.has_second_factor, code_given=user.second_factor_given,
            staff_must_enrol=current_app.config["STAFF_SECOND_FACTOR_REQUIRED"])
        if stage in HALF_SIGNED_IN:
            page, open_pages = HALF_SIGNED_IN[stage]
            if endpoint not in open_pages:
                return redirect(url_for(page, next=request.full_path if request.method == "GET" else None))
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
