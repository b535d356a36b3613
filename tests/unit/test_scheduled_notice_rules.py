"""What the calendar makes due: expiry warnings, weekly digests, follow-up reminders and
safeguarding checks running out, each under a key naming its kind, subject and period."""
from __future__ import annotations

import datetime as dt

from timebank.domain.scheduled_notices import (
    Listing,
    NewRequest,
    follow_up_due,
    iso_week,
    listing_expiring,
    safeguarding_expiring,
    weekly_digest,
)

D = dt.date
TODAY = D(2026, 12, 3)  # a Thursday, ISO week 49


def test_a_request_expiring_within_a_week_is_due_a_warning_keyed_by_its_expiry_day():
    listings = [Listing("request", 7, 21, "A lift to the surgery", D(2026, 9, 8)),
                Listing("offer", 8, 22, "Gardening", D(2026, 9, 20))]
    (due,) = listing_expiring(listings, TODAY, 3)
    assert due.member_id == 21 and due.user_id is None
    assert due.key == "listing-expiring.request.7.2026-12-08"
    assert due.facts == {"listing": "request", "listing_id": 7, "what": "A lift to the surgery",
                         "expires_on": "2026-12-08", "page": "requests"}


def test_a_renewed_request_is_a_new_period_and_so_a_new_key():
    before = listing_expiring([Listing("request", 7, 21, "x", D(2026, 9, 8))], TODAY, 3)
    after = listing_expiring([Listing("request", 7, 21, "x", D(2026, 12, 3))], D(2027, 2, 27), 3)
    assert before[0].key != after[0].key


def test_an_expired_request_is_due_no_more_warnings():
    assert listing_expiring([Listing("request", 7, 21, "x", D(2026, 9, 3))], TODAY, 3) == []


def _requests():
    return [NewRequest(1, 30, "gardening", "Hedge", D(2026, 12, 1)),
            NewRequest(2, 31, "lifts", "Lift", D(2026, 12, 2)),
            NewRequest(3, 20, "gardening", "My own", D(2026, 12, 2)),
            NewRequest(4, 32, "gardening", "Too old", D(2026, 11, 25)),
            NewRequest(5, 33, "gardening", "Today's, next week", TODAY)]


def test_the_weekly_digest_lists_other_members_new_requests_in_the_services_offered():
    due = weekly_digest(20, has_email=True, offered=["gardening"], requests=_requests(), today=TODAY)
    assert due.key == "weekly-digest.20.2026-W49" and due.member_id == 20
    assert [r["id"] for r in due.facts["requests"]] == [1]
    assert due.facts["count"] == 1 and due.facts["week"] == "2026-W49"


def test_the_weekly_digest_is_keyed_once_per_iso_week_whichever_day_it_is_written():
    monday, sunday = D(2026, 11, 30), D(2026, 12, 6)
    assert iso_week(monday) == iso_week(sunday) == "2026-W49"
    assert iso_week(D(2026, 12, 7)) == "2026-W50"
    assert iso_week(D(2027, 1, 1)) == "2026-W53"


def test_no_digest_without_an_email_an_offer_or_anything_new():
    assert weekly_digest(20, has_email=False, offered=["gardening"], requests=_requests(), today=TODAY) is None
    assert weekly_digest(20, has_email=True, offered=[None], requests=_requests(), today=TODAY) is None
    assert weekly_digest(20, has_email=True, offered=["cooking"], requests=_requests(), today=TODAY) is None


def test_a_follow_up_is_due_from_its_day_while_the_introduction_is_open():
    assert follow_up_due(5, status="open", follow_up_on=D(2026, 12, 4), social_worker_ids=[9], today=TODAY) == []
    (due,) = follow_up_due(5, status="open", follow_up_on=TODAY, social_worker_ids=[9, 9], today=TODAY)
    assert due.user_id == 9 and due.key == "follow-up-due.5.2026-12-03.u9"
    assert due.facts == {"introduction_id": 5, "follow_up_on": "2026-12-03"}
    assert follow_up_due(5, status="open", follow_up_on=D(2026, 12, 1), social_worker_ids=[9], today=TODAY)
    assert follow_up_due(5, status="closed", follow_up_on=TODAY, social_worker_ids=[9], today=TODAY) == []
    assert follow_up_due(5, status="open", follow_up_on=None, social_worker_ids=[9], today=TODAY) == []


def test_a_safeguarding_check_expiring_within_30_days_is_due_to_each_coordinator():
    due = safeguarding_expiring(4, "Ann", expires_on_day=D(2027, 1, 2), coordinator_ids=[2, 3], today=TODAY)
    assert [(d.user_id, d.key) for d in due] == [(2, "safeguarding-expiring.4.2027-01-02.u2"),
                                                 (3, "safeguarding-expiring.4.2027-01-02.u3")]
    assert safeguarding_expiring(4, "Ann", expires_on_day=D(2027, 1, 3), coordinator_ids=[2], today=TODAY) == []
    assert safeguarding_expiring(4, "Ann", expires_on_day=D(2026, 12, 2), coordinator_ids=[2], today=TODAY) == []
    assert safeguarding_expiring(4, "Ann", expires_on_day=None, coordinator_ids=[2], today=TODAY) == []


def test_each_scheduled_notice_has_words_and_the_page_to_act_on():
    from timebank.domain.notices import render

    (expiring,) = listing_expiring([Listing("offer", 8, 22, "Gardening", D(2026, 9, 8))], TODAY, 3)
    words = render(expiring.kind, expiring.facts, base_url="https://bank.example.org")
    assert words.link == "https://bank.example.org/member/offer" and "Renew" in words.body
    assert "8 December 2026" in words.subject
    digest = weekly_digest(20, has_email=True, offered=["gardening"], requests=_requests(), today=TODAY)
    words = render(digest.kind, digest.facts, base_url="https://bank.example.org")
    assert "- Hedge" in words.body and words.subject == "1 new request you could help with"
    (follow_up,) = follow_up_due(5, status="open", follow_up_on=TODAY, social_worker_ids=[9], today=TODAY)
    assert render(follow_up.kind, follow_up.facts, base_url="").link == "/social/introductions/5"
