"""Flask extensions, created here and bound to each app in the factory."""
from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from timebank.services import Database

__all__ = ["csrf", "limiter", "login_manager", "database"]

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# Our sessions are checked on the server at every request; Flask-Login's own "strong"
# protection would add nothing, and "remember me" cookies are never issued.
login_manager.session_protection = None


def database() -> Database:
    return current_app.extensions["timebank_database"]
