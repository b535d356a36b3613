from flask import Blueprint

blueprint = Blueprint("reports", __name__, url_prefix="/coordinator/reports")

from timebank.web.reports import routes  # noqa: E402,F401  (registers the views)
