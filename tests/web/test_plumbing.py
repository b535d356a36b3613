"""The web's shared plumbing, on its own: refusals placed on forms, CSV cells made safe,
and the words for whom an exchange's hours went between."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from wtforms import Form, HiddenField, StringField

from timebank.domain import errors
from timebank.web.downloads import spreadsheet_safe
from timebank.web.forms import KEY_REUSED
from timebank.web.refusals import place
from timebank.web.words import sides


class LogForm(Form):
    idempotency_key = HiddenField(default="first-key")
    hours = StringField()
    receiver = StringField()


FIELDS = {errors.InvalidHours: "hours", errors.BalanceBelowFloor: "receiver", errors.UnknownMember: "receiver"}


def test_a_refusal_goes_beside_the_field_of_its_most_specific_class():
    form = LogForm()
    place(form, errors.HoursNotPositive("Hours must be more than zero."), FIELDS)
    place(form, errors.BalanceBelowFloor("Too low."), FIELDS)
    assert (form.hours.errors, form.receiver.errors, form.form_errors) == (
        ["Hours must be more than zero."], ["Too low."], [])


def test_a_refusal_with_no_field_goes_in_the_summary():
    form = LogForm()
    place(form, errors.SameMemberOnBothSides("One member on both sides."), FIELDS)
    assert form.form_errors == ["One member on both sides."]


def test_not_found_and_forbidden_are_raised_on_unless_a_field_takes_them():
    form = LogForm()
    place(form, errors.UnknownMember("No such member."), FIELDS)  # a choice on the form
    assert form.receiver.errors == ["No such member."]
    for refusal in (errors.UnknownExchange("No such exchange."), errors.NotAllowed("Not yours.")):
        with pytest.raises(type(refusal)):
            place(form, refusal, FIELDS)


def test_a_reused_key_is_told_in_plain_words_and_the_form_gets_a_new_key():
    form = LogForm()
    place(form, errors.IdempotencyKeyReusedWithOtherDetails("The key 'x' was already used."), FIELDS)
    assert form.form_errors == [KEY_REUSED]
    assert form.idempotency_key.data not in ("first-key", "", None)


@pytest.mark.parametrize("cell, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM", "'@SUM"),
    ("\tx", "'\tx"), ("Ann", "Ann"), ("", ""), (None, None), (-90, -90), (1.5, 1.5),
])
def test_a_cell_that_would_start_a_formula_is_quoted(cell, shown):
    assert spreadsheet_safe(cell) == shown


def exchange(kind, provider=None, receiver=None, entries=None):
    return SimpleNamespace(kind=kind, provider_member_id=provider, receiver_member_id=receiver,
                           entries=entries or {})


NAMES = {1: "Ann", 2: "Bob", 3: "Cat"}


@pytest.mark.parametrize("shown, words", [
    (exchange("exchange", 1, 2), ("Ann", "Bob")),
    (exchange("group", 1, None, {"1": 60, "2": -30, "3": -30}), ("Ann", "Bob, Cat")),
    (exchange("grant", None, 2, {"bank": -60, "2": 60}), ("the bank", "Bob")),
    (exchange("grant", None, 2, {"community_pot": -60, "2": 60}), ("the community pot", "Bob")),
    (exchange("donation", 1, None, {"1": -60, "community_pot": 60}), ("Ann", "the community pot")),
    (exchange("reversal", None, None), ("—", "—")),
    (exchange("exchange", 9, 2), ("member 9", "Bob")),
])
def test_the_words_for_whom_the_hours_went_between(shown, words):
    assert sides(shown, NAMES) == words
