"""A social worker follows an introduction up in a real browser (issue 13 part 7): the
measures before, at the introduction; a refused day; a follow-up with the measures after;
and the coordinator's funders' summary showing the change. axe-core checks every page;
the questions, the introduction (the longest page) and the funders' summary are also
checked for sideways scroll at 320 px."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH, Person

pytestmark = pytest.mark.browser

BEFORE = {"life_satisfaction": "3", "worthwhile": "4", "happiness": "3", "anxiety": "8", "loneliness": "often_always"}
AFTER = {"life_satisfaction": "6", "worthwhile": "6", "happiness": "7", "anxiety": "4", "loneliness": "occasionally"}


def _staff(role: str) -> Person:
    from timebank.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    if role == "coordinator":
        return Person("Liz Cameron", COORDINATOR_EMAIL, DEMO_PASSWORD)
    return Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)


def _side(page, words: str):
    """The answers of one side in the follow-up form, by its legend."""
    form = page.locator("form", has=page.get_by_role("button", name="Record the follow-up"))
    return form.locator("fieldset", has=page.locator("legend", has_text=words))


def _answer(page, side_words: str, answers: dict[str, str]) -> None:
    from timebank.domain.outcome_measures import shipped_questions

    texts = {q.key: q.text for q in shipped_questions()}
    side = _side(page, side_words)
    for key, value in answers.items():
        side.get_by_label(texts[key], exact=True).select_option(value)


def test_a_follow_up_before_and_after_reaches_the_funders_summary(open_browser, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import outcome_measures, reports

    today = dt.date.today()
    browse = open_browser(width=COORDINATOR_WIDTH)
    browse.sign_in(_staff("social_worker"))

    # The demonstration's follow-ups: one is due today, and comes first.
    page = browse.goto("/social/introductions")
    first_open = page.locator("table").first.locator("tbody tr").first
    assert "due today" in first_open.inner_text()

    # The questions every bank asks, and where a bank adds its own.
    page = browse.goto("/social/questions")
    assert page.get_by_role("cell", name="How often do you feel lonely?").count() == 1
    browse.assert_no_horizontal_scroll(320)

    # A new introduction from a fresh match.
    page = browse.goto("/social/matches")
    page = browse.submit("Run a match now")
    page = browse.submit("Yes, run a new match")
    page = browse.submit(button=page.get_by_role("button", name=re.compile("^Accept and introduce")).first)
    assert re.fullmatch(r"/social/introductions/\d+", urlsplit(page.url).path), page.url
    introduction_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    assert page.get_by_role("heading", name="Who to contact").count() == 1

    # Before: answered at the introduction; the helper would rather not say how anxious.
    form = page.locator("form", has=page.get_by_role("button", name="Record the follow-up"))
    form.get_by_label("Before the help (at the introduction)").check()
    _answer(page, "The person helped", BEFORE)
    _side(page, "The helper").get_by_label(
        re.compile("how anxious did you feel yesterday")).select_option("declined")
    form.get_by_label("Notes (optional)").fill("Met at the library with both of them.")
    # A day in the future is refused beside its field, and nothing is recorded.
    form.get_by_label("Day of the follow-up").fill((today + dt.timedelta(days=2)).isoformat())
    page = browse.submit("Record the follow-up")
    assert "cannot be in the future" in page.get_by_role("alert").inner_text()
    assert "cannot be in the future" in page.locator("#follow-held_on-error").inner_text()
    assert page.locator("#follow-helped__anxiety").input_value() == "8", "answers are kept"
    form = page.locator("form", has=page.get_by_role("button", name="Record the follow-up"))
    form.get_by_label("Day of the follow-up").fill((today - dt.timedelta(days=60)).isoformat())
    page = browse.submit("Record the follow-up")
    assert "The follow-up is recorded" in page.get_by_role("status").first.inner_text()

    # After: a follow-up, with the next one set a month ahead.
    form = page.locator("form", has=page.get_by_role("button", name="Record the follow-up"))
    form.get_by_label("After: a follow-up").check()
    _answer(page, "The person helped", AFTER)
    _answer(page, "The helper", {"happiness": "8"})
    form.get_by_label("Next follow-up day (optional)").fill((today + dt.timedelta(days=30)).isoformat())
    page = browse.submit("Record the follow-up")
    assert "The follow-up is recorded" in page.get_by_role("status").first.inner_text()
    follow_ups = page.locator("section.follow-up")
    assert follow_ups.count() == 2
    assert "8 out of 10" in follow_ups.nth(0).inner_text() and "Declined to answer" in follow_ups.nth(0).inner_text()
    assert "Occasionally" in follow_ups.nth(1).inner_text()
    browse.assert_no_horizontal_scroll(320)
    browse.screenshot("introduction-follow-ups")
    browse.sign_out()

    # The coordinator's funders' summary shows the change, anxiety's sign explained.
    browse.sign_in(_staff("coordinator"))
    page = browse.goto("/coordinator/reports/funders")
    section = page.locator("table", has=page.locator("caption", has_text="Change from before to after"))
    anxiety = section.locator("tr", has_text="how anxious did you feel yesterday")
    assert "lower is better" in anxiety.inner_text()
    period = reports.default_period()
    change = outcome_measures.wellbeing_change(live_server.database, DEMO_BANK_SLUG, period.start, period.end)
    by_key = {c.question_key: c for c in change.changes}
    assert change.people >= 5 and not by_key["anxiety"].suppressed
    assert f"{by_key['anxiety'].mean_change:+.1f}" in anxiety.inner_text()
    assert by_key["anxiety"].mean_change < 0
    lonely = section.locator("tr", has_text="How often do you feel lonely?")
    assert f"{round(by_key['loneliness'].share_better * 100)}%" in lonely.inner_text()
    browse.assert_no_horizontal_scroll(320)
    browse.screenshot("funders-wellbeing")

    # What the browser did is what the bank holds.
    from timebank.services import auth

    worker = auth.authenticate(live_server.database, _staff("social_worker").email, _staff("social_worker").password)
    held = outcome_measures.get_follow_ups(live_server.database, worker, introduction_id)
    assert [f.stage for f in held.follow_ups] == ["before", "after"]
    assert held.follow_ups[0].answers["helper"]["anxiety"].declined
    assert held.follow_up_on == today + dt.timedelta(days=30)
