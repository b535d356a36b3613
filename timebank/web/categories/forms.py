"""The coordinator's forms for the bank's list of services."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

EXPIRED = "This form had expired. Please check it and send it again."


class CategoryForm(FlaskForm):
    key = HiddenField(validators=[InputRequired(EXPIRED), Length(max=120, message=EXPIRED)])
    name = StringField("Name", validators=[DataRequired("Enter the service's name."),
                                           Length(max=200, message="Keep the name to 200 characters.")])
    description = TextAreaField("Description (optional)", validators=[
        Length(max=1000, message="Keep the description to 1000 characters.")])
    active = BooleanField("Offered: members and social workers can choose it", default=True)
