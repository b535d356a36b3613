"""Subject access, erasure, retention and consent withdrawal: coordinators' and social
workers' pages (issue 13), kept apart from the pages they are linked from."""
from flask import Blueprint

blueprint = Blueprint("privacy", __name__)

from timebank.web.privacy import routes  # noqa: E402,F401  (registers the views)
