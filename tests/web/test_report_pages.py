"""The coordinators' report pages: figures, charts with text alternatives, CSV, roles.

In the `world` bank, from 1 January to 31 March 2025: Ann helps Bob for 1h 30m
(gardening, 15 January) and Bob helps Ann for 1h (no category, 2 March): 2h 30m in all,
worth £30.00 at the default £12.00 an hour. Eve, a member since 2024, exchanges with
nobody; the world's other members joined after the period.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.web.conftest import csrf_from
from timebank.services import ledger, reports

PERIOD = {"start": "2025-01-01", "end": "2025-03-31"}
QUERY = "?start=2025-01-01&end=2025-03-31"
PAGES = ("/coordinator/reports/", "/coordinator/reports/activity", "/coordinator/reports/network",
         "/coordinator/reports/funders")
CHARTS = ("/coordinator/reports/activity.svg", "/coordinator/reports/network.svg",
          "/coordinator/reports/funders.svg")
DOWNLOADS = ("/coordinator/reports/activity.csv", "/coordinator/reports/network.csv",
             "/coordinator/reports/funders.csv")


def _log(database, world, provider, receiver, minutes, day, category=None):
    return ledger.log_exchange(database, world.bank.slug, provider_id=provider.member_id,
                               receiver_id=receiver.member_id, minutes=minutes, given_on=day,
                               category=category, recorded_by="test")


@pytest.fixture
def bank(world, web_database):
    from timebank.services import members

    # The world's members joined today; Eve was there all through the period.
    world.eve_member_id = members.add_member(web_database, world.bank.slug, "Eve",
                                             joined_on=dt.date(2024, 6, 1)).id
    _log(web_database, world, world.ann, world.bob, 90, dt.date(2025, 1, 15), "gardening")
    _log(web_database, world, world.bob, world.ann, 60, dt.date(2025, 3, 2))
    return world


@pytest.fixture
def cora(bank, signed_in):
    return signed_in(bank.coordinator)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_each_report_page_shows_its_figures_chart_and_table(cora):
    expected = {
        "activity": ["2h 30m", "January 2025", "1h 30m", "Gardening: weeding, grass, hedges", "No category"],
        "network": ["Ann", "Bob", "Eve", "People with no links"],
        # Which 90 days "active" counts, named: the overview's figure is a member's status.
        "funders": ["2h 30m", "£30.00", "£12.00", "Members who gave or received help in the 90 days to"],
    }
    for name, figures in expected.items():
        page = cora.get(f"/coordinator/reports/{name}{QUERY}")
        assert page.status_code == 200, name
        assert page.text.count("<h1>") == 1
        if name == "network":  # drawn in the page, each member's name on hover and focus
            assert '<svg class="network"' in page.text and "<title>Eve: no links</title>" in page.text
        else:
            image = re.search(r'<img src="(/coordinator/reports/' + name + r'\.svg\?[^"]+)"\s+alt="([^"]+)"',
                              page.text)
            assert image, f"{name}: no chart"
            assert image.group(2).strip(), f"{name}: the chart has no text alternative"
        assert "<figcaption" in page.text and "<caption" in page.text
        for figure in figures:
            assert figure in page.text, f"{name}: {figure} missing"
    index = cora.get("/coordinator/reports/")
    assert index.status_code == 200 and index.text.count("<h1>") == 1
    assert 'name="start"' in index.text and 'type="date"' in index.text


def test_the_network_page_names_the_people_with_no_links(cora):
    page = cora.get(f"/coordinator/reports/network{QUERY}").text
    no_links = page.split("<h2>People with no links</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Eve" in no_links and "Ann" not in no_links


def test_the_network_drawing_says_each_members_name_links_and_hours_and_a_table_says_it_too(cora):
    page = cora.get(f"/coordinator/reports/network{QUERY}").text
    drawing = page.split('<svg class="network"', 1)[1].split("</svg>", 1)[0]
    nodes = re.findall(r'<g class="node( named)?" tabindex="0" role="img" aria-label="([^"]+)"><title>([^<]+)</title>',
                       drawing)
    assert sorted(label for _, label, _ in nodes) == ["Ann: 1 link, 2h 30m", "Bob: 1 link, 2h 30m",
                                                      "Dot: no links", "Eve: no links"]
    assert all(label == title for _, label, title in nodes)
    assert drawing.count("<line ") == 1  # Ann and Bob
    assert 'style="' not in drawing and "<style" not in drawing  # the Content-Security-Policy forbids them
    table = page.split(">The members in the drawing", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td><td class=\"num\">([^<]+)</td></tr>", table)
    assert rows == [("Ann", "1", "2h 30m"), ("Bob", "1", "2h 30m"), ("Dot", "0", "none"), ("Eve", "0", "none")]


def test_the_network_drawing_has_the_heaviest_links_of_a_big_network_and_says_so():
    from timebank.services.reports import Link, NetworkMember, NetworkReport, make_period
    from timebank.web.reports.charts import NO_LINKS_DRAWN, network_drawing

    people = [NetworkMember(i, f"Member {i}", 1 if i < 20 else 0, 60 * (i // 2 + 1) if i < 20 else 0)
              for i in range(20 + NO_LINKS_DRAWN + 5)]
    links = tuple(Link(i, f"Member {i}", i + 1, f"Member {i + 1}", 600 - i) for i in range(0, 20, 2))
    report = NetworkReport("Bank", make_period(dt.date(2025, 1, 1), dt.date(2025, 3, 31)), tuple(people), links,
                           (), (), 10)
    drawing = network_drawing(report, links_drawn=4)
    assert drawing.links_drawn == 4 and str(drawing.svg).count("<line ") == 4
    assert {m.member_id for m in drawing.members if m.links} == set(range(8))
    assert sum(1 for m in drawing.members if not m.links) == NO_LINKS_DRAWN and drawing.no_links_left_out == 5


def test_members_and_social_workers_are_refused_every_report(bank, signed_in, web_database):
    for person in (bank.ann, bank.social_worker):
        client = signed_in(person)
        for url in PAGES + CHARTS + DOWNLOADS:
            assert client.get(url + QUERY).status_code == 403, (person.role, url)
        refused = client.get(PAGES[0])  # the refusal page carries the sign-out form's token
        token = csrf_from(refused.text)
        response = client.post("/coordinator/reports/funders/hourly-value",
                               data={"csrf_token": token, "pounds": "99"})
        assert response.status_code == 403
    assert reports.funders_report(web_database, bank.bank.slug,
                                  reports.make_period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
                                  ).hourly_value_pence == 1200


def test_another_banks_coordinator_sees_only_their_own_bank(bank, signed_in):
    olga = signed_in(bank.other_coordinator)
    page = olga.get(f"/coordinator/reports/activity{QUERY}")
    assert page.status_code == 200
    assert "Ann" not in page.text and "0h" in page.text
    rows = _csv(olga.get(f"/coordinator/reports/activity.csv{QUERY}&table=members"))
    assert rows == [["member_id", "name", "given_minutes", "given_hours", "received_minutes", "received_hours"]]


def test_csv_downloads_have_their_columns_and_totals(cora, bank):
    response = cora.get(f"/coordinator/reports/activity.csv{QUERY}&table=months")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith('-activity-months-2025-01-01-2025-03-31.csv"')
    assert _csv(response) == [["month", "exchanges", "minutes", "hours"], ["2025-01", "1", "90", "1.50"],
                              ["2025-02", "0", "0", "0.00"], ["2025-03", "1", "60", "1.00"]]

    members = _csv(cora.get(f"/coordinator/reports/activity.csv{QUERY}&table=members"))
    assert [r[1:] for r in members[1:]] == [["Ann", "90", "1.50", "60", "1.00"], ["Bob", "60", "1.00", "90", "1.50"]]
    categories = _csv(cora.get(f"/coordinator/reports/activity.csv{QUERY}&table=categories"))
    assert categories[0] == ["category", "name", "exchanges", "minutes", "hours"]
    assert sum(int(r[3]) for r in categories[1:]) == 150

    links = _csv(cora.get(f"/coordinator/reports/network.csv{QUERY}"))
    assert links == [["member_a_id", "member_a", "member_b_id", "member_b", "minutes", "hours"],
                     [str(bank.ann.member_id), "Ann", str(bank.bob.member_id), "Bob", "150", "2.50"]]
    nodes = _csv(cora.get(f"/coordinator/reports/network.csv{QUERY}&table=members"))
    assert [r[1:3] for r in nodes[1:]] == [["Ann", "1"], ["Bob", "1"], ["Dot", "0"], ["Eve", "0"]]

    funders = dict(_csv(cora.get(f"/coordinator/reports/funders.csv{QUERY}")))
    assert funders["minutes_exchanged"] == "150" and funders["hours_exchanged"] == "2.50"
    assert funders["social_value_pence"] == "3000" and funders["social_value_pounds"] == "30.00"

    assert cora.get(f"/coordinator/reports/activity.csv{QUERY}&table=passwords").status_code == 404


def test_a_name_that_looks_like_a_formula_is_quoted_in_a_download(cora, bank, web_database):
    from timebank.services import members

    evil = members.add_member(web_database, bank.bank.slug, "=HYPERLINK(\"http://x\")", joined_on=dt.date(2024, 6, 1))
    ledger.log_exchange(web_database, bank.bank.slug, provider_id=evil.id, receiver_id=bank.ann.member_id,
                        minutes=15, given_on=dt.date(2025, 2, 1), recorded_by="test")
    rows = _csv(cora.get(f"/coordinator/reports/activity.csv{QUERY}&table=members"))
    assert rows[1][1:3] == ["'=HYPERLINK(\"http://x\")", "15"]


@pytest.mark.parametrize("start, end, message", [
    ("2025-13-01", "2025-03-31", "Enter a real day as YYYY-MM-DD"),
    ("", "2025-03-31", "Enter the first day"),
    ("2025-03-31", "2025-01-01", "The last day must be the same as or after the first day"),
    ("1990-01-01", "2025-01-01", "at most ten years"),
])
def test_a_bad_period_is_refused_with_errors_beside_the_fields(cora, start, end, message):
    for page in ("/coordinator/reports/", "/coordinator/reports/activity", "/coordinator/reports/funders"):
        response = cora.get(page, query_string={"start": start, "end": end})
        assert response.status_code == 400, page
        summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
        assert message in summary
        assert 'class="error-message"' in response.text and message in response.text.split("error-summary", 2)[-1]
        assert f'value="{start}"' in response.text  # what was typed is kept
    for url in DOWNLOADS + CHARTS:
        assert cora.get(url, query_string={"start": start, "end": end}).status_code == 400, url


def test_without_a_period_a_report_covers_the_last_12_months(cora):
    page = cora.get("/coordinator/reports/activity")
    assert page.status_code == 200
    today = dt.date.today()
    assert f'value="{today.isoformat()}"' in page.text
    assert page.text.count("<th scope=\"row\">") >= 12


def test_a_chart_is_svg_and_drawn_once(cora):
    from timebank.web.reports.charts import charts

    charts.clear()
    before = charts.renders
    first = cora.get("/coordinator/reports/activity.svg" + QUERY)
    assert first.status_code == 200
    assert first.mimetype == "image/svg+xml"
    assert b"<svg" in first.data and b"<script" not in first.data
    again = cora.get("/coordinator/reports/activity.svg" + QUERY)
    assert again.data == first.data
    assert charts.renders == before + 1, "the second request was drawn again"


def test_a_new_exchange_changes_the_charts_key(cora, bank, web_database):
    from timebank.web.reports.charts import charts

    charts.clear()
    url = "/coordinator/reports/network.svg" + QUERY
    first = cora.get(url).data
    drawn = charts.renders
    ledger.log_exchange(web_database, bank.bank.slug, provider_id=bank.eve_member_id,
                        receiver_id=bank.ann.member_id, minutes=30, given_on=dt.date(2025, 2, 10),
                        recorded_by="test")
    second = cora.get(url).data
    assert charts.renders == drawn + 1
    assert second != first  # Eve is linked now
    # An exchange outside the period changes nothing drawn: the chart comes from the cache.
    _log(web_database, bank, bank.ann, bank.bob, 30, dt.date(2025, 4, 10))
    assert cora.get(url).data == second and charts.renders == drawn + 1


def test_the_network_drawing_is_drawn_once_and_again_when_what_it_draws_changes(cora, bank, web_database):
    from timebank.web.reports.charts import charts

    charts.clear()
    url = "/coordinator/reports/network" + QUERY
    first = cora.get(url).text
    drawn = charts.renders
    assert cora.get(url).text == first and charts.renders == drawn
    ledger.log_exchange(web_database, bank.bank.slug, provider_id=bank.eve_member_id,
                        receiver_id=bank.ann.member_id, minutes=30, given_on=dt.date(2025, 2, 10),
                        recorded_by="test")
    second = cora.get(url).text
    assert charts.renders == drawn + 1 and "<title>Eve: 1 link, 30m</title>" in second


def test_the_hourly_value_form(cora, bank):
    page = cora.get(f"/coordinator/reports/funders{QUERY}")
    token = csrf_from(page.text)
    url = f"/coordinator/reports/funders/hourly-value{QUERY}"

    refused = cora.post(url, data={"csrf_token": token, "pounds": "twelve"})
    assert refused.status_code == 400
    assert 'value="twelve"' in refused.text and "error-summary" in refused.text
    too_much = cora.post(url, data={"csrf_token": token, "pounds": "5000"})
    assert too_much.status_code == 400 and "at most £1,000.00" in too_much.text
    assert cora.post(url, data={"pounds": "15"}).status_code == 400  # no CSRF token

    saved = cora.post(url, data={"csrf_token": token, "pounds": "£15.50"})
    assert saved.status_code == 302 and saved.location.endswith(f"/coordinator/reports/funders{QUERY}")
    page = cora.get(f"/coordinator/reports/funders{QUERY}").text
    # 2h 30m at £15.50 an hour.
    assert "£38.75" in page and 'value="15.50"' in page


def test_the_network_chart_names_only_the_most_connected_members():
    import networkx as nx

    from timebank.web.reports.charts import NAMES_ON_NETWORK, network_chart_names

    # A hub joined to 20 members, and two of them also to each other.
    graph = nx.Graph()
    graph.add_node(0, name="Hub")
    for n in range(1, 21):
        graph.add_node(n, name=f"Member {n:02d}")
        graph.add_edge(0, n, minutes=30)
    graph.add_edge(5, 6, minutes=30)
    named = network_chart_names(graph)
    assert len(named) == NAMES_ON_NETWORK < graph.number_of_nodes()
    assert list(named.values())[:3] == ["Hub", "Member 05", "Member 06"]
    assert "Member 20" not in named.values()


@pytest.mark.parametrize("typed, pence", [("9,50", 950), ("£9.50", 950), ("9.50", 950), ("£9", 900)])
def test_an_hourly_value_is_read_as_typed_never_a_hundredfold(cora, bank, web_database, typed, pence):
    page = cora.get(f"/coordinator/reports/funders{QUERY}")
    url = f"/coordinator/reports/funders/hourly-value{QUERY}"
    saved = cora.post(url, data={"csrf_token": csrf_from(page.text), "pounds": typed})
    assert saved.status_code == 302
    period = reports.make_period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert reports.funders_report(web_database, bank.bank.slug, period).hourly_value_pence == pence
