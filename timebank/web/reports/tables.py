"""The reports' tables as CSV rows: a header, then one row per line of the table.

Hours are given twice, as exact minutes and as decimal hours for spreadsheets. The
cells are made safe for a spreadsheet when sent (`timebank.web.downloads`).
"""
from __future__ import annotations

from timebank.domain.errors import InvalidInput
from timebank.services.outcome_measures import WellbeingChange
from timebank.services.reports import ActivityReport, FundersReport, NetworkReport

__all__ = ["ACTIVITY_TABLES", "NETWORK_TABLES", "activity_rows", "network_rows", "funders_rows",
           "wellbeing_rows", "TOO_FEW"]

#: What a suppressed figure reads as, in the CSV and on the page.
TOO_FEW = "too few to report"

ACTIVITY_TABLES = ("months", "members", "categories")
NETWORK_TABLES = ("links", "members")



def _hours(minutes: int) -> str:
    """Decimal hours to 2 places, for spreadsheets (the minutes column is the exact figure)."""
    return f"{minutes / 60:.2f}"


def activity_rows(report: ActivityReport, table: str = "months") -> list[list]:
    """One of the activity report's tables: `months`, `members` or `categories`."""
    if table == "months":
        return [["month", "exchanges", "minutes", "hours"]] + [
            [f"{m.month:%Y-%m}", m.exchanges, m.minutes, _hours(m.minutes)] for m in report.months
        ]
    if table == "members":
        return [["member_id", "name", "given_minutes", "given_hours", "received_minutes", "received_hours"]] + [
            [m.member_id, m.name, m.given_minutes, _hours(m.given_minutes), m.received_minutes,
             _hours(m.received_minutes)]
            for m in report.members
        ]
    if table == "categories":
        return [["category", "name", "exchanges", "minutes", "hours"]] + [
            [c.category or "", c.name, c.exchanges, c.minutes, _hours(c.minutes)] for c in report.categories
        ]
    raise InvalidInput(f"The activity report has no table called {table!r}.")


def network_rows(report: NetworkReport, table: str = "links") -> list[list]:
    """The network's `links` (who helped whom) or its `members` (links per member)."""
    if table == "links":
        return [["member_a_id", "member_a", "member_b_id", "member_b", "minutes", "hours"]] + [
            [link.member_a_id, link.member_a, link.member_b_id, link.member_b, link.minutes,
             _hours(link.minutes)]
            for link in report.links
        ]
    if table == "members":
        return [["member_id", "name", "links", "minutes", "hours"]] + [
            [m.member_id, m.name, m.links, m.minutes, _hours(m.minutes)] for m in report.members
        ]
    raise InvalidInput(f"The network report has no table called {table!r}.")


def funders_rows(report: FundersReport) -> list[list]:
    """The funders' summary as figure, value rows."""
    o = report.outcomes
    return [
        ["figure", "value"],
        ["period_start", report.period.start.isoformat()],
        ["period_end", report.period.end.isoformat()],
        ["hours_exchanged", _hours(report.minutes)],
        ["minutes_exchanged", report.minutes],
        ["exchanges", report.exchanges],
        ["members_active_90_days", report.active_members],
        ["members_new", report.new_members],
        ["members_total", report.total_members],
        ["matches_made", report.matches_made],
        ["outcomes_recorded", o.recorded],
        ["help_happened_yes", o.help_happened],
        ["help_happened_no", o.help_did_not_happen],
        ["difference_a_lot", o.a_lot],
        ["difference_a_little", o.a_little],
        ["difference_none", o.none],
        ["difference_not_sure", o.not_sure],
        ["hourly_value_pence", report.hourly_value_pence],
        ["social_value_pence", report.social_value_pence],
        ["social_value_pounds", f"{report.social_value_pence / 100:.2f}"],
    ]


def wellbeing_rows(change: WellbeingChange) -> list[list]:
    """The change in the ONS answers as more figure, value rows (after the summary's).

    Mean changes are after - before as asked: for anxiety a fall is the improvement (its
    `improvement` row has the sign turned). A figure about fewer than 5 people reads
    "too few to report", so no one can be recognised from it.
    """
    rows = [["people_with_before_and_after", TOO_FEW if change.too_few_people else change.people]]
    for question, c in zip(change.questions, change.changes):
        if question.scale == "zero_to_ten":
            rows.append([f"{question.key}_people", TOO_FEW if c.suppressed else c.people])
            rows.append([f"{question.key}_mean_change", TOO_FEW if c.suppressed else f"{c.mean_change:+.2f}"])
            rows.append([f"{question.key}_mean_improvement",
                         TOO_FEW if c.suppressed else f"{c.mean_improvement:+.2f}"])
        else:
            rows.append([f"{question.key}_people", TOO_FEW if c.suppressed else c.people])
            rows.append([f"{question.key}_share_less_often",
                         TOO_FEW if c.suppressed else f"{c.share_better:.3f}"])
    return rows
