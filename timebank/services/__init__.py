"""Use cases: one function per thing a user does, one database transaction each.

The web application and the CLI call only these. Each takes plain values and returns
plain frozen views, never ORM rows, so nothing outside this layer touches the session.
"""

# Entry points (the web application and the CLI) open the database through the service
# layer, so that nothing above it needs to know how the data layer is built.
from timebank.db.engine import Database

__all__ = ["Database"]
