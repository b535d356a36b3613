"""Every page each role reaches, signed in, at 320 px: no axe-core (WCAG 2.2 A/AA)
violation and no sideways scroll.

The pages come from the application's url map and its policy table, so a page added
later is crawled without touching this file; ids in paths are filled from the
demonstration bank (with one match run, one introduction and one exchange whose text is
one long word made here, which the demo does not have). Downloads (CSV, SVG, PDF) are
not pages and are left out. Every problem of every page is collected first, so one run
names them all.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, WCAG_TAGS, WIDEST_ELEMENTS, describe_violations, give_code

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTH = 320
NOT_PAGES = (".csv", ".svg", ".pdf", ".zip")


def _values(database) -> dict[str, list]:
    """An id for each argument of the url map, from the demonstration bank."""
    from timebank.demo import DEMO_BANK_SLUG, DEMO_PASSWORD, SOCIAL_WORKER_EMAIL
    from timebank.services import assessments, auth, banks, ledger, matches, members, places

    worker = auth.authenticate(database, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)
    run = matches.latest_run(database, worker) or matches.run_match(database, worker)
    introductions = matches.list_introductions(database, worker)
    if not introductions:
        proposal = next(p for p in run.proposals if p.status == "proposed")
        introductions = [matches.accept_proposal(database, worker, proposal.id)]
    # The busiest member, whose statement and page are the longest.
    busiest = max(ledger.balances(database, DEMO_BANK_SLUG),
                  key=lambda b: b.given_minutes + b.received_minutes)
    morag = {m.name: m.id for m in members.list_members(database, DEMO_BANK_SLUG)}["Morag Henderson"]
    # One long word, as a pasted web address is: it must wrap, not widen every row (B5).
    ledger.log_exchange(database, DEMO_BANK_SLUG, provider_id=busiest.member_id, receiver_id=morag,
                        minutes=30, recorded_by="crawl", description="https://example.org/" + "x" * 300)
    by_argument = {
        "member_id": [busiest.member_id, morag],
        "category": [banks.list_categories(database, DEMO_BANK_SLUG)[0][0]],
        "assessment_id": [assessments.list_assessments(database, worker)[0].id],
        "run_id": [run.id],
        "introduction_id": [introductions[0].id],
        "exchange_id": [ledger.find_exchanges(database, DEMO_BANK_SLUG).items[0].id],
        "neighbourhood_id": [places.list_neighbourhoods(database, DEMO_BANK_SLUG)[0].id],
    }
    return by_argument, _journey_pages(database, morag)


def _journey_pages(database, morag: int) -> dict[str, list[dict]]:
    """The request and offer pages that exist only in some state of a request's journey,
    each with the request, answer or offer that puts it in that state (made here when the
    demonstration bank does not hold one)."""
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import helping, requests_offers

    slug = DEMO_BANK_SLUG
    mine = helping.my_requests(database, slug, morag)
    waiting = next(r for r in mine if r.status == "open" and any(a.status == "waiting" for a in r.answers))
    open_request = next(r for r in mine if r.status == "open" and r.id != waiting.id)
    chosen = helping.choose_helper(database, slug, waiting.id,
                                   next(a for a in waiting.answers if a.status == "waiting").id, member_id=morag)
    others = next(r for r in requests_offers.list_requests(database, slug)
                  if r.member_id != morag and not any(a.member_id == morag for a in r.answers))
    requests_offers.answer_request(database, slug, others.id, member_id=morag, message="I can help on Monday.")
    asked = next(a for a in helping.my_answers(database, slug, morag) if a.answer.status == "asked")
    my_offer = next(o for o in requests_offers.member_offers(database, slug, morag) if o.active)
    others_offer = next(o for o in requests_offers.list_offers(database, slug) if o.member_id != morag)
    from tests.browser.conftest import SECRET_KEY
    from timebank.domain.notices import unsubscribe_token
    from timebank.services import notices

    to_tell = notices.to_tell(database, slug, base_url="http://127.0.0.1")
    return {
        "notices.stop": [{"token": unsubscribe_token(SECRET_KEY.encode(), morag, "request_answered")}],
        "notices.letter": [{"notice_id": to_tell[0].id}],
        "member.edit_request": [{"request_id": open_request.id}],
        "member.close_request": [{"request_id": open_request.id}],
        "member.request_hours": [{"request_id": chosen.id}],
        "member.edit_answer": [{"request_id": others.id}],
        "member.withdraw_answer": [{"request_id": others.id}],
        "member.decline_asked": [{"request_id": asked.request.id}],
        "member.edit_offer": [{"offer_id": my_offer.id}],
        "member.withdraw_offer": [{"offer_id": my_offer.id}],
        "member.ask_person": [{"offer_id": others_offer.id}],
        "coordinator.request": [{"request_id": open_request.id}, {"request_id": chosen.id}],
        "coordinator.close_request": [{"request_id": open_request.id}],
        "coordinator.request_hours": [{"request_id": chosen.id}],
        "coordinator.withdraw_answer": [{"request_id": others.id, "member": morag}],
        "coordinator.decline_asked": [{"request_id": asked.request.id, "member": morag}],
        "coordinator.ask_person_for": [{"offer_id": others_offer.id}],
        "coordinator.member_status": [{"member_id": morag, "status": "suspended"}],
    }


def _paths(app, role: str, values: tuple[dict[str, list], dict[str, list[dict]]]) -> list[str]:
    from flask import url_for

    from timebank.web.policy import POLICY

    paths = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if ("GET" not in (rule.methods or ()) or role not in POLICY.get(rule.endpoint, ())
                    or rule.endpoint == "static" or rule.rule.endswith(NOT_PAGES)):
                continue
            if rule.endpoint in ("auth.sign_in", "auth.reset_password"):
                continue  # for people signed out: a signed-in visit is sent home
            by_argument, by_endpoint = values
            combos = [{}]
            if rule.endpoint in by_endpoint:
                combos = by_endpoint[rule.endpoint]
            else:
                for argument in sorted(rule.arguments):
                    combos = [dict(c, **{argument: v}) for c in combos for v in by_argument[argument]]
            paths.extend(url_for(rule.endpoint, **combo) for combo in combos)
    return paths


def test_every_page_of_every_role_passes_axe_and_fits_320_px(browser, axe, live_server):
    from timebank.demo import COORDINATOR_EMAIL, DEMO_PASSWORD, MEMBER_EMAIL, SOCIAL_WORKER_EMAIL
    from timebank.web import create_app

    assert CHROMIUM_ARGS  # the same Chromium as every browser test
    app = create_app({"DATABASE": live_server.database, "SECRET_KEY": "crawl"})
    values = _values(live_server.database)
    problems, visited = [], 0
    for role, email in (("member", MEMBER_EMAIL), ("coordinator", COORDINATOR_EMAIL),
                        ("social_worker", SOCIAL_WORKER_EMAIL)):
        context = browser.new_context(viewport={"width": WIDTH, "height": 800}, base_url=live_server.url)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()
        give_code(page, email)
        assert "/sign-in" not in page.url, f"{role} could not sign in"
        for path in _paths(app, role, values):
            response = page.goto(path)
            visited += 1
            if response is None or response.status != 200:
                problems.append(f"{role} {path}: HTTP {response.status if response else 'no answer'}")
                continue
            violations = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                                "resultTypes": ["violations"]}).response["violations"]
            if violations:
                problems.append(f"{role} {describe_violations(path, violations)}")
            scroll, client, culprits = page.evaluate(WIDEST_ELEMENTS)
            if scroll > WIDTH:
                problems.append(f"{role} {path}: {scroll} px wide at {WIDTH} px; past the edge: {culprits}")
        context.close()
    assert visited >= 40, f"only {visited} pages were crawled: is the url map being read?"
    assert not problems, f"{len(problems)} problem(s) in {visited} pages:\n" + "\n".join(problems)
