"""The coordinator's forms for the bank's list of services."""
from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from timebank.web.forms import RecordingForm


class CategoryForm(RecordingForm):
    name = StringField("Name", validators=[DataRequired("Enter the service's name."),
                                           Length(max=200, message="Keep the name to 200 characters.")])
    description = TextAreaField("Description (optional)", validators=[
        Length(max=1000, message="Keep the description to 1000 characters.")])
    active = BooleanField("Offered: members and social workers can choose it", default=True)
