"""The coordinator's list of the bank's services (categories): add, rename, retire.

A category is never deleted (exchanges and requests keep pointing at it): it is retired,
and can be offered again later.
"""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.services import banks, service_examples
from timebank.web.categories import blueprint
from timebank.web.categories.forms import CategoryForm, ExamplesForm
from timebank.web.extensions import database
from timebank.web.refusals import add_error, place


def _rows():
    return banks.category_rows(database(), current_user.bank_slug)


def _short_name(name: str) -> str:
    """A category's stable short name, made from its first name: "Dog walking" -> dog_walking."""
    return re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")[:64]


def _save(form, slug: str, *, adding: bool = False):
    """Save the form's category; whether the same form had already saved it, or None when
    refused (the refusal is on the form)."""
    try:
        return banks.save_category(database(), current_user.bank_slug, category=slug, name=form.name.data,
                                   description=form.description.data or "", active=form.active.data,
                                   adding=adding, idempotency_key=form.idempotency_key.data)
    except domain.TimebankError as error:
        place(form, error, {domain.CategoryTaken: "name"})
        return None


@blueprint.route("", methods=["GET", "POST"])
def index():
    form = CategoryForm()
    rows = _rows()
    if form.validate_on_submit():
        slug = _short_name(form.name.data)
        if not slug:
            add_error(form.name, "Use letters or digits in the name.")
        elif (replayed := _save(form, slug, adding=True)) is not None:
            added = "was already added to" if replayed else "added to"
            flash(f"{form.name.data.strip()} {added} the services.", "success")
            return redirect(url_for("categories.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("categories/index.html", form=form, rows=rows), status


@blueprint.route("/<category>/edit", methods=["GET", "POST"])
def edit(category: str):
    row = next((r for r in _rows() if r[0] == category), None)
    if row is None:
        abort(404)
    form = CategoryForm()
    if request.method == "GET":
        form.name.data, form.description.data, form.active.data = row[1], row[2], row[3]
    elif form.validate_on_submit() and _save(form, category) is not None:
        flash(f"{form.name.data.strip()} saved.", "success")
        return redirect(url_for("categories.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("categories/edit.html", form=form, row=row), status


@blueprint.route("/<category>/examples", methods=["GET", "POST"])
def examples(category: str):
    """A service's example sentences, which teach the matcher the bank's own words."""
    row = next((r for r in _rows() if r[0] == category), None)
    if row is None:
        abort(404)
    form = ExamplesForm()
    if request.method == "GET":
        form.examples.data = "\n".join(service_examples.service_examples(database(), current_user.bank_slug,
                                                                         category))
    elif form.validate_on_submit():
        try:
            kept = service_examples.set_service_examples(database(), current_user.bank_slug, category,
                                                         form.examples.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "examples"})
        else:
            flash(f"{row[1]}: {len(kept)} example sentence{'s' if len(kept) != 1 else ''} kept.", "success")
            return redirect(url_for("categories.index"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("categories/examples.html", form=form, row=row), status
