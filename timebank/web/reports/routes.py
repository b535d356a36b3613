"""Coordinators' reports: activity, the community network and the funders' summary.

Every view reads `current_user.bank_slug` and nothing else to choose the bank, and the
policy table lets coordinators only. A period comes as `?start=YYYY-MM-DD&end=YYYY-MM-DD`
(the last 12 months when absent); a bad one is answered 400 with the errors beside the
fields. Charts are drawn on the server as SVG, served from their own address for an
<img> (the Content-Security-Policy forbids inline styles, which an inline SVG would need),
and cached per process.
"""
from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from timebank.domain import errors as domain
from timebank.domain.money import format_pence
from timebank.services import banks, outcome_measures, reports
from timebank.web.downloads import csv_response
from timebank.web.extensions import database
from timebank.web.refusals import add_error
from timebank.web.reports import blueprint
from timebank.web.reports.charts import (
    activity_chart_svg,
    chart_digest,
    charts,
    drawing_digest,
    funders_chart_svg,
    network_chart_svg,
    network_drawing,
)
from timebank.web.reports.forms import HourlyValueForm, PeriodForm
from timebank.web.reports.tables import (
    ACTIVITY_TABLES,
    NETWORK_TABLES,
    activity_rows,
    funders_rows,
    network_rows,
    wellbeing_rows,
)
from timebank.web.words import day

# Links past this many make a page of thousands of rows that nobody reads on screen (a
# big bank has tens of thousands): the page shows the ones with most hours, and the
# links file has every one.
LINKS_SHOWN = 100


def chart_key(name: str, report) -> tuple:
    return (current_user.bank_slug, name, report.period.start, report.period.end,
            chart_digest(report))


# ---------------------------------------------------------------- helpers


@blueprint.context_processor
def _helpers():
    return {"pounds": format_pence}


def _period_form() -> tuple[PeriodForm, reports.Period | None]:
    """The period asked for, or the last 12 months; the period is None when refused."""
    formdata = request.args
    if "start" not in formdata and "end" not in formdata:
        default = reports.default_period()
        formdata = MultiDict(_period_args(default))
    form = PeriodForm(formdata=formdata)
    if not form.validate() or _in_the_future(form):
        return form, None
    try:
        return form, reports.make_period(form.start.day, form.end.day)
    except domain.InvalidInput as error:
        add_error(form.end, error.message)
        return form, None


def _in_the_future(form: PeriodForm, today: dt.date | None = None) -> bool:
    """A report covers days that have happened: a day after today is refused beside its field."""
    today = today or dt.date.today()
    for field, which in ((form.start, "first"), (form.end, "last")):
        if field.day is not None and field.day > today:
            add_error(field, f"The {which} day is in the future: a report covers days up to today, "
                             f"{day(today)}")
    return bool(form.start.errors or form.end.errors)


def _period_or_400() -> reports.Period:
    """For downloads and charts: a bad period has no page to show its errors on."""
    form, period = _period_form()
    if period is None:
        messages = [m for field in form for m in field.errors]
        raise domain.InvalidInput(" ".join(messages) or "That period cannot be shown.")
    return period


def _period_args(period: reports.Period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def _page(template: str, form: PeriodForm, period, **context):
    refused = period is None or any(f.errors for f in context.values() if isinstance(f, HourlyValueForm))
    status = 400 if refused else 200
    return render_template(template, form=form, period=period,
                           args=_period_args(period) if period else {}, **context), status


def _csv(rows: list[list], name: str, period: reports.Period) -> Response:
    return csv_response(rows, f"{current_user.bank_slug}-{name}-{period.start}-{period.end}.csv")


def _svg(svg: bytes) -> Response:
    return Response(svg, mimetype="image/svg+xml")


def _table(allowed: tuple[str, ...]) -> str:
    table = request.args.get("table", allowed[0])
    if table not in allowed:
        abort(404)
    return table


# ---------------------------------------------------------------- pages


@blueprint.get("/")
def index():
    form, period = _period_form()
    return _page("reports/index.html", form, period)


@blueprint.get("/activity")
def activity():
    form, period = _period_form()
    report = reports.activity_report(database(), current_user.bank_slug, period) if period else None
    return _page("reports/activity.html", form, period, report=report)


@blueprint.get("/activity.csv")
def activity_csv():
    period = _period_or_400()
    table = _table(ACTIVITY_TABLES)
    report = reports.activity_report(database(), current_user.bank_slug, period)
    return _csv(activity_rows(report, table), f"activity-{table}", period)


@blueprint.get("/activity.svg")
def activity_chart():
    report = reports.activity_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("activity", report),
                                     lambda: activity_chart_svg(report)))


@blueprint.get("/network")
def network():
    form, period = _period_form()
    report = reports.network_report(database(), current_user.bank_slug, period) if period else None
    # The drawing in the page is of the links the table lists, kept per process as the charts are.
    drawing = charts.get_or_render(
        (current_user.bank_slug, "network-drawing", period.start, period.end,
         drawing_digest(report, links_drawn=LINKS_SHOWN)),
        lambda: network_drawing(report, links_drawn=LINKS_SHOWN)) if report else None
    return _page("reports/network.html", form, period, report=report, links_shown=LINKS_SHOWN, drawing=drawing)


@blueprint.get("/network.csv")
def network_csv():
    period = _period_or_400()
    table = _table(NETWORK_TABLES)
    report = reports.network_report(database(), current_user.bank_slug, period)
    return _csv(network_rows(report, table), f"network-{table}", period)


@blueprint.get("/network.svg")
def network_chart():
    report = reports.network_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("network", report),
                                     lambda: network_chart_svg(report)))


def _funders_page(form: PeriodForm, period, value_form: HourlyValueForm):
    report = reports.funders_report(database(), current_user.bank_slug, period) if period else None
    if report and value_form.pounds.data is None and not value_form.errors:
        value_form.pounds.data = f"{report.hourly_value_pence / 100:.2f}"
    return _page("reports/funders.html", form, period, report=report, value_form=value_form,
                 change=_wellbeing(period) if period else None)


def _wellbeing(period: reports.Period) -> outcome_measures.WellbeingChange:
    """The change in the ONS answers for the period (issue 13 part 7), beside the summary."""
    return outcome_measures.wellbeing_change(database(), current_user.bank_slug, period.start, period.end)


@blueprint.get("/funders")
def funders():
    form, period = _period_form()
    return _funders_page(form, period, HourlyValueForm(formdata=None))


@blueprint.get("/funders.csv")
def funders_csv():
    period = _period_or_400()
    report = reports.funders_report(database(), current_user.bank_slug, period)
    return _csv(funders_rows(report) + wellbeing_rows(_wellbeing(period)), "funders", period)


@blueprint.get("/funders.svg")
def funders_chart():
    report = reports.funders_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("funders", report),
                                     lambda: funders_chart_svg(report)))


@blueprint.post("/funders/hourly-value")
def hourly_value():
    form, period = _period_form()
    value_form = HourlyValueForm()
    if value_form.validate_on_submit():
        try:
            pence = banks.set_hourly_value(database(), current_user.bank_slug, value_form.pounds.pence)
        except domain.InvalidInput as error:
            add_error(value_form.pounds, error.message)
        else:
            flash(f"An hour of help is now counted as worth {format_pence(pence)}.", "success")
            return redirect(url_for("reports.funders", **(_period_args(period) if period else {})))
    return _funders_page(form, period, value_form)
