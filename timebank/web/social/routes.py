"""Social workers' pages: assessments, match runs, introductions and their outcomes.

The services check the role and the bank themselves (every assessment belongs to the
signed-in social worker's bank, and every read is written to the access log); views pass
`current_user.user` as the actor, parse a form, call one service, then redirect with a
flash or show the form again with its errors (HTTP 400).

A form that records something carries a hidden key, so a form sent twice records once:
every view passes it to its service as the idempotency key, held in the database, so
even two submits at the same instant record once.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.domain.assessments import DAYS
from timebank.domain.members import labels_told_apart
from timebank.domain.outcome_measures import follow_up_order, follow_up_state
from timebank.services import (
    assessments,
    banks,
    consent,
    helping,
    matches,
    members,
    outcome_measures,
    places,
    readings,
)
from timebank.services.views import Page
from timebank.web import retraining
from timebank.web.extensions import database
from timebank.web.forms import KEY_REUSED, options
from timebank.web.refusals import add_error, place
from timebank.web.social import blueprint, follow_ups
from timebank.web.social.forms import (
    DIFFERENCE_WORDS,
    STATUS_WORDS,
    AcceptForm,
    AssessmentForm,
    CloseForm,
    FindMatchesForm,
    MemberLinkForm,
    OutcomeForm,
    RejectForm,
    RunForm,
)
from timebank.web.widgets import quick_select
from timebank.web.words import hours

DAY_WORDS = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")))
PART_WORDS = {"am": "morning", "pm": "afternoon", "eve": "evening"}
SIDE_WORDS = {"helped": "The person helped", "helper": "The helper"}
VIEW_WHY = "viewed by the social worker"
EXPIRED_RUN = "The match was not run: the form had expired. Please try again."
EXPIRED_FIND = "No matches were looked for: the form had expired. Please try again."
#: The run page's filters: the words in the address, and the proposals' status they show.
SHOW_STATUSES = {"waiting": "proposed", "accepted": "accepted", "rejected": "rejected"}
PROPOSALS_PER_PAGE = 25


# ---------------------------------------------------------------- helpers


def _actor():
    return current_user.user


def _problems(form) -> list[tuple[str | None, str]]:
    """Every error of a form, nested rows included, as (field id, message) for the summary."""
    items = []
    for f in form:
        if f.type == "FieldList":
            for row in f:
                items += [(sub.id, m) for sub in row.form for m in sub.errors]
        else:  # a hidden field's error (an expired form) links nowhere
            items += [(None if f.type in ("HiddenField", "CSRFTokenField") else f.id, m) for m in f.errors]
    items += [(None, m) for m in form.form_errors]
    return items


def _category_names() -> dict[str, str]:
    return {slug: name for slug, name, _, _ in banks.category_rows(database(), current_user.bank_slug)}


def _category_options() -> list[tuple[str, str]]:
    return banks.list_categories(database(), current_user.bank_slug)


def _member_names(ids: set[int] | None = None) -> dict[int, str]:
    """Names of the members `ids` (of every member when None), by id."""
    return {m.id: m.name for m in members.member_names(database(), current_user.bank_slug, ids=ids)}


def _render(template: str, status: int = 200, **context):
    return render_template(template, categories=_category_names(), difference_words=DIFFERENCE_WORDS,
                           status_words=STATUS_WORDS, side_words=SIDE_WORDS, day_words=DAY_WORDS,
                           part_words=PART_WORDS, **context), status


def _call(service, *args, **kwargs):
    """A service call as the signed-in social worker ("no such record" is answered 404)."""
    return service(database(), _actor(), *args, **kwargs)


# ---------------------------------------------------------------- home


@blueprint.route("/", methods=["GET"])
def home():
    return _render("social/home.html", overview=_call(matches.overview))


# ---------------------------------------------------------------- assessments


@blueprint.route("/assessments", methods=["GET"], endpoint="assessments")
def assessment_list():
    summaries = _call(assessments.list_assessments)
    return _render("social/assessments.html", summaries=summaries, withdrawals=_call(consent.list_withdrawals),
                   members=_member_names({a.member_id for a in summaries if a.member_id}))


def _member_choices(field) -> None:
    """The bank's active members to pick from, after "Not a member yet"."""
    quick_select(field)
    active = members.member_names(database(), current_user.bank_slug, status="active")
    labels = labels_told_apart(active)  # the area, and the number for two of one name and area
    field.choices = options([("", "Not a member yet")] + [(str(m.id), labels[m.id]) for m in active])


def _setup(form: AssessmentForm, *, blank_rows: int = 0) -> None:
    """Choices from the bank's lists, and room for more rows when asked."""
    categories = options([("", "Not sure")] + _category_options())
    areas = [n.name for n in places.list_neighbourhoods(database(), current_user.bank_slug)]
    recorded = (form.area.data or "").strip()
    if areas and recorded and recorded not in areas:
        areas.append(recorded)  # an area recorded before the list, kept until changed
    form.area_choices = areas
    _member_choices(form.member)
    for _ in range(blank_rows):
        if len(form.needs) < form.needs.max_entries:
            form.needs.append_entry()
        if len(form.capabilities) < form.capabilities.max_entries:
            form.capabilities.append_entry()
    for row in list(form.needs) + list(form.capabilities):
        row.form.category.choices = categories


def _content(form: AssessmentForm) -> dict:
    """The form as the domain's assessment document; row i of the form is item i."""
    return {
        "consent": form.consent.data, "consent_on": form.consent_on.data,
        "area": form.area.data,
        "latitude": form.latitude.data, "longitude": form.longitude.data,
        "availability": form.availability.data or None,
        "needs": [{"key": r.key.data or None, "text": r.text.data, "category": r.category.data or None,
                   "requires_checked": r.requires_checked.data} for r in form.needs],
        "capabilities": [{"key": r.key.data or None, "text": r.text.data, "category": r.category.data or None,
                          "status": r.status.data, "share": r.share.data, "capacity": r.capacity.data,
                          "max_km": r.max_km.data, "remote": r.remote.data} for r in form.capabilities],
    }


def _place(form: AssessmentForm, problems: dict[str, str]) -> None:
    """Each of the domain's problems beside its field: `needs.2.text` is row 3's words."""
    for path, message in problems.items():
        parts = path.split(".")
        field = None
        if parts[0] in ("needs", "capabilities") and len(parts) == 3 and parts[1].isdigit():
            rows = form[parts[0]]
            if int(parts[1]) < len(rows):
                row = rows[int(parts[1])].form
                field = row[parts[2]] if parts[2] in row and parts[2] != "key" else row["text"]
        elif len(parts) == 1 and parts[0] in form and parts[0] not in ("needs", "capabilities"):
            field = form[parts[0]]
        if field is None:
            form.form_errors.append(message)
        else:
            add_error(field, message)


def _fill(form: AssessmentForm, view) -> None:
    content = view.content
    form.person_name.data = view.person_name
    form.member.data = str(view.member_id or "")
    form.consent.data = bool(content.get("consent"))
    form.consent_on.data = content.get("consent_on") or ""
    form.area.data = content.get("area") or ""
    location = content.get("location") or ("", "")
    form.latitude.data, form.longitude.data = (str(x) for x in location)
    form.availability.data = list(content.get("availability") or [])
    for kind, items in (("needs", content.get("needs", [])), ("capabilities", content.get("capabilities", []))):
        rows = form[kind]
        while len(rows) < len(items):
            rows.append_entry()
        for row, item in zip(rows, items):
            for name, value in item.items():
                if name in row.form:
                    row.form[name].data = str(value) if name in ("capacity", "max_km") else value


class _Readings:
    """The service read from each row's words, by row number, for the form to show."""

    def __init__(self, form: AssessmentForm):
        self.needs = self._read(form.needs)
        self.capabilities = self._read(form.capabilities)

    @staticmethod
    def _read(rows) -> dict:
        texts = [(i, (row.form.text.data or "").strip()) for i, row in enumerate(rows)]
        texts = [(i, t) for i, t in texts if t]
        found = readings.read_services(database(), current_user.bank_slug, [t for _, t in texts])
        return {i: reading for (i, _), reading in zip(texts, found)}

    def offer(self, form: AssessmentForm) -> None:
        """Pre-fill each row left without a kind of help with what its words surely read as."""
        for rows, found in ((form.needs, self.needs), (form.capabilities, self.capabilities)):
            for i, row in enumerate(rows):
                reading = found.get(i)
                if reading is not None and reading.sure and not row.form.category.data:
                    row.form.category.data = reading.service_id


def _save(form: AssessmentForm, assessment_id: int | None):
    """Record a new assessment or a new version; the page to go to, or None if refused."""
    try:
        if assessment_id is None:
            member = form.member.data
            view = assessments.record_assessment(
                database(), _actor(), person_name=form.person_name.data, content=_content(form),
                member_id=int(member) if member and member.isdigit() else None,
                idempotency_key=form.idempotency_key.data)
        else:
            view = _call(assessments.update_assessment, assessment_id, content=_content(form),
                         person_name=form.person_name.data, idempotency_key=form.idempotency_key.data)
    except domain.AssessmentInvalid as error:
        _place(form, error.problems)
        return None
    except domain.TimebankError as error:
        place(form, error, {domain.InvalidInput: "person_name"})
        return None
    retraining.retrain_soon(database(), current_user.bank_slug)  # a correction saved teaches it
    target = url_for("social.assessment", assessment_id=view.id)
    saved = "already saved" if view.replayed else "saved"
    flash(f"Assessment of {view.person_name} {saved} (version {view.version}).", "success")
    return target


def _adding_a_row(form: AssessmentForm) -> bool:
    """"Add another need / capability": one more empty row of that kind, nothing saved.

    The form comes back as typed (its hidden key too), with no errors shown: nothing was
    asked to be saved yet.
    """
    kind = {"need": form.needs, "capability": form.capabilities}.get(request.form.get("add", ""))
    if kind is None:
        return False
    if len(kind) < kind.max_entries:
        kind.append_entry()
    categories = options([("", "Not sure")] + _category_options())
    for row in kind:
        row.form.category.choices = categories
    return True


@blueprint.route("/assessments/new", methods=["GET", "POST"])
def new_assessment():
    form = AssessmentForm()
    _setup(form)
    # The day consent was given is left blank: it is asked for only when consent is ticked
    # (the domain's one rule), so an unticked form never carries a day nobody chose.
    if not _adding_a_row(form) and form.validate_on_submit():
        target = _save(form, None)
        if target:
            return redirect(target)
    problems = _problems(form)
    return _render("social/assessment_form.html", 400 if problems else 200, form=form, problems=problems,
                   editing=None, category_options=_category_options(), readings=_Readings(form))


@blueprint.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
def edit_assessment(assessment_id: int):
    form = AssessmentForm()
    if request.method == "GET":
        view = _call(assessments.get_assessment, assessment_id, why="opened to record a new version")
        _fill(form, view)
        _setup(form, blank_rows=1)
        found = _Readings(form)
        found.offer(form)
    else:
        _setup(form)
        adding = _adding_a_row(form)
        if not adding and form.validate_on_submit():
            target = _save(form, assessment_id)
            if target:
                return redirect(target)
        # Shown again with its errors: only if the record is this bank's (else 404).
        view = _call(assessments.get_assessment, assessment_id,
                     why="a row added to the new version" if adding else "refused version shown again")
        found = _Readings(form)
    problems = _problems(form)
    member_name = _member_names().get(view.member_id)
    return _render("social/assessment_form.html", 400 if problems else 200, form=form, problems=problems,
                   editing=assessment_id, category_options=_category_options(), member_name=member_name,
                   readings=found)


@blueprint.route("/assessments/<int:assessment_id>", methods=["GET"])
def assessment(assessment_id: int):
    if consent.get_withdrawal(database(), _actor(), assessment_id) is not None:
        # Consent withdrawn: only the record of the withdrawal is shown.
        return redirect(url_for("privacy.assessment_privacy", assessment_id=assessment_id))
    return _assessment_page(assessment_id)


def _assessment_page(assessment_id: int, link_form: MemberLinkForm | None = None, status: int = 200,
                     why: str = VIEW_WHY):
    version = request.args.get("version", type=int)
    view = _call(assessments.get_assessment, assessment_id, why=why, version=version)
    log = _call(assessments.access_log, assessment_id, limit=20)
    if link_form is None:
        link_form = MemberLinkForm(formdata=None)
        link_form.member.data = str(view.member_id or "")
    _member_choices(link_form.member)
    linked = _member_names({view.member_id}).get(view.member_id) if view.member_id else None
    return _render("social/assessment.html", status, view=view, member_name=linked, log=log, link_form=link_form,
                   problems=_problems(link_form), find_form=FindMatchesForm(formdata=None))


@blueprint.route("/assessments/<int:assessment_id>/member", methods=["POST"])
def link_member(assessment_id: int):
    """Link the assessment to a member (or correct the link): asked first, then made."""
    form = MemberLinkForm()
    if not form.validate_on_submit():  # only an expired form: the select takes any value
        return _assessment_page(assessment_id, form, 400, why="refused member link shown again")
    chosen = form.member.data or ""
    if chosen and not chosen.isdigit():
        add_error(form.member, "Choose a member from the list, or “Not a member yet”.")
        return _assessment_page(assessment_id, form, 400, why="refused member link shown again")
    confirmed = form.confirmed.data == "yes"
    try:
        link = _call(assessments.link_member, assessment_id, int(chosen) if chosen else None, confirmed=confirmed)
    except (domain.UnknownMember, domain.MemberNotActive) as error:
        add_error(form.member, error.message)
        return _assessment_page(assessment_id, form, 400, why="refused member link shown again")
    if not confirmed and link.changes:
        return _render("social/link_confirm.html", link=link, form=form)
    if link.made:
        flash(f"The assessment of {link.person_name} is now linked to {link.member_name}." if link.member_name
              else f"The assessment of {link.person_name} is no longer linked to a member.", "success")
    else:
        flash("Nothing changed: the assessment was already linked that way.", "success")
    return redirect(url_for("social.assessment", assessment_id=assessment_id) + "#member-link")


@blueprint.route("/assessments/<int:assessment_id>/matches", methods=["POST"])
def find_matches(assessment_id: int):
    """"Find matches for this person": a run of only the pairs involving this assessment,
    what a social worker wants after recording one (a whole run takes seconds on a big bank)."""
    back = url_for("social.assessment", assessment_id=assessment_id) + "#find-matches"
    form = FindMatchesForm()
    if not form.validate_on_submit():
        flash(EXPIRED_FIND, "error")
        return _assessment_page(assessment_id, status=400, why="refused finding matches shown again")
    try:
        view = _call(matches.find_matches_for, assessment_id, idempotency_key=form.idempotency_key.data)
    except domain.NotAllowed as error:
        flash(error.message, "error")
        return redirect(back)
    except domain.IdempotencyKeyReusedWithOtherDetails:
        flash(KEY_REUSED, "error")
        return redirect(back)
    theirs = [p for p in view.proposals if p.need_assessment_id == assessment_id]
    helped = sum(1 for p in theirs if p.capability_assessment_id is not None)
    others = len(view.proposals) - len(theirs)
    flash(f"{'Already found' if view.replayed else 'Matches found'} for {view.for_person}: a proposed helper "
          f"for {helped} of their {len(theirs)} need{'s' if len(theirs) != 1 else ''}, and "
          f"{others} need{'s' if others != 1 else ''} of other people they could help with.", "success")
    return redirect(url_for("social.run", run_id=view.id))


@blueprint.route("/access-log", methods=["GET"])
def access_log():
    return _render("social/access_log.html", log=_call(assessments.access_log))


# ---------------------------------------------------------------- matches


def _run_page(run, status: int = 200, bound=None):
    """A run's proposals, each shown with its own accept and reject forms (one may be refused)."""
    show = request.args.get("show", "")
    shown = SHOW_STATUSES.get(show)
    proposals = [p for p in run.proposals if p.status != "unmatched" and (shown is None or p.status == shown)] \
        if run else []
    number = max(1, request.args.get("page", 1, type=int) or 1)
    found = Page(tuple(proposals[(number - 1) * PROPOSALS_PER_PAGE:number * PROPOSALS_PER_PAGE]), number,
                 PROPOSALS_PER_PAGE, len(proposals))
    # Forms for what the page shows only: a run over a big bank has ~2,000 proposals.
    on_page = list(found.items) + (list(run.unmatched) if run and not shown else [])
    forms = {}
    for proposal in on_page:
        accept = AcceptForm(prefix=f"accept-{proposal.id}", formdata=None)
        reject = RejectForm(prefix=f"reject-{proposal.id}", formdata=None)
        forms[proposal.id] = {"accept": accept, "reject": reject}
    if bound:
        proposal_id, kind, form = bound
        if proposal_id in forms:
            forms[proposal_id][kind] = form
    for proposal in on_page:
        choices = []
        if proposal.capability_assessment_id is not None:
            choices.append(("", f"{proposal.capability_person} (proposed)"))
        choices += [(a.capability_key, f"{a.person_name}: {a.text}") for a in proposal.alternatives]
        forms[proposal.id]["accept"].capability.choices = options(choices)
        if forms[proposal.id]["accept"].capability.data is None and choices:
            forms[proposal.id]["accept"].capability.data = choices[0][0]
    problems = _problems(bound[2]) if bound else []
    return _render("social/run.html", status, run=run, forms=forms, problems=problems, proposals=found.items,
                   found=found, show=show if shown else "", runs=_call(matches.list_runs),
                   run_form=RunForm(formdata=None))


@blueprint.route("/matches", methods=["GET"], endpoint="matches")
def latest_run():
    return _run_page(_call(matches.latest_run))


@blueprint.route("/matches/<int:run_id>", methods=["GET"])
def run(run_id: int):
    return _run_page(_call(matches.get_run, run_id))


@blueprint.route("/matches/run", methods=["GET", "POST"])
def run_match():
    """GET asks first (a new run is a deliberate step); POST runs the match."""
    if request.method == "GET":
        return _run_confirm(RunForm(formdata=None))
    form = RunForm()
    if not form.validate_on_submit():
        flash(EXPIRED_RUN, "error")
        return _run_page(_call(matches.latest_run), 400)
    try:
        view = _call(matches.run_match, idempotency_key=form.idempotency_key.data,
                     confirmed=form.confirmed.data == "yes")
    except domain.MatchRunRecently:
        return _run_confirm(form)  # the same key: "yes" then runs it once
    except domain.IdempotencyKeyReusedWithOtherDetails:
        flash(KEY_REUSED, "error")
        return _run_page(_call(matches.latest_run), 400)
    ran = "Already run" if view.replayed else "Match run"
    flash(f"{ran}: {view.proposed_count} of {view.needs_count} needs have a proposed helper.", "success")
    return redirect(url_for("social.run", run_id=view.id))


@blueprint.route("/offers", methods=["GET"])
def offers():
    """Members' own offers, read only: the matcher does not read them, so they are shown
    beside it rather than hidden (the engine's input is for the matching engineers)."""
    number = max(1, request.args.get("page", 1, type=int) or 1)
    return render_template("social/offers.html",
                           page=helping.coordinator_offers(database(), current_user.bank_slug, page=number))


def _run_confirm(form: RunForm):
    """"Run a new match?": when, and by whom, the last run was made, and what still waits."""
    runs = _call(matches.list_runs)  # counts only: no one's words are shown here
    latest = runs[0] if runs else None
    minutes = None
    if latest is not None:
        at = latest.created_at if latest.created_at.tzinfo else latest.created_at.replace(tzinfo=dt.UTC)
        minutes = max(0, int((dt.datetime.now(dt.UTC) - at).total_seconds() // 60))
    return _render("social/run_confirm.html", latest=latest, minutes_ago=minutes, run_form=form)


@blueprint.route("/matches/<int:run_id>/proposals/<int:proposal_id>/accept", methods=["POST"])
def accept(run_id: int, proposal_id: int):
    form = AcceptForm(prefix=f"accept-{proposal_id}")
    form.capability.choices = []
    if form.validate_on_submit():
        try:
            introduction = _call(matches.accept_proposal, proposal_id, capability=form.capability.data or None,
                                 idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "capability"})
        else:
            accepted = "Already accepted" if introduction.replayed else "Accepted"
            flash(f"{accepted}: {introduction.need_person} is introduced to {introduction.helper_person}.",
                  "success")
            return redirect(url_for("social.introduction", introduction_id=introduction.id))
    return _run_page(_call(matches.get_run, run_id), 400, (proposal_id, "accept", form))


@blueprint.route("/matches/<int:run_id>/proposals/<int:proposal_id>/reject", methods=["POST"])
def reject(run_id: int, proposal_id: int):
    form = RejectForm(prefix=f"reject-{proposal_id}")
    if form.validate_on_submit():
        try:
            _call(matches.reject_proposal, proposal_id, reason=form.reason.data,
                  idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.ReasonRequired: "reason"})
        else:
            flash("Rejected, with your reason kept.", "success")
            return redirect(url_for("social.run", run_id=run_id) + f"#proposal-{proposal_id}")
    return _run_page(_call(matches.get_run, run_id), 400, (proposal_id, "reject", form))


# ---------------------------------------------------------------- introductions


def _introduction(introduction_id: int):
    return _call(matches.get_introduction, introduction_id)


def _introduction_page(introduction, status: int = 200, bound=None, follow_up=None):
    # Each side's view can be recorded again at a later follow-up: both forms always.
    forms = {side: OutcomeForm(prefix=side, formdata=None) for side in SIDE_WORDS}
    close = CloseForm(formdata=None)
    if bound:
        forms[bound[0]] = bound[1]
    problems = _problems(bound[1]) if bound else []
    between = _call(matches.hours_between, introduction.id)
    return _render("social/introduction.html", status, introduction=introduction, forms=forms,
                   close=close, problems=problems, hours_between=between,
                   hours_words=hours(between.total_minutes),
                   helper_member_names=_member_names({m for m in between.members if m}),
                   **follow_ups.follow_up_context(introduction.id, **(follow_up or {})))


@blueprint.route("/introductions", methods=["GET"])
def introductions():
    # Open introductions whose follow-up is due or overdue first (issue 13 part 2).
    today = dt.date.today()
    days = _call(outcome_measures.follow_up_days)
    listed = sorted(_call(matches.list_introductions), key=lambda i: follow_up_order(days.get(i.id), today))
    return _render("social/introductions.html", introductions=listed, follow_up_days=days,
                   follow_states={i: follow_up_state(day, today) for i, day in days.items()},
                   state_words=follow_ups.STATE_WORDS)


@blueprint.route("/introductions/<int:introduction_id>", methods=["GET"])
def introduction(introduction_id: int):
    return _introduction_page(_introduction(introduction_id))


@blueprint.route("/introductions/<int:introduction_id>/outcome", methods=["POST"])
def outcome(introduction_id: int):
    current = _introduction(introduction_id)
    side = request.form.get("side", "")
    if side not in SIDE_WORDS:
        flash("Say whose view this is: the person helped or the helper.", "error")
        return _introduction_page(current, 400)
    form = OutcomeForm(prefix=side)
    if form.validate_on_submit():
        try:
            _call(matches.record_outcome, introduction_id, side=side, help_happened=form.help_happened.data == "yes",
                  difference=form.difference.data, comment=form.comment.data,
                  idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "difference"})
        else:
            flash(f"{SIDE_WORDS[side]}: their view is recorded.", "success")
            return redirect(url_for("social.introduction", introduction_id=introduction_id))
    return _introduction_page(current, 400, (side, form))


@blueprint.route("/introductions/<int:introduction_id>/close", methods=["GET", "POST"])
def close(introduction_id: int):
    """GET asks first (one stray tap must not end an introduction); POST closes it."""
    current = _introduction(introduction_id)
    if request.method == "GET":
        if current.status != "open":
            flash("This introduction is already closed.", "error")
            return redirect(url_for("social.introduction", introduction_id=introduction_id))
        return _render("social/close_confirm.html", introduction=current, close=CloseForm(formdata=None))
    form = CloseForm()
    if not form.validate_on_submit():
        flash("The introduction was not closed: the form had expired. Please try again.", "error")
        return _introduction_page(current, 400)
    _call(matches.close_introduction, introduction_id, idempotency_key=form.idempotency_key.data)
    flash("The introduction is closed.", "success")
    return redirect(url_for("social.introduction", introduction_id=introduction_id))
