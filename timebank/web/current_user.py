"""The signed-in person, as Flask-Login sees them.

`get_id` is the server-side session token, not the user id: Flask-Login keeps it in the
cookie, and each request looks it up, so ending the session on the server ends it for
every copy of the cookie.
"""
from __future__ import annotations

from flask import current_app
from flask_login import UserMixin

from timebank.services import auth
from timebank.web.extensions import database, login_manager

__all__ = ["SignedIn"]


class SignedIn(UserMixin):
    def __init__(self, user: auth.UserView, token: str):
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return self.token

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def bank_slug(self) -> str:
        return self.user.bank_slug

    @property
    def member_id(self) -> int | None:
        return self.user.member_id

    @property
    def name(self) -> str:
        return self.user.name


@login_manager.user_loader
def load_user(token: str) -> SignedIn | None:
    user = auth.session_user(database(), token, idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
                             max_hours=current_app.config["SESSION_MAX_HOURS"])
    return SignedIn(user, token) if user else None
