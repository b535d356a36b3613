"""The coordinator's list of the bank's neighbourhoods: add one, or rename or move one.

Social workers choose an assessment's area from this list, and the matcher places a
person who gave no location at their neighbourhood's centre.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.services import places
from timebank.web.extensions import database
from timebank.web.places import blueprint
from timebank.web.places.forms import NeighbourhoodForm
from timebank.web.refusals import add_error, place


def _save(form, neighbourhood_id: int | None) -> bool:
    """Whether the form's neighbourhood was saved; if not, each problem is beside its field."""
    try:
        places.save_neighbourhood(database(), current_user.bank_slug, name=form.name.data,
                                  latitude=form.latitude.data, longitude=form.longitude.data,
                                  neighbourhood_id=neighbourhood_id)
    except domain.NeighbourhoodInvalid as error:
        for name, message in error.problems.items():
            add_error(form[name], message)
        return False
    except domain.TimebankError as error:
        place(form, error, {domain.NeighbourhoodTaken: "name"})
        return False
    return True


@blueprint.route("", methods=["GET", "POST"])
def index():
    form = NeighbourhoodForm()
    if form.validate_on_submit() and _save(form, None):
        flash(f"{form.name.data.strip()} added to the neighbourhoods.", "success")
        return redirect(url_for("places.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("places/index.html", form=form,
                           rows=places.list_neighbourhoods(database(), current_user.bank_slug)), status


@blueprint.route("/<int:neighbourhood_id>/edit", methods=["GET", "POST"])
def edit(neighbourhood_id: int):
    row = next((r for r in places.list_neighbourhoods(database(), current_user.bank_slug)
                if r.id == neighbourhood_id), None)
    if row is None:
        abort(404)
    form = NeighbourhoodForm()
    if request.method == "GET":
        form.name.data, form.latitude.data, form.longitude.data = row.name, str(row.latitude), str(row.longitude)
    elif form.validate_on_submit() and _save(form, neighbourhood_id):
        flash(f"{form.name.data.strip()} saved.", "success")
        return redirect(url_for("places.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("places/edit.html", form=form, row=row), status
