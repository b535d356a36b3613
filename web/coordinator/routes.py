"""Coordinators' pages: PLACEHOLDER endpoints, to be replaced by the coordinator pages."""
from flask import render_template

from web.coordinator import blueprint


@blueprint.route("/")
def home():
    return render_template("errors/error.html", status=200, message="Coordinator pages are being built.")


@blueprint.route("/members")
def members():
    return home()


@blueprint.route("/log")
def log():
    return home()


@blueprint.route("/pending")
def pending():
    return home()


@blueprint.route("/settings")
def settings():
    return home()
