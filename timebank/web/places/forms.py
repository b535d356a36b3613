"""The coordinator's form for the bank's neighbourhoods."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from timebank.web.forms import TimebankForm


class NeighbourhoodForm(TimebankForm):
    """A name and a centre point; adding the same name twice is refused by the service,
    so a form sent twice adds one neighbourhood."""

    name = StringField("Name", validators=[DataRequired("Say the neighbourhood's name."),
                                           Length(max=120, message="Keep the name to 120 characters.")])
    latitude = StringField("Centre: latitude")
    longitude = StringField("Centre: longitude")
