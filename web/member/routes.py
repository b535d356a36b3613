"""Members' pages: PLACEHOLDER endpoints, to be replaced by the member pages."""
from flask import render_template

from web.member import blueprint


@blueprint.route("/")
def home():
    return render_template("errors/error.html", status=200, message="Member pages are being built.")


@blueprint.route("/ask")
def ask():
    return home()


@blueprint.route("/browse")
def browse():
    return home()


@blueprint.route("/log")
def log():
    return home()
