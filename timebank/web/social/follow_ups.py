"""Following an introduction up: its follow-up day, dated follow-ups with each side's
outcome measures, and the bank's own questions (issue 13 part 7).

The answer fields are made from the bank's questions at each request (the ONS ones and
the bank's own); each is a select that also sends "not asked" (blank) and "declined to
answer", and the domain checks what is sent, so a forged score of 11 is refused beside
its field like any other mistake.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from timebank.domain import errors as domain
from timebank.domain.matches import OUTCOME_SIDES
from timebank.domain.outcome_measures import DECLINED, MAX_NOTE_CHARS, follow_up_state
from timebank.services import outcome_measures
from timebank.web.extensions import database
from timebank.web.forms import DayField, RecordingForm, TimebankForm, options
from timebank.web.refusals import add_error, place
from timebank.web.social import blueprint

STAGE_WORDS = {"before": "Before the help (at the introduction)", "after": "After: a follow-up"}
SCALE_WORDS = {"zero_to_ten": "0 to 10", "choice": "One of a list"}
STATE_WORDS = {"overdue": "Overdue", "due": "Due today", "later": "", "none": ""}


class FollowUpDayForm(TimebankForm):
    follow_up_on = DayField("Follow-up day", validators=[Length(max=20)])


class QuestionForm(RecordingForm):
    text = TextAreaField("The question, as it will be asked", validators=[
        InputRequired("Enter the question, as it will be asked.")])
    scale = RadioField("How it is answered", choices=options(SCALE_WORDS.items()), default="zero_to_ten",
                       validate_choice=False)
    better = RadioField("On a 0 to 10 scale, which is better?",
                        choices=options([("higher", "A higher score"), ("lower", "A lower score")]),
                        default="higher", validate_choice=False)
    choices = TextAreaField("The answers, one a line, the worst first (for a list)")


def _field_name(side: str, key: str) -> str:
    return f"{side}__{key}"


def follow_up_form(questions, *, fresh: bool = False):
    """A follow-up form with a select for each side and each question of the bank."""

    class FollowUpForm(RecordingForm):
        stage = RadioField("When is this?", choices=options(STAGE_WORDS.items()),
                           validators=[InputRequired("Say whether these answers are before the help or after it.")])
        held_on = DayField("Day of the follow-up", default=lambda: dt.date.today().isoformat())
        note = TextAreaField("Notes (optional)", validators=[
            Length(max=MAX_NOTE_CHARS, message=f"Keep the note to {MAX_NOTE_CHARS} characters.")])
        next_follow_up_on = DayField("Next follow-up day (optional)")

    for side in OUTCOME_SIDES:
        for q in questions:
            if q.scale == "zero_to_ten":
                answers = [(str(n), f"{n} ({q.low})" if n == 0 else f"{n} ({q.high})" if n == 10 else str(n))
                           for n in range(11)]
            else:
                answers = list(q.choices)
            setattr(FollowUpForm, _field_name(side, q.key), SelectField(
                q.text, choices=options([("", "Not asked"), *answers, (DECLINED, "Declined to answer")]),
                validate_choice=False, default=""))
    return FollowUpForm(prefix="follow", formdata=None) if fresh else FollowUpForm(prefix="follow")


def follow_up_context(introduction_id: int, *, follow_form=None, day_form=None) -> dict:
    """What the introduction page shows of the follow-ups, with fresh forms unless given."""
    view = outcome_measures.get_follow_ups(database(), current_user.user, introduction_id)
    questions = outcome_measures.list_questions(database(), current_user.user)
    if day_form is None:
        day_form = FollowUpDayForm(prefix="day", formdata=None)
        day_form.follow_up_on.data = view.follow_up_on.isoformat() if view.follow_up_on else ""
    return {"follow": view, "questions": questions, "question_texts": {q.key: q for q in questions},
            "follow_form": follow_form or follow_up_form(questions, fresh=True),
            "day_form": day_form, "field_name": _field_name, "stage_words": STAGE_WORDS,
            "follow_state": follow_up_state(view.follow_up_on, dt.date.today()), "state_words": STATE_WORDS}


def _page_again(introduction_id: int, **forms):
    from timebank.web.social.routes import _introduction, _introduction_page

    return _introduction_page(_introduction(introduction_id), 400, follow_up=forms)


@blueprint.route("/introductions/<int:introduction_id>/follow-up-day", methods=["POST"])
def follow_up_day(introduction_id: int):
    form = FollowUpDayForm(prefix="day")
    if form.validate_on_submit():
        try:
            outcome_measures.set_follow_up_day(database(), current_user.user, introduction_id,
                                               form.follow_up_on.day)
        except domain.MeasureInvalid as error:
            add_error(form.follow_up_on, error.problems.get("follow_up_on", error.message))
        else:
            flash("The follow-up day is set." if form.follow_up_on.day else "The follow-up day is cleared.",
                  "success")
            return redirect(url_for("social.introduction", introduction_id=introduction_id))
    return _page_again(introduction_id, day_form=form)


@blueprint.route("/introductions/<int:introduction_id>/follow-ups", methods=["POST"])
def follow_up(introduction_id: int):
    questions = outcome_measures.list_questions(database(), current_user.user)
    form = follow_up_form(questions)
    if form.validate_on_submit():
        answers = {f"{side}-{q.key}": form[_field_name(side, q.key)].data or ""
                   for side in OUTCOME_SIDES for q in questions}
        try:
            outcome_measures.record_follow_up(
                database(), current_user.user, introduction_id, stage=form.stage.data,
                held_on=form.held_on.day, note=form.note.data, answers=answers,
                next_follow_up_on=form.next_follow_up_on.day, idempotency_key=form.idempotency_key.data)
        except domain.MeasureInvalid as error:
            for name, message in error.problems.items():
                field = name.replace("-", "__", 1)
                if field in form:
                    add_error(form[field], message)
                else:
                    form.form_errors.append(message)
        except domain.TimebankError as error:
            place(form, error)
        else:
            flash("The follow-up is recorded.", "success")
            return redirect(url_for("social.introduction", introduction_id=introduction_id))
    return _page_again(introduction_id, follow_form=form)


@blueprint.route("/questions", methods=["GET", "POST"])
def questions():
    form = QuestionForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            try:
                question = outcome_measures.add_question(
                    database(), current_user.user, text=form.text.data, scale=form.scale.data,
                    choices_text=form.choices.data, better=form.better.data,
                    idempotency_key=form.idempotency_key.data)
            except domain.QuestionInvalid as error:
                for name, message in error.problems.items():
                    add_error(form[name], message)
            except domain.TimebankError as error:
                place(form, error)
            else:
                flash(f"Added: “{question.text}” is asked at every follow-up from now on.", "success")
                return redirect(url_for("social.questions"))
    listed = outcome_measures.list_questions(database(), current_user.user)
    return render_template("social/questions.html", form=form, questions=listed, scale_words=SCALE_WORDS), status
