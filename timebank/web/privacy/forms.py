"""The forms of the privacy pages."""
from __future__ import annotations

import datetime as dt

from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, ValidationError

from timebank.domain.privacy import MAX_NOTE_CHARS, MAX_RETENTION_YEARS
from timebank.web.forms import DayField, TimebankForm

__all__ = ["EraseForm", "RetentionForm", "WithdrawalForm"]


class EraseForm(TimebankForm):
    """The confirmation page's answer: a request without it (a stray POST) erases nothing."""

    confirm = HiddenField(validators=[AnyOf(["erase"], message="Confirm on the member's privacy page.")])


_WHOLE_YEARS = f"Enter a whole number of years from 1 to {MAX_RETENTION_YEARS}."


class RetentionForm(TimebankForm):
    years = IntegerField("Years to keep assessments and closed introductions after the last contact",
                         validators=[InputRequired(_WHOLE_YEARS), NumberRange(1, MAX_RETENTION_YEARS, _WHOLE_YEARS)])
    closed_member_years = IntegerField("Years to keep a closed member's record after they closed",
                                       validators=[InputRequired(_WHOLE_YEARS),
                                                   NumberRange(1, MAX_RETENTION_YEARS, _WHOLE_YEARS)])


class WithdrawalForm(TimebankForm):
    withdrawn_on = DayField("Day the person withdrew consent",
                            validators=[InputRequired("Enter the day the person withdrew consent.")])
    note = TextAreaField("How they withdrew it", validators=[
        DataRequired("Say how the person withdrew consent, for example: by phone to me."),
        Length(max=MAX_NOTE_CHARS, message=f"Keep the note to {MAX_NOTE_CHARS} characters.")])

    def validate_withdrawn_on(self, field) -> None:
        if field.day is not None and field.day > dt.date.today():
            raise ValidationError("The day consent was withdrawn cannot be in the future.")
