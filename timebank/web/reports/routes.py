"""Coordinators' reports: activity, the community network and the funders' summary.

Every view reads `current_user.bank_slug` and nothing else to choose the bank, and the
policy table lets coordinators only. A period comes as `?start=YYYY-MM-DD&end=YYYY-MM-DD`
(the last 12 months when absent); a bad one is answered 400 with the errors beside the
fields. Charts are drawn on the server as SVG, served from their own address for an
<img> (the Content-Security-Policy forbids inline styles, which an inline SVG would need),
and cached per process.
"""
from __future__ import annotations

import csv
import io
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from timebank.domain import errors as domain
from timebank.domain.hours import format_minutes
from timebank.services import reports
from timebank.web.extensions import database
from timebank.web.reports import blueprint
from timebank.web.reports.forms import HourlyValueForm, PeriodForm

# ---------------------------------------------------------------- the chart cache


class ChartCache:
    """Rendered charts (SVG bytes) by key, the least recently used dropped past `size`.

    Per process: with several workers each keeps its own and draws a chart once for
    itself, which is correct, only a little slower. The key holds the bank, the report,
    the period and a digest of the figures drawn, so a change to the ledger that changes
    a chart changes its key; only bytes are kept, never rows.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self.renders = 0  # how many charts this process has drawn (tests read it)
        self._charts: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple) -> bool:
        return key in self._charts

    def get_or_render(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._charts:
                self._charts.move_to_end(key)
                return self._charts[key]
            # Drawn under the lock: matplotlib's shared settings are not thread-safe, and
            # two requests for one missing chart then draw it once.
            svg = render()
            self.renders += 1
            self._charts[key] = svg
            while len(self._charts) > self.size:
                self._charts.popitem(last=False)
            return svg

    def clear(self) -> None:
        with self._lock:
            self._charts.clear()


charts = ChartCache()


def chart_key(name: str, report) -> tuple:
    return (current_user.bank_slug, name, report.period.start, report.period.end,
            reports.chart_digest(report))


# ---------------------------------------------------------------- helpers


@blueprint.context_processor
def _helpers():
    def day(value) -> str:
        return f"{value.day} {value:%B %Y}"

    return {"hours": format_minutes, "day": day, "pounds": reports.format_pence}


def _period_form() -> tuple[PeriodForm, reports.Period | None]:
    """The period asked for, or the last 12 months; the period is None when refused."""
    formdata = request.args
    if "start" not in formdata and "end" not in formdata:
        default = reports.default_period()
        formdata = MultiDict(_period_args(default))
    form = PeriodForm(formdata=formdata)
    if not form.validate():
        return form, None
    try:
        return form, reports.make_period(form.start.data, form.end.data)
    except domain.InvalidInput as error:
        form.end.errors = list(form.end.errors) + [error.message]
        return form, None


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


def _safe_cell(value):
    """A cell a spreadsheet will not run: text starting =, +, -, @ is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(rows: list[list], name: str, period: reports.Period) -> Response:
    out = io.StringIO()
    csv.writer(out).writerows([_safe_cell(v) for v in row] for row in rows)
    filename = f"{current_user.bank_slug}-{name}-{period.start}-{period.end}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


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
    table = _table(reports.ACTIVITY_TABLES)
    report = reports.activity_report(database(), current_user.bank_slug, period)
    return _csv(reports.activity_csv(report, table), f"activity-{table}", period)


@blueprint.get("/activity.svg")
def activity_chart():
    report = reports.activity_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("activity", report),
                                     lambda: reports.activity_chart_svg(report)))


@blueprint.get("/network")
def network():
    form, period = _period_form()
    report = reports.network_report(database(), current_user.bank_slug, period) if period else None
    return _page("reports/network.html", form, period, report=report)


@blueprint.get("/network.csv")
def network_csv():
    period = _period_or_400()
    table = _table(reports.NETWORK_TABLES)
    report = reports.network_report(database(), current_user.bank_slug, period)
    return _csv(reports.network_csv(report, table), f"network-{table}", period)


@blueprint.get("/network.svg")
def network_chart():
    report = reports.network_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("network", report),
                                     lambda: reports.network_chart_svg(report)))


def _funders_page(form: PeriodForm, period, value_form: HourlyValueForm):
    report = reports.funders_report(database(), current_user.bank_slug, period) if period else None
    if report and value_form.pounds.data is None and not value_form.errors:
        value_form.pounds.data = f"{report.hourly_value_pence / 100:.2f}"
    return _page("reports/funders.html", form, period, report=report, value_form=value_form)


@blueprint.get("/funders")
def funders():
    form, period = _period_form()
    return _funders_page(form, period, HourlyValueForm(formdata=None))


@blueprint.get("/funders.csv")
def funders_csv():
    period = _period_or_400()
    report = reports.funders_report(database(), current_user.bank_slug, period)
    return _csv(reports.funders_csv(report), "funders", period)


@blueprint.get("/funders.svg")
def funders_chart():
    report = reports.funders_report(database(), current_user.bank_slug, _period_or_400())
    return _svg(charts.get_or_render(chart_key("funders", report),
                                     lambda: reports.funders_chart_svg(report)))


@blueprint.post("/funders/hourly-value")
def hourly_value():
    form, period = _period_form()
    value_form = HourlyValueForm()
    if value_form.validate_on_submit():
        try:
            pence = reports.set_hourly_value(database(), current_user.bank_slug, value_form.pounds.pence)
        except domain.InvalidInput as error:
            value_form.pounds.errors = list(value_form.pounds.errors) + [error.message]
        else:
            flash(f"An hour of help is now counted as worth {reports.format_pence(pence)}.", "success")
            return redirect(url_for("reports.funders", **(_period_args(period) if period else {})))
    return _funders_page(form, period, value_form)
