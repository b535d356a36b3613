from flask import Blueprint

blueprint = Blueprint("places", __name__, url_prefix="/coordinator/neighbourhoods")

from timebank.web.places import routes  # noqa: E402,F401  (registers the views)
