from flask import Blueprint

blueprint = Blueprint("auth", __name__)

from timebank.web.auth import routes  # noqa: E402,F401  (registers the views)
