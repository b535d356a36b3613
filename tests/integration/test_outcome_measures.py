"""Following an introduction up (issue 13 part 7, usability social workers 4): a follow-up
day, repeated dated follow-ups with each side's ONS measures, a bank's own questions,
and the change in the answers as the funders' summary reports it."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.domain.errors import MeasureInvalid, NotAllowed, QuestionInvalid
from timebank.services import assessments, auth, helping, matches, outcome_measures

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
SHOPPING = {"text": "Someone to carry my shopping up the stair", "category": "shopping"}
HELPS_SHOP = {"text": "Happy to do a weekly shop for a neighbour", "category": "shopping", "status": "doing",
              "capacity": "10"}
BEFORE = {"life_satisfaction": "4", "worthwhile": "5", "happiness": "3", "anxiety": "8", "loneliness": "often_always"}
AFTER = {"life_satisfaction": "6", "worthwhile": "6", "happiness": "6", "anxiety": "5", "loneliness": "occasionally"}


def _assess(database, social_worker, name, *, member_id=None, needs=(), capabilities=()):
    content = {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith", "latitude": LEITH[0],
               "longitude": LEITH[1], "needs": [dict(n) for n in needs],
               "capabilities": [dict(c) for c in capabilities]}
    return assessments.record_assessment(database, social_worker, person_name=name, content=content,
                                         member_id=member_id)


def _introductions(database, social_worker, helped: int, *, helper_member=None):
    _assess(database, social_worker, "Hamish", member_id=helper_member, capabilities=[HELPS_SHOP])
    for n in range(helped):
        _assess(database, social_worker, f"Person {n}", needs=[SHOPPING])
    run = matches.run_match(database, social_worker, today=TODAY)
    # Introduced a year ago: the follow-ups below are dated over the months after.
    a_year_ago = dt.datetime.combine(TODAY - dt.timedelta(days=365), dt.time(10), tzinfo=dt.UTC)
    return [matches.accept_proposal(database, social_worker, p.id, now=a_year_ago)
            for p in run.proposals if p.capability_assessment_id]


def _side(side: str, answers: dict) -> dict:
    return {f"{side}-{k}": v for k, v in answers.items()}


def test_repeated_follow_ups_keep_each_sides_answers_and_declined_apart_from_not_asked(
        database, bank, social_worker, make_member):
    helper = make_member(bank, "Hamish Helper", phone="0131 496 0000", email="hamish@example.org")
    # Contact details are shown as the member agreed to share them (both, here).
    helping.set_contact_sharing(database, bank.slug, helper.id, share_phone=True, share_email=True)
    [introduction] = _introductions(database, social_worker, 1, helper_member=helper.id)
    outcome_measures.record_follow_up(
        database, social_worker, introduction.id, stage="before", held_on=TODAY - dt.timedelta(days=90),
        note="Met both at the library.", answers={**_side("helped", BEFORE), "helper-anxiety": "declined"},
        next_follow_up_on=TODAY + dt.timedelta(days=30), today=TODAY)
    outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="after",
                                      held_on=TODAY - dt.timedelta(days=30), note="Going well.",
                                      answers={"helped-happiness": "5"}, today=TODAY)
    outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="after", held_on=TODAY,
                                      answers=_side("helped", AFTER), today=TODAY)

    view = outcome_measures.get_follow_ups(database, social_worker, introduction.id)

    assert [(f.stage, f.held_on) for f in view.follow_ups] == [
        ("before", TODAY - dt.timedelta(days=90)), ("after", TODAY - dt.timedelta(days=30)), ("after", TODAY)]
    before = view.follow_ups[0].answers
    assert before["helped"]["anxiety"].score == 8
    assert before["helper"]["anxiety"].declined is True
    assert "happiness" not in before["helper"], "not asked is no answer at all"
    assert view.follow_ups[0].note == "Met both at the library."
    assert view.follow_up_on is None, "the last follow-up set no next day"
    helped, helper_side = view.people
    assert (helper_side.name, helper_side.phone, helper_side.email) == (
        "Hamish Helper", "0131 496 0000", "hamish@example.org")
    assert helped.name == "Person 0" and helped.phone is None
    with database.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT side, assessment_id, member_id FROM outcome_measure_answers WHERE question_key = 'anxiety' "
            "AND introduction_id = :i ORDER BY id"), {"i": introduction.id}).all()
    assert [(r.side, r.member_id) for r in rows] == [("helped", None), ("helper", helper.id), ("helped", None)]


def test_a_refused_follow_up_writes_nothing_and_names_each_field(database, bank, social_worker):
    [introduction] = _introductions(database, social_worker, 1)
    with pytest.raises(MeasureInvalid) as caught:
        outcome_measures.record_follow_up(
            database, social_worker, introduction.id, stage="before", held_on=TODAY, note="x",
            answers={"helped-happiness": "11", "helper-loneliness": "sometimes", "helped-anxiety": "3"},
            next_follow_up_on=TODAY - dt.timedelta(days=1), today=TODAY)
    assert set(caught.value.problems) == {"helped-happiness", "helper-loneliness", "next_follow_up_on"}
    with database.engine.connect() as connection:
        counts = [connection.scalar(sa.text(f"SELECT count(*) FROM {t} WHERE introduction_id = :i"),
                                    {"i": introduction.id})
                  for t in ("introduction_follow_ups", "outcome_measure_answers")]
    assert counts == [0, 0]


def test_the_same_follow_up_sent_twice_is_recorded_once(database, bank, social_worker):
    [introduction] = _introductions(database, social_worker, 1)
    first = outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                              held_on=TODAY, answers=_side("helped", BEFORE), idempotency_key="k1")
    again = outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                              held_on=TODAY, answers=_side("helped", BEFORE), idempotency_key="k1")
    assert again.replayed and again.id == first.id
    assert len(outcome_measures.get_follow_ups(database, social_worker, introduction.id).follow_ups) == 1


def test_the_follow_up_day_orders_the_list_and_is_refused_in_the_past(database, bank, social_worker):
    first, second = _introductions(database, social_worker, 2)
    outcome_measures.set_follow_up_day(database, social_worker, second.id, TODAY, today=TODAY)
    with pytest.raises(MeasureInvalid):
        outcome_measures.set_follow_up_day(database, social_worker, first.id, TODAY - dt.timedelta(days=1),
                                           today=TODAY)
    assert outcome_measures.follow_up_days(database, social_worker) == {first.id: None, second.id: TODAY}


def test_a_bank_question_is_asked_at_the_next_follow_up_and_its_choices_are_held(database, bank, social_worker):
    outcome_measures.add_question(database, social_worker, text="Do you feel safe at home?", scale="choice",
                                  choices_text="Never\nSometimes\nAlways")
    with pytest.raises(QuestionInvalid):
        outcome_measures.add_question(database, social_worker, text="Do you feel safe at home?",
                                      scale="zero_to_ten")
    keys = [q.key for q in outcome_measures.list_questions(database, social_worker)]
    assert keys[-1] == "do_you_feel_safe_at_home" and keys[:5] == [
        "life_satisfaction", "worthwhile", "happiness", "anxiety", "loneliness"]
    [introduction] = _introductions(database, social_worker, 1)
    with pytest.raises(MeasureInvalid):
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before", held_on=TODAY,
                                          answers={"helped-do_you_feel_safe_at_home": "often"})
    view = outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                             held_on=TODAY, answers={"helped-do_you_feel_safe_at_home": "always"})
    assert view.answers["helped"]["do_you_feel_safe_at_home"].choice == "always"


def test_only_social_workers_read_follow_ups(database, bank, social_worker):
    [introduction] = _introductions(database, social_worker, 1)
    coordinator = auth.create_user(database, bank.slug, email=f"c-{uuid.uuid4().hex[:8]}@example.org",
                                   name="Cora", password="a long enough password", role="coordinator")
    with pytest.raises(NotAllowed):
        outcome_measures.get_follow_ups(database, coordinator, introduction.id)


@pytest.mark.parametrize("people, suppressed", [(4, True), (5, False)])
def test_the_change_is_reported_from_five_people_and_suppressed_below(database, bank, social_worker, people,
                                                                       suppressed):
    for introduction in _introductions(database, social_worker, people):
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                          held_on=TODAY - dt.timedelta(days=60), answers=_side("helped", BEFORE))
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="after",
                                          held_on=TODAY - dt.timedelta(days=1), answers=_side("helped", AFTER))

    change = outcome_measures.wellbeing_change(database, bank.slug, TODAY - dt.timedelta(days=30), TODAY)

    assert change.people == people
    by_key = {c.question_key: c for c in change.changes}
    assert all(c.suppressed is suppressed for c in change.changes)
    if not suppressed:
        assert by_key["anxiety"].mean_change == -3.0 and by_key["anxiety"].mean_improvement == 3.0
        assert by_key["happiness"].mean_change == 3.0
        assert by_key["loneliness"].share_better == 1.0
    else:
        assert by_key["anxiety"].mean_change is None


def test_a_declined_answer_and_an_after_outside_the_period_are_left_out(database, bank, social_worker):
    intros = _introductions(database, social_worker, 6)
    for n, introduction in enumerate(intros):
        after = {**AFTER, "anxiety": "declined"} if n == 0 else AFTER
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                          held_on=TODAY - dt.timedelta(days=200), answers=_side("helped", BEFORE))
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="after",
                                          held_on=TODAY - dt.timedelta(days=100 if n == 5 else 1),
                                          answers=_side("helped", after))
    change = outcome_measures.wellbeing_change(database, bank.slug, TODAY - dt.timedelta(days=30), TODAY)
    by_key = {c.question_key: c for c in change.changes}
    assert change.people == 5
    assert by_key["happiness"].people == 5 and by_key["anxiety"].people == 4 and by_key["anxiety"].suppressed


@pytest.mark.parametrize("score, choice, declined", [(11, None, False), (5, None, True), (None, None, False),
                                                     (3, "never", False)])
def test_the_database_refuses_an_answer_that_is_not_exactly_one_score_choice_or_declined(
        database, bank, social_worker, score, choice, declined):
    [introduction] = _introductions(database, social_worker, 1)
    follow_up = outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                                  held_on=TODAY, answers={"helped-happiness": "5"})
    with pytest.raises(sa.exc.IntegrityError), database.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO outcome_measure_answers (bank_id, follow_up_id, introduction_id, side, assessment_id,"
            " question_key, score, choice, declined) SELECT bank_id, follow_up_id, introduction_id, side,"
            " assessment_id, 'worthwhile', :score, :choice, :declined FROM outcome_measure_answers"
            " WHERE follow_up_id = :f"), {"score": score, "choice": choice, "declined": declined, "f": follow_up.id})


def test_recording_a_follow_up_logs_both_peoples_assessments(database, bank, social_worker):
    [introduction] = _introductions(database, social_worker, 1)
    outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before", held_on=TODAY,
                                      answers={"helped-happiness": "5"})
    with database.engine.connect() as connection:
        logged = connection.execute(sa.text(
            "SELECT count(DISTINCT assessment_id) FROM assessment_access WHERE action = 'follow_up' "
            "AND why = :why"), {"why": f"recorded a follow-up of introduction {introduction.id}"}).scalar()
    assert logged == 2


def test_the_same_insert_with_one_kind_of_answer_is_accepted(database, bank, social_worker):
    """The control for the refusals above: only the answer's columns were at fault."""
    [introduction] = _introductions(database, social_worker, 1)
    follow_up = outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                                  held_on=TODAY, answers={"helped-happiness": "5"})
    with database.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO outcome_measure_answers (bank_id, follow_up_id, introduction_id, side, assessment_id,"
            " question_key, score, choice, declined) SELECT bank_id, follow_up_id, introduction_id, side,"
            " assessment_id, 'worthwhile', NULL, NULL, :declined FROM outcome_measure_answers"
            " WHERE follow_up_id = :f"), {"declined": True, "f": follow_up.id})
    view = outcome_measures.get_follow_ups(database, social_worker, introduction.id)
    assert view.follow_ups[0].answers["helped"]["worthwhile"].declined


def test_the_answers_after_the_help_cannot_be_from_before_the_introduction(database, bank, social_worker):
    _assess(database, social_worker, "Hamish", capabilities=[HELPS_SHOP])
    _assess(database, social_worker, "Person", needs=[SHOPPING])
    run = matches.run_match(database, social_worker, today=TODAY)
    [introduction] = [matches.accept_proposal(database, social_worker, p.id)
                      for p in run.proposals if p.capability_assessment_id]
    # Before the help may be from before (the assessment's day); after it may not.
    outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="before",
                                      held_on=TODAY - dt.timedelta(days=10), answers=_side("helped", BEFORE))
    with pytest.raises(MeasureInvalid) as refused:
        outcome_measures.record_follow_up(database, social_worker, introduction.id, stage="after",
                                          held_on=TODAY - dt.timedelta(days=1), answers=_side("helped", AFTER))
    assert "cannot be from before the introduction" in refused.value.problems["held_on"]
    assert [f.stage for f in outcome_measures.get_follow_ups(database, social_worker, introduction.id).follow_ups] == [
        "before"]
