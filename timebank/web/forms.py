"""Form plumbing every blueprint shares: amounts, days, choices and the hidden key.

Fields keep what was typed, so a refused form shows it back; what they read is kept
beside it (`.minutes`, `.day`). The services check every rule again: a field only says
early, in the form's own words, what the service would refuse.
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import BooleanField, FieldList, FormField, HiddenField, SelectChoice, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from timebank.domain.errors import InvalidHours, InvalidInput
from timebank.domain.hours import parse_hours, parse_signed_hours
from timebank.domain.text import refuse_control_characters
from timebank.web import kept_words

__all__ = [
    "EXPIRED",
    "KEY_REUSED",
    "new_key",
    "options",
    "HoursField",
    "SignedHoursField",
    "DayField",
    "TimebankForm",
    "RecordingForm",
    "AGAIN",
    "LONG_AGO",
    "again_field",
    "long_ago_field",
]

AGAIN = "Yes, record it again"
LONG_AGO = "Yes, it was more than a year ago"

EXPIRED = "This form had expired. Please check it and send it again."
KEY_REUSED = ("This form was already sent with other details, and what it sent first was "
              "recorded. Check the details and send it again to record this as well.")


def new_key() -> str:
    """A fresh idempotency key for a form that records something."""
    return secrets.token_urlsafe()


def again_field():
    """The box a person ticks to record something that looks like one recorded a moment
    ago (`LooksLikeDuplicate`); shown only once the form has been refused for it."""
    return BooleanField(AGAIN)


def long_ago_field():
    """The box a person ticks to keep a day more than a year back (`DayLongAgo`)."""
    return BooleanField(LONG_AGO)


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select or radios."""
    return [SelectChoice(value, label) for value, label in pairs]


class HoursField(StringField):
    """Hours as people type them: 1.5, 1h30m or 1:30. `.minutes` is set once valid."""

    minutes: int | None = None

    def pre_validate(self, form) -> None:
        self.minutes = None
        try:
            self.minutes = parse_hours(self.data)
        except InvalidHours as error:
            raise ValidationError(error.message) from None


class SignedHoursField(StringField):
    """How far a balance may go, in hours, zero allowed; `.minutes` holds the size.

    The label says which side of zero the limit is on, so "10" and "-10" under "hours a
    member may owe" mean the same thing and neither can be misread. Empty leaves
    `.minutes` None, for Optional or InputRequired to decide.
    """

    minutes: int | None = None

    def pre_validate(self, form) -> None:
        self.minutes = None
        if not (self.data or "").strip():
            return
        try:
            self.minutes = abs(parse_signed_hours(self.data))
        except InvalidHours as error:
            raise ValidationError(error.message) from None


class DayField(StringField):
    """A day as YYYY-MM-DD (what a date input sends). `.day` is set once valid, else None."""

    day: dt.date | None = None

    def pre_validate(self, form) -> None:
        self.day = None
        text = (self.data or "").strip()
        if not text:
            return  # Optional or InputRequired decide
        try:
            self.day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                f"Enter a real day as YYYY-MM-DD, for example {dt.date.today().isoformat()}."
            ) from None


def _typed_fields(fields):
    """Every field a person fills in, inside rows (FieldList) and sub-forms (FormField) too."""
    for field in fields:
        if isinstance(field, FieldList):
            yield from _typed_fields(field.entries)
        elif isinstance(field, FormField):
            yield from _typed_fields(field.form)
        else:
            yield field


class TimebankForm(FlaskForm):
    """The form every page's form is made from: no field may carry a control character.

    Checked once here, for every field of every form (sign-in included), rather than by a
    validator on each field that a new field could forget: a NUL byte cannot be stored by
    PostgreSQL, and the other control characters hide or rewrite text. The services
    refuse them too (`timebank.domain.text`); this puts the refusal beside the field.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # A page shown after signing in again, when a timeout had stopped this form
            # being sent: the form comes back filled in with what was typed, unsent.
            if formdata is _Auto and request.method == "GET" and current_user.is_authenticated:
                kept = kept_words.take(current_user.user.id, {f.name for f in form})
                if kept is not None:
                    return kept
            return super().wrap_formdata(form, formdata)

    def validate(self, extra_validators=None) -> bool:
        # As an error of reading the field (process_errors), it survives each field's own
        # validation and reaches rows inside FieldLists like any other error.
        for field in _typed_fields(self):
            values = field.data if isinstance(field.data, list) else [field.data]
            for value in values:
                try:
                    if isinstance(value, str):
                        refuse_control_characters(value, "this field")
                except InvalidInput as error:
                    if error.message not in field.process_errors:
                        field.process_errors.append(error.message)
                    break
        return super().validate(extra_validators)


class RecordingForm(TimebankForm):
    """A form that records something: its hidden key makes a double click, or going back
    and sending it again, record it once.

    The key is made when the form is first shown and sent back with it; a refused form is
    shown again with the same key. The services keep the keys (the database holds each
    once), so two sends at the same instant still record once.
    """

    idempotency_key = HiddenField(default=new_key, validators=[
        InputRequired(EXPIRED), Length(max=120, message=EXPIRED)])
