"""The coordinator's list of the bank's services (categories): add, rename, retire.

A category is never deleted (exchanges and requests keep pointing at it): it is retired,
and can be offered again later.
"""
from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.services import banks
from timebank.web.categories import blueprint
from timebank.web.categories.forms import CategoryForm
from timebank.web.extensions import database

RECENT_KEYS = 20  # form keys remembered per session, to spot a form sent twice


def _rows():
    return banks.category_rows(database(), current_user.bank_slug)


def _short_name(name: str) -> str:
    """A category's stable short name, made from its first name: "Dog walking" -> dog_walking."""
    return re.sub(r"[^a-z0-9]+", "_", (name or "").lower()).strip("_")[:64]


def _replayed(form):
    target = session.get("category_keys", {}).get(form.idempotency_key.data or "")
    return redirect(target) if target else None


def _remember(form, target: str) -> str:
    keys = dict(list(session.get("category_keys", {}).items())[-(RECENT_KEYS - 1):])
    keys[form.idempotency_key.data] = target
    session["category_keys"] = keys
    return target


def _save(form, slug: str) -> bool:
    try:
        banks.save_category(database(), current_user.bank_slug, category=slug, name=form.name.data,
                            description=form.description.data or "", active=form.active.data)
    except domain.InvalidInput as error:
        form.form_errors.append(error.message)
        return False
    return True


@blueprint.route("", methods=["GET", "POST"])
def index():
    form = CategoryForm()
    rows = _rows()
    if form.validate_on_submit():
        replayed = _replayed(form)
        if replayed:
            return replayed
        slug = _short_name(form.name.data)
        if not slug:
            form.name.errors = list(form.name.errors) + ["Use letters or digits in the name."]
        elif slug in {row[0] for row in rows}:
            form.name.errors = list(form.name.errors) + [
                "There is already a service with this name: change that one instead."]
        elif _save(form, slug):
            flash(f"{form.name.data.strip()} added to the services.", "success")
            return redirect(_remember(form, url_for("categories.index")))
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
    elif form.validate_on_submit():
        replayed = _replayed(form)
        if replayed:
            return replayed
        if _save(form, category):
            flash(f"{form.name.data.strip()} saved.", "success")
            return redirect(_remember(form, url_for("categories.index")))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("categories/edit.html", form=form, row=row), status
