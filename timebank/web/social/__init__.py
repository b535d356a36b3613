from flask import Blueprint

blueprint = Blueprint("social", __name__, url_prefix="/social")

from timebank.web.social import follow_ups, routes  # noqa: E402,F401  (registers the views)
