"""The rules of a request's journey, without a database: who may choose, who sees
whose contact, and what a request waits on."""
from __future__ import annotations

import datetime as dt

import pytest

from timebank.domain.errors import AnswerNotOpen, HelperAlreadyChosen, InvalidInput, NotAllowed, RequestNotOpen
from timebank.domain.help import (
    Contact,
    age_words,
    asked_directly,
    check_answer_change,
    check_choice,
    check_log_from_request,
    may_act_for_answerer,
    may_act_for_asker,
    may_act_for_offerer,
    may_still_answer,
    offer_words,
    request_stage,
    request_words,
    sees_contact,
    shared_contact,
    stage_words,
    status_after_taking_back,
    who_cannot_be_reached,
    yes_taken_back,
)

ASKER, HELPER, OTHER = 1, 2, 3


def test_only_the_asker_or_a_coordinator_may_act_for_a_request():
    may_act_for_asker(ASKER, ASKER)
    may_act_for_asker(ASKER, None)
    with pytest.raises(NotAllowed):
        may_act_for_asker(ASKER, HELPER)


def test_only_the_answerer_or_a_coordinator_may_change_an_answer():
    may_act_for_answerer(HELPER, HELPER)
    may_act_for_answerer(HELPER, None)
    with pytest.raises(NotAllowed):
        may_act_for_answerer(HELPER, ASKER)


@pytest.mark.parametrize("status", ["waiting", "asked"])
def test_a_waiting_or_asked_answer_of_an_open_request_may_be_chosen(status):
    check_choice("open", status, chosen_already=False)


@pytest.mark.parametrize("request_status, answer_status, chosen, refusal", [
    ("closed", "waiting", False, RequestNotOpen),
    ("open", "waiting", True, HelperAlreadyChosen),
    ("open", "withdrawn", False, AnswerNotOpen),
    ("open", "thanked", False, AnswerNotOpen),
    ("open", "declined", False, AnswerNotOpen),
])
def test_a_choice_is_refused_when_the_request_or_the_answer_is_not_open(
        request_status, answer_status, chosen, refusal):
    with pytest.raises(refusal):
        check_choice(request_status, answer_status, chosen)


def test_an_answer_is_changed_only_while_it_and_its_request_are_open():
    check_answer_change("open", "chosen")
    with pytest.raises(RequestNotOpen):
        check_answer_change("closed", "waiting")
    with pytest.raises(AnswerNotOpen):
        check_answer_change("open", "withdrawn")


def test_hours_are_logged_once_and_only_with_a_chosen_helper():
    check_log_from_request("open", HELPER)
    with pytest.raises(AnswerNotOpen):
        check_log_from_request("open", None)
    with pytest.raises(RequestNotOpen):
        check_log_from_request("closed", HELPER)


def test_only_the_two_put_in_touch_and_the_coordinator_see_contacts():
    assert sees_contact(ASKER, ASKER, HELPER)
    assert sees_contact(HELPER, ASKER, HELPER)
    assert sees_contact(None, ASKER, HELPER)
    assert not sees_contact(OTHER, ASKER, HELPER)
    assert not sees_contact(ASKER, ASKER, None)
    assert not sees_contact(None, ASKER, None)


def test_only_what_the_member_agreed_to_is_shared():
    assert shared_contact("0131", "a@b.org", False, False) == Contact(None, None)
    assert shared_contact("0131", "a@b.org", True, False) == Contact("0131", None)
    assert shared_contact("0131", "a@b.org", False, True) == Contact(None, "a@b.org")
    assert not shared_contact(None, None, True, True).shared


@pytest.mark.parametrize("status, answers, exchange_id, code, waiting_on", [
    ("open", [], None, "no_answer", None),
    ("open", [(HELPER, "waiting"), (OTHER, "withdrawn")], None, "waiting_for_choice", ASKER),
    ("open", [(HELPER, "chosen"), (OTHER, "thanked")], None, "helper_chosen", ASKER),
    ("open", [(HELPER, "asked")], None, "asked", HELPER),
    ("open", [(OTHER, "withdrawn")], None, "no_answer", None),
    ("closed", [(HELPER, "chosen")], 7, "done", None),
    ("closed", [(HELPER, "declined")], None, "closed", None),
])
def test_a_request_s_stage_says_what_it_waits_on(status, answers, exchange_id, code, waiting_on):
    stage = request_stage(status, ASKER, answers, exchange_id)
    assert (stage.code, stage.waiting_on) == (code, waiting_on)


def test_stage_words_name_the_person_waited_on():
    stage = request_stage("open", ASKER, [(HELPER, "waiting")], None)
    assert stage_words(stage, {ASKER: "Jean"}) == "Answered, waiting for Jean to choose"


def test_age_in_whole_days():
    now = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    assert age_words(now - dt.timedelta(hours=5), now) == "today"
    assert age_words(now - dt.timedelta(days=1, hours=1), now) == "1 day"
    assert age_words(dt.datetime(2026, 11, 30, 9), now) == "3 days"


def test_only_the_member_who_made_an_offer_or_a_coordinator_changes_it_and_the_refusal_says_what():
    may_act_for_offerer(HELPER, HELPER, "withdraw it")
    may_act_for_offerer(HELPER, None, "withdraw it")
    with pytest.raises(NotAllowed, match="^Only the member who made this offer can withdraw it.$"):
        may_act_for_offerer(HELPER, ASKER, "withdraw it")
    with pytest.raises(NotAllowed, match="^Only the member who asked can close this request.$"):
        may_act_for_asker(ASKER, HELPER, "close this request")


def test_a_requests_words_are_trimmed_and_each_refusal_names_its_field():
    words = request_words("  A lift  ", " Monday ", "", None)
    assert (words.what, words.when_text, words.where_text, words.helper_notes) == ("A lift", "Monday", None, None)
    with pytest.raises(InvalidInput, match="what you would like help with"):
        request_words("   ")
    with pytest.raises(InvalidInput, match="roughly when"):
        request_words("A lift", "x" * 201)
    assert offer_words(" Lifts ") == "Lifts"
    with pytest.raises(InvalidInput, match="what you can offer"):
        offer_words("")


def test_a_yes_taken_back_is_asked_again_and_an_i_can_help_taken_back_is_withdrawn():
    assert status_after_taking_back("chosen", asked_directly=True) == "asked"
    assert status_after_taking_back("chosen", asked_directly=False) == "withdrawn"
    assert status_after_taking_back("waiting", asked_directly=False) == "withdrawn"
    with pytest.raises(AnswerNotOpen, match="no yes to take back"):  # not said yes yet: they say no
        status_after_taking_back("asked", asked_directly=True)


def test_a_request_is_asked_directly_only_of_the_member_it_was_made_to():
    assert asked_directly(HELPER, HELPER)
    assert not asked_directly(HELPER, OTHER)  # made to another member
    assert not asked_directly(None, HELPER)  # asked of everyone


@pytest.mark.parametrize("status", ["asked", "chosen"])
def test_the_member_asked_directly_may_still_answer_while_asked_or_chosen_by_their_yes(status):
    assert may_still_answer("open", HELPER, HELPER, status)


@pytest.mark.parametrize("request_status, addressed_to, member, status", [
    ("closed", HELPER, HELPER, "asked"),  # the request is closed: nothing left to answer
    ("closed", HELPER, HELPER, "chosen"),  # the hours were logged
    ("open", HELPER, HELPER, "declined"),
    ("open", HELPER, HELPER, "withdrawn"),
    ("open", HELPER, HELPER, None),  # no answer of theirs (never the case for the member asked)
    ("open", HELPER, OTHER, "asked"),  # made to another member
    ("open", None, HELPER, "chosen"),  # asked of everyone: their "I can help" was chosen
    ("open", None, HELPER, "waiting"),
])
def test_no_one_else_may_answer_as_the_member_asked_nor_once_it_is_settled(request_status, addressed_to,
                                                                            member, status):
    assert not may_still_answer(request_status, addressed_to, member, status)


def test_only_an_asked_answer_with_the_moment_of_its_yes_taken_back_is_a_yes_taken_back():
    moment = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
    assert yes_taken_back("asked", moment)
    assert not yes_taken_back("asked", None)  # asked, never answered
    assert not yes_taken_back("chosen", moment) and not yes_taken_back("withdrawn", moment)


def test_the_stage_of_a_request_asked_again_names_who_took_back_their_yes():
    stage = request_stage("open", ASKER, [(HELPER, "asked")], None, taken_back={HELPER})
    assert (stage.code, stage.waiting_on) == ("asked_again", HELPER)
    assert stage_words(stage, {HELPER: "Wei"}) == "Wei took back their yes: waiting for them to say yes or no again"
    assert request_stage("open", ASKER, [(HELPER, "asked")], None).code == "asked"


@pytest.mark.parametrize("asker, helper, who", [
    (Contact(None, None), Contact(None, None), "both"),
    (Contact(None, None), Contact("0131", None), "asker"),
    (Contact(None, "a@b.org"), Contact(None, None), "helper"),
    (Contact("0131", None), Contact(None, "a@b.org"), None),
])
def test_whom_the_coordinator_puts_in_touch(asker, helper, who):
    assert who_cannot_be_reached(asker, helper) == who


def test_a_helper_who_has_left_is_not_asked_again_when_their_yes_is_taken_back():
    assert status_after_taking_back("chosen", asked_directly=True, helper_active=False) == "withdrawn"
    assert status_after_taking_back("asked", asked_directly=True, helper_active=False) == "withdrawn"
