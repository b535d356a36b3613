"""Outcome measures: reading answers, the direction of change and small-number suppression."""
import datetime as dt

import pytest

from timebank.domain.errors import MeasureInvalid, QuestionInvalid
from timebank.domain.outcome_measures import (
    DECLINED,
    MIN_PEOPLE_REPORTED,
    Answer,
    bank_question,
    check_after_day,
    check_follow_up_day,
    choice_change,
    follow_up_order,
    follow_up_state,
    improvement,
    is_suppressed,
    less_lonely,
    read_answer,
    read_answers,
    score_change,
    shipped_questions,
)

QUESTIONS = {q.key: q for q in shipped_questions()}


def test_the_shipped_questions_are_ons4_and_loneliness_and_no_licensed_scale():
    assert list(QUESTIONS) == ["life_satisfaction", "worthwhile", "happiness", "anxiety", "loneliness"]
    assert QUESTIONS["loneliness"].text == "How often do you feel lonely?"
    assert [w for _, w in QUESTIONS["loneliness"].choices] == [
        "Often or always", "Some of the time", "Occasionally", "Hardly ever", "Never"]
    assert QUESTIONS["anxiety"].better == "lower"
    assert all(q.better == "higher" for k, q in QUESTIONS.items() if k not in ("anxiety", "loneliness"))
    assert not any("wemwbs" in q.text.lower() or "optimistic about the future" in q.text.lower()
                   for q in QUESTIONS.values())


@pytest.mark.parametrize("key, raw, expected", [
    ("happiness", "", None),
    ("happiness", "   ", None),
    ("happiness", "0", Answer("happiness", score=0)),
    ("happiness", "10", Answer("happiness", score=10)),
    ("anxiety", DECLINED, Answer("anxiety", declined=True)),
    ("loneliness", "never", Answer("loneliness", choice="never")),
    ("loneliness", DECLINED, Answer("loneliness", declined=True)),
])
def test_an_answer_is_read_or_left_as_not_asked(key, raw, expected):
    assert read_answer(QUESTIONS[key], raw) == expected


@pytest.mark.parametrize("key, raw", [
    ("happiness", "11"), ("happiness", "-1"), ("happiness", "7.5"), ("happiness", "seven"),
    ("loneliness", "sometimes"), ("loneliness", "7"),
])
def test_an_answer_the_question_does_not_allow_is_refused(key, raw):
    with pytest.raises(ValueError):
        read_answer(QUESTIONS[key], raw)


def test_every_refused_answer_is_named_by_its_field():
    with pytest.raises(MeasureInvalid) as caught:
        read_answers(list(QUESTIONS.values()), {"helped-happiness": "11", "helped-loneliness": "nope",
                                                "helped-anxiety": "3"}, prefix="helped-")
    assert set(caught.value.problems) == {"helped-happiness", "helped-loneliness"}


@pytest.mark.parametrize("key, before, after, expected", [
    ("happiness", 4, 7, 3),
    ("happiness", 7, 4, -3),
    ("anxiety", 7, 4, 3),  # less anxious is better
    ("anxiety", 4, 7, -3),
    ("anxiety", 5, 5, 0),
])
def test_improvement_turns_the_sign_for_anxiety(key, before, after, expected):
    assert improvement(QUESTIONS[key], before, after) == expected


@pytest.mark.parametrize("before, after, expected", [
    ("often_always", "some_of_the_time", True),
    ("some_of_the_time", "never", True),
    ("never", "never", False),
    ("hardly_ever", "often_always", False),
])
def test_less_lonely_means_moving_towards_never(before, after, expected):
    assert less_lonely(QUESTIONS["loneliness"], before, after) is expected


@pytest.mark.parametrize("people, suppressed", [(0, True), (1, True), (4, True), (5, False), (6, False)])
def test_fewer_than_five_people_are_too_few_to_report(people, suppressed):
    assert MIN_PEOPLE_REPORTED == 5
    assert is_suppressed(people) is suppressed


def test_a_suppressed_change_gives_no_figure_at_all():
    change = score_change(QUESTIONS["anxiety"], [(8, 2)] * 4)
    assert change.suppressed and change.people == 4
    assert change.mean_change is None and change.mean_improvement is None and change.share_better is None


def test_the_mean_change_of_anxiety_is_reported_as_asked_and_as_improvement():
    change = score_change(QUESTIONS["anxiety"], [(8, 4), (6, 6), (5, 3), (7, 8), (9, 4)])
    assert not change.suppressed
    assert change.mean_change == -2.0  # (-4 + 0 - 2 + 1 - 5) / 5
    assert change.mean_improvement == 2.0
    assert change.share_better == 0.6


def test_the_share_less_lonely_counts_only_those_who_moved_towards_never():
    pairs = [("often_always", "occasionally"), ("never", "never"), ("hardly_ever", "some_of_the_time"),
             ("some_of_the_time", "hardly_ever"), ("occasionally", "occasionally")]
    change = choice_change(QUESTIONS["loneliness"], pairs)
    assert change.share_better == 0.4 and change.people == 5


def test_a_bank_question_with_a_choice_list_keeps_its_order_worst_first():
    question = bank_question("Do you feel safe at home?", "choice", "Never\nSometimes\n\nAlways\n")
    assert question.key == "do_you_feel_safe_at_home"
    assert [w for _, w in question.choices] == ["Never", "Sometimes", "Always"]
    assert not question.shipped


@pytest.mark.parametrize("text, scale, choices, field", [
    ("", "zero_to_ten", "", "text"),
    ("x" * 301, "zero_to_ten", "", "text"),
    ("Do you feel safe?", "stars", "", "scale"),
    ("Do you feel safe?", "choice", "Only one", "choices"),
    ("Do you feel safe?", "choice", "Yes\nyes", "choices"),
    ("How often do you feel lonely?", "zero_to_ten", "", "text"),  # taken
])
def test_a_bank_question_is_refused_beside_the_field_at_fault(text, scale, choices, field):
    with pytest.raises(QuestionInvalid) as caught:
        bank_question(text, scale, choices, taken=["how_often_do_you_feel_lonely"])
    assert list(caught.value.problems) == [field]


TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize("day, state", [
    (None, "none"), (TODAY - dt.timedelta(days=1), "overdue"), (TODAY, "due"), (TODAY + dt.timedelta(days=1), "later"),
])
def test_a_follow_up_day_is_overdue_due_or_later(day, state):
    assert follow_up_state(day, TODAY) == state


def test_overdue_and_due_follow_ups_come_first_then_later_then_none():
    days = [None, TODAY + dt.timedelta(days=9), TODAY, TODAY - dt.timedelta(days=5), TODAY + dt.timedelta(days=1)]
    ordered = sorted(days, key=lambda d: follow_up_order(d, TODAY))
    assert ordered == [TODAY - dt.timedelta(days=5), TODAY, TODAY + dt.timedelta(days=1),
                       TODAY + dt.timedelta(days=9), None]


@pytest.mark.parametrize("day, refused", [
    (None, False), (TODAY, False), (TODAY + dt.timedelta(days=366), False),
    (TODAY - dt.timedelta(days=1), True), (TODAY + dt.timedelta(days=367), True),
])
def test_a_follow_up_day_is_today_or_within_the_coming_year(day, refused):
    assert (check_follow_up_day(day, TODAY) is not None) is refused


def test_answers_after_the_help_are_not_from_before_the_introduction_but_before_ones_may_be():
    introduced = dt.date(2026, 10, 1)
    assert check_after_day("after", dt.date(2026, 9, 30), introduced).startswith(
        "The answers after the help cannot be from before the introduction (1 October 2026)")
    assert check_after_day("after", introduced, introduced) is None
    assert check_after_day("before", dt.date(2026, 9, 1), introduced) is None
