"""Coordinators' forms. Hours and days are kept as typed, so a refused form shows them back.

Fields that hold amounts keep the whole minutes they read on the field (`.minutes`, see
`timebank.web.forms`); the services check every rule of the ledger again.
"""
from __future__ import annotations

import datetime as dt

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from timebank.domain.errors import InvalidExpiryPeriod, InvalidHours, PhoneInvalid, WeakPassword
from timebank.domain.expiry import check_expiry_months
from timebank.domain.hours import parse_hours
from timebank.domain.members import clean_phone
from timebank.domain.passwords import check_password_rules
from timebank.web.forms import (
    DayField,
    HoursField,
    RecordingForm,
    SignedHoursField,
    TimebankForm,
    again_field,
    long_ago_field,
)


def _member_number(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


class MemberField(SelectField):
    """A select of members: the choices are set by the view, from the bank's active members."""

    def __init__(self, label: str, *, missing: str, **kwargs):
        super().__init__(label, coerce=_member_number, validators=[DataRequired(missing)], **kwargs)

    def pre_validate(self, form) -> None:
        if self.data is not None and self.data not in {self.coerce(c.value) for c in self.choices}:
            raise ValidationError("Choose a member from the list.")


class MemberCheckboxes(SelectMultipleField):
    """Several members, one checkbox each: no JavaScript needed."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, **kwargs):
        super().__init__(label, coerce=int, **kwargs)

    def process_formdata(self, valuelist) -> None:
        numbers = [_member_number(v) for v in valuelist]
        # Anything not a member number fails the choice check below, in plain words.
        self.data = [n if n is not None else -1 for n in numbers]

    def pre_validate(self, form) -> None:
        allowed = {int(c.value) for c in self.choices}
        if any(n not in allowed for n in self.data or []):
            raise ValidationError("Choose members from the list.")
        if not self.data:
            raise ValidationError("Choose at least one member who received the help.")


class CategoryField(SelectField):
    """The bank's service categories; the choices are set by the view."""

    def pre_validate(self, form) -> None:
        if (self.data or "") not in {c.value for c in self.choices}:
            raise ValidationError("Choose a kind of help from the list.")


def _find_field(label: str) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=200)])


class ExchangeForm(RecordingForm):
    # Each side is found by a search, then chosen: a big bank has 2,000 members, too
    # many for one list (a search round trip, so it works without JavaScript).
    provider = MemberField("Who gave the help", missing="Find and choose who gave the help.")
    find_provider = _find_field("Find who gave the help")
    receiver = MemberField("Who received the help", missing="Find and choose who received the help.")
    find_receiver = _find_field("Find who received the help")
    hours = HoursField("Hours", validators=[Length(max=20)])
    day = StringField("Day the help was given", validators=[Length(max=20)])
    category = CategoryField("Kind of help (optional)")
    what = TextAreaField("What was done (optional)", validators=[Optional(), Length(max=2000)])
    long_ago = long_ago_field()
    again = again_field()


class GroupExchangeForm(RecordingForm):
    provider = MemberField("Who gave the help", missing="Find and choose who gave the help.")
    find_provider = _find_field("Find who gave the help")
    receivers = MemberCheckboxes("Who received the help")
    # The receivers are found a few at a time, not listed: a big bank has 2,000 members.
    find = _find_field("Find members by part of a name, an area or a member's number")
    # Or everyone active in one area at once (a lunch club in Leith), then some unticked.
    area = SelectField("Everyone in an area", validate_choice=False)
    hours = HoursField("Hours, in total", validators=[Length(max=20)])
    day = StringField("Day the help was given", validators=[Length(max=20)])
    category = CategoryField("Kind of help (optional)")
    what = TextAreaField("What was done (optional)", validators=[Optional(), Length(max=2000)])
    long_ago = long_ago_field()

    def validate_receivers(self, field) -> None:
        """Said with the other problems of the form, not on the next try, and naming who
        (coordinators' problem 12); the service refuses it again."""
        if self.provider.data is not None and self.provider.data in (field.data or []):
            name = next((c.label for c in self.provider.choices if c.value == self.provider.data), "The provider")
            raise ValidationError(f"{name.rsplit(' (#', 1)[0]} gave the help, so cannot also receive it: "
                                  "untick them under \u201cWho received the help\u201d.")


class UploadForm(RecordingForm):
    file = FileField("CSV file of exchanges", validators=[FileRequired("Choose a CSV file to upload.")])
    long_ago = long_ago_field()
    again = again_field()


class NewMemberForm(RecordingForm):
    name = StringField("Name", validators=[DataRequired("Enter the member's name."), Length(max=200)])
    kind = RadioField("Person or organisation", choices=[SelectChoice("person", "A person"),
                                                         SelectChoice("organisation", "An organisation")],
                      default="person")
    email = StringField("Email address (optional)", validators=[Length(max=320)])
    phone = StringField("Phone number (optional)", validators=[Optional(), Length(max=50)])
    area = StringField("Area (optional)", validators=[Optional(), Length(max=120)])
    checked_on = DayField("Day of the safeguarding check (optional)")
    expires_on = DayField("Day the safeguarding check expires (optional)")
    welcome_hours = StringField("Welcome hours (optional)", validators=[Optional(), Length(max=20)])
    create_sign_in = BooleanField("Create a sign-in for this member")
    password = PasswordField("First password for the sign-in", validators=[Length(max=256)])
    share_phone = BooleanField("They agree to share their phone number")
    share_email = BooleanField("They agree to share their email address")
    # Ticked on the second send, once told of a member with the same name (B11).
    same_name_ok = BooleanField("Yes, take on another member of this name")

    welcome_minutes: int | None = None

    def validate_welcome_hours(self, field) -> None:
        self.welcome_minutes = None
        if (field.data or "").strip():
            try:
                self.welcome_minutes = parse_hours(field.data)
            except InvalidHours as error:
                raise ValidationError(error.message) from None

    def validate_expires_on(self, field) -> None:
        """The service's rules for a check, asked first so that a refused check cannot
        leave a member added without it (the service checks them again)."""
        checked, expires = self.checked_on.day, field.day
        if (checked is None) != (expires is None) and not self.checked_on.errors and not field.errors:
            raise ValidationError("Give both the day of the check and the day it expires, or neither.")
        if checked and expires and expires <= checked:
            raise ValidationError("A safeguarding check must expire after the day it was made.")

    def validate_checked_on(self, field) -> None:
        if field.day and field.day > dt.date.today():
            raise ValidationError("A safeguarding check cannot be dated in the future.")

    def validate_email(self, field) -> None:
        if self.create_sign_in.data and not (field.data or "").strip():
            raise ValidationError("A sign-in needs an email address: enter one, or untick the box.")

    def validate_password(self, field) -> None:
        """Checked before the member is added, so a weak password cannot leave half a member."""
        if not self.create_sign_in.data:
            return
        if not field.data:
            raise ValidationError("Enter a first password for the sign-in.")
        try:
            check_password_rules(field.data, email=self.email.data, name=self.name.data)
        except WeakPassword as error:
            raise ValidationError(error.message) from None


class StatusForm(TimebankForm):
    status = HiddenField(validators=[AnyOf(["active", "suspended", "closed"], message="Choose a status.")])


class SafeguardingForm(TimebankForm):
    checked_on = DayField("Day of the check")
    expires_on = DayField("Day it expires")


class GrantForm(RecordingForm):
    hours = HoursField("Hours to give", validators=[Length(max=20)])
    reason = StringField("Reason", validators=[DataRequired("Give a reason for the hours."),
                                               Length(max=500)])


class MemberLimitsForm(TimebankForm):
    floor = SignedHoursField("Hours this member may owe (optional)", validators=[Length(max=20)])
    ceiling = SignedHoursField("Most hours this member may hold (optional)", validators=[Length(max=20)])
    limits_confirmed = BooleanField("Yes, save these limits")


class SignInForm(TimebankForm):
    active = HiddenField(validators=[AnyOf(["yes", "no"], message="Choose enable or disable.")])


class SettleForm(TimebankForm):
    choice = StringField(validators=[AnyOf(["confirm", "decline"], message="Choose confirm or decline.")])


class DeclineForm(TimebankForm):
    reason = TextAreaField("Why is it declined? (optional)", validators=[Length(max=500)])


class ReverseForm(RecordingForm):
    reason = StringField("Reason for the reversal", validators=[
        DataRequired("Give a reason for the reversal."), Length(max=500)])
    back = HiddenField()


class SettingsForm(TimebankForm):
    floor = SignedHoursField("Hours a member may owe", validators=[
        InputRequired("Enter how many hours a member may owe (0 for none).")])
    ceiling = SignedHoursField("Most hours a member may hold", validators=[
        InputRequired("Enter the most hours a member may hold.")])
    confirmation = RadioField(
        "When a member logs an exchange, does it wait for the other member to confirm it?",
        choices=[SelectChoice("yes", "Yes, it waits for the other member"),
                 SelectChoice("no", "No, it counts at once")],
        validators=[InputRequired("Choose yes or no.")])
    # Asked only when new limits leave members outside them (LimitsLeaveMembersOutside).
    limits_confirmed = BooleanField("Yes, save these limits")
    # Left empty, the period stays as it is (a form sent without the field changes nothing).
    expiry_months = StringField("Months a request or offer stays listed", validators=[Length(max=20)])
    # Checked by the domain's rule (PhoneInvalid); left empty, it clears the number; a form
    # sent without the field changes nothing.
    contact_phone = StringField("The bank's phone number (optional)")

    def validate_expiry_months(self, field) -> None:
        """A whole number in the domain's range (`check_expiry_months`), checked with the
        other fields so every problem of the form is said at once."""
        text = (field.data or "").strip()
        field.months = None
        if text and (not text.isdigit() or len(text) > 4):
            raise ValidationError("Enter a whole number of months, for example 3.")
        if text:
            try:
                check_expiry_months(int(text))
            except InvalidExpiryPeriod as error:
                raise ValidationError(error.message) from None
        field.months = int(text) if text else None

    def validate_contact_phone(self, field) -> None:
        try:
            clean_phone(field.data)
        except PhoneInvalid as error:
            raise ValidationError(error.message) from None


class EditMemberForm(TimebankForm):
    name = StringField("Name", validators=[DataRequired("Enter the member's name."), Length(max=200)])
    kind = RadioField("Person or organisation", choices=[SelectChoice("person", "A person"),
                                                         SelectChoice("organisation", "An organisation")],
                      validators=[InputRequired("Choose a person or an organisation.")])
    email = StringField("Email address (optional)", validators=[Length(max=320)])
    phone = StringField("Phone number (optional)", validators=[Optional(), Length(max=50)])
    area = StringField("Area (optional)", validators=[Optional(), Length(max=120)])


class AddSignInForm(TimebankForm):
    email = StringField("Email address they will sign in with",
                        validators=[DataRequired("Enter the email address they will sign in with."),
                                    Length(max=320)])
    password = PasswordField("First password for the sign-in", validators=[
        DataRequired("Enter a first password for the sign-in."), Length(max=256)])


class NoteForm(RecordingForm):
    text = TextAreaField("Note", validators=[DataRequired("Write what happened, for example: "
                                                          "phoned, will ring back Thursday."),
                                             Length(max=2000)])
    follow_up_on = DayField("Day to call again (optional)")
    back = HiddenField()

    def validate_follow_up_on(self, field) -> None:
        if field.day is not None and field.day < dt.date.today():
            raise ValidationError("A day to call again is today or later.")


class StatusConfirmForm(TimebankForm):
    status = HiddenField(validators=[AnyOf(["active", "suspended", "closed"], message="Choose a status.")])


EXCHANGE_KINDS = [("", "Any kind"), ("exchange", "Exchanges between two members"), ("group", "Group exchanges"),
                  ("grant", "Hours given by the bank"), ("donation", "Donations to the community pot"),
                  ("reversal", "Reversals")]


class ExchangeSearchForm(TimebankForm):
    """Finding exchanges: read from the link (GET), so a search can be bookmarked or shared."""

    class Meta:
        csrf = False

    member = SelectField("Member", coerce=str, validate_choice=False)
    since = DayField("From (day of the help)")
    until = DayField("To (day of the help)")
    text = StringField("Words in what was done or in a reason", validators=[Optional(), Length(max=200)])
    kind = SelectField("Kind", choices=[SelectChoice(v, label) for v, label in EXCHANGE_KINDS],
                       validators=[AnyOf([v for v, _ in EXCHANGE_KINDS], message="Choose a kind from the list.")])

    def validate_until(self, field) -> None:
        if self.since.day and field.day and field.day < self.since.day:
            raise ValidationError("The last day must be on or after the first day.")
