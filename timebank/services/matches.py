"""Capability matching for a bank: run the engine, review, accept or reject, follow up.

The engine (`matching`) is pure; this module turns the bank's current assessments into
profiles (with safeguarding checks that have not expired), stores what the engine
proposes, and records what people decide. A proposal is never acted on until a social
worker accepts it; accepting records an introduction and links a request and an offer so
that the exchange can be logged against them.
"""
from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, replace
from types import SimpleNamespace

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Assessment,
    AssessmentAccess,
    AssessmentVersion,
    Bank,
    ConsentWithdrawal,
    Exchange,
    HelpRequest,
    Introduction,
    MatchProposal,
    MatchRun,
    Member,
    Offer,
    Outcome,
    utcnow,
)
from timebank.domain.assessments import DEFAULT_MAX_KM, outcome_difference
from timebank.domain.errors import (
    HelperAtCapacity,
    InvalidInput,
    MatchRunRecently,
    NeedAlreadyIntroduced,
    NotAllowed,
    ReasonRequired,
)
from timebank.domain.ledger import fingerprint
from timebank.domain.matches import OUTCOME_SIDES, asks_before_running
from timebank.domain.places import area_key
from timebank.domain.text import refuse_control_characters
from timebank.services.assessments import log_access, not_withdrawn, require_social_worker
from timebank.services.auth import UserView
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.places import centres, district_centre
from timebank.services.readings import engine_reader, note_accepted_match
from timebank.services.rows import assessment_row, bank_row, introduction_row, proposal_row, run_row
from timebank.services.service_examples import bank_knowledge
from timebank.services.unit_of_work import UnitOfWork, _texts

__all__ = [
    "Overview",
    "overview",
    "ProposalView",
    "RunView",
    "RunSummary",
    "HeldBack",
    "IntroductionView",
    "bank_profiles",
    "run_match",
    "find_matches_for",
    "latest_run",
    "get_run",
    "list_runs",
    "accept_proposal",
    "reject_proposal",
    "list_introductions",
    "get_introduction",
    "record_outcome",
    "close_introduction",
    "HoursBetween",
    "hours_between",
]

TOP_CANDIDATES = 3
#: Candidates asked of the engine for each need, so that a need whose first choice was
#: rejected before still has others to fall back on.
CANDIDATES_ASKED = 10


@dataclass(frozen=True)
class Alternative:
    capability_key: str
    person_name: str
    text: str
    score: float


@dataclass(frozen=True)
class ProposalView:
    id: int
    status: str
    need_assessment_id: int
    need_person: str
    need_text: str
    need_category: str | None
    capability_assessment_id: int | None
    capability_person: str | None
    capability_text: str | None
    score: float | None
    reasons: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    decision_reason: str | None
    # The day these two were introduced before, for this need, by an introduction closed
    # since (an open one keeps the need out of the run): worth knowing before accepting.
    introduced_on: dt.date | None = None


@dataclass(frozen=True)
class HeldBack:
    """A pair a run did not propose because of a person's earlier decision: rejected
    (with the day and reason), or a need already introduced (to whom, on which day)."""

    kind: str  # "rejected" or "introduced"
    need_assessment_id: int
    need_person: str
    need_text: str
    helper_person: str
    capability_assessment_id: int | None
    day: dt.date
    reason: str | None


@dataclass(frozen=True)
class RunView:
    id: int
    created_at: dt.datetime
    needs_count: int
    proposed_count: int
    proposals: tuple[ProposalView, ...]
    replayed: bool = False  # True when an idempotency key returned the run made before
    held_back: tuple[HeldBack, ...] = ()
    # "Find matches for this person": the assessment the run was for, and the person's name.
    for_assessment_id: int | None = None
    for_person: str | None = None

    @property
    def unmatched(self) -> tuple[ProposalView, ...]:
        return tuple(p for p in self.proposals if p.status == "unmatched")

    @property
    def rejected_before(self) -> tuple[HeldBack, ...]:
        return tuple(h for h in self.held_back if h.kind == "rejected")

    @property
    def introduced_before(self) -> tuple[HeldBack, ...]:
        return tuple(h for h in self.held_back if h.kind == "introduced")


@dataclass(frozen=True)
class RunSummary:
    """One run in the list of runs: when, and where its decisions stand."""

    id: int
    created_at: dt.datetime
    needs_count: int
    proposed_count: int
    waiting: int
    accepted: int
    rejected: int
    run_by: str = ""  # the name of the social worker who ran it
    for_person: str | None = None  # whose matches were found, for a run for one person


@dataclass(frozen=True)
class OutcomeView:
    side: str
    help_happened: bool
    difference: str
    comment: str | None
    recorded_at: dt.datetime


@dataclass(frozen=True)
class IntroductionView:
    id: int
    status: str
    created_at: dt.datetime
    need_person: str
    need_text: str
    helper_person: str
    capability_text: str
    help_request_id: int | None
    offer_id: int | None
    outcomes: tuple[OutcomeView, ...]  # newest first; a side may have several over time
    replayed: bool = False  # True when an idempotency key returned what was recorded before

    @property
    def latest_outcomes(self) -> dict[str, OutcomeView]:
        """Each side's latest view: the one that stands."""
        latest: dict[str, OutcomeView] = {}
        for outcome in self.outcomes:
            latest.setdefault(outcome.side, outcome)
        return latest


# ---------------------------------------------------------------- profiles


def _current(session: Session, bank: Bank):
    """(assessment id, person's name, content, the day their member's safeguarding check
    expires) for every active assessment with consent: columns, not ORM objects, which cost
    twice as much on a bank of 2,000."""
    rows = session.execute(
        select(Assessment.id, Assessment.person_name, AssessmentVersion.content, Member.safeguarding_expires_on)
        .join(AssessmentVersion, (AssessmentVersion.assessment_id == Assessment.id)
              & (AssessmentVersion.version == Assessment.current_version))
        .outerjoin(Member, Member.id == Assessment.member_id)
        .where(Assessment.bank_id == bank.id, Assessment.status == "active")
        .order_by(Assessment.id)
    ).all()
    return [tuple(row) for row in rows if row[2].get("consent")]


def _open_load(session: Session, bank: Bank) -> tuple[set[str], dict[str, int]]:
    """Needs already introduced, and how many open introductions each capability has."""
    rows = session.execute(
        select(MatchProposal.need_assessment_id, MatchProposal.need_key,
               MatchProposal.capability_assessment_id, MatchProposal.capability_key)
        .join(Introduction, Introduction.proposal_id == MatchProposal.id)
        .where(Introduction.bank_id == bank.id, Introduction.status == "open")
    ).all()
    needs = {item_id(r[0], r[1]) for r in rows}
    load: dict[str, int] = {}
    for r in rows:
        key = item_id(r[2], r[3])
        load[key] = load.get(key, 0) + 1
    return needs, load


def bank_profiles(session: Session, bank: Bank, today: dt.date, current=None):
    """The bank's assessments as matching profiles, under the spec's rules.

    A helper counts as checked only while their safeguarding check has not expired; needs
    already introduced are left out; a capability's capacity is what its open
    introductions leave of it (0 when they take it all: never proposed, but named as
    the reason a need it would suit waits). Areas are compared without case or spaces (each is given
    as the bank lists it), and a person with no location is placed at the centre of
    their neighbourhood, or of their postcode district when the area is written as one.
    `current` is `_current`'s rows when the caller has read them already.
    """
    from matching import Capability, Need, Profile

    introduced, load = _open_load(session, bank)
    listed = centres(session, bank)
    spelling: dict[str, str] = {}  # the first spelling of an unlisted area, for all its spellings
    profiles = []
    for assessment_id, _, content, check_expires_on in _current(session, bank) if current is None else current:
        checked = bool(check_expires_on and check_expires_on >= today)
        needs = tuple(
            Need(id=item_id(assessment_id, n["key"]), text=n["text"],
                 requires_checked=bool(n.get("requires_checked")), category=n.get("category"))
            for n in content.get("needs", [])
            if item_id(assessment_id, n["key"]) not in introduced
        )
        capabilities = []
        for c in content.get("capabilities", []):
            key = item_id(assessment_id, c["key"])
            # A fully booked offer stays, at capacity 0, so a need it would suit is told so.
            capacity = max(0, int(c.get("capacity", 1)) - load.get(key, 0))
            capabilities.append(Capability(
                id=key, text=c["text"], status=c.get("status", "doing"), share=bool(c.get("share", True)),
                capacity=capacity, max_km=float(c.get("max_km", DEFAULT_MAX_KM)), remote=bool(c.get("remote")),
                category=c.get("category")))
        key = area_key(content.get("area"))
        name, centre = listed.get(key, (spelling.setdefault(key, content.get("area") or ""), None))
        if centre is None and not content.get("location"):
            centre = district_centre(content.get("area"))  # an area written as "EH6" or "EH6 5"
        location = tuple(content["location"]) if content.get("location") else centre
        availability = tuple(content["availability"]) if content.get("availability") else None
        profiles.append(Profile(person=f"a{assessment_id}", area=name or None,
                                location=location, checked=checked, availability=availability,
                                needs=needs, capabilities=tuple(capabilities)))
    return profiles


# ---------------------------------------------------------------- runs


def item_id(assessment_id: int, key: str) -> str:
    """The engine's id of one need or capability: its assessment and its key in it."""
    return f"{assessment_id}:{key}"


def _split(item: str) -> tuple[int, str]:
    """The assessment and key an `item_id` was made of."""
    assessment_id, key = item.split(":", 1)
    return int(assessment_id), key


def run_match(database: Database, actor: UserView, *, today: dt.date | None = None,
              idempotency_key: str | None = None, confirmed: bool = True) -> RunView:
    """Run the engine on the bank's current assessments and store its proposals.

    With an `idempotency_key`, the same key and details return the run made first
    (`replayed=True`), not a second run; the same key with other details is refused.
    Unless `confirmed`, a run within an hour of the last one is refused
    (`MatchRunRecently`): a person is asked first (`domain.matches.asks_before_running`).
    """
    key = clean_key(idempotency_key)
    # `today` as asked (None for "today"), so a retry after midnight is the same request.
    asked = fingerprint({"run_by": actor.id, "today": today})
    return _run_once(database, actor, today, key, asked, confirmed=confirmed)


def find_matches_for(database: Database, actor: UserView, assessment_id: int, *, today: dt.date | None = None,
                     idempotency_key: str | None = None) -> RunView:
    """"Find matches for this person": a run of only the pairs involving one assessment.

    Its needs against the bank's capabilities, and the bank's needs against its
    capabilities, under the same rules and decisions as a run over the whole bank
    (rejected pairs are never proposed, needs with an open introduction are left out,
    helpers' open introductions take their room), and every text read with all the
    others, so a pair scores as it would in a whole run. The run is kept in the history
    like the others; it holds the person's needs, and the other needs proposed one of
    the person's capabilities. It is what a social worker asks for after recording one
    assessment: a whole run asks a person to decide on every need in the bank again.

    Refused (`NotAllowed`) for an assessment that is closed or has no consent to match.
    With an `idempotency_key`, as `run_match`.
    """
    key = clean_key(idempotency_key)
    asked = fingerprint({"run_by": actor.id, "today": today, "for_assessment": assessment_id})
    return _run_once(database, actor, today, key, asked, for_assessment=assessment_id)


def _run_once(database: Database, actor: UserView, today: dt.date | None, key: str | None, asked: str, *,
              confirmed: bool = True, for_assessment: int | None = None) -> RunView:
    """A run in one unit of work, or the run this key made before (replayed)."""

    def attempt(session: Session) -> RunView:
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        earlier = _replayed(session, bank, actor, key, asked)
        if earlier is not None:
            return earlier
        if not confirmed:
            latest = session.scalar(select(func.max(MatchRun.created_at)).where(MatchRun.bank_id == bank.id))
            if asks_before_running(latest, utcnow()):
                raise MatchRunRecently("A match was run less than an hour ago: confirm to run another.")
        return _run(session, bank, actor, today or dt.date.today(), key, asked, for_assessment)

    return write_once(database, attempt)


def _replayed(session: Session, bank: Bank, actor: UserView, key: str | None, asked: str) -> RunView | None:
    """The run an idempotency key made before (the same details), or None."""
    if key is None:
        return None
    earlier = session.scalars(select(MatchRun).where(
        MatchRun.bank_id == bank.id, MatchRun.idempotency_key == key)).one_or_none()
    if earlier is None:
        return None
    refuse_other_details(key, earlier.details_fingerprint, asked, f"match run {earlier.id}")
    view = _run_view(session, bank, earlier)
    _log_shown(session, bank, actor, _run_assessments(view), "view", f"reviewed match run {earlier.id}")
    return replace(view, replayed=True)


def _run(session: Session, bank: Bank, actor: UserView, today: dt.date, key: str | None, asked: str,
         for_assessment: int | None = None) -> RunView:
    """Run the engine (on the whole bank, or on the pairs involving one assessment),
    store its proposals and log the read of every assessment it matched."""
    import matching

    current = _current(session, bank)
    if for_assessment is not None:
        assessment = assessment_row(session, bank, for_assessment)
        if not any(row[0] == for_assessment for row in current):
            raise NotAllowed(f"The assessment of {assessment.person_name} cannot be matched: it is closed, "
                             "or the person has not given consent.")
    profiles = bank_profiles(session, bank, today, current)
    rejected = _rejected_pairs(session, bank)
    # Rejected pairs are taken out inside the engine, before the assignment, so a
    # helper someone turned down for one need still has room for the next.
    knowledge = bank_knowledge(session, bank)
    results = matching.match(profiles, top_k=CANDIDATES_ASKED, knowledge=knowledge, forbidden_pairs=set(rejected),
                             reader=_remembering(engine_reader(session, bank, knowledge)),
                             involving=None if for_assessment is None else {f"a{for_assessment}"})
    run = MatchRun(bank_id=bank.id, run_by_user_id=actor.id, needs_count=len(results),
                   proposed_count=sum(1 for r in results if r.capability), created_at=utcnow(),
                   for_assessment_id=for_assessment, idempotency_key=key,
                   details_fingerprint=asked if key is not None else None)
    session.add(run)
    session.flush()
    rejected_on = _rejected_days(rejected, {c.id for p in profiles for c in p.capabilities})
    rows = [_proposal_row(bank, run, result, rejected_on.get(result.need)) for result in results]
    _insert_rows(session, MatchProposal, rows)
    now = utcnow()
    _insert_rows(session, AssessmentAccess, [
        {"bank_id": bank.id, "user_id": actor.id, "role": actor.role, "assessment_id": int(profile.person[1:]),
         "action": "match", "why": f"match run {run.id}", "at": now} for profile in profiles])
    session.flush()
    # The view from the rows just written (read back, ~2,000 assessments' words cost a
    # second on a bank of 2,000): only the proposals' ids are asked for, in the order written.
    ids = session.scalars(select(MatchProposal.id).where(MatchProposal.run_id == run.id)
                          .order_by(MatchProposal.id)).all()
    written = [SimpleNamespace(id=i, decision_reason=None, **row) for i, row in zip(ids, rows, strict=True)]
    contents = {assessment_id: (name, content) for assessment_id, name, content, _ in current}
    return _run_view(session, bank, run, written, contents)


#: Each learned reader's readings, by text: a text reads the same every run while the
#: bank's reader and services are unchanged, and reading ~2,000 texts costs half a second.
_READINGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_READINGS_KEPT = 100_000
#: What a combined reader's readings depend on (`matching.learned.CombinedReader`).
_READER_PARTS = {"learned", "services", "knowledge", "handmade_weight", "background", "embed"}


def _remembering(reader):
    """`reader`, remembering each text's reading for the next run (the same rows: a
    reader reads each text on its own, whatever else it is given with it)."""
    import numpy as np

    learned = getattr(reader, "learned", None)
    embed = getattr(reader, "embed", None)
    # A way to embed texts is known by its encoder's name (a new one is made every run).
    encoder = None if embed is None else getattr(embed, "name", None)
    if learned is None or set(vars(reader)) - _READER_PARTS or (embed is not None and not isinstance(encoder, str)):
        return reader  # a reader with a part this key does not know of is asked every time
    by_reader = _READINGS.setdefault(learned, {})
    memory = by_reader.setdefault((reader.knowledge, tuple(reader.services), reader.handmade_weight,
                                   reader.background, encoder), {})

    def read(texts):
        new = [t for t in dict.fromkeys(texts) if t not in memory]
        if len(memory) + len(new) > _READINGS_KEPT:
            memory.clear()
            new = list(dict.fromkeys(texts))
        if new:
            memory.update(zip(new, reader(new)))
        return np.array([memory[t] for t in texts]).reshape(len(texts), len(reader.services))

    return read


def _proposal_row(bank: Bank, run: MatchRun, result, rejected_on: dt.datetime | None) -> dict:
    """One engine result as a match_proposals row."""
    need_assessment, need_key = _split(result.need)
    capability_assessment, capability_key = _split(result.capability) if result.capability else (None, None)
    return {
        "bank_id": bank.id, "run_id": run.id, "need_assessment_id": need_assessment, "need_key": need_key,
        "capability_assessment_id": capability_assessment, "capability_key": capability_key,
        "score_thousandths": round(result.score * 1000) if result.score is not None else None,
        "reasons": list(_with_rejections(result, rejected_on)),
        "alternatives": [{"capability": c.capability, "score": c.score} for c in result.candidates
                         if c.capability != result.capability][:TOP_CANDIDATES],
        "status": "proposed" if result.capability else "unmatched",
    }


def _insert_rows(session: Session, model, rows: list[dict]) -> None:
    """Insert many rows in one statement: a run writes a row per need and per assessment,
    and one ORM object each cost seconds on a bank of 2,000 assessments. The unit of
    work's control-character check sees only ORM objects, so it is made here."""
    # Each distinct text once: a run's ~2,000 access-log rows share their few words.
    for text in dict.fromkeys(text for row in rows for text in _texts(row)):
        refuse_control_characters(text, "the text")
    if rows:
        session.execute(insert(model), rows)


def _rejected_pairs(session: Session, bank: Bank) -> dict[tuple[str, str], tuple[dt.datetime, str | None]]:
    """Every (need, capability) a person rejected, with when (the latest time) and why."""
    rows = session.execute(
        select(MatchProposal.need_assessment_id, MatchProposal.need_key, MatchProposal.capability_assessment_id,
               MatchProposal.capability_key, MatchProposal.decided_at, MatchProposal.decision_reason)
        .where(MatchProposal.bank_id == bank.id, MatchProposal.status == "rejected",
               MatchProposal.capability_assessment_id.is_not(None))
        .order_by(MatchProposal.id)).all()
    return {(item_id(r[0], r[1]), item_id(r[2], r[3])): (r[4], r[5]) for r in rows}


def _rejected_days(rejected, capabilities: set[str]) -> dict[str, dt.datetime]:
    """For each need with a rejected helper still offering in this run, the latest day."""
    days: dict[str, dt.datetime] = {}
    for (need, capability), (when, _) in rejected.items():
        if capability in capabilities and when is not None and (need not in days or when > days[need]):
            days[need] = when
    return days


def _with_rejections(result, rejected_on: dt.datetime | None) -> tuple[str, ...]:
    """The engine's reasons, first saying that a helper rejected for this need was left out."""
    if rejected_on is None:
        return tuple(result.reasons)
    said = f"A helper was rejected for this need on {_day(rejected_on)} and left out"
    if result.capability is None:
        return (f"{said}, and no other helper was found.",)
    return (f"{said}; this is the best other helper with room.", *result.reasons)


def _day(when: dt.datetime | dt.date | None) -> str:
    """A day as people write it: 2 December 2026."""
    if when is None:
        return "an earlier day"
    return f"{when.day} {when.strftime('%B %Y')}"


def _contents(session: Session, assessment_ids: set[int]) -> dict[int, tuple[str, dict]]:
    rows = session.execute(
        select(Assessment.id, Assessment.person_name, AssessmentVersion.content)
        .join(AssessmentVersion, (AssessmentVersion.assessment_id == Assessment.id)
              & (AssessmentVersion.version == Assessment.current_version))
        # Consent withdrawn: not even a past run shows what was assessed.
        .where(Assessment.id.in_(assessment_ids),
               Assessment.id.not_in(select(ConsentWithdrawal.assessment_id)))
    )
    return {r.id: (r.person_name, r.content) for r in rows}


def _item(contents, assessment_id: int | None, key: str | None, kind: str) -> tuple[str | None, dict]:
    if assessment_id is None or assessment_id not in contents:
        return None, {}
    name, content = contents[assessment_id]
    return name, next((x for x in content.get(kind, []) if x["key"] == key), {})


def _proposal_views(session: Session, proposals: list, contents=None) -> tuple[ProposalView, ...]:
    """The proposals (rows, or what was written as them) with the people's words;
    `contents` is `_contents` of their assessments when the caller has them."""
    if contents is None:
        ids = {p.need_assessment_id for p in proposals}
        ids |= {p.capability_assessment_id for p in proposals if p.capability_assessment_id}
        ids |= {_split(a["capability"])[0] for p in proposals for a in p.alternatives}
        contents = _contents(session, ids) if ids else {}
    views = []
    for p in proposals:
        need_person, need = _item(contents, p.need_assessment_id, p.need_key, "needs")
        helper, capability = _item(contents, p.capability_assessment_id, p.capability_key, "capabilities")
        alternatives = []
        for a in p.alternatives:
            a_id, a_key = _split(a["capability"])
            a_person, a_capability = _item(contents, a_id, a_key, "capabilities")
            alternatives.append(Alternative(a["capability"], a_person or "?", a_capability.get("text", ""), a["score"]))
        views.append(ProposalView(
            id=p.id, status=p.status, need_assessment_id=p.need_assessment_id,
            need_person=need_person or "?", need_text=need.get("text", "(changed since the run)"),
            need_category=need.get("category"), capability_assessment_id=p.capability_assessment_id,
            capability_person=helper, capability_text=capability.get("text"),
            score=p.score_thousandths / 1000 if p.score_thousandths is not None else None,
            reasons=tuple(p.reasons), alternatives=tuple(alternatives), decision_reason=p.decision_reason,
        ))
    return tuple(views)


def _run_view(session: Session, bank: Bank, run: MatchRun, proposals: list | None = None,
              contents=None) -> RunView:
    """A run as its page shows it; `proposals` and `contents` when just written."""
    if proposals is None:
        proposals = session.scalars(select(MatchProposal).where(MatchProposal.run_id == run.id)
                                    .order_by(MatchProposal.id)).all()
    before = _introduced_pairs(session, bank, run)
    views = tuple(replace(v, introduced_on=before.get((p.need_assessment_id, p.need_key,
                                                        p.capability_assessment_id, p.capability_key)))
                  for v, p in zip(_proposal_views(session, list(proposals), contents), proposals))
    for_person = None
    if run.for_assessment_id is not None:
        for_person = session.scalar(select(Assessment.person_name).where(Assessment.id == run.for_assessment_id))
    return RunView(run.id, run.created_at, run.needs_count, run.proposed_count, views,
                   held_back=_held_back(session, bank, run), for_assessment_id=run.for_assessment_id,
                   for_person=for_person)


def _introduced_pairs(session: Session, bank: Bank, run: MatchRun) -> dict[tuple, dt.date]:
    """(need, capability) pairs introduced before the run, with the day (the latest)."""
    rows = session.execute(
        select(MatchProposal.need_assessment_id, MatchProposal.need_key, MatchProposal.capability_assessment_id,
               MatchProposal.capability_key, Introduction.created_at)
        .join(Introduction, Introduction.proposal_id == MatchProposal.id)
        .where(Introduction.bank_id == bank.id).order_by(Introduction.id)).all()
    at = _aware(run.created_at)
    return {tuple(r[:4]): _aware(r[4]).date() for r in rows if _aware(r[4]) < at}


def _aware(when: dt.datetime) -> dt.datetime:
    """SQLite gives back times without their zone; every time stored is UTC."""
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _held_back(session: Session, bank: Bank, run: MatchRun) -> tuple[HeldBack, ...]:
    """What people had decided before the run, as it stood then: the pairs rejected, and
    the needs with an open introduction (they were left out of it)."""
    at = _aware(run.created_at)
    decided = session.scalars(select(MatchProposal).where(
        MatchProposal.bank_id == bank.id, MatchProposal.status.in_(("rejected", "accepted")),
        MatchProposal.decided_at.is_not(None)).order_by(MatchProposal.id)).all()
    introductions = {i.proposal_id: i for i in session.scalars(select(Introduction).where(
        Introduction.proposal_id.in_([p.id for p in decided if p.status == "accepted"])))}
    chosen: dict[tuple, MatchProposal] = {}
    for p in decided:
        if _aware(p.decided_at) >= at:
            continue
        if p.status == "rejected" and p.capability_assessment_id is not None:
            chosen[("rejected", p.need_assessment_id, p.need_key, p.capability_assessment_id, p.capability_key)] = p
        elif p.status == "accepted" and p.id in introductions:
            introduction = introductions[p.id]
            if introduction.closed_at is None or _aware(introduction.closed_at) > at:
                chosen[("introduced", p.need_assessment_id, p.need_key)] = p
    if run.for_assessment_id is not None:  # a run for one person: only what held their pairs back
        chosen = {marker: p for marker, p in chosen.items()
                  if run.for_assessment_id in (p.need_assessment_id, p.capability_assessment_id)}
    if not chosen:
        return ()
    contents = _contents(session, {p.need_assessment_id for p in chosen.values()}
                         | {p.capability_assessment_id for p in chosen.values()})
    held = []
    for marker, p in chosen.items():
        need_person, need = _item(contents, p.need_assessment_id, p.need_key, "needs")
        helper, _ = _item(contents, p.capability_assessment_id, p.capability_key, "capabilities")
        if not need:
            continue  # the need is no longer on the assessment
        held.append(HeldBack(marker[0], p.need_assessment_id, need_person or "?", need.get("text", ""),
                             helper or "?", p.capability_assessment_id, _aware(p.decided_at).date(),
                             p.decision_reason if marker[0] == "rejected" else None))
    return tuple(held)


def _log_shown(session: Session, bank: Bank, actor: UserView, assessment_ids, action: str, why: str) -> None:
    """One access-log row for each assessment whose words (or whose person's name) a
    page shows or a change touches: the log says which record, not just that one was."""
    shown = sorted({a for a in assessment_ids if a is not None})
    if len(shown) <= _LOGGED_ONE_BY_ONE:
        for assessment_id in shown:
            log_access(session, bank, actor, assessment_id, action, why)
        return
    # A whole run's page quotes ~2,000 assessments: one statement, not an object each.
    now = utcnow()
    _insert_rows(session, AssessmentAccess, [
        {"bank_id": bank.id, "user_id": actor.id, "role": actor.role, "assessment_id": assessment_id,
         "action": action, "why": why[:200], "at": now} for assessment_id in shown])


#: Up to this many access-log rows are added as objects, in order with the unit of work's others.
_LOGGED_ONE_BY_ONE = 50


def _run_assessments(run: RunView) -> set[int]:
    """The assessments a run's page quotes: each need, its helper and the alternatives."""
    shown = set()
    for p in run.proposals:
        shown |= {p.need_assessment_id, p.capability_assessment_id}
        shown |= {_split(a.capability_key)[0] for a in p.alternatives}
    return shown


def get_run(database: Database, actor: UserView, run_id: int) -> RunView:
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        run = run_row(session, bank, run_id)
        view = _run_view(session, bank, run)
        _log_shown(session, bank, actor, _run_assessments(view), "view", f"reviewed match run {run.id}")
        uow.commit()
    return view


def list_runs(database: Database, actor: UserView) -> list[RunSummary]:
    """The bank's runs, newest first, with how many of each run's proposals wait, were
    accepted or were rejected (counts only: no one's words, so nothing to log)."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        counts: dict[tuple[int, str], int] = {
            (run_id, status): n for run_id, status, n in session.execute(
                select(MatchProposal.run_id, MatchProposal.status, func.count())
                .where(MatchProposal.bank_id == bank.id)
                .group_by(MatchProposal.run_id, MatchProposal.status))}
        from timebank.db.models import User

        runs = session.execute(select(MatchRun, User.name, Assessment.person_name)
                               .join(User, User.id == MatchRun.run_by_user_id)
                               .outerjoin(Assessment, Assessment.id == MatchRun.for_assessment_id)
                               .where(MatchRun.bank_id == bank.id).order_by(MatchRun.id.desc())).all()
        return [RunSummary(r.id, r.created_at, r.needs_count, r.proposed_count,
                           counts.get((r.id, "proposed"), 0), counts.get((r.id, "accepted"), 0),
                           counts.get((r.id, "rejected"), 0), name, person) for r, name, person in runs]


@dataclass(frozen=True)
class Overview:
    """The social worker's first page, in numbers only."""

    assessments: int
    run_needs: int | None  # None: no whole-bank run yet
    run_proposed: int | None
    introductions_waiting: int  # open, with fewer than both sides' outcomes

    @property
    def run_unmatched(self) -> int | None:
        return None if self.run_needs is None else self.run_needs - self.run_proposed


def overview(database: Database, actor: UserView) -> Overview:
    """Counts for the overview: no person's name or words is read, so none is written to
    the access log (the page once logged every assessment of the latest run as read)."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        assessments = session.scalar(select(func.count()).select_from(Assessment).where(
            Assessment.bank_id == bank.id, not_withdrawn()))
        run = session.execute(select(MatchRun.needs_count, MatchRun.proposed_count).where(
            MatchRun.bank_id == bank.id, MatchRun.for_assessment_id.is_(None))
            .order_by(MatchRun.id.desc()).limit(1)).first()
        sides = (select(func.count(func.distinct(Outcome.side))).where(Outcome.introduction_id == Introduction.id)
                 .correlate(Introduction).scalar_subquery())
        waiting = session.scalar(select(func.count()).select_from(Introduction).where(
            Introduction.bank_id == bank.id, Introduction.status == "open", sides < 2))
        return Overview(assessments, run[0] if run else None, run[1] if run else None, waiting)


def latest_run(database: Database, actor: UserView) -> RunView | None:
    """The latest run over the whole bank: a run for one person holds only their pairs,
    and must not hide the proposals of the bank's run still waiting for a decision."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, actor.bank_slug)
        require_social_worker(actor, bank)
        run_id = uow.session.scalar(select(func.max(MatchRun.id)).where(
            MatchRun.bank_id == bank.id, MatchRun.for_assessment_id.is_(None)))
    return get_run(database, actor, run_id) if run_id else None


# ---------------------------------------------------------------- decisions


def _lock_assessments(session: Session, bank: Bank, assessment_ids: set[int]) -> None:
    """Lock the assessments of a need and a capability before counting their introductions.

    The assessment row stands for each need and capability in it: every accept locks the
    need's and the capability's, so two accepts that could break "one need, one open
    introduction" or a helper's capacity wait for each other, and the second counts what
    the first committed (READ COMMITTED reads afresh at each statement). On SQLite the
    BEGIN IMMEDIATE of every writing unit of work has already serialised them.

    Why this cannot deadlock: accepts lock their one proposal, then these rows in
    ascending id order, and nothing else locks an assessment and then waits for
    another. FOR NO KEY UPDATE, not FOR UPDATE: inserts that only refer to an assessment
    (a match run's proposals, an access-log row) take KEY SHARE, which it leaves free, so
    a match run never waits for an accept.
    """
    for assessment_id in sorted(assessment_ids):
        session.execute(select(Assessment.id).where(Assessment.id == assessment_id, Assessment.bank_id == bank.id)
                        .with_for_update(key_share=True))


def accept_proposal(database: Database, actor: UserView, proposal_id: int, *,
                    capability: str | None = None, idempotency_key: str | None = None,
                    now: dt.datetime | None = None) -> IntroductionView:
    """Accept the proposed capability (or one of its alternatives): record an introduction
    (at `now`, by default this moment: the demonstration's were made weeks ago).

    The person needing help gets a request and the helper an offer (when they are
    members), linked to the introduction, so the exchange can be logged against them.
    With an `idempotency_key`, the same acceptance sent again returns its introduction
    (`replayed=True`); the same key with another decision is refused.
    """
    key = clean_key(idempotency_key)
    asked = fingerprint({"decision": "accept", "capability": capability or None})
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        proposal = proposal_row(session, bank, proposal_id)
        if _decided_with(proposal, key, asked):
            introduction = session.scalars(select(Introduction).where(
                Introduction.proposal_id == proposal.id)).one()
            return replace(_introduction_views(session, bank, [introduction])[0], replayed=True)
        if proposal.status != "proposed" and not (proposal.status == "unmatched" and capability):
            raise NotAllowed(f"This proposal is already {proposal.status}.")
        if capability and capability != item_id(proposal.capability_assessment_id, proposal.capability_key):
            if capability not in {a["capability"] for a in proposal.alternatives}:
                raise InvalidInput("Choose the proposed helper or one of the alternatives listed.")
            proposal.capability_assessment_id, proposal.capability_key = _split(capability)
        _lock_assessments(session, bank, {proposal.need_assessment_id, proposal.capability_assessment_id})
        introduced, load = _open_load(session, bank)
        if item_id(proposal.need_assessment_id, proposal.need_key) in introduced:
            raise NeedAlreadyIntroduced("This need already has an open introduction.")
        contents = _contents(session, {proposal.need_assessment_id, proposal.capability_assessment_id})
        need_person, need = _item(contents, proposal.need_assessment_id, proposal.need_key, "needs")
        helper, offered = _item(contents, proposal.capability_assessment_id, proposal.capability_key, "capabilities")
        if not need or not offered:
            raise NotAllowed("The assessment changed since the run: run the match again.")
        helping = item_id(proposal.capability_assessment_id, proposal.capability_key)
        if load.get(helping, 0) >= int(offered.get("capacity", 1)):
            raise HelperAtCapacity(f"{helper} is already helping as many people as they offered to.")
        members = dict(session.execute(select(Assessment.id, Assessment.member_id).where(
            Assessment.id.in_([proposal.need_assessment_id, proposal.capability_assessment_id]))).all())
        now = now or utcnow()
        request = offer = None
        if members.get(proposal.need_assessment_id):
            request = HelpRequest(bank_id=bank.id, member_id=members[proposal.need_assessment_id],
                                  category=need.get("category"), what=need["text"],
                                  helper_notes="Introduced by a social worker.",
                                  status="open", created_at=now)
            session.add(request)
        if members.get(proposal.capability_assessment_id):
            offer = Offer(bank_id=bank.id, member_id=members[proposal.capability_assessment_id],
                          category=offered.get("category"), description=offered["text"], active=True,
                          created_at=now)
            session.add(offer)
        session.flush()
        introduction = Introduction(bank_id=bank.id, proposal_id=proposal.id,
                                    need_assessment_id=proposal.need_assessment_id, need_key=proposal.need_key,
                                    help_request_id=request.id if request else None,
                                    offer_id=offer.id if offer else None, status="open", created_at=now)
        session.add(introduction)
        try:
            session.flush()
        except IntegrityError as error:
            if "need_assessment_id" not in str(error.orig) and "uq_introductions_open_need" not in str(error.orig):
                raise
            # The index behind the lock above: only a writer that skipped the lock gets here.
            raise NeedAlreadyIntroduced("This need already has an open introduction.") from None
        proposal.status = "accepted"
        proposal.decided_by_user_id = actor.id
        proposal.decided_at = now
        note_accepted_match(session, bank, need, offered, now.date())
        proposal.idempotency_key, proposal.details_fingerprint = key, asked
        _log_shown(session, bank, actor, (proposal.need_assessment_id, proposal.capability_assessment_id),
                   "accept", f"accepted proposal {proposal.id}")
        session.flush()
        view = _introduction_views(session, bank, [introduction])[0]
        uow.commit()
    return view


def reject_proposal(database: Database, actor: UserView, proposal_id: int, *, reason: str,
                    idempotency_key: str | None = None) -> None:
    """Reject a proposal, with the reason kept for the next run. With an
    `idempotency_key`, the same rejection sent again is done once."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired("Say why this match is not right, so the next run can do better.")
    if len(reason) > 500:
        raise ReasonRequired("Keep the reason to 500 characters.")
    key = clean_key(idempotency_key)
    asked = fingerprint({"decision": "reject", "reason": reason})
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        proposal = proposal_row(session, bank, proposal_id)
        if _decided_with(proposal, key, asked):
            return
        if proposal.status != "proposed":
            raise NotAllowed(f"This proposal is already {proposal.status}.")
        proposal.status = "rejected"
        proposal.decided_by_user_id = actor.id
        proposal.decided_at = utcnow()
        proposal.decision_reason = reason
        proposal.idempotency_key, proposal.details_fingerprint = key, asked
        log_access(session, bank, actor, proposal.need_assessment_id, "reject", f"rejected proposal {proposal.id}")
        uow.commit()




def _decided_with(proposal: MatchProposal, key: str | None, asked: str) -> bool:
    """Whether this key already decided the proposal (the same form sent again); the same
    key with another decision is refused."""
    if key is None or proposal.idempotency_key != key:
        return False
    refuse_other_details(key, proposal.details_fingerprint, asked, f"proposal {proposal.id}")
    return True


# ---------------------------------------------------------------- follow-up


def _introduction_views(session: Session, bank: Bank, introductions: list[Introduction]) -> list[IntroductionView]:
    proposals = {p.id: p for p in session.scalars(select(MatchProposal).where(
        MatchProposal.id.in_([i.proposal_id for i in introductions])))}
    ids = {p.need_assessment_id for p in proposals.values()} | {p.capability_assessment_id for p in proposals.values()}
    contents = _contents(session, ids) if ids else {}
    outcomes: dict[int, list[OutcomeView]] = {}
    # Latest first: a side's view given at a later follow-up is the one that stands, and
    # the earlier ones stay below it as they were.
    for o in session.scalars(select(Outcome).where(Outcome.introduction_id.in_([i.id for i in introductions]))
                             .order_by(Outcome.recorded_at.desc(), Outcome.id.desc())):
        outcomes.setdefault(o.introduction_id, []).append(
            OutcomeView(o.side, o.help_happened, o.difference, o.comment, o.recorded_at))
    views = []
    for i in introductions:
        p = proposals[i.proposal_id]
        need_person, need = _item(contents, p.need_assessment_id, p.need_key, "needs")
        helper, offered = _item(contents, p.capability_assessment_id, p.capability_key, "capabilities")
        views.append(IntroductionView(i.id, i.status, i.created_at, need_person or "?", need.get("text", ""),
                                      helper or "?", offered.get("text", ""), i.help_request_id, i.offer_id,
                                      tuple(outcomes.get(i.id, ()))))
    return views


def _introduced(session: Session, introductions: list[Introduction]) -> set[int]:
    """The assessments (the need's and the helper's) these introductions were made from."""
    if not introductions:
        return set()
    rows = session.execute(select(MatchProposal.need_assessment_id, MatchProposal.capability_assessment_id)
                           .where(MatchProposal.id.in_([i.proposal_id for i in introductions])))
    return {a for row in rows for a in row}


def list_introductions(database: Database, actor: UserView, *, status: str | None = None) -> list[IntroductionView]:
    """The bank's introductions, newest first; the list names the people, so it is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        query = select(Introduction).where(Introduction.bank_id == bank.id)
        if status:
            query = query.where(Introduction.status == status)
        introductions = list(session.scalars(query.order_by(Introduction.id.desc())))
        views = _introduction_views(session, bank, introductions)
        _log_shown(session, bank, actor, _introduced(session, introductions), "list", "listed introductions")
        uow.commit()
    return views


def get_introduction(database: Database, actor: UserView, introduction_id: int) -> IntroductionView:
    """One introduction with both texts and the outcomes, the read logged for both assessments."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id, lock=False)
        view = _introduction_views(session, bank, [introduction])[0]
        _log_shown(session, bank, actor, _introduced(session, [introduction]), "view",
                   f"viewed introduction {introduction.id}")
        uow.commit()
    return view


def record_outcome(database: Database, actor: UserView, introduction_id: int, *, side: str,
                   help_happened: bool, difference: str, comment: str | None = None,
                   idempotency_key: str | None = None) -> IntroductionView:
    """What one side says: did the help happen, did it make a difference.

    A side may be asked again at a later follow-up: each view is added as its own row
    (the latest shown first), and none is overwritten. With an `idempotency_key`, the
    same view sent again is recorded once (`replayed=True`).
    """
    if side not in OUTCOME_SIDES:
        raise InvalidInput("Say whose view this is: the person helped or the helper.")
    difference = outcome_difference(help_happened, difference)
    comment = (comment or "").strip() or None
    if comment and len(comment) > 1000:
        raise InvalidInput("Keep the comment to 1000 characters.")
    key = clean_key(idempotency_key)
    asked = fingerprint({"side": side, "help_happened": bool(help_happened), "difference": difference,
                         "comment": comment})
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        # Locked: a view sent twice at once waits here, then finds the first by its key.
        introduction = introduction_row(session, bank, introduction_id)
        earlier = session.scalars(select(Outcome).where(
            Outcome.introduction_id == introduction.id, Outcome.idempotency_key == key)).first() if key else None
        if earlier is not None:
            refuse_other_details(key, earlier.details_fingerprint, asked, "a view of this introduction")
            return replace(_introduction_views(session, bank, [introduction])[0], replayed=True)
        session.add(Outcome(introduction_id=introduction.id, side=side, help_happened=bool(help_happened),
                            difference=difference, comment=comment, recorded_by_user_id=actor.id,
                            recorded_at=utcnow(), idempotency_key=key,
                            details_fingerprint=asked if key is not None else None))
        _log_shown(session, bank, actor, _introduced(session, [introduction]), "outcome",
                   f"recorded the {side}'s view of introduction {introduction.id}")
        session.flush()
        view = _introduction_views(session, bank, [introduction])[0]
        uow.commit()
    return view


def close_introduction(database: Database, actor: UserView, introduction_id: int, *,
                       idempotency_key: str | None = None) -> IntroductionView:
    """Close an introduction. With an `idempotency_key`, the same close sent again is
    answered with the closed introduction (`replayed=True`), not refused."""
    key = clean_key(idempotency_key)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id)
        if introduction.status == "closed" and key is not None and introduction.close_idempotency_key == key:
            return replace(_introduction_views(session, bank, [introduction])[0], replayed=True)
        if introduction.status == "closed":
            raise NotAllowed("This introduction is already closed.")
        introduction.status = "closed"
        introduction.closed_at = utcnow()
        introduction.close_idempotency_key = key
        _log_shown(session, bank, actor, _introduced(session, [introduction]), "close",
                   f"closed introduction {introduction.id}")
        view = _introduction_views(session, bank, [introduction])[0]
        uow.commit()
    return view


@dataclass(frozen=True)
class HoursBetween:
    """The hours the two people of an introduction logged with each other since it was made.

    `members` is (person helped, helper) as member ids; None for a side who is not a
    member, when no hours can be logged between them (`rows` is then empty).
    """

    since: dt.date
    members: tuple[int | None, int | None]
    rows: tuple[tuple[int, dt.date, int, int, str | None], ...]  # (exchange, day, provider, minutes, what)

    @property
    def total_minutes(self) -> int:
        return sum(r[3] for r in self.rows)


def hours_between(database: Database, actor: UserView, introduction_id: int) -> HoursBetween:
    """Exchanges posted between the two members since the day of the introduction, newest first."""
    from timebank.domain.ledger import ExchangeKind, ExchangeState

    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        introduction = introduction_row(session, bank, introduction_id, lock=False)
        proposal = session.get(MatchProposal, introduction.proposal_id)
        ids = (proposal.need_assessment_id, proposal.capability_assessment_id)
        by_assessment = dict(session.execute(select(Assessment.id, Assessment.member_id)
                                             .where(Assessment.id.in_([i for i in ids if i]))).all())
        helped, helper = (by_assessment.get(i) for i in ids)
        since = introduction.created_at.date()
        rows: tuple = ()
        if helped and helper and helped != helper:
            pair = (helped, helper)
            rows = tuple(tuple(r) for r in session.execute(
                select(Exchange.id, Exchange.given_on, Exchange.provider_member_id, Exchange.amount_minutes,
                       Exchange.description)
                .where(Exchange.bank_id == bank.id, Exchange.kind == ExchangeKind.EXCHANGE.value,
                       Exchange.state == ExchangeState.POSTED.value, Exchange.given_on >= since,
                       Exchange.provider_member_id.in_(pair), Exchange.receiver_member_id.in_(pair))
                .order_by(Exchange.given_on.desc(), Exchange.id.desc())))
        return HoursBetween(since, (helped, helper), rows)
