from flask import Blueprint

blueprint = Blueprint("categories", __name__, url_prefix="/coordinator/categories")

from timebank.web.categories import routes  # noqa: E402,F401  (registers the views)
