"""Signing in and out, changing one's password, and using a reset link."""
from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from markupsafe import Markup

from timebank.domain.errors import CodeRefused, Conflict, ResetTokenInvalid, SignInRefused, WeakPassword
from timebank.domain.text import control_character_in
from timebank.services import auth, second_factor
from timebank.web.auth import blueprint
from timebank.web.auth.forms import (
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    ResetPasswordForm,
    SetupForm,
    SignInForm,
)
from timebank.web.current_user import SignedIn
from timebank.web.extensions import database, limiter
from timebank.web.kept_words import SESSION_KEY, keep_session_key

HOME_BY_ROLE = {"member": "member.home", "coordinator": "coordinator.home",
                "social_worker": "social.home"}


# Said to everyone who asks, whatever the address: nothing is looked up, so neither the
# words nor the work done tell which addresses have a sign-in. Reset links are issued by
# a coordinator (members) or the operator (staff); email comes later.
ASK_YOUR_COORDINATOR = ("Ask your coordinator for a reset link: they can give you one "
                        "that works once, for an hour.")


def _account_and_address_key() -> str:
    """Failures are counted per account and address together, so a stranger guessing from
    elsewhere cannot lock the owner out. The account is the email typed on the sign-in
    page, or the half-signed-in person's own on the code pages."""
    if current_user.is_authenticated:
        email = current_user.user.email
    else:
        email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}|address:{get_remote_address()}"


def _refused(response) -> bool:
    """Only refused attempts count towards the limits, never a sign-in that worked."""
    return response.status_code >= 400


# One rule for guessing, whatever is guessed: a wrong password and a wrong code count
# against the same limits (shared scopes), so the code does not get a budget of its own.
_limit_per_account = limiter.shared_limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"], scope="sign-in per account",
    key_func=_account_and_address_key, methods=["POST"], deduct_when=_refused)
_limit_per_address = limiter.shared_limit(
    lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], scope="sign-in per address",
    methods=["POST"], deduct_when=_refused)


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an address elsewhere (an open redirect), and never
    one with a control character (CR LF would try to start a header of its own)."""
    if not target or control_character_in(target, line_breaks=False):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@blueprint.route("/", methods=["GET"])
def home():
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@blueprint.route("/sign-in", methods=["GET", "POST"])
@_limit_per_account
@_limit_per_address
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = auth.authenticate(database(), form.email.data, form.password.data)
        except SignInRefused as error:
            # Beside the email only: the error summary links to it, so it is said once (B16).
            form.email.errors = list(form.email.errors) + [error.message]
        else:
            kept = keep_session_key()
            session.clear()  # a fresh session, so nothing from before signing in carries over
            if kept:  # but for the words typed before a timeout, which only their owner gets back
                session[SESSION_KEY] = kept
            token = auth.start_session(database(), user.id)
            login_user(SignedIn(user, token))
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
    return render_template("auth/sign_in.html", form=form), (200 if not form.errors else 400)


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():
    auth.end_session(database(), current_user.token)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"], methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        flash(ASK_YOUR_COORDINATOR, "info")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/forgot_password.html", form=form), (200 if not form.errors else 400)


@blueprint.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if request.method == "GET" and not auth.reset_link_works(database(), token):
        # Said at once, with no form to fill in for nothing (B24).
        return render_template("auth/reset_password.html", form=None, dead=True), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            auth.reset_password(database(), token, form.password.data)
        except WeakPassword as error:
            form.password.errors = list(form.password.errors) + [error.message]
        except ResetTokenInvalid as error:
            form.form_errors.append(error.message)
        else:
            flash("Your password has been changed. Please sign in.", "success")
            return redirect(url_for("auth.sign_in"))
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/reset_password.html", form=form), status


@blueprint.route("/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            auth.change_password(database(), current_user.user.id, current_user.token,
                                 form.current.data, form.password.data)
        except SignInRefused as error:
            form.current.errors = list(form.current.errors) + [error.message]
        except WeakPassword as error:
            form.password.errors = list(form.password.errors) + [error.message]
        else:
            flash("Your password has been changed. You are signed out everywhere else.", "success")
            return redirect(url_for("auth.home"))
    return render_template("auth/change_password.html", form=form), (200 if not form.errors else 400)


# ---------------------------------------------------------------- the second factor


def _sealing_key() -> str:
    return current_app.config["SECRET_KEY"]


def _after_code():
    return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
@_limit_per_account
@_limit_per_address
def second_factor_code():
    """The code from the app (or a recovery code), after the password."""
    if current_user.user.second_factor_given or not current_user.user.has_second_factor:
        return _after_code()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            verified = second_factor.verify(database(), current_user.user.id, current_user.token,
                                            form.code.data, sealing_key=_sealing_key())
        except CodeRefused as error:
            form.code.errors = list(form.code.errors) + [error.message]
        else:
            if verified.used_recovery_code:
                flash(f"You used a recovery code: {verified.recovery_codes_left} left. If your phone is "
                      "lost, ask a coordinator to reset your second factor.", "info")
            return _after_code()
    return render_template("auth/second_factor_code.html", form=form), (200 if not form.errors else 400)


@blueprint.route("/second-factor", methods=["GET", "POST"])
@_limit_per_account
@_limit_per_address
def second_factor_setup():
    """Set up an authenticator app: a QR code and the secret written out, then a first code."""
    if current_user.user.has_second_factor:
        return render_template("auth/second_factor_on.html",
                               left=second_factor.recovery_codes_left(database(), current_user.user.id))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_enrolment(database(), current_user.user.id, current_user.token,
                                                    form.code.data, sealing_key=_sealing_key())
        except CodeRefused as error:
            form.code.errors = list(form.code.errors) + [error.message]
        except Conflict:
            return redirect(url_for("auth.second_factor_setup"))
        else:
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next=_safe_next(request.args.get("next")) or url_for("auth.home"))
    enrolment = second_factor.begin_enrolment(database(), current_user.user.id, sealing_key=_sealing_key())
    qr = segno.make(enrolment.uri, error="m").svg_inline(
        scale=4, omitsize=True, title="QR code to scan with your authenticator app", svgclass="qr")
    return render_template("auth/second_factor_setup.html", form=form, secret=enrolment.secret,
                           spaced=" ".join(enrolment.secret[i:i + 4] for i in range(0, len(enrolment.secret), 4)),
                           qr=Markup(qr)), (200 if not form.errors else 400)
