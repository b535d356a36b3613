"""The rules of notices, without a database: who gets what, in which words, by which way,
how often a refused one is tried again, and the signed unsubscribe link."""
from __future__ import annotations

import datetime as dt

import pytest

from timebank.domain import notices as rules
from timebank.domain.errors import NoticeInvalid, NoticeLinkInvalid

BASE = "https://bank.example.org"
KEY = b"a secret key for the tests"


def _words(planned, **options):
    return rules.render(planned.kind, planned.facts, base_url=BASE, **options)


def test_an_exchange_logged_by_one_member_asks_the_other_to_confirm_with_a_link():
    planned = rules.exchange_waiting(exchange_id=12, to_member_id=5, other_name="Ann Smith", minutes=90,
                                     given_on=dt.date(2026, 11, 20), what="Lift to the surgery",
                                     provider_is_you=False)
    words = _words(planned)
    assert planned.member_id == 5 and planned.key == "exchange-waiting.12"
    assert words.subject == "Ann Smith logged 1 hour 30 minutes: please confirm"
    assert "Ann Smith helped you" in words.body and "20 November 2026" in words.body
    assert words.link == f"{BASE}/member/" and words.body.rstrip().endswith(words.link)


def test_a_declined_exchange_tells_who_logged_it_why():
    planned = rules.exchange_declined(exchange_id=3, to_member_id=7, other_name="Dot Brown", minutes=60,
                                      given_on=dt.date(2026, 11, 2), what=None, reason="It was Tuesday")
    words = _words(planned)
    assert planned.member_id == 7
    assert '"It was Tuesday"' in words.body and "no balance has changed" in words.body
    no_reason = rules.exchange_declined(exchange_id=3, to_member_id=7, other_name="Dot", minutes=60,
                                        given_on=dt.date(2026, 11, 2), what=None, reason=None)
    assert "did not give a reason" in _words(no_reason).body


def test_a_chosen_helper_is_given_only_the_contact_the_asker_shared():
    shared = rules.helper_chosen(request_id=4, answer_id=9, helper_id=2, asker_name="Jean", what="A lift",
                                 when="Friday", where=None, phone="0131 496 0001", email=None)
    words = _words(shared)
    assert "phone 0131 496 0001" in words.body and "email" not in words.body.split("reach them by")[1][:40]
    assert words.link == f"{BASE}/member/answers"
    nothing = rules.helper_chosen(request_id=4, answer_id=9, helper_id=2, asker_name="Jean", what="A lift",
                                  when=None, where=None, phone=None, email=None)
    assert "your coordinator can put you in touch" in _words(nothing).body


def test_someone_can_help_links_to_the_requests_page():
    planned = rules.request_answered(request_id=4, answer_id=8, asker_id=1, helper_name="Al", what="A lift",
                                     message="I drive")
    assert planned.key == "request-answered.4.8"
    assert _words(planned).link == f"{BASE}/member/requests"


def test_a_reset_link_carries_its_token_and_cannot_be_turned_off():
    planned = rules.password_reset(reset_id=1, member_id=3, name="Ann", token="abc_DEF-1",
                                   expires_at=dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))
    words = _words(planned, unsubscribe_url=f"{BASE}/messages/stop/x")
    assert words.link == f"{BASE}/reset/abc_DEF-1"
    assert "/messages/stop/" not in words.body  # essential: no way to stop it
    assert rules.wanted("password_reset", {"password_reset"})
    assert "password_reset" in rules.ESSENTIAL_KINDS


def test_a_kind_a_member_turned_off_is_not_wanted_and_the_others_are():
    assert not rules.wanted("request_answered", {"request_answered"})
    assert rules.wanted("helper_chosen", {"request_answered"})


def test_members_without_email_are_told_by_the_coordinator():
    assert rules.channel_for("ann@example.org") == "email"
    assert rules.channel_for(None) == "coordinator" and rules.channel_for("") == "coordinator"


def test_a_refused_notice_waits_twice_as_long_each_time_up_to_six_hours_and_is_given_up_at_last():
    delays = [rules.retry_delay(n, base_seconds=60).total_seconds() for n in (1, 2, 3, 4)]
    assert delays == [60, 120, 240, 480]
    assert rules.retry_delay(30).total_seconds() == 6 * 3600
    assert not rules.gives_up(7, max_attempts=8) and rules.gives_up(8, max_attempts=8)


def test_facts_a_kind_does_not_take_are_refused_so_assessment_words_cannot_slip_in():
    with pytest.raises(NoticeInvalid):
        rules.check_facts("exchange_waiting", {"exchange_id": 1, "needs": "help washing"})
    with pytest.raises(NoticeInvalid):
        rules.check_kind("gossip")


@pytest.mark.parametrize("key", ["", "has space", "colon:in", "x" * 151, None])
def test_a_key_that_could_not_be_a_message_id_is_refused(key):
    with pytest.raises(NoticeInvalid):
        rules.check_key(key)


def test_the_message_id_is_the_notice_key():
    assert rules.message_id("exchange-waiting.12", 3, "bank.example.org") == "<exchange-waiting.12.b3@bank.example.org>"


def test_an_unsubscribe_token_names_its_member_and_kind_and_cannot_be_forged():
    token = rules.unsubscribe_token(KEY, 42, "request_answered")
    assert rules.read_unsubscribe_token(KEY, token) == (42, "request_answered")
    member, kind, signature = token.split(".")
    for forged in (f"43.{kind}.{signature}", f"{member}.helper_chosen.{signature}", token[:-2],
                   "nonsense", rules.unsubscribe_token(b"another key", 42, "request_answered")):
        with pytest.raises(NoticeLinkInvalid):
            rules.read_unsubscribe_token(KEY, forged)


def test_every_kind_has_words_and_a_label():
    for kind in rules.KINDS.values():
        assert kind.label and kind.path.startswith("/")
        facts = {name: (1 if name.endswith("_id") or name == "minutes" else "x") for name in kind.facts}
        facts.update({"given_on": "2026-11-20", "expires_at": "2026-12-03T10:00:00+00:00"} if kind.facts
                     & {"given_on", "expires_at"} else {})
        if "requests" in kind.facts:  # the weekly digest's list of requests
            facts.update(count=1, requests=[{"id": 1, "what": "x", "category": "gardening"}])
        words = rules.render(kind.name, {k: v for k, v in facts.items() if k in kind.facts}, base_url=BASE)
        assert words.subject and words.body


def test_a_member_asked_from_their_offer_is_asked_to_say_yes_or_no_on_their_answers_page():
    planned = rules.asked_to_help(request_id=6, helper_id=2, asker_name="Jean", what="A lift to the surgery",
                                  when="Monday 10am", where=None)
    words = _words(planned, unsubscribe_url=f"{BASE}/messages/stop/x")
    assert (planned.member_id, planned.key) == (2, "asked-to-help.6")
    assert words.subject == "Jean asks if you can help"
    assert '"A lift to the surgery"' in words.body and "When: Monday 10am" in words.body
    assert "Where:" not in words.body
    assert words.link == f"{BASE}/member/answers" and f"{BASE}/messages/stop/x" in words.body


def test_a_yes_gives_the_asker_only_the_contact_shared_and_a_no_gives_none():
    yes = rules.ask_answered(request_id=6, answer_id=9, asker_id=1, helper_name="Al", what="A lift", said_yes=True,
                             phone=None, email="al@example.org")
    words = _words(yes)
    assert (yes.member_id, yes.key) == (1, "ask-answered.6.9.yes")
    assert words.subject == "Al said yes: they can help" and "reach them by email al@example.org" in words.body
    assert "phone" not in words.body and words.link == f"{BASE}/member/requests"

    no = rules.ask_answered(request_id=6, answer_id=9, asker_id=1, helper_name="Al", what="A lift", said_yes=False,
                            phone="0131 496 0002", email="al@example.org")
    assert no.key == "ask-answered.6.9.no" and (no.facts["phone"], no.facts["email"]) == ("", "")
    assert _words(no).subject == "Al cannot help this time" and "0131" not in _words(no).body


# ---------------------------------------------------------------- members' kinds and staff kinds


def test_staff_kinds_are_not_members_kinds_and_no_link_can_turn_one_off():
    staff = {"follow_up_due", "safeguarding_expiring"}
    assert {k.name for k in rules.KINDS.values() if k.audience == "staff"} == staff
    assert not staff & rules.MEMBER_KINDS and rules.MEMBER_KINDS | staff == set(rules.KINDS)
    assert "password_reset" in rules.MEMBER_KINDS
    for kind in staff:
        with pytest.raises(NoticeInvalid):
            rules.check_member_kind(kind)
        with pytest.raises(NoticeInvalid):
            rules.unsubscribe_token(KEY, 42, kind)
        # Even a link signed with our key does not turn a staff kind off for a member.
        payload = f"42.{kind}"
        signed = f"{payload}.{rules._signature(KEY, payload)}"
        with pytest.raises(NoticeLinkInvalid):
            rules.read_unsubscribe_token(KEY, signed)
    assert rules.check_member_kind("asked_to_help").name == "asked_to_help"


def test_the_withdrawn_helpers_label_is_true_whether_the_asker_chose_them_or_asked_them_directly():
    label = rules.KINDS["helper_withdrew"].label
    assert "chose" not in label and "can no longer help" in label
    planned = rules.helper_withdrew(request_id=6, answer_id=9, asker_id=1, helper_name="Al", what="A lift")
    assert "choose someone else if others offered" in _words(planned).body  # none did, when asked directly


# ---------------------------------------------------------------- members without a sign-in


def _facts_for(kind: str, *, has_sign_in: bool) -> dict:
    facts = {"exchange_id": 3, "other_name": "Dot", "minutes": 60, "given_on": "2026-11-20", "what": "A lift",
             "provider_is_you": False, "reason": "", "request_id": 4, "helper_name": "Al", "asker_name": "Jean",
             "message": "", "when": "", "where": "", "phone": "", "email": "", "said_yes": True,
             "listing": "request", "listing_id": 4, "expires_on": "2026-12-10", "page": "requests",
             "week": "2026-11-30", "count": 1, "requests": [{"id": 1, "what": "A shelf", "category": "diy"}],
             "bank_name": "Leith", "name": "Ann", "has_sign_in": has_sign_in}
    return rules.check_facts(kind, {k: v for k, v in facts.items() if k in rules.KINDS[kind].facts})


PAGE_KINDS = ("exchange_waiting", "exchange_declined", "request_answered", "helper_chosen", "asked_to_help",
              "ask_answered", "helper_withdrew", "listing_expiring", "weekly_digest")


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_a_member_without_a_sign_in_is_sent_to_their_coordinator_not_to_a_page_they_cannot_open(kind):
    without = rules.render(kind, _facts_for(kind, has_sign_in=False), base_url=BASE,
                           unsubscribe_url=f"{BASE}/messages/stop/x")
    assert "coordinator" in without.body and without.link == ""
    for pointing in ("your page", "requests page", "Your requests", "on the list", f"{BASE}/member"):
        assert pointing not in without.body
    assert f"{BASE}/messages/stop/x" in without.body  # they can still stop it

    signed_in = rules.render(kind, _facts_for(kind, has_sign_in=True), base_url=BASE)
    assert signed_in.link.startswith(f"{BASE}/member") and signed_in.body.rstrip().endswith(signed_in.link)


def test_a_member_asked_without_a_sign_in_is_asked_to_tell_their_coordinator_yes_or_no():
    planned = rules.asked_to_help(request_id=6, helper_id=2, asker_name="Jean", what="A lift", when=None, where=None)
    words = rules.render("asked_to_help", {**planned.facts, "has_sign_in": False}, base_url=BASE)
    assert "Please tell your coordinator yes or no" in words.body and "on your page" not in words.body

