"""The notices' pages: a member's "Messages we send you", the one-click unsubscribe link
of each email, and the coordinator's Messages list and letters for members without email.

Thin views over `timebank.services.notices`; the worker that sends is on the command line.
"""
from __future__ import annotations

import datetime as dt
import os

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.domain.notices import NOTICE_STATES
from timebank.services import banks, notices
from timebank.web.extensions import csrf, database
from timebank.web.notices import blueprint
from timebank.web.notices.forms import ActionForm, ChoicesForm

__all__ = ["base_url"]

STATE_WORDS = {"waiting": "Waiting", "sending": "Sending now", "sent": "Sent", "failed": "Refused, will try again",
               "given_up": "Given up"}


def base_url() -> str:
    """Where links in notices point: `TIMEBANK_BASE_URL`, as the worker reads it, or this site."""
    return os.environ.get("TIMEBANK_BASE_URL") or request.url_root


# ---------------------------------------------------------------- members


@blueprint.route("/member/messages", methods=["GET", "POST"])
def member_messages():
    db, slug, me = database(), current_user.bank_slug, current_user.member_id
    form = ChoicesForm()
    if form.validate_on_submit():
        wanted = set(request.form.getlist("kind"))
        try:
            notices.set_turned_off(db, slug, me, wanted_kinds=wanted)
        except domain.InvalidInput as error:
            flash(f"Nothing was changed. {error.message}", "error")
        else:
            flash("Thank you. Your choice is saved.", "success")
        return redirect(url_for("notices.member_messages"))
    return render_template("notices/member_messages.html", form=form, sent=notices.sent_to_member(db, slug, me),
                           choices=notices.kind_choices(db, slug, me), latest=notices.LATEST_FOR_MEMBER)


@csrf.exempt
@blueprint.route("/messages/stop/<token>", methods=["GET", "POST"])
def stop(token: str):
    """The link in each email: a page with one button; a mail program's one-click
    unsubscribe (RFC 8058) posts to it directly, so it takes no form token: the signed
    link is the proof."""
    key = current_app.config["SECRET_KEY"]
    if request.method == "POST":
        try:
            label = notices.turn_off_by_link(database(), token, key=key)
        except (domain.NoticeLinkInvalid, domain.UnknownMember) as error:
            return render_template("notices/stop.html", problem=error.message), 400
        return render_template("notices/stop.html", done=label)
    try:
        _member_id, kind = notices.read_link(token, key=key)
    except domain.NoticeLinkInvalid as error:
        return render_template("notices/stop.html", problem=error.message), 400
    return render_template("notices/stop.html", label=notices.kind_label(kind))


# ---------------------------------------------------------------- coordinators


def _page_argument() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@blueprint.get("/coordinator/messages")
def messages():
    state = request.args.get("state") or None
    found = notices.notice_page(database(), current_user.bank_slug, page=_page_argument(),
                                state=state if state in NOTICE_STATES else None)
    return render_template("notices/messages.html", found=found, state=state if state in NOTICE_STATES else "",
                           states=STATE_WORDS, form=ActionForm())


@blueprint.post("/coordinator/messages/<int:notice_id>/send-again")
def send_again(notice_id: int):
    if ActionForm().validate_on_submit():
        try:
            notices.send_again(database(), current_user.bank_slug, notice_id)
        except domain.InvalidInput as error:
            flash(f"Nothing was changed. {error.message}", "error")
        else:
            flash(f"Message {notice_id} will be sent again at the worker's next pass.", "success")
    return redirect(url_for("notices.messages", state="given_up"))


@blueprint.post("/coordinator/messages/<int:notice_id>/told")
def told(notice_id: int):
    if ActionForm().validate_on_submit():
        try:
            notices.told(database(), current_user.bank_slug, notice_id, told_by=f"coordinator:{current_user.user.id}")
        except domain.InvalidInput as error:
            flash(f"Nothing was changed. {error.message}", "error")
        else:
            flash("Thank you. It is marked as told.", "success")
    return redirect(url_for("coordinator.calls") + "#to-tell")


@blueprint.get("/coordinator/messages/<int:notice_id>/letter")
def letter(notice_id: int):
    [found] = notices.to_tell(database(), current_user.bank_slug, base_url=base_url(), notice_id=notice_id)
    return render_template("notices/letter.html", n=found, today=dt.date.today(),
                           contact_phone=banks.get_bank(database(), current_user.bank_slug).contact_phone)
