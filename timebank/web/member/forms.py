"""Members' forms: few fields, plain labels, every rule's own words beside its field.

The services hold the rules (hours, days, limits, categories); these forms only check
what a person must fill in, so that a refused form says everything it can at once.
"""
from __future__ import annotations

import datetime as dt

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from timebank.web.forms import (
    DayField,
    HoursField,
    RecordingForm,
    TimebankForm,
    again_field,
    long_ago_field,
    options,
)

NOT_SURE = ("", "Not sure")
GAVE_OR_RECEIVED = "Say whether you gave the help or received it"


def _member_id(value):
    """A member id from the form, or None: the service says what is wrong with it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AskForm(RecordingForm):
    what = TextAreaField("What would you like help with?", validators=[
        DataRequired("Say what you would like help with"), Length(max=2000)])
    category = SelectField("What kind of help is it?", validate_choice=False, default="")
    when_text = StringField("Roughly when?", validators=[Length(max=200)])
    where_text = StringField("Where?", validators=[Length(max=200)])
    helper_notes = TextAreaField("Anything the helper must know", validators=[Length(max=2000)])
    again = again_field()


class OfferForm(RecordingForm):
    category = SelectField("What kind of help can you give?", validate_choice=False, default="")
    description = TextAreaField("What can you offer?", validators=[
        DataRequired("Say what you can offer"), Length(max=2000)])
    again = again_field()


class LogForm(RecordingForm):
    other_member = SelectField("Who was the other member?", coerce=_member_id,
                               validate_choice=False,
                               validators=[DataRequired("Choose the other member")])
    direction = RadioField("Did you give the help or receive it?", choices=options([
        ("gave", "I gave the help"), ("received", "I received the help")]),
        validate_choice=False, validators=[
            DataRequired(GAVE_OR_RECEIVED), AnyOf(("gave", "received"), GAVE_OR_RECEIVED)])
    hours = StringField("How long did it take?", validators=[DataRequired("Enter how long it took")])
    day = StringField("Which day?", default=lambda: dt.date.today().isoformat())
    category = SelectField("What kind of help was it?", validate_choice=False, default="")
    description = TextAreaField("What was done?", validators=[Length(max=2000)])
    long_ago = long_ago_field()
    again = again_field()


class DeclineForm(TimebankForm):
    """Declining an exchange someone logged: a second step, with a reason if they wish."""

    reason = TextAreaField("Why are you declining it? (optional)", validators=[Length(max=500)])


class AnswerForm(TimebankForm):
    """"I can help" on one request; one form per request, so each has its own prefix."""

    message = TextAreaField("A short message (optional)", validators=[Length(max=1000)])


class BrowseForm(TimebankForm):
    """The filters of the browse page: a GET form, so it changes nothing and needs no token."""

    class Meta:
        csrf = False

    category = SelectField("Kind of help", validate_choice=False, default="")
    area = SelectField("Area", validate_choice=False, default="")
    words = StringField("Words to look for", validators=[Length(max=100)])


WHERE_HINT = ("A neighbourhood or a public place. Don't put your home address here: tell it to your "
              "helper yourself once you have chosen them, or ask your coordinator to pass it on.")


class RequestHoursForm(RecordingForm):
    """The hours of a request with a chosen helper: the rest comes from the request."""

    hours = HoursField("How long did the help take?", validators=[
        DataRequired("Enter how long the help took")])
    day = DayField("Which day was it?", default=lambda: dt.date.today().isoformat(),
                   validators=[DataRequired("Enter the day of the help")])


class AskPersonForm(RecordingForm):
    """"Ask this person": a request made to the member behind one offer."""

    what = TextAreaField("What would you like help with?", validators=[
        DataRequired("Say what you would like help with"), Length(max=2000)])
    when_text = StringField("Roughly when?", validators=[Length(max=200)])
    where_text = StringField("Where?", validators=[Length(max=200)])


class ContactForm(TimebankForm):
    """What the member they are put in touch with may see."""

    share_phone = BooleanField("Share my phone number")
    share_email = BooleanField("Share my email address")


class ConfirmForm(TimebankForm):
    """A yes to "are you sure?": only its token."""


class RenewForm(RecordingForm):
    """Renew a request or an offer: one click, listed again from today."""
