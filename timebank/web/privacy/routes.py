"""Privacy pages: a member's or an assessment's file (one zip: JSON and a page to read),
erasing a member, the bank's retention, withdrawing consent. Thin: one service each."""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.services import banks, consent, members, retention, subject_access
from timebank.services.erasure import erase_member
from timebank.web.extensions import database
from timebank.web.privacy import blueprint
from timebank.web.privacy.forms import EraseForm, RetentionForm, WithdrawalForm
from timebank.web.refusals import place


def _zip(file: subject_access.SubjectFile) -> Response:
    return Response(subject_access.as_zip(file), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{file.filename}"',
                             "Cache-Control": "no-store"})


# ---------------------------------------------------------------- coordinators


@blueprint.route("/coordinator/members/<int:member_id>/privacy", methods=["GET"])
def member_privacy(member_id: int):
    member = members.get_member(database(), current_user.bank_slug, member_id)
    return render_template("privacy/member.html", member=member, form=EraseForm(formdata=None))


@blueprint.route("/coordinator/members/<int:member_id>/record.zip", methods=["GET"])
def member_file(member_id: int):
    return _zip(subject_access.member_file(database(), current_user.user, current_user.bank_slug, member_id))


@blueprint.route("/coordinator/members/<int:member_id>/erase", methods=["POST"])
def erase(member_id: int):
    members.get_member(database(), current_user.bank_slug, member_id)  # another bank's: 404 first
    form = EraseForm()
    if not form.validate_on_submit():
        abort(400)
    erased = erase_member(database(), current_user.bank_slug, member_id, actor=current_user.user)
    flash(f"Member #{member_id} was erased already." if erased.already else
          f"Member #{member_id} is erased: they now read as a former member; their exchanges and "
          "balances are kept.", "success")
    return redirect(url_for("coordinator.member", member_id=member_id))


@blueprint.route("/coordinator/retention", methods=["GET", "POST"])
def retention_settings():
    db, slug = database(), current_user.bank_slug
    bank = banks.get_bank(db, slug)
    posted = request.method == "POST"
    if posted:
        form = RetentionForm()
    else:
        kept = retention.retention_years(db, slug)
        form = RetentionForm(formdata=None, years=kept.years, closed_member_years=kept.closed_member_years)
    if posted and form.validate_on_submit():
        try:
            retention.set_retention_years(db, slug, form.years.data, closed_member_years=form.closed_member_years.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "years"})
        else:
            flash(f"Assessments and closed introductions are kept {form.years.data} years after the last contact; "
                  f"closed members {form.closed_member_years.data} years after they closed.", "success")
            return redirect(url_for("privacy.retention_settings"))
    return render_template("privacy/retention.html", form=form, bank=bank), 400 if form.errors else 200


# ---------------------------------------------------------------- social workers


@blueprint.route("/social/assessments/<int:assessment_id>/privacy", methods=["GET", "POST"])
def assessment_privacy(assessment_id: int):
    db, actor = database(), current_user.user
    person = consent.get_consent(db, actor, assessment_id)
    withdrawn = person.withdrawal
    posted = request.method == "POST"
    form = WithdrawalForm() if posted else WithdrawalForm(formdata=None, withdrawn_on=dt.date.today().isoformat())
    if posted and withdrawn is None and form.validate_on_submit():
        try:
            consent.withdraw_consent(db, actor, assessment_id, withdrawn_on=form.withdrawn_on.day,
                                     note=form.note.data)
        except domain.TimebankError as error:
            place(form, error, {domain.DayInFuture: "withdrawn_on", domain.InvalidInput: "note"})
        else:
            flash("Consent is withdrawn: the person is out of every match run, and their assessment is hidden.",
                  "success")
            return redirect(url_for("social.assessment", assessment_id=assessment_id))
    return (render_template("privacy/assessment.html", assessment_id=assessment_id, person=person,
                            withdrawn=withdrawn, form=form),
            400 if form.errors else 200)


@blueprint.route("/social/assessments/<int:assessment_id>/record.zip", methods=["GET"])
def assessment_file(assessment_id: int):
    return _zip(subject_access.assessment_file(database(), current_user.user, assessment_id))
