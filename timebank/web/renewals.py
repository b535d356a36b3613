"""Renew, as members and coordinators both press it: one click lists an expired request
or offer again from today. Written once; the two blueprints differ only in whose it is,
where they go back to and what they say."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.web.extensions import database
from timebank.web.refusals import told


def renew_listing(renew: Callable, find: Callable, row_id: int, *, form, member_id: int | None, back: str,
                  said: Callable[[object], str]):
    """Renew row `row_id` with `renew` as `member_id` (None: a coordinator, for its
    member), then back to `back` saying `said(renewed)`. A second click the same day
    changes nothing. A form that expired is refused, but only after `find` has answered
    404 for another bank's row or nobody's, as everywhere."""
    db, slug = database(), current_user.bank_slug
    if not form.validate_on_submit():
        find(db, slug, row_id, seen_by=member_id)
        flash("Nothing was changed: this page had expired. Please try again.", "error")
        return redirect(back)
    try:
        renewed = renew(db, slug, row_id, member_id=member_id)
    except domain.Conflict as error:
        flash(f"Nothing was changed. {told(error)}", "error")
        return redirect(back)
    flash(said(renewed), "success")
    return redirect(back)
