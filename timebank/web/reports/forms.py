"""The reports' forms: a period (a GET form, nothing recorded) and the value of an hour."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from wtforms import StringField
from wtforms.validators import InputRequired, ValidationError

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
    """An amount of money typed as 12, 12.50 or £12.50; `pence` holds it in whole pence."""

    pence: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.pence = None
        text = (self.data or "").strip().replace("£", "").replace(",", "").strip()
        if not text:
            return
        if len(text) > 12:
            raise ValueError("Enter an amount in pounds, like 12.50")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError("Enter an amount in pounds, like 12.50") from None
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValueError("Enter an amount in pounds and pence, like 12.50")
        self.pence = int(amount * 100)


class HourlyValueForm(TimebankForm):
    # Setting a value twice leaves the same value: no idempotency key is needed.
    pounds = PoundsField("What an hour of help is worth, in pounds",
                         validators=[InputRequired("Enter what an hour of help is worth")])
