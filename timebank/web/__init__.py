"""The web application: an application factory, one blueprint per kind of user.

Views call `timebank.services`, one use case per view; they may also use `timebank.domain`
for its errors, hours and constants; they never touch the database layer or open a
transaction (tests/unit/test_architecture.py). What several blueprints share is written
once beside them: `forms` (fields and the hidden key),
`refusals` (a refusal placed on its form), `downloads` (CSV), `words` (how pages say
hours and days) and `errors` (errors as HTTP statuses).
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

__all__ = ["create_app"]


class RowIdConverter(IntegerConverter):
    """An id in a URL: 1 up to the largest id both databases can store."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    from timebank.services import Database
    from timebank.web import errors, security, words
    from timebank.web.auth import blueprint as auth_blueprint
    from timebank.web.categories import blueprint as categories_blueprint
    from timebank.web.coordinator import blueprint as coordinator_blueprint
    from timebank.web.extensions import csrf, limiter, login_manager
    from timebank.web.member import blueprint as member_blueprint
    from timebank.web.notices import blueprint as notices_blueprint
    from timebank.web.places import blueprint as places_blueprint
    from timebank.web.privacy import blueprint as privacy_blueprint
    from timebank.web.reports import blueprint as reports_blueprint
    from timebank.web.social import blueprint as social_blueprint

    app = Flask(__name__, instance_path=str(Path(os.environ.get("TIMEBANK_INSTANCE", "instance")).resolve()))
    app.config.update(
        DATABASE_URL=os.environ.get("TIMEBANK_DATABASE_URL"),
        SECRET_KEY=os.environ.get("TIMEBANK_SECRET_KEY"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("TIMEBANK_SECURE_COOKIES") == "1",
        SESSION_IDLE_MINUTES=int(os.environ.get("TIMEBANK_SESSION_IDLE_MINUTES", "30")),
        # However active, a session ends this long after signing in.
        SESSION_MAX_HOURS=int(os.environ.get("TIMEBANK_SESSION_MAX_HOURS", "12")),
        RATELIMIT_STORAGE_URI=os.environ.get("TIMEBANK_RATELIMIT_STORAGE", "memory://"),
        # "fast" only for tests and throwaway demonstrations (timebank.domain.passwords).
        PASSWORD_HASHING="standard",
        RATELIMIT_HEADERS_ENABLED=False,
        # A moving window: the last minute, whatever the clock says, so a guesser cannot
        # spend a minute's allowance on each side of a minute's turn.
        RATELIMIT_STRATEGY="moving-window",
        # Said outright: the limiter is one object for every app in the process, and an
        # app made with it off (a test's) would otherwise leave it off for the next.
        RATELIMIT_ENABLED=True,
        # Refused sign-ins only. Per account and address together, in steps, so each
        # further guess waits longer (a minute, then an hour, then a day); per address
        # across every account, so one address cannot try many accounts.
        SIGN_IN_LIMIT_PER_ACCOUNT="5 per minute; 10 per hour; 20 per day",
        SIGN_IN_LIMIT_PER_ADDRESS="50 per 15 minutes",
        # Staff (who read assessments and move hours) must set up an authenticator app at
        # their first sign-in. Only "0" turns this off, for a throwaway demonstration; a
        # sign-in that has a factor is asked for its code whatever this says.
        STAFF_SECOND_FACTOR_REQUIRED=os.environ.get("TIMEBANK_STAFF_SECOND_FACTOR_REQUIRED", "1") != "0",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the server-side session
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,  # CSV uploads of hours are small
    )
    if config:
        app.config.update(config)
    if not app.config["SECRET_KEY"]:
        from timebank.services.settings import instance_secret

        app.config["SECRET_KEY"] = instance_secret(Path(app.instance_path))

    app.extensions["timebank_database"] = _database(app.config, config or {}, Database)
    # The role check first: a refused role is told the page is not theirs (403), whatever
    # its form token; then CSRF, for the roles that may post.
    security.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    # Every <int:...> in a URL is a row's id: one no database column can hold is no row
    # (404), rather than an overflow in the driver (SQLite's ids are 64 bits, PostgreSQL's 32).
    app.url_map.converters["int"] = RowIdConverter
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(member_blueprint)
    app.register_blueprint(coordinator_blueprint)
    app.register_blueprint(reports_blueprint)
    app.register_blueprint(social_blueprint)
    app.register_blueprint(categories_blueprint)
    app.register_blueprint(places_blueprint)
    app.register_blueprint(privacy_blueprint)
    app.register_blueprint(notices_blueprint)
    errors.init_app(app)
    words.init_app(app)
    logging.getLogger("timebank").setLevel(logging.INFO)
    return app


def _database(config, given: dict, make):
    """The DATABASE given, whose hashing cost then rules, or one made from DATABASE_URL
    with the PASSWORD_HASHING asked for."""
    database = config.get("DATABASE")
    if database is None:
        return make(config["DATABASE_URL"], password_hashing=config["PASSWORD_HASHING"])
    if given.get("PASSWORD_HASHING", database.password_hashing) != database.password_hashing:
        raise ValueError(f"PASSWORD_HASHING is {given['PASSWORD_HASHING']!r} but the DATABASE given "
                         f"hashes with {database.password_hashing!r}.")
    config["PASSWORD_HASHING"] = database.password_hashing
    return database
