"""What a newcomer walking the app found: a promise of privacy that was not true for a
member without a sign-in, a request asked of such a member missing from "who to call",
an expired request shown as open, date hints that did not match a date picker, and
group-log words that left things out."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from timebank.services import contact_log, requests_offers

TODAY = dt.date.today()


def _text(response) -> str:
    assert response.status_code == 200, response.text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


@pytest.fixture
def offers(web_database, world):
    """Dot (no sign-in) and Bob (signed in) each offer gardening."""
    slug = world.bank.slug
    dots = requests_offers.offer_skill(web_database, slug, member_id=world.dot_member_id,
                                       description="Weeding and pruning")
    bobs = requests_offers.offer_skill(web_database, slug, member_id=world.bob.member_id,
                                       description="Mowing the lawn")
    return dots, bobs


def test_asking_a_member_without_a_sign_in_says_the_coordinator_reads_it(signed_in, world, offers):
    dots, bobs = offers
    ann = signed_in(world.ann)

    to_dot = _text(ann.get(f"/member/offers/{dots.id}/ask"))
    to_bob = _text(ann.get(f"/member/offers/{bobs.id}/ask"))

    assert "Dot has no sign-in: your coordinator will read this and pass it on." in to_dot
    assert "Only Dot sees this request" not in to_dot
    assert "Only Bob sees this request." in to_bob and "no sign-in" not in to_bob


def _ask_dot(web_database, world, dots, *, days_ago: int, what: str):
    from timebank.services import helping

    asked_at = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(9), tzinfo=dt.UTC)
    request = helping.ask_this_person(web_database, world.bank.slug, dots.id, member_id=world.ann.member_id,
                                      what=what)
    import sqlalchemy as sa

    from timebank.db.models import HelpAnswer
    with web_database.session() as session:
        session.execute(sa.update(HelpAnswer).where(HelpAnswer.request_id == request.id)
                        .values(created_at=asked_at))
        session.commit()
    return request


def test_who_to_call_lists_a_request_asked_of_a_member_without_a_sign_in(signed_in, world, web_database, offers):
    dots, bobs = offers
    asked = _ask_dot(web_database, world, dots, days_ago=4, what="Weed the back border")
    requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.ann.member_id,
                                description="Reading aloud")
    from timebank.services import helping
    helping.ask_this_person(web_database, world.bank.slug, bobs.id, member_id=world.ann.member_id,
                            what="Mow before Sunday")

    calls = contact_log.who_to_call(web_database, world.bank.slug)
    page = _text(signed_in(world.coordinator).get("/coordinator/calls"))

    assert [(r.request_id, r.asked_of.id, r.asked_by, r.waiting_days) for r in calls.asked] == [
        (asked.id, world.dot_member_id, "Ann", 4)]
    assert "Requests asked of someone without a sign-in" in page
    assert "Ann asked 4 days ago, still waiting: Weed the back border" in page
    assert "Mow before Sunday" not in page  # Bob can answer it himself


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_a_request_dot_has_answered_leaves_who_to_call(world, web_database, offers, answer):
    from timebank.services import helping

    dots, _ = offers
    asked = _ask_dot(web_database, world, dots, days_ago=2, what="Prune the roses")
    assert len(contact_log.who_to_call(web_database, world.bank.slug).asked) == 1
    if answer == "yes":
        helping.answer_for(web_database, world.bank.slug, asked.id, answerer_id=world.dot_member_id, accept=True)
    else:
        helping.decline_asked(web_database, world.bank.slug, asked.id, answerer_id=world.dot_member_id,
                              acting_member_id=None)

    assert contact_log.who_to_call(web_database, world.bank.slug).asked == ()


@pytest.fixture
def expired_request(web_database, world):
    asked_at = dt.datetime.combine(TODAY - dt.timedelta(days=120), dt.time(10), tzinfo=dt.UTC)
    return requests_offers.ask_for_help(web_database, world.bank.slug, member_id=world.ann.member_id,
                                        what="Sort out old photographs", asked_at=asked_at)


def test_an_expired_request_says_expired_and_renew_not_open(signed_in, world, expired_request):
    ann = signed_in(world.ann)
    expires = expired_request.expires_on

    home = _text(ann.get("/member/"))
    mine = _text(ann.get("/member/requests"))

    assert expires < TODAY and expired_request.created_at.date() < expires
    for page in (home, mine):
        section = page[page.index("Sort out old photographs"):]
        assert section.startswith("Sort out old photographs")
        assert f"Expired on {expires.day} " in section[:300] and "Renew" in section[:400]
        assert "Nobody has answered yet" not in section[:400]
    assert "Open" not in mine[mine.index("Sort out old photographs"):][:60]
    assert "Expired" in mine[mine.index("Sort out old photographs"):][:60]


@pytest.mark.parametrize("path", ["/coordinator/log", "/coordinator/log/group"])
def test_the_day_hint_is_true_for_a_date_picker(signed_in, world, path):
    page = _text(signed_in(world.coordinator).get(path))
    assert "YYYY-MM-DD" not in page
    assert "The day the help was given: today unless you change it." in page


def test_the_consent_day_hint_is_true_for_a_date_picker(signed_in, world):
    page = _text(signed_in(world.social_worker).get("/social/assessments/new"))
    assert "For example 2026-03-14" not in page and "YYYY-MM-DD" not in page
    assert "The day the person agreed." in page


def test_the_group_log_says_members_are_found_by_phone_too(signed_in, world):
    page = signed_in(world.coordinator).get("/coordinator/log/group").text
    receivers_hint = re.search(r'<p class="hint" id="find-hint">([^<]*)</p>', page).group(1)
    assert "a phone number" in receivers_hint


def test_who_to_call_names_an_exchange_waiting_on_someone_without_a_sign_in_by_its_hours_and_day(
        signed_in, world, web_database):
    from timebank.services import ledger
    from timebank.web.words import day

    given_on = dt.date.today() - dt.timedelta(days=2)
    waiting = ledger.propose_exchange(web_database, world.bank.slug, member_id=world.ann.member_id,
                                      provider_id=world.ann.member_id, receiver_id=world.dot_member_id,
                                      minutes=90, given_on=given_on, description="Hedge")
    page = _text(signed_in(world.coordinator).get("/coordinator/calls"))
    assert f"1h 30m on {day(given_on)}, logged by Ann today." in page
    assert f"Exchange #{waiting.id}" not in page  # people name it by hours and day, not its number
