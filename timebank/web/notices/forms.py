"""Forms of the notices' pages: the tick boxes are the kinds, read from the domain."""
from __future__ import annotations

from flask_wtf import FlaskForm

__all__ = ["ChoicesForm", "ActionForm"]


class ChoicesForm(FlaskForm):
    """"Messages we send you": one tick box per kind, named `kind`, read as a list."""


class ActionForm(FlaskForm):
    """A button that changes one notice (told, send again): its CSRF token only."""
