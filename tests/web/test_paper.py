"""Paper for members on paper: the statement for a period (on screen, printed, as a PDF)
and the current offers, for the member and for their coordinator."""
from __future__ import annotations

import datetime as dt
import re

from timebank.services import ledger, members, requests_offers
from timebank.services.ledger.statements import statement_for_period

TODAY = dt.date.today()


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _log(db, world, minutes, description, given_on, *, to_ann=False):
    provider, receiver = (world.bob, world.ann) if to_ann else (world.ann, world.bob)
    ledger.log_exchange(db, world.bank.slug, provider_id=provider.member_id, receiver_id=receiver.member_id,
                        minutes=minutes, recorded_by="test", description=description, given_on=given_on)


def test_a_period_statement_runs_by_the_day_of_the_help_from_the_balance_brought_forward(world, web_database):
    _log(web_database, world, 60, "Before the period", _days_ago(40))
    _log(web_database, world, 30, "Recorded first, given later", _days_ago(5))
    _log(web_database, world, 15, "Recorded later, given earlier", _days_ago(10), to_ann=True)
    _log(web_database, world, 45, "After the period", _days_ago(1))

    statement = statement_for_period(web_database, world.bank.slug, world.ann.member_id,
                                     start=_days_ago(20), end=_days_ago(2))

    assert statement.member_name == "Ann"
    assert statement.opening_minutes == 60
    assert [line.description for line in statement.lines] == [
        "Recorded later, given earlier", "Recorded first, given later"]
    assert [line.balance_minutes for line in statement.lines] == [45, 75]
    assert statement.closing_minutes == 75
    assert [line.description for line in statement.newest_first][0] == "Recorded first, given later"


def test_the_member_chooses_the_period_and_sees_newest_first(signed_in, world, web_database):
    _log(web_database, world, 60, "Long ago", _days_ago(300))
    _log(web_database, world, 30, "Older help", _days_ago(8))
    _log(web_database, world, 20, "Newer help", _days_ago(3))
    ann = signed_in(world.ann)

    html = ann.get("/member/statement").text
    assert "Long ago" not in html  # the default is the last three months
    assert html.index("Newer help") < html.index("Older help")
    assert "Balance at the start" in html and "+1h" in html

    start = _days_ago(400).isoformat()
    html = ann.get(f"/member/statement?start={start}&end={TODAY.isoformat()}&order=oldest").text
    assert html.index("Long ago") < html.index("Older help") < html.index("Newer help")
    assert f"Statement for Ann. Printed on {TODAY.day} {TODAY:%B} {TODAY.year}." in html
    assert 'href="/member/statement.pdf?start=' in html


def test_a_period_that_ends_before_it_starts_is_refused_beside_the_field(signed_in, world):
    response = signed_in(world.ann).get(
        f"/member/statement?start={TODAY.isoformat()}&end={_days_ago(9).isoformat()}")
    assert response.status_code == 400
    assert "The last day must be the same as or after the first day" in response.text
    assert signed_in(world.ann).get("/member/statement.pdf?start=2026-13-01&end=").status_code == 400


def test_the_member_downloads_their_statement_as_a_pdf(signed_in, world, web_database):
    _log(web_database, world, 60, "Help with a letter", _days_ago(3))
    response = signed_in(world.ann).get("/member/statement.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert re.match(r'attachment; filename="statement-\d+-\d{4}-\d\d-\d\d\.pdf"',
                    response.headers["Content-Disposition"])
    assert b"DejaVu" in response.data  # the embedded font that prints Siobhán and فاطمة


def test_the_coordinator_prints_a_members_statement_and_offers(signed_in, world, web_database):
    name = "فاطمة Siobhán Zoë"
    member = members.add_member(web_database, world.bank.slug, name, area="Leith", joined_on=_days_ago(30))
    ledger.log_exchange(web_database, world.bank.slug, provider_id=member.id, receiver_id=world.bob.member_id,
                        minutes=90, recorded_by="test", description="Baking for the fair",
                        given_on=_days_ago(4))
    requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.bob.member_id,
                                description="Lifts to the shops on Fridays")
    cora = signed_in(world.coordinator)

    assert f"coordinator/members/{member.id}/statement/print" in cora.get(f"/coordinator/members/{member.id}").text
    page = cora.get(f"/coordinator/members/{member.id}/statement/print").text
    assert f"Statement for {name}" in page and "Baking for the fair" in page and "+1h 30m" in page
    pdf = cora.get(f"/coordinator/members/{member.id}/statement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")

    offers = cora.get(f"/coordinator/members/{member.id}/offers/print").text
    assert f"Offers of help for {name}" in offers and "Lifts to the shops on Fridays" in offers
    offers_pdf = cora.get(f"/coordinator/members/{member.id}/offers.pdf")
    assert offers_pdf.status_code == 200 and offers_pdf.data.startswith(b"%PDF-")


def test_paper_for_a_member_of_another_bank_is_not_found(signed_in, world):
    cora = signed_in(world.coordinator)
    for path in ("statement/print", "statement.pdf", "offers/print", "offers.pdf"):
        assert cora.get(f"/coordinator/members/{world.other_member.member_id}/{path}").status_code == 404


def test_members_may_not_print_other_members_paper(signed_in, world):
    ann = signed_in(world.ann)
    assert ann.get(f"/coordinator/members/{world.bob.member_id}/statement.pdf").status_code == 403


def test_only_paper_with_joined_or_right_to_left_letters_is_shaped():
    from timebank.web.printing import needs_shaping

    assert needs_shaping(["Siobhán", "فاطمة الزهراء"])
    assert not needs_shaping(["Siobhán Ó Dónaill", "Zoë Müller", "a dash – and “quotes”", None])
