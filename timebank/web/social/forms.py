"""Social workers' forms.

The assessment form checks only what a form can (its hidden key, the name's length); every
rule on the assessment's content is the domain's (`validate_content`), whose problems the
view places beside the row and field they concern. Fields are kept as typed, so a refused
form shows them back.
"""
from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from timebank.domain.assessments import DIFFERENCES, SLOTS
from timebank.web.forms import RecordingForm, TimebankForm, options

NEED_ROWS = CAPABILITY_ROWS = 1  # rows on a new form; "Add another need / capability" gives more
MAX_ROWS = 40  # more than the domain allows, so its own message is the one shown

DIFFERENCE_WORDS = {"a_lot": "A lot", "a_little": "A little", "none": "No", "not_sure": "Not sure"}
STATUS_WORDS = {"doing": "Does it already", "could": "Could do it if encouraged"}


class NeedRow(Form):
    key = HiddenField()
    category = SelectField("Kind of help", validate_choice=False)
    text = TextAreaField("What they need, in their words")
    requires_checked = BooleanField("Only a helper with a current safeguarding check")


class CapabilityRow(Form):
    key = HiddenField()
    category = SelectField("Kind of help", validate_choice=False)
    text = TextAreaField("What they do or could do")
    status = RadioField("Do they do it already?", choices=options(STATUS_WORDS.items()), default="doing",
                        validate_choice=False)
    share = BooleanField("Willing to share it to help others", default=True)
    capacity = StringField("How many people at once", default="1")
    max_km = StringField("How far they will travel, in km", default="5")
    remote = BooleanField("Can be done by phone or online")


class AssessmentForm(RecordingForm):
    person_name = StringField("Person's name", validators=[
        DataRequired("Enter the person's name."), Length(max=200, message="Keep the name to 200 characters.")])
    member = SelectField("Member of the time bank", default="")
    consent = BooleanField("The person has given consent to record and match this")
    consent_on = StringField("Day consent was given")
    # Chosen from the bank's neighbourhoods (the view sets `area_choices`); typed only
    # while the bank lists none.
    area = StringField("Area")
    latitude = StringField("Latitude (optional)")
    longitude = StringField("Longitude (optional)")
    availability = SelectMultipleField("When they are free", choices=options((s, s) for s in SLOTS),
                                       validate_choice=False)
    needs = FieldList(FormField(NeedRow), min_entries=NEED_ROWS, max_entries=MAX_ROWS)
    capabilities = FieldList(FormField(CapabilityRow), min_entries=CAPABILITY_ROWS, max_entries=MAX_ROWS)


class MemberLinkForm(TimebankForm):
    """The member an assessment is of: linked later, when the person joins, or corrected.
    Sent first to ask "are you sure?", then again with `confirmed`; making the same link
    twice changes it once, so it needs no hidden key."""

    member = SelectField("Member of the time bank", default="", validate_choice=False)
    confirmed = HiddenField(default="")


class RunForm(RecordingForm):
    # "yes" once the person said so on the "are you sure?" page (a run within the hour).
    confirmed = HiddenField(default="")


class AcceptForm(RecordingForm):
    capability = RadioField("Who should help", validate_choice=False)


class RejectForm(RecordingForm):
    reason = TextAreaField("Why is this match not right?", validators=[
        DataRequired("Say why this match is not right, so the next run can do better."),
        Length(max=500, message="Keep the reason to 500 characters.")])


class OutcomeForm(RecordingForm):
    """One side's view; made with `prefix=side` so both sides' forms fit on one page."""

    help_happened = RadioField("Did the help happen?", choices=options([("yes", "Yes"), ("no", "No")]),
                               validators=[InputRequired("Say whether the help happened.")])
    # Not asked of help that did not happen: the service records "none" then, and
    # refuses a missing answer beside the field otherwise.
    difference = RadioField("Did it make a difference? (not needed if the help did not happen)",
                            choices=options((d, DIFFERENCE_WORDS[d]) for d in DIFFERENCES),
                            validate_choice=False)
    comment = TextAreaField("In their words (optional)", validators=[
        Length(max=1000, message="Keep the comment to 1000 characters.")])


class CloseForm(RecordingForm):
    pass


class FindMatchesForm(RecordingForm):
    """"Find matches for this person": the key makes a double click one run."""
