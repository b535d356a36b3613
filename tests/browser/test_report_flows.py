"""A coordinator in a real browser: each report, its chart, and its CSV downloaded."""
from __future__ import annotations

import csv
import io
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH

pytestmark = pytest.mark.browser

HEADERS = {
    "activity-months": ["month", "exchanges", "minutes", "hours"],
    "activity-members": ["member_id", "name", "given_minutes", "given_hours", "received_minutes",
                         "received_hours"],
    "network-links": ["member_a_id", "member_a", "member_b_id", "member_b", "minutes", "hours"],
    "funders": ["figure", "value"],
}


def _chart(page) -> str:
    """The report's chart: drawn (the browser decoded the image) and described; its alt text."""
    image = page.locator("figure img")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0, "the chart did not load"
    alt = (image.get_attribute("alt") or "").strip()
    assert len(alt) > 30, f"the chart's text alternative is too thin: {alt!r}"
    return alt


def _download(page, link_name: str, table: str) -> list[list[str]]:
    """Click a CSV link; the file's rows, its header row checked."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    assert download.suggested_filename.startswith("leith-") and download.suggested_filename.endswith(".csv")
    assert download.failure() is None
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert rows and rows[0] == HEADERS[table], rows[:1]
    return rows


def test_coordinator_opens_each_report_and_downloads_its_csv(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import reports

    db = live_server.database
    period = reports.default_period()
    expected = reports.activity_report(db, DEMO_BANK_SLUG, period)

    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.submit(button=browse.page.get_by_role("navigation").get_by_role("link", name="Reports"))
    assert urlsplit(page.url).path == "/coordinator/reports/"

    # Days the wrong way round: refused, with the error beside the field and at the top.
    page.get_by_label("From", exact=True).fill("2025-12-31")
    page.get_by_label("To", exact=True).fill("2025-01-01")
    page = browse.submit("Show these days")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("To", exact=True).get_attribute("aria-invalid") == "true"
    page.get_by_label("From", exact=True).fill(period.start.isoformat())
    page.get_by_label("To", exact=True).fill(period.end.isoformat())
    page = browse.submit("Show these days")
    assert not page.get_by_role("alert").count()

    # Activity: the chart, and the months and members as spreadsheets.
    page = browse.submit(button=page.get_by_role("heading", name="Activity").get_by_role("link"))
    assert urlsplit(page.url).path == "/coordinator/reports/activity"
    assert "hours exchanged per month" in _chart(page).lower()
    browse.screenshot("report-activity")
    months = _download(page, "Download the months (CSV)", "activity-months")
    assert sum(int(row[2]) for row in months[1:]) == expected.minutes
    members = _download(page, "Download the members (CSV)", "activity-members")
    assert len(members) - 1 == len(expected.members)

    # Who helped whom: the drawing says what it shows; the links as a spreadsheet.
    page = browse.submit(button=page.get_by_role("navigation", name="Reports")
                         .get_by_role("link", name="Who helped whom"))
    assert urlsplit(page.url).path == "/coordinator/reports/network"
    # Drawn in the page, a dot per member that says who on hover and focus, and described.
    assert page.locator("svg.network g.node").count() > 10
    assert "most connected" in page.locator("#network-caption").inner_text()
    browse.screenshot("report-network")
    links = _download(page, "the links (CSV)", "network-links")
    assert len(links) > 10 and all(int(row[4]) > 0 for row in links[1:])

    # The funders' summary: the value of an hour set (a mistake first), then downloaded.
    page = browse.submit(button=page.get_by_role("navigation", name="Reports")
                         .get_by_role("link", name="Funders' summary"))
    assert urlsplit(page.url).path == "/coordinator/reports/funders"
    _chart(page)
    value = "What an hour of help is worth, in pounds"
    page.get_by_label(value).fill("lots")
    page = browse.submit("Save the value of an hour")
    assert page.get_by_role("alert").is_visible()
    page.get_by_label(value).fill("12.50")
    page = browse.submit("Save the value of an hour")
    assert "£12.50" in page.get_by_role("status").first.inner_text()
    browse.screenshot("report-funders")
    summary = dict(_download(page, "Download the summary (CSV)", "funders")[1:])
    assert summary["hourly_value_pence"] == "1250"
    assert summary["period_start"] == period.start.isoformat()
    assert int(summary["minutes_exchanged"]) == expected.minutes
    assert abs(int(summary["social_value_pence"]) - expected.minutes * 1250 / 60) <= 1
