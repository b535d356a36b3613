"""The demonstration's introductions and their follow-ups (issue 13 part 7): a few needs
introduced some months ago, each side asked the ONS wellbeing and loneliness questions
then and again at a follow-up, so the funders' summary shows a change it can report
(six people: enough not to be suppressed).

Kept in its own module so the rest of the demonstration reads as before: it runs one
match after the assessments and accepts the first few proposals, as the social worker
would have.
"""
from __future__ import annotations

import datetime as dt

from timebank.db.engine import Database
from timebank.services import auth, matches, outcome_measures

__all__ = ["INTRODUCED", "follow_up_introductions"]

#: How many proposals the demonstration's social worker accepted.
INTRODUCED = 3

# (before, after) for each side of each introduction, in the questions' order:
# life satisfaction, worthwhile, happiness, anxiety (lower is better), loneliness.
_ANSWERS = (
    (("4", "5", "3", "7", "often_always"), ("6", "6", "6", "4", "some_of_the_time")),
    (("7", "8", "7", "3", "hardly_ever"), ("8", "8", "7", "3", "hardly_ever")),
    (("3", "4", "4", "8", "some_of_the_time"), ("5", "6", "6", "5", "occasionally")),
    (("6", "7", "6", "4", "occasionally"), ("7", "8", "6", "declined", "never")),
    (("5", "5", "4", "6", "often_always"), ("6", "7", "6", "5", "occasionally")),
    (("8", "8", "7", "2", "never"), ("8", "9", "8", "2", "never")),
)
_KEYS = ("life_satisfaction", "worthwhile", "happiness", "anxiety", "loneliness")


def _answers(side: str, values: tuple[str, ...]) -> dict[str, str]:
    return {f"{side}-{key}": value for key, value in zip(_KEYS, values)}


def follow_up_introductions(database: Database, worker_email: str, password: str, today: dt.date) -> list[int]:
    """Run a match, accept the first proposals, and record each introduction's measures
    before (at the introduction, 60 days ago) and after (at a follow-up a week ago, with
    the next follow-up day set: one due today, the others later). Returns their ids."""
    worker = auth.authenticate(database, worker_email, password)
    run = matches.run_match(database, worker, today=today)
    proposed = [p for p in run.proposals if p.status == "proposed" and p.capability_assessment_id]
    introduced = []
    for n, proposal in enumerate(proposed[:INTRODUCED]):
        introduced_at = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(11, 0), tzinfo=dt.UTC)
        introduction = matches.accept_proposal(database, worker, proposal.id, now=introduced_at)
        helped, helper = _ANSWERS[2 * n], _ANSWERS[2 * n + 1]
        outcome_measures.record_follow_up(
            database, worker, introduction.id, stage="before", held_on=introduced_at.date(),
            note="Introduced at the community centre; both happy to meet.",
            answers={**_answers("helped", helped[0]), **_answers("helper", helper[0])}, today=today)
        outcome_measures.record_follow_up(
            database, worker, introduction.id, stage="after", held_on=today - dt.timedelta(days=7),
            note="Meeting most weeks. Phoned both.",
            answers={**_answers("helped", helped[1]), **_answers("helper", helper[1])},
            next_follow_up_on=today + dt.timedelta(days=0 if n == 0 else 30 * n), today=today)
        introduced.append(introduction.id)
    return introduced
