"""Outcome measures: the questions asked of each side of an introduction before it and
at each follow-up, the reading of an answer, and the change reported to funders.

The questions every bank has (ONS4 and the ONS loneliness question) are data, in
`outcome_questions.toml` beside this module; a bank adds its own (a 0-10 scale or a
list of choices). An answer is a score, a choice, or "declined to answer"; a question
not asked has no answer at all, so "declined" and "not asked" stay apart.

Change is reported per question, never summed (ONS advise reporting the four items
separately), and only for groups big enough that no one in them can be picked out.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from statistics import fmean

from timebank.domain.errors import MeasureInvalid, QuestionInvalid

__all__ = [
    "SCALES",
    "STAGES",
    "DECLINED",
    "MIN_PEOPLE_REPORTED",
    "MAX_NOTE_CHARS",
    "Question",
    "Answer",
    "Change",
    "shipped_questions",
    "read_answer",
    "read_answers",
    "bank_question",
    "question_key",
    "improvement",
    "less_lonely",
    "is_suppressed",
    "score_change",
    "choice_change",
    "MAX_FOLLOW_UP_DAYS",
    "check_follow_up_day",
    "follow_up_state",
    "follow_up_order",
    "check_after_day",
]

#: A 0 to 10 scale, or one of a list of choices.
SCALES = ("zero_to_ten", "choice")
#: Before: at the introduction. After: at a follow-up (there may be several, over time).
STAGES = ("before", "after")
#: What the form sends, and the answer holds, when a person chose not to answer.
DECLINED = "declined"
#: Fewer people than this and a figure is not reported: with three or four people a
#: funder, or anyone who knows them, could tell whose answers they are.
MIN_PEOPLE_REPORTED = 5
MAX_NOTE_CHARS = 2000
MAX_QUESTION_CHARS = 300
MAX_CHOICES = 10
MAX_CHOICE_CHARS = 80
_KEY = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Question:
    """One question: its stable `key`, its words and its scale.

    `better` is "higher" or "lower" for a 0-10 scale; a choice list runs from the worst
    answer to the best, as (value, words) pairs. `shipped` is True for the questions
    every bank has (their wording must not change), False for a bank's own.
    """

    key: str
    text: str
    scale: str
    set_name: str = ""
    low: str = "not at all"
    high: str = "completely"
    better: str = "higher"
    choices: tuple[tuple[str, str], ...] = ()
    shipped: bool = True

    def words(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Answer:
    """One answer: a `score` (0-10), a `choice`, or `declined`; exactly one of the three."""

    question_key: str
    score: int | None = None
    choice: str | None = None
    declined: bool = False


def shipped_questions() -> tuple[Question, ...]:
    """The questions every bank has, read from `outcome_questions.toml`, in its order."""
    data = tomllib.loads(resources.files(__package__).joinpath("outcome_questions.toml").read_text("utf-8"))
    return tuple(
        Question(key=q["key"], text=q["text"], scale=q["scale"], set_name=q.get("set", ""),
                 low=q.get("low", "not at all"), high=q.get("high", "completely"),
                 better=q.get("better", "higher"),
                 choices=tuple((c["value"], c["words"]) for c in q.get("choices", ())))
        for q in data["question"]
    )


def read_answer(question: Question, raw: str | None) -> Answer | None:
    """The answer a form field holds: None when the question was not asked (left blank).

    Raises `ValueError` with a message for the person when the answer is not one the
    question allows (a score of 11, a choice not in its list).
    """
    raw = (raw or "").strip()
    if not raw:
        return None
    if raw == DECLINED:
        return Answer(question.key, declined=True)
    if question.scale == "zero_to_ten":
        if not raw.isdigit() or not 0 <= int(raw) <= 10:
            raise ValueError("Enter a whole number from 0 to 10, or choose \"declined to answer\".")
        return Answer(question.key, score=int(raw))
    if raw not in dict(question.choices):
        raise ValueError("Choose one of the answers listed, or \"declined to answer\".")
    return Answer(question.key, choice=raw)


def read_answers(questions: Sequence[Question], raw: Mapping[str, str | None], *,
                 prefix: str = "") -> list[Answer]:
    """Every answer given, in the questions' order; raises `MeasureInvalid` with every
    problem by field name (`prefix` + question key), so each is shown beside its field."""
    answers, problems = [], {}
    for question in questions:
        name = f"{prefix}{question.key}"
        try:
            answer = read_answer(question, raw.get(name))
        except ValueError as error:
            problems[name] = str(error)
            continue
        if answer is not None:
            answers.append(answer)
    if problems:
        raise MeasureInvalid(problems)
    return answers


def question_key(text: str) -> str:
    """A stable key made from a question's words ("Do you feel safe?" -> "do_you_feel_safe")."""
    return _KEY.sub("_", text.lower()).strip("_")[:40] or "question"


def bank_question(text: str, scale: str, choices_text: str = "", *, better: str = "higher",
                  taken: Iterable[str] = ()) -> Question:
    """A bank's own question, checked: its words, its scale and (for a choice list) its
    choices, one a line, worst first. Raises `QuestionInvalid` by field."""
    text = " ".join((text or "").split())
    problems = {}
    if not text:
        problems["text"] = "Enter the question, as it will be asked."
    elif len(text) > MAX_QUESTION_CHARS:
        problems["text"] = f"Keep the question to {MAX_QUESTION_CHARS} characters."
    if scale not in SCALES:
        problems["scale"] = "Choose how it is answered: 0 to 10, or one of a list."
    if better not in ("higher", "lower"):
        problems["better"] = "Say whether a higher or a lower score is better."
    choices: list[str] = []
    if scale == "choice":
        choices = [" ".join(line.split()) for line in (choices_text or "").splitlines() if line.strip()]
        if len(choices) < 2:
            problems["choices"] = "Give at least two answers, one a line."
        elif len(choices) > MAX_CHOICES:
            problems["choices"] = f"Give at most {MAX_CHOICES} answers."
        elif any(len(c) > MAX_CHOICE_CHARS for c in choices):
            problems["choices"] = f"Keep each answer to {MAX_CHOICE_CHARS} characters."
        elif len({c.casefold() for c in choices}) < len(choices):
            problems["choices"] = "Give each answer once."
    key = question_key(text)
    if not problems and key in set(taken):
        problems["text"] = "The bank already asks this question."
    if problems:
        raise QuestionInvalid(problems)
    return Question(key=key, text=text, scale=scale, set_name="", better=better,
                    choices=tuple((question_key(c), c) for c in choices), shipped=False)


# ---------------------------------------------------------------- change


def improvement(question: Question, before: int, after: int) -> int:
    """How much better a 0-10 answer got: after - before, with its sign turned round for
    a question where lower is better (anxiety: from 7 to 4 is an improvement of 3)."""
    change = after - before
    return -change if question.better == "lower" else change


def less_lonely(question: Question, before: str, after: str) -> bool:
    """Did the answer move towards the better end of the list (for loneliness: less often
    lonely)? Choices are listed worst first."""
    order = [value for value, _ in question.choices]
    return order.index(after) > order.index(before)


def is_suppressed(people: int) -> bool:
    """Whether a figure about `people` people is too few to report (identifiability)."""
    return people < MIN_PEOPLE_REPORTED


@dataclass(frozen=True)
class Change:
    """The change in one question's answers for the people asked it before and after.

    `mean_change` is after - before as asked (for anxiety a fall is the improvement);
    `mean_improvement` has the sign turned so that positive is always better.
    `share_better` is the share of people whose answer moved to the better end (for a
    choice list, such as "less lonely"). None of them is given when `suppressed`.
    """

    question_key: str
    people: int
    suppressed: bool
    mean_change: float | None = None
    mean_improvement: float | None = None
    share_better: float | None = None


def score_change(question: Question, pairs: Sequence[tuple[int, int]]) -> Change:
    """The mean change of a 0-10 question over (before, after) score pairs, one a person."""
    if is_suppressed(len(pairs)):
        return Change(question.key, len(pairs), True)
    better = sum(1 for b, a in pairs if improvement(question, b, a) > 0)
    return Change(question.key, len(pairs), False,
                  mean_change=round(fmean(a - b for b, a in pairs), 2),
                  mean_improvement=round(fmean(improvement(question, b, a) for b, a in pairs), 2),
                  share_better=round(better / len(pairs), 3))


def choice_change(question: Question, pairs: Sequence[tuple[str, str]]) -> Change:
    """The share of people whose answer to a choice question moved to the better end."""
    if is_suppressed(len(pairs)):
        return Change(question.key, len(pairs), True)
    better = sum(1 for b, a in pairs if less_lonely(question, b, a))
    return Change(question.key, len(pairs), False, share_better=round(better / len(pairs), 3))


# ---------------------------------------------------------------- follow-up days

#: How far ahead a follow-up day may be set: a typo of a year is refused, a season is not.
MAX_FOLLOW_UP_DAYS = 366


def check_after_day(stage: str, held_on: dt.date, introduced_on: dt.date) -> str | None:
    """The answers after the help are given after the introduction; the answers before
    it may be from earlier (the assessment's own day, say)."""
    if stage == "after" and held_on < introduced_on:
        return (f"The answers after the help cannot be from before the introduction "
                f"({introduced_on.day} {introduced_on:%B %Y}).")
    return None


def check_follow_up_day(day: dt.date | None, today: dt.date) -> str | None:
    """The problem with a follow-up day to set, or None (no day at all is allowed)."""
    if day is not None and not today <= day <= today + dt.timedelta(days=MAX_FOLLOW_UP_DAYS):
        return "A follow-up day is today or a day in the coming year."
    return None


def follow_up_state(day: dt.date | None, today: dt.date) -> str:
    """"overdue" (the day has passed), "due" (today), "later", or "none" (no day set)."""
    if day is None:
        return "none"
    if day < today:
        return "overdue"
    return "due" if day == today else "later"


def follow_up_order(day: dt.date | None, today: dt.date) -> tuple[int, dt.date]:
    """Sort key for a social worker's list: overdue and due first (oldest day first), then
    later days (soonest first), then introductions with no day set."""
    rank = {"overdue": 0, "due": 0, "later": 1, "none": 2}[follow_up_state(day, today)]
    return rank, day or dt.date.max
