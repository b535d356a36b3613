"""Errors mapped to HTTP in one place: no stack trace ever reaches a person."""
from __future__ import annotations

import logging

from flask import Flask, render_template

from timebank.domain.errors import TimebankError

log = logging.getLogger("timebank.web")


def init_app(app: Flask) -> None:
    @app.errorhandler(TimebankError)
    def refused(error: TimebankError):
        # Each error class says its own status (`timebank.domain.errors`): a record of
        # another bank is a 404, as if it did not exist.
        status = error.http_status
        return render_template("errors/error.html", status=status, message=error.message), status

    for status, message in (
        (400, "The request could not be understood."),
        (403, "You do not have permission to see that page."),
        (404, "There is no such page."),
        (405, "That page cannot be used in that way."),
        (413, "The file is too large."),
        (429, "Too many attempts. Please wait a few minutes and try again."),
    ):
        app.register_error_handler(status, _page(status, message))

    @app.errorhandler(500)
    def server_error(error):
        log.exception("unexpected error", exc_info=getattr(error, "original_exception", error))
        return render_template("errors/error.html", status=500,
                               message="Something went wrong on our side. Please try again."), 500


def _page(status: int, message: str):
    def handler(error):
        from flask_wtf.csrf import CSRFError

        text = message
        if isinstance(error, CSRFError):
            text = "This form had expired. Please go back, reload the page and send it again."
        return render_template("errors/error.html", status=status, message=text), status

    return handler
