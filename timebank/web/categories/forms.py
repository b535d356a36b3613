"""The coordinator's forms for the bank's list of services."""
from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from timebank.web.forms import RecordingForm, TimebankForm


class CategoryForm(RecordingForm):
    name = StringField("Name", validators=[DataRequired("Enter the service's name."),
                                           Length(max=200, message="Keep the name to 200 characters.")])
    description = TextAreaField("Description (optional)", validators=[
        Length(max=1000, message="Keep the description to 1000 characters.")])
    active = BooleanField("Offered: members and social workers can choose it", default=True)


class ExamplesForm(TimebankForm):
    """A service's example sentences, one a line: what people say when they mean it.
    Saving replaces the list, so a form sent twice keeps the same sentences."""

    examples = TextAreaField("Example sentences, one a line", validators=[
        Length(max=12000, message="Keep the examples to 20 lines of up to 500 characters.")])
