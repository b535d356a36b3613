"""A coordinator in a real browser uploads hours naming members and the kind of help by
name, sees what was recorded and opens it; then chooses a report's days at the top of the
page, a day in the future refused beside its field. Axe on every page, no sideways
scroll at 320 px."""
from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH

pytestmark = pytest.mark.browser


def _two_members_of_unique_names(db, slug) -> tuple:
    """Two active members nobody shares a name with: the one with the highest balance
    receives, so no limit refuses the line."""
    from timebank.services import ledger, members

    people = members.member_names(db, slug, status="active")
    counts = Counter(m.name.casefold() for m in people)
    unique = {m.id: m for m in people if counts[m.name.casefold()] == 1}
    richest = sorted((b for b in ledger.balances(db, slug) if b.member_id in unique),
                     key=lambda b: -b.balance_minutes)
    return unique[richest[1].member_id], unique[richest[0].member_id]


def test_coordinator_uploads_hours_by_names_and_chooses_a_report_period_at_the_top(
        open_browser, people, live_server):
    import datetime as dt

    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import banks

    db = live_server.database
    giver, receiver = _two_members_of_unique_names(db, DEMO_BANK_SLUG)
    kind = banks.list_categories(db, DEMO_BANK_SLUG)[0][1]
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])

    page = browse.goto("/coordinator/log/upload")
    assert page.get_by_role("link", name="Download a file to fill in").is_visible()
    text = (f"provider,receiver,hours,category,what\n{giver.name.upper()},  {receiver.name} ,1h 15m,"
            f"{kind.lower()},Upload by names\n")
    page.get_by_label("CSV file of exchanges").set_input_files(
        files=[{"name": "hours.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    page = browse.submit("Upload and record")
    assert "Recorded 1 exchange from the file." in page.get_by_role("status").first.inner_text()
    listed = page.get_by_role("table", name="1 exchange, in the order of the file")
    row = listed.get_by_role("row").nth(1).inner_text()
    assert giver.name in row and receiver.name in row and "1h 15m" in row
    page = browse.submit(button=listed.get_by_role("link", name="See it"))
    assert urlsplit(page.url).path == f"/coordinator/members/{giver.id}"
    assert "Upload by names" in page.locator(f"#{urlsplit(page.url).fragment}").locator("xpath=..").inner_text()

    # Reports: the days are chosen at the top; a day in the future is refused beside it.
    page = browse.goto("/coordinator/reports/activity")
    button = page.get_by_role("button", name="Show these days")
    assert button.bounding_box()["y"] < page.get_by_role("heading", level=2).first.bounding_box()["y"]
    assert page.get_by_role("button", name="Print this report").is_visible()
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    page.get_by_label("To", exact=True).fill(later)
    page = browse.submit("Show these days")
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("To", exact=True).get_attribute("aria-invalid") == "true"
    assert "The last day is in the future" in page.locator("#end-error").inner_text()
    page.get_by_label("To", exact=True).fill(dt.date.today().isoformat())
    page = browse.submit("Show these days")
    assert not page.get_by_role("alert").count()
    browse.screenshot("report-activity-period-at-top", width=320)
