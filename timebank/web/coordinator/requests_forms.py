"""The coordinator's forms for requests, answers and offers, acting for members who
cannot sign in (or need a hand)."""
from __future__ import annotations

import datetime as dt

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from timebank.web.coordinator.forms import MemberField
from timebank.web.forms import DayField, HoursField, RecordingForm, TimebankForm


class AskForForm(RecordingForm):
    member = MemberField("Who needs help?", missing="Choose the member who needs help")
    what = TextAreaField("What would they like help with?", validators=[
        DataRequired("Say what they would like help with"), Length(max=2000)])
    category = SelectField("What kind of help is it?", validate_choice=False, default="")
    when_text = StringField("Roughly when?", validators=[Length(max=200)])
    where_text = StringField("Where?", validators=[Length(max=200)])
    helper_notes = TextAreaField("Anything the helper must know", validators=[Length(max=2000)])


class AnswerForForm(TimebankForm):
    member = MemberField("Who can help?", missing="Choose the member who can help")
    message = TextAreaField("Their message (optional)", validators=[Length(max=1000)])


class AskPersonForForm(RecordingForm):
    member = MemberField("Who is asking?", missing="Choose the member who is asking")
    what = TextAreaField("What would they like help with?", validators=[
        DataRequired("Say what they would like help with"), Length(max=2000)])
    when_text = StringField("Roughly when?", validators=[Length(max=200)])


class RequestHoursForForm(RecordingForm):
    hours = HoursField("How long did the help take?", validators=[DataRequired("Enter how long the help took")])
    day = DayField("Which day was it?", default=lambda: dt.date.today().isoformat(),
                   validators=[DataRequired("Enter the day of the help")])


class ContactForForm(TimebankForm):
    share_phone = BooleanField("They agree to share their phone number")
    share_email = BooleanField("They agree to share their email address")


class ConfirmForm(TimebankForm):
    """A yes to "are you sure?": only its token."""


class RenewForForm(RecordingForm):
    """Renew a member's request or offer for them: one click, listed again from today."""
