"""Forms of the notices' pages: the tick boxes are the kinds, read from the domain."""
from __future__ import annotations

from timebank.web.forms import TimebankForm

__all__ = ["ChoicesForm", "ActionForm"]


class ChoicesForm(TimebankForm):
    """"Messages we send you": one tick box per kind, named `kind`, read as a list."""


class ActionForm(TimebankForm):
    """A button that changes one notice (told, send again): its CSRF token only."""
