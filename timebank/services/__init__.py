"""Use cases: one function per thing a user does, one database transaction each.

The web application and the CLI call only these. Each takes plain values and returns
plain frozen views, never ORM rows, so nothing outside this layer touches the session.
"""
