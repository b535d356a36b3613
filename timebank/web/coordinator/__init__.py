from flask import Blueprint

blueprint = Blueprint("coordinator", __name__, url_prefix="/coordinator")

from timebank.web.coordinator import paper, requests, routes  # noqa: E402,F401  (registers the views)
