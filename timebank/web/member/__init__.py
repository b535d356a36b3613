from flask import Blueprint

blueprint = Blueprint("member", __name__, url_prefix="/member")

from timebank.web.member import journey, routes  # noqa: E402,F401  (registers the views)
