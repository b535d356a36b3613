"""Which days a statement covers, and which way round: one GET form for the member's own
statement and the coordinator's printed one, so both read `?start=&end=&order=` alike."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Response, request
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.validators import ValidationError

from timebank.domain.errors import InvalidInput
from timebank.services import banks
from timebank.services.ledger.statements import statement_for_period
from timebank.web.forms import DayField, TimebankForm, options
from timebank.web.printing import statement_pdf

__all__ = ["StatementPeriodForm", "ChosenPeriod", "chosen_period", "statement_pdf_response"]

NEWEST_FIRST, OLDEST_FIRST = "newest", "oldest"


class StatementPeriodForm(TimebankForm):
    """Sent by GET: it records nothing, so it needs no token."""

    class Meta:
        csrf = False

    start = DayField("From")
    end = DayField("To")
    order = SelectField("Order", default=NEWEST_FIRST, choices=options([
        (NEWEST_FIRST, "Newest first"), (OLDEST_FIRST, "Oldest first")]))

    def validate_end(self, field):
        if self.start.day and field.day and self.start.day > field.day:
            raise ValidationError("The last day must be the same as or after the first day")


@dataclass(frozen=True)
class ChosenPeriod:
    form: StatementPeriodForm
    start: dt.date | None
    end: dt.date | None
    newest_first: bool
    valid: bool

    @property
    def args(self) -> dict[str, str]:
        """The period as query arguments, for the links to its print and PDF versions."""
        return {"start": self.start.isoformat() if self.start else "",
                "end": self.end.isoformat() if self.end else "",
                "order": NEWEST_FIRST if self.newest_first else OLDEST_FIRST}


def default_start(today: dt.date) -> dt.date:
    """The first day of the month two months back: about a quarter, in whole months."""
    month = today.month - 2
    year = today.year + (month - 1) // 12
    return dt.date(year, (month - 1) % 12 + 1, 1)


def chosen_period(today: dt.date | None = None) -> ChosenPeriod:
    """The period in the address, or the last three months to today when none is given.

    A refused period (a day that is not one, or the end before the start) shows the
    whole statement with the errors beside the fields, rather than nothing.
    """
    today = today or dt.date.today()
    given = MultiDict(request.args)
    if "start" not in given and "end" not in given:
        given.update({"start": default_start(today).isoformat(), "end": today.isoformat()})
    form = StatementPeriodForm(formdata=given)
    valid = form.validate()
    newest = form.order.data != OLDEST_FIRST
    if not valid:
        return ChosenPeriod(form, None, None, newest, False)
    return ChosenPeriod(form, form.start.day, form.end.day, newest, True)


def statement_pdf_response(database, bank_slug: str, member_id: int) -> Response:
    """The statement for the period in the address, as a PDF download.

    A PDF has no page to show a refused period on, so the refusal is a 400 in words.
    """
    chosen = chosen_period()
    if not chosen.valid:
        messages = [m for errors in chosen.form.errors.values() for m in errors]
        raise InvalidInput(" ".join(messages) or "That period cannot be shown.")
    statement = statement_for_period(database, bank_slug, member_id, start=chosen.start, end=chosen.end)
    bank = banks.get_bank(database, bank_slug)
    today = dt.date.today()
    body = statement_pdf(statement, bank_name=bank.name, printed_on=today,
                         categories=dict(banks.list_categories(database, bank_slug)),
                         newest_first=chosen.newest_first, contact_phone=bank.contact_phone)
    return pdf_response(body, f"statement-{member_id}-{today.isoformat()}.pdf")


def pdf_response(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
