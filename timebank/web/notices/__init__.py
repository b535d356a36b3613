from flask import Blueprint

blueprint = Blueprint("notices", __name__)

from timebank.web.notices import routes  # noqa: E402,F401  (registers the views)
