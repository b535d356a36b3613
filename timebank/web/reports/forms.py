"""The reports' forms: a period (a GET form, nothing recorded) and the value of an hour."""
from __future__ import annotations

from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

from timebank.domain.errors import InvalidInput
from timebank.domain.money import HOW_TO_WRITE_POUNDS, parse_pence
from timebank.web.forms import DayField, TimebankForm


class PeriodForm(TimebankForm):
    """Which days a report covers. Sent by GET, so it records nothing and needs no token."""

    class Meta:
        csrf = False

    start = DayField("From", validators=[InputRequired("Enter the first day of the report")])
    end = DayField("To", validators=[InputRequired("Enter the last day of the report")])

    def validate_end(self, field):
        if self.start.day and field.day and self.start.day > field.day:
            raise ValidationError("The last day must be the same as or after the first day")


class PoundsField(StringField):
    """An amount of money as people type it (12, 12.50, 12,50 or £12.50); `pence` holds
    it in whole pence (`timebank.domain.money.parse_pence`)."""

    pence: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.pence = None
        if not (self.data or "").strip():
            return
        if len(self.data) > 20:
            raise ValueError(HOW_TO_WRITE_POUNDS)
        try:
            self.pence = parse_pence(self.data)
        except InvalidInput as error:
            raise ValueError(error.message) from None


class HourlyValueForm(TimebankForm):
    # Setting a value twice leaves the same value: no idempotency key is needed.
    pounds = PoundsField("What an hour of help is worth, in pounds",
                         validators=[InputRequired("Enter what an hour of help is worth")])
