"""Following an introduction up: its follow-up day, dated follow-ups with notes and each
side's outcome measures (before at the introduction, after at each follow-up), a bank's
own questions, and the change in the answers reported to funders.

Everything here is read and written by the bank's social workers (a coordinator may add a
bank's own question); every page that names the people is written to the access log,
as the introductions' own pages are.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Assessment,
    Bank,
    Introduction,
    IntroductionFollowUp,
    MatchProposal,
    Member,
    OutcomeMeasureAnswer,
    OutcomeQuestion,
    User,
    utcnow,
)
from timebank.domain.errors import MeasureInvalid, NotAllowed
from timebank.domain.help import shared_contact
from timebank.domain.ledger import fingerprint
from timebank.domain.matches import OUTCOME_SIDES
from timebank.domain.outcome_measures import (
    MAX_NOTE_CHARS,
    STAGES,
    Answer,
    Change,
    Question,
    bank_question,
    check_after_day,
    check_follow_up_day,
    choice_change,
    is_suppressed,
    read_answers,
    score_change,
    shipped_questions,
)
from timebank.domain.text import refuse_control_characters
from timebank.services.assessments import log_access, require_social_worker
from timebank.services.auth import UserView
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.rows import bank_row, introduction_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "Person",
    "FollowUpView",
    "FollowUps",
    "WellbeingChange",
    "list_questions",
    "add_question",
    "get_follow_ups",
    "record_follow_up",
    "set_follow_up_day",
    "follow_up_days",
    "wellbeing_change",
]


@dataclass(frozen=True)
class Person:
    """One side of an introduction, with the contact details the member agreed to share."""

    side: str
    assessment_id: int | None
    member_id: int | None
    name: str
    phone: str | None
    email: str | None
    # For someone who is not a member: who recorded their assessment, and so holds their contact.
    assessed_by_user_id: int | None = None
    assessed_by: str | None = None


@dataclass(frozen=True)
class Coordinator:
    """One of the bank's active coordinators, to ask when a side shares no contact."""

    name: str
    email: str


@dataclass(frozen=True)
class FollowUpView:
    id: int
    stage: str
    held_on: dt.date
    note: str | None
    answers: dict  # side -> {question key: Answer}
    replayed: bool = False


@dataclass(frozen=True)
class FollowUps:
    """An introduction's follow-up day, its two people and its follow-ups, oldest first."""

    introduction_id: int
    follow_up_on: dt.date | None
    people: tuple[Person, ...]
    follow_ups: tuple[FollowUpView, ...]
    coordinators: tuple[Coordinator, ...] = ()


# ---------------------------------------------------------------- questions


def _require_staff(actor: UserView, bank: Bank) -> None:
    if actor.role not in ("social_worker", "coordinator") or actor.bank_id != bank.id:
        raise NotAllowed("Only the bank's social workers and coordinators can set its outcome questions.")


def _questions(session: Session, bank: Bank, *, active_only: bool = True) -> tuple[Question, ...]:
    """The questions every bank has, then the bank's own in the order they were added."""
    query = select(OutcomeQuestion).where(OutcomeQuestion.bank_id == bank.id)
    if active_only:
        query = query.where(OutcomeQuestion.active.is_(True))
    own = tuple(Question(key=q.key, text=q.text, scale=q.scale, better=q.better, shipped=False,
                         choices=tuple((v, w) for v, w in q.choices))
                for q in session.scalars(query.order_by(OutcomeQuestion.id)))
    return shipped_questions() + own


def list_questions(database: Database, actor: UserView) -> tuple[Question, ...]:
    """The questions a follow-up asks in this bank."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, actor.bank_slug)
        _require_staff(actor, bank)
        return _questions(uow.session, bank)


def add_question(database: Database, actor: UserView, *, text: str, scale: str, choices_text: str = "",
                 better: str = "higher", idempotency_key: str | None = None) -> Question:
    """A bank's own question, asked at every follow-up from now on. Raises `QuestionInvalid`."""
    key = clean_key(idempotency_key)
    asked = fingerprint({"text": text, "scale": scale, "choices": choices_text, "better": better})

    def attempt(session: Session) -> Question:
        bank = bank_row(session, actor.bank_slug)
        _require_staff(actor, bank)
        if key is not None:
            earlier = session.scalars(select(OutcomeQuestion).where(
                OutcomeQuestion.bank_id == bank.id, OutcomeQuestion.idempotency_key == key)).one_or_none()
            if earlier is not None:
                refuse_other_details(key, earlier.details_fingerprint, asked, f"question {earlier.id}")
                return next(q for q in _questions(session, bank, active_only=False) if q.key == earlier.key)
        taken = [q.key for q in _questions(session, bank, active_only=False)]
        question = bank_question(text, scale, choices_text, better=better, taken=taken)
        session.add(OutcomeQuestion(bank_id=bank.id, key=question.key, text=question.text, scale=question.scale,
                                    better=question.better, choices=[list(c) for c in question.choices],
                                    created_by_user_id=actor.id, idempotency_key=key,
                                    details_fingerprint=asked if key is not None else None))
        session.flush()
        return question

    return write_once(database, attempt)


# ---------------------------------------------------------------- one introduction


def _people(session: Session, introduction: Introduction) -> tuple[Person, ...]:
    """(person helped, helper): their assessments' names and, for members, phone and email."""
    proposal = session.get(MatchProposal, introduction.proposal_id)
    people = []
    for side, assessment_id in zip(OUTCOME_SIDES, (proposal.need_assessment_id, proposal.capability_assessment_id)):
        assessment = session.get(Assessment, assessment_id) if assessment_id else None
        member = session.get(Member, assessment.member_id) if assessment and assessment.member_id else None
        # Only what the member agreed to share when joining (members.share_phone and
        # share_email): these are the details the social worker passes to the other side.
        contact = shared_contact(member.phone, member.email, member.share_phone, member.share_email) \
            if member else None
        assessor = session.get(User, assessment.created_by_user_id) if assessment and not member else None
        people.append(Person(side, assessment_id, member.id if member else None,
                             member.name if member else (assessment.person_name if assessment else "?"),
                             contact.phone if contact else None, contact.email if contact else None,
                             assessor.id if assessor else None, assessor.name if assessor else None))
    return tuple(people)


def _coordinators(session: Session, bank_id: int) -> tuple[Coordinator, ...]:
    """Whom to ask to put two people in touch when one of them shares no phone or email."""
    rows = session.execute(select(User.name, User.email).where(
        User.bank_id == bank_id, User.role == "coordinator", User.active.is_(True)).order_by(User.id)).all()
    return tuple(Coordinator(name, email) for name, email in rows)


def _follow_up_views(session: Session, introduction_id: int) -> tuple[FollowUpView, ...]:
    rows = list(session.scalars(select(IntroductionFollowUp).where(
        IntroductionFollowUp.introduction_id == introduction_id).order_by(
        IntroductionFollowUp.held_on, IntroductionFollowUp.id)))
    answers: dict[int, dict[str, dict[str, Answer]]] = {}
    if rows:
        for a in session.scalars(select(OutcomeMeasureAnswer).where(
                OutcomeMeasureAnswer.follow_up_id.in_([r.id for r in rows])).order_by(OutcomeMeasureAnswer.id)):
            answers.setdefault(a.follow_up_id, {}).setdefault(a.side, {})[a.question_key] = Answer(
                a.question_key, a.score, a.choice, a.declined)
    return tuple(FollowUpView(r.id, r.stage, r.held_on, r.note, answers.get(r.id, {})) for r in rows)


def _log(session: Session, bank: Bank, actor: UserView, people: tuple[Person, ...], action: str, why: str) -> None:
    for assessment_id in sorted({p.assessment_id for p in people if p.assessment_id}):
        log_access(session, bank, actor, assessment_id, action, why)


def _view(session: Session, introduction: Introduction) -> FollowUps:
    people = _people(session, introduction)
    unreachable = any(p.member_id and not (p.phone or p.email) for p in people)
    return FollowUps(introduction.id, introduction.follow_up_on, people, _follow_up_views(session, introduction.id),
                     _coordinators(session, introduction.bank_id) if unreachable else ())


def get_follow_ups(database: Database, actor: UserView, introduction_id: int) -> FollowUps:
    """An introduction's people (with contact details), follow-up day and follow-ups."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id, lock=False)
        view = _view(session, introduction)
        _log(session, bank, actor, view.people, "view", f"viewed follow-ups of introduction {introduction.id}")
        uow.commit()
    return view


def set_follow_up_day(database: Database, actor: UserView, introduction_id: int, day: dt.date | None, *,
                      today: dt.date | None = None) -> FollowUps:
    """Set (or clear, with None) the day the social worker means to follow the introduction up."""
    problem = check_follow_up_day(day, today or dt.date.today())
    if problem:
        raise MeasureInvalid({"follow_up_on": problem})
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id)
        introduction.follow_up_on = day
        view = _view(session, introduction)
        _log(session, bank, actor, view.people, "follow_up", f"set the follow-up day of introduction {introduction.id}")
        uow.commit()
    return view


def record_follow_up(database: Database, actor: UserView, introduction_id: int, *, stage: str,
                     held_on: dt.date, note: str | None = None, answers: Mapping[str, str] | None = None,
                     next_follow_up_on: dt.date | None = None, today: dt.date | None = None,
                     idempotency_key: str | None = None) -> FollowUpView:
    """A dated follow-up: a note and the measures each side gave ("helped-anxiety": "4",
    "helper-loneliness": "declined"; a blank or missing answer is a question not asked),
    and the next follow-up day (None leaves no day set). One transaction; a refused
    follow-up writes nothing and raises `MeasureInvalid` by field.
    """
    today = today or dt.date.today()
    answers = dict(answers or {})
    note = (note or "").strip() or None
    problems = {}
    if stage not in STAGES:
        problems["stage"] = "Say whether these are the answers before the help or after it."
    if held_on > today:
        problems["held_on"] = "The day of the follow-up cannot be in the future."
    if note and len(note) > MAX_NOTE_CHARS:
        problems["note"] = f"Keep the note to {MAX_NOTE_CHARS} characters."
    if note:
        refuse_control_characters(note, "a note")
    next_problem = check_follow_up_day(next_follow_up_on, today)
    if next_problem:
        problems["next_follow_up_on"] = next_problem
    key = clean_key(idempotency_key)
    asked = fingerprint({"introduction": introduction_id, "stage": stage, "held_on": held_on, "note": note,
                         "answers": sorted((k, v) for k, v in answers.items() if (v or "").strip()),
                         "next": next_follow_up_on})

    def attempt(session: Session) -> FollowUpView:
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id)
        if key is not None:
            earlier = session.scalars(select(IntroductionFollowUp).where(
                IntroductionFollowUp.bank_id == bank.id,
                IntroductionFollowUp.idempotency_key == key)).one_or_none()
            if earlier is not None:
                refuse_other_details(key, earlier.details_fingerprint, asked, f"follow-up {earlier.id}")
                view = next(f for f in _follow_up_views(session, earlier.introduction_id) if f.id == earlier.id)
                return replace(view, replayed=True)
        questions = _questions(session, bank)
        given: dict[str, list[Answer]] = {}
        found = dict(problems)
        for side in OUTCOME_SIDES:
            try:
                given[side] = read_answers(questions, answers, prefix=f"{side}-")
            except MeasureInvalid as error:
                found.update(error.problems)
        too_early = check_after_day(stage, held_on, introduction.created_at.date()) if stage in STAGES else None
        if too_early:
            found["held_on"] = too_early
        if found:
            raise MeasureInvalid(found)
        people = _people(session, introduction)
        follow_up = IntroductionFollowUp(
            bank_id=bank.id, introduction_id=introduction.id, helped_assessment_id=people[0].assessment_id,
            helper_assessment_id=people[1].assessment_id, stage=stage, held_on=held_on, note=note,
            recorded_by_user_id=actor.id, created_at=utcnow(), idempotency_key=key,
            details_fingerprint=asked if key is not None else None)
        session.add(follow_up)
        session.flush()
        for person in people:
            for answer in given[person.side]:
                session.add(OutcomeMeasureAnswer(
                    bank_id=bank.id, follow_up_id=follow_up.id, introduction_id=introduction.id, side=person.side,
                    assessment_id=person.assessment_id, member_id=person.member_id,
                    question_key=answer.question_key, score=answer.score, choice=answer.choice,
                    declined=answer.declined))
        introduction.follow_up_on = next_follow_up_on
        _log(session, bank, actor, people, "follow_up", f"recorded a follow-up of introduction {introduction.id}")
        session.flush()
        return next(f for f in _follow_up_views(session, introduction.id) if f.id == follow_up.id)

    return write_once(database, attempt)


def follow_up_days(database: Database, actor: UserView) -> dict[int, dt.date | None]:
    """Each of the bank's introductions' follow-up day, by introduction id."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, actor.bank_slug)
        require_social_worker(actor, bank)
        rows = uow.session.execute(select(Introduction.id, Introduction.follow_up_on)
                                   .where(Introduction.bank_id == bank.id))
        return {i: day for i, day in rows}


# ---------------------------------------------------------------- the funders' summary


@dataclass(frozen=True)
class WellbeingChange:
    """The change in the ONS answers of the people asked before and after.

    `people` counts each person (each side of each introduction) with a before and an
    after answer to at least one ONS question; `changes` gives each question's change
    (suppressed when too few people answered it both times).
    """

    start: dt.date
    end: dt.date
    people: int
    questions: tuple[Question, ...]
    changes: tuple[Change, ...]

    @property
    def items(self) -> tuple[tuple[Question, Change], ...]:
        return tuple(zip(self.questions, self.changes))

    @property
    def too_few_people(self) -> bool:
        """Whether even the count of people is too small to report (identifiability)."""
        return is_suppressed(self.people)


def wellbeing_change(database: Database, bank_slug: str, start: dt.date, end: dt.date) -> WellbeingChange:
    """For each person whose latest "after" answers were given between `start` and `end`
    (days included): their first "before" answer against that latest "after" answer, per
    ONS question. A declined answer on either side leaves the person out of that question.
    """
    questions = shipped_questions()
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        rows = session.execute(
            select(OutcomeMeasureAnswer.introduction_id, OutcomeMeasureAnswer.side,
                   OutcomeMeasureAnswer.question_key, OutcomeMeasureAnswer.score, OutcomeMeasureAnswer.choice,
                   IntroductionFollowUp.stage, IntroductionFollowUp.held_on, IntroductionFollowUp.id)
            .join(IntroductionFollowUp, IntroductionFollowUp.id == OutcomeMeasureAnswer.follow_up_id)
            .where(OutcomeMeasureAnswer.bank_id == bank.id, OutcomeMeasureAnswer.declined.is_(False),
                   OutcomeMeasureAnswer.question_key.in_([q.key for q in questions]),
                   IntroductionFollowUp.held_on <= end)
            .order_by(IntroductionFollowUp.held_on, IntroductionFollowUp.id)
        ).all()
    first_before: dict[tuple, object] = {}
    last_after: dict[tuple, tuple[dt.date, object]] = {}
    for r in rows:
        who = (r.introduction_id, r.side, r.question_key)
        value = r.score if r.score is not None else r.choice
        if r.stage == "before":
            first_before.setdefault(who, value)
        else:
            last_after[who] = (r.held_on, value)
    pairs: dict[str, list] = {q.key: [] for q in questions}
    people = set()
    for who, (held_on, after) in last_after.items():
        if who in first_before and start <= held_on <= end:
            pairs[who[2]].append((first_before[who], after))
            people.add(who[:2])
    changes = tuple(choice_change(q, pairs[q.key]) if q.scale == "choice" else score_change(q, pairs[q.key])
                    for q in questions)
    return WellbeingChange(start, end, len(people), questions, changes)
