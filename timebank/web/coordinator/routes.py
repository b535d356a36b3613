"""Coordinators' pages: members, logging hours, settling, reversing, the bank's settings.

Every view reads `current_user.bank_slug` and passes it to the services, so a
coordinator only ever sees and changes their own bank. Views parse a form, call one
service, then redirect with a flash or show the form again with the errors (HTTP 400).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import SelectChoice

from timebank.domain import errors as domain
from timebank.domain.hours import format_minutes, minutes_as_hours
from timebank.domain.members import NEW, QUIET, NamedMember
from timebank.domain.spreadsheets import spreadsheet_safe
from timebank.services import (
    auth,
    banks,
    batch,
    contact_log,
    ledger,
    members,
    notices,
    requests_offers,
    second_factor,
)
from timebank.services.views import Page
from timebank.web.coordinator import blueprint
from timebank.web.coordinator.forms import (
    AddSignInForm,
    DeclineForm,
    EditMemberForm,
    ExchangeForm,
    ExchangeSearchForm,
    GrantForm,
    GroupExchangeForm,
    MemberLimitsForm,
    NewMemberForm,
    NoteForm,
    ReverseForm,
    SafeguardingForm,
    SettingsForm,
    SettleForm,
    SignInForm,
    StatusConfirmForm,
    StatusForm,
    UploadForm,
    _member_number,
)
from timebank.web.downloads import csv_response
from timebank.web.extensions import database
from timebank.web.forms import new_key
from timebank.web.notices.routes import base_url as notice_base_url
from timebank.web.refusals import add_error, place
from timebank.web.widgets import quick_select
from timebank.web.words import day as format_day
from timebank.web.words import sides

# Where each refusal of the ledger is shown: the field the person has to change.
EXCHANGE_ERROR_FIELDS = {
    domain.InvalidHours: "hours",
    domain.ExchangeTooLong: "hours",
    domain.DayInFuture: "day",
    domain.InvalidDay: "day",
    domain.DayLongAgo: "long_ago",
    domain.LooksLikeDuplicate: "again",
    domain.SameMemberOnBothSides: "receiver",
    domain.UnknownCategory: "category",
    domain.BalanceBelowFloor: "receiver",  # the receiver pays the hours
    domain.BalanceAboveCeiling: "provider",  # the provider earns them
    domain.InvalidInput: "what",
}
GROUP_ERROR_FIELDS = {kind: "receivers" if name == "receiver" else name
                      for kind, name in EXCHANGE_ERROR_FIELDS.items()}
GRANT_ERROR_FIELDS = {
    domain.InvalidHours: "hours",
    domain.ExchangeTooLong: "hours",
    domain.BalanceAboveCeiling: "hours",
    domain.ReasonRequired: "reason",
}
# Every step of taking a member on is refused as a whole; each refusal goes beside the
# field to change. The form checks the name, phone and area lengths and the safeguarding
# days first, so what the services still refuse as invalid is the email address.
NEW_MEMBER_ERROR_FIELDS = {
    domain.EmailTaken: "email",
    domain.InvalidInput: "email",
    domain.PhoneInvalid: "phone",
    domain.InvalidHours: "welcome_hours",
    domain.ExchangeTooLong: "welcome_hours",
    domain.BalanceAboveCeiling: "welcome_hours",
    domain.WeakPassword: "password",
}
STATUS_WORDS = {"active": "reactivated", "suspended": "suspended", "closed": "closed"}
EDIT_MEMBER_ERROR_FIELDS = {domain.EmailTaken: "email", domain.InvalidInput: "email", domain.PhoneInvalid: "phone"}
SIGN_IN_ERROR_FIELDS = {domain.EmailTaken: "email", domain.InvalidInput: "email", domain.WeakPassword: "password"}
NOTE_ERROR_FIELDS = {domain.InvalidInput: "text"}


# ---------------------------------------------------------------- helpers


def _slug() -> str:
    return current_user.bank_slug


def _recorded_by() -> str:
    return f"coordinator:{current_user.user.id}"


def _render(template: str, http_status: int = 200, **context):
    return render_template(template, **context), http_status


def _status(form) -> int:
    return 400 if form.errors else 200


def member_label(member) -> str:
    """A member's name as coordinators' pages show it: with the area, then the number, so
    two members of one name can be told apart (B11)."""
    return f"{member.name} ({member.area}, #{member.id})" if member.area else f"{member.name} (#{member.id})"


def _names(exchanges=None) -> dict[int, str]:
    """Labels of the members on the sides of `exchanges` (of every member when None): a
    page of 50 exchanges reads its own members, not a big bank's 2,000."""
    ids = None
    if exchanges is not None:
        ids = {i for x in exchanges for i in (x.provider_member_id, x.receiver_member_id) if i is not None}
        ids |= {int(k) for x in exchanges for k in x.entries if k.isdigit()}
    return {m.id: member_label(m) for m in members.member_names(database(), _slug(), ids=ids)}


def _category_choices() -> list[SelectChoice]:
    return [SelectChoice("", "Not given")] + [
        SelectChoice(slug, name) for slug, name in banks.list_categories(database(), _slug())]


def _chosen_name(field, member_id: int) -> str:
    """A member's name as the select showed it, without the "(area, #id)"."""
    label = next(c.label for c in field.choices if c.value == member_id)
    return label.rsplit(" (", 1)[0]


def _back(target: str | None, default: str) -> str:
    """Where a form sends the coordinator back to: one of this blueprint's own pages (a
    path, never another site), or `default`."""
    target = (target or "").strip()
    if target.startswith("/coordinator/") and "//" not in target and "\\" not in target:
        return target
    return default


def _rows(exchanges, names):
    return [(x, *sides(x, names)) for x in exchanges]


# ---------------------------------------------------------------- overview


@blueprint.route("/", methods=["GET"])
def home():
    db, slug = database(), _slug()
    counts = members.count_members(db, slug)
    needing_call = members.members_without_exchanges(db, slug)
    return _render(
        "coordinator/home.html",
        active_count=counts["active"],
        member_count=sum(counts.values()),
        waiting_count=ledger.count_exchanges(db, slug, state="pending"),
        quiet=[q for q in needing_call if q.standing == QUIET],
        welcome=[q for q in needing_call if q.standing == NEW],
        expiring=members.safeguarding_expiring(db, slug),
        today=dt.date.today(),
    )


# ---------------------------------------------------------------- members


def _search_text(name: str, limit: int = 200) -> str:
    """What was typed in a search box, as a search can use it: control characters are
    dropped (a query cannot hold a NUL) and it is cut to `limit` characters."""
    text = "".join(c for c in request.args.get(name, "") if c.isprintable())
    return " ".join(text.split())[:limit]


@blueprint.route("/members", methods=["GET"], endpoint="members")
def member_list():
    status = request.args.get("status", "")
    if status not in members.MEMBER_STATUSES:
        status = ""
    text = _search_text("q")
    found = members.search_members(database(), _slug(), text=text or None, status=status or None,
                                   page=ledger.page_number(request.args.get("page")))
    return _render("coordinator/members.html", found=found, shown=status, q=text,
                   statuses=members.MEMBER_STATUSES)


@blueprint.route("/members.csv", methods=["GET"])
def members_csv():
    db, slug = database(), _slug()
    # The cached balances only: the given and received totals (`ledger.balances`) add up
    # every entry of the bank, and the file has no column for them.
    balances = ledger.account_balances(db, slug)
    rows = [["id", "name", "kind", "email", "phone", "area", "status", "joined_on",
             "balance_minutes", "balance_hours"]]
    for m in members.list_members(db, slug):
        minutes = balances.get(str(m.id), 0)
        rows.append([m.id, m.name, m.kind, m.email, m.phone, m.area, m.status,
                     m.joined_on.isoformat(), minutes, f"{minutes_as_hours(minutes):.2f}"])
    return csv_response(rows, f"members-{slug}-{dt.date.today().isoformat()}.csv")


@blueprint.route("/members/new", methods=["GET", "POST"])
def new_member():
    form = NewMemberForm()
    if form.validate_on_submit():
        return _take_on(form)
    return _render("coordinator/new_member.html", _status(form), form=form)


def _take_on(form: NewMemberForm):
    if not form.same_name_ok.data:
        clashes = members.same_name_members(database(), _slug(), form.name.data,
                                             idempotency_key=form.idempotency_key.data)
        if clashes:
            told = "; ".join(member_label(m) for m in clashes)
            add_error(form.same_name_ok, f"There is already a member called {form.name.data.strip()}: {told}. "
                                         "Tick the box to take on another, or cancel.")
            return _render("coordinator/new_member.html", 400, form=form, clashes=clashes)
    try:
        member = members.take_member_on(
            database(), _slug(), form.name.data, email=form.email.data,
            organisation=form.kind.data == "organisation", phone=form.phone.data, area=form.area.data,
            safeguarding_checked_on=form.checked_on.day, safeguarding_expires_on=form.expires_on.day,
            welcome_minutes=form.welcome_minutes,
            sign_in_password=form.password.data if form.create_sign_in.data else None,
            share_phone=form.share_phone.data, share_email=form.share_email.data,
            recorded_by=_recorded_by(), idempotency_key=form.idempotency_key.data)
    except domain.TimebankError as error:
        place(form, error, NEW_MEMBER_ERROR_FIELDS)
        return _render("coordinator/new_member.html", 400, form=form)
    if member.replayed:
        flash(f"Already taken on: {member.name}.", "success")
    else:
        flash(f"{member.name} has joined.", "success")
    return redirect(url_for("coordinator.member", member_id=member.id))


def _member_page(member_id: int, status: int = 200, **forms):
    db, slug = database(), _slug()
    member = members.get_member(db, slug, member_id)
    bank = banks.get_bank(db, slug)
    forms.setdefault("grant_form", GrantForm(formdata=None))
    forms.setdefault("limits_form", MemberLimitsForm(
        formdata=None,
        floor="" if member.floor_minutes is None else format_minutes(-member.floor_minutes),
        ceiling="" if member.ceiling_minutes is None else format_minutes(member.ceiling_minutes)))
    forms.setdefault("safeguarding_form", SafeguardingForm(
        formdata=None,
        checked_on=member.safeguarding_checked_on.isoformat() if member.safeguarding_checked_on else "",
        expires_on=member.safeguarding_expires_on.isoformat() if member.safeguarding_expires_on else ""))
    forms.setdefault("note_form", NoteForm(formdata=None))
    # The statement a page at a time, newest day first; each balance is the running
    # balance over the whole statement, so any page reads true.
    lines = list(reversed(ledger.statement(db, slug, member_id)))
    number = min(ledger.page_number(request.args.get("page")), max(1, -(-len(lines) // ledger.PER_PAGE)))
    start = (number - 1) * ledger.PER_PAGE
    statement = Page(tuple(lines[start:start + ledger.PER_PAGE]), number, ledger.PER_PAGE, len(lines))
    forms.setdefault("sign_in_form", AddSignInForm(formdata=None, email=member.email or ""))
    return _render(
        "coordinator/member.html", status, member=member, bank=bank,
        balance=ledger.balance(db, slug, member_id),
        statement=statement,
        user=auth.user_for_member(db, slug, member_id),
        requests=requests_offers.member_requests(db, slug, member_id),
        offers=requests_offers.member_offers(db, slug, member_id),
        notes=contact_log.member_notes(db, slug, member_id),
        category_names=dict(banks.list_categories(db, slug)),
        today=dt.date.today(), **forms)


@blueprint.route("/members/<int:member_id>", methods=["GET"])
def member(member_id: int):
    return _member_page(member_id)


def _confirm_member_status(member_id: int):
    """Suspend and Close ask first, on a page of their own that says what will happen."""
    member = members.get_member(database(), _slug(), member_id)
    status = request.args.get("to", "")
    if status not in ("suspended", "closed") or status == member.status:
        return redirect(url_for("coordinator.member", member_id=member_id))
    return _render("coordinator/confirm_status.html", member=member, status=status,
                   form=StatusConfirmForm(formdata=None, status=status))


@blueprint.route("/members/<int:member_id>/status", methods=["GET", "POST"])
def member_status(member_id: int):
    if request.method == "GET":
        return _confirm_member_status(member_id)
    members.get_member(database(), _slug(), member_id)  # another bank's member: 404, before the form
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    changed = members.set_member_status(database(), _slug(), member_id, form.status.data)
    flash(f"{changed.name} is {STATUS_WORDS[changed.status]}.", "success")
    return redirect(url_for("coordinator.member", member_id=member_id))


@blueprint.route("/members/<int:member_id>/safeguarding", methods=["POST"])
def member_safeguarding(member_id: int):
    form = SafeguardingForm()
    if form.validate_on_submit():
        try:
            members.set_safeguarding(database(), _slug(), member_id,
                                     checked_on=form.checked_on.day, expires_on=form.expires_on.day)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: _safeguarding_field(form)})
        else:
            flash("The safeguarding check is saved.", "success")
            return redirect(url_for("coordinator.member", member_id=member_id))
    return _member_page(member_id, 400, safeguarding_form=form)


def _safeguarding_field(form: SafeguardingForm) -> str:
    """The field a refused safeguarding check is about: the one missing, or the wrong one."""
    if form.checked_on.day is None:
        return "checked_on"
    if form.expires_on.day is None or form.checked_on.day <= dt.date.today():
        return "expires_on"
    return "checked_on"


@blueprint.route("/members/<int:member_id>/grant", methods=["POST"])
def grant(member_id: int):
    form = GrantForm()
    if form.validate_on_submit():
        try:
            given = ledger.grant(database(), _slug(), member_id=member_id, minutes=form.hours.minutes,
                                 reason=form.reason.data, recorded_by=_recorded_by(),
                                 idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, GRANT_ERROR_FIELDS)
        else:
            flash(f"{'Already given' if given.replayed else 'Given'}: "
                  f"{format_minutes(given.amount_minutes)} ({given.reason}).", "success")
            return redirect(url_for("coordinator.member", member_id=member_id))
    return _member_page(member_id, 400, grant_form=form)


@blueprint.route("/members/<int:member_id>/limits", methods=["POST"])
def member_limits(member_id: int):
    form = MemberLimitsForm()
    if form.validate_on_submit():
        floor, ceiling = form.floor.minutes, form.ceiling.minutes
        try:
            members.set_member_limits(database(), _slug(), member_id,
                                      floor_minutes=None if floor is None else -floor,
                                      ceiling_minutes=ceiling, limits_confirmed=form.limits_confirmed.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidLimits: "floor", domain.LimitsLeaveMembersOutside: "limits_confirmed"})
        else:
            flash("This member's limits are saved.", "success")
            return redirect(url_for("coordinator.member", member_id=member_id))
    return _member_page(member_id, 400, limits_form=form)


@blueprint.route("/members/<int:member_id>/sign-in", methods=["POST"])
def member_sign_in(member_id: int):
    db, slug = database(), _slug()
    members.get_member(db, slug, member_id)  # another bank's member: 404, before the form
    form = SignInForm()
    if not form.validate_on_submit():
        abort(400)
    auth.set_member_sign_in_active(db, slug, member_id, form.active.data == "yes")
    flash("Their sign-in is enabled." if form.active.data == "yes"
          else "Their sign-in is disabled: they are signed out everywhere.", "success")
    return redirect(url_for("coordinator.member", member_id=member_id))


@blueprint.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
def edit_member(member_id: int):
    db, slug = database(), _slug()
    member = members.get_member(db, slug, member_id)  # another bank's member: 404, before the form
    if request.method == "GET":
        form = EditMemberForm(formdata=None, name=member.name, kind=member.kind, email=member.email or "",
                              phone=member.phone or "", area=member.area or "")
    else:
        form = EditMemberForm()
        if form.validate_on_submit():
            try:
                edited = members.edit_member(db, slug, member_id, name=form.name.data, email=form.email.data,
                                             phone=form.phone.data, area=form.area.data, kind=form.kind.data)
            except domain.TimebankError as error:
                place(form, error, EDIT_MEMBER_ERROR_FIELDS)
            else:
                flash(f"{edited.name}'s details are saved.", "success")
                return redirect(url_for("coordinator.member", member_id=member_id))
    return _render("coordinator/edit_member.html", _status(form), form=form, member=member)


@blueprint.route("/members/<int:member_id>/sign-in/new", methods=["POST"])
def add_member_sign_in(member_id: int):
    """A sign-in for a member who had none (an email added later, B-problem 2)."""
    members.get_member(database(), _slug(), member_id)  # another bank's member: 404, before the form
    form = AddSignInForm()
    if form.validate_on_submit():
        try:
            added = members.add_sign_in(database(), _slug(), member_id, email=form.email.data,
                                        password=form.password.data)
        except domain.TimebankError as error:
            place(form, error, SIGN_IN_ERROR_FIELDS)
        else:
            flash(f"{added.name} can now sign in with {added.email}.", "success")
            return redirect(url_for("coordinator.member", member_id=member_id))
    return _member_page(member_id, 400, sign_in_form=form)


@blueprint.route("/members/<int:member_id>/notes", methods=["POST"])
def add_note(member_id: int):
    members.get_member(database(), _slug(), member_id)  # another bank's member: 404, before the form
    form = NoteForm()
    back = url_for("coordinator.calls") if form.back.data == "calls" else url_for(
        "coordinator.member", member_id=member_id)
    if form.validate_on_submit():
        try:
            note = contact_log.add_note(database(), _slug(), member_id, text=form.text.data,
                                        author=current_user.user.name, written_by_user_id=current_user.user.id,
                                        follow_up_on=form.follow_up_on.day,
                                        idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, NOTE_ERROR_FIELDS)
        else:
            flash("The note was already saved." if note.replayed else (
                f"Note saved; call again on {format_day(note.follow_up_on)}." if note.follow_up_on
                else "Note saved."), "success")
            return redirect(back)
    if form.back.data == "calls":
        return _calls_page(400, form, member_id)
    return _member_page(member_id, 400, note_form=form)


@blueprint.route("/members/<int:member_id>/reset-link", methods=["POST"])
def member_reset_link(member_id: int):
    """A one-time link for the member to choose a new password, shown to the coordinator
    to hand on (and sent to the member's email through the outbox): it is never logged,
    and the page is not cached (no-store)."""
    link = auth.issue_member_reset_link(database(), _slug(), issued_by=current_user.user.id, member_id=member_id)
    return _render("coordinator/reset_link.html", link=link,
                   url=url_for("auth.reset_password", token=link.token, _external=True))


# ---------------------------------------------------------------- logging hours


def _exchange_form(form_class):
    form = form_class()
    active = members.member_names(database(), _slug(), status="active")
    # Every active member is a valid choice, though a picker shows only those found.
    form.provider.choices = [SelectChoice("", "Choose a member")] + [
        SelectChoice(m.id, member_label(m)) for m in active]
    quick_select(form.provider)
    form.category.choices = _category_choices()
    if hasattr(form, "receiver"):
        form.receiver.choices = form.provider.choices
    else:
        form.receivers.choices = form.provider.choices[1:]
        form.area.choices = [SelectChoice("", "Choose an area")] + [
            SelectChoice(a, a) for a in sorted({m.area for m in active if m.area})]
        form.active_members = active
    if request.method == "GET":
        form.day.data = request.args.get("day") or dt.date.today().isoformat()
        form.category.data = request.args.get("category", "")
        if hasattr(form, "what"):
            # "Log it again, put right", after a reversal: what the first one said.
            form.hours.data = request.args.get("hours", "")[:20]
            form.what.data = request.args.get("what", "")[:2000]
        # "Log hours for this member", from their page: them as the one who gave the help.
        for side in ("provider", "receiver"):
            chosen = _member_number(request.args.get(side))
            if hasattr(form, side) and chosen is not None and any(c.value == chosen for c in form.provider.choices):
                getattr(form, side).data = chosen
    return form


#: Members one search of a picker shows; more, and the coordinator types more.
FOUND_AT_MOST = 30


def _found(text: str, leave_out: set[int]) -> tuple[list[SelectChoice] | None, int, set[int]]:
    """The active members a picker's search finds (None before a search), but those in
    `leave_out` (already chosen); how many it found in all; and the numbers of those found."""
    text = " ".join(text.split())
    if not text:
        return None, 0, set()
    found = members.search_members(database(), _slug(), text=text, status="active", per_page=FOUND_AT_MOST)
    return ([SelectChoice(m.member.id, member_label(m.member)) for m in found.items
             if m.member.id not in leave_out], found.total, {m.member.id for m in found.items})


@dataclass(frozen=True)
class Picker:
    """One side of the Log hours form as the page shows it: the member chosen (or None),
    and the members its search found (None when it did not search)."""

    field: object
    find: object
    button: str
    chosen: SelectChoice | None
    found: list[SelectChoice] | None
    found_total: int


def _pickers(form, finding: str | None, sides=("provider", "receiver")) -> list[Picker]:
    """Both sides of the form, each searched for what its box holds. A side whose chosen
    member is among what its box finds was chosen from that search: it is done, and shows
    an empty box (unless its own Find was pressed, to choose another of those found)."""
    pickers = []
    for side in sides:
        field, find, button = getattr(form, side), getattr(form, f"find_{side}"), f"search_{side}"
        chosen = next((c for c in field.choices if c.value == field.data and c.value != ""), None)
        found, total, ids = _found(find.data or "", {chosen.value} if chosen else set())
        if chosen is not None and chosen.value in ids and finding != button:
            found, total, find.data = None, 0, ""
        pickers.append(Picker(field, find, button, chosen, found, total))
    return pickers


def _see_it(exchange, member_id: int, name: str) -> tuple[str, str, str]:
    """A link to the exchange on a member's statement."""
    return (url_for("coordinator.member", member_id=member_id) + f"#exchange-{exchange.id}",
            "See it", f" on {name}'s page")


def _reverse_this(exchange, words: str) -> tuple[str, str, str]:
    """The undo of an exchange just logged: its reversal page, which asks for a reason
    first, and comes back to the provider's page."""
    return (url_for("coordinator.reverse", exchange_id=exchange.id,
                    back=url_for("coordinator.member", member_id=exchange.provider_member_id)),
            "Reverse this", f": {words}")


def _flash_with_links(message: str, *links: tuple[str, str, str]) -> None:
    """A success message with links after it ("See it", "Reverse this"): each link is
    (address, words, words for screen readers only, which say which exchange)."""
    parts = [escape(message)] + [
        Markup('<a href="{}">{}<span class="visually-hidden">{}</span></a>').format(url, words, hidden)
        for url, words, hidden in links]
    flash(Markup(" ").join(parts), "success")


def _again(endpoint: str, form) -> str:
    """A fresh form for the next entry, keeping the day and kind of help just used."""
    return url_for(endpoint, day=form.day.data or None, category=form.category.data or None)


@blueprint.route("/log", methods=["GET", "POST"])
def log():
    form = _exchange_form(ExchangeForm)
    # A Find button sends the form to search, not to record: what was typed comes back.
    finding = next((b for b in ("search_provider", "search_receiver") if b in request.form), None)
    if request.method == "POST" and finding is None and any(
            (request.form.get(f"find_{side}") or "").strip() and not request.form.get(side)
            for side in ("provider", "receiver")):
        # Enter pressed in a search box sends the form's first button, which is a Find.
        finding = "search_provider"
    if finding is None and form.validate_on_submit():
        try:
            recorded = ledger.log_exchange(
                database(), _slug(), provider_id=form.provider.data, receiver_id=form.receiver.data,
                minutes=form.hours.minutes, recorded_by=_recorded_by(), category=form.category.data or None,
                description=form.what.data, given_on=form.day.data, idempotency_key=form.idempotency_key.data,
                long_ago_confirmed=form.long_ago.data, refuse_duplicates=not form.again.data)
        except domain.TimebankError as error:
            place(form, error, EXCHANGE_ERROR_FIELDS)
        else:
            provider = _chosen_name(form.provider, recorded.provider_member_id)
            receiver = _chosen_name(form.receiver, recorded.receiver_member_id)
            _flash_with_links(
                f"{'Already recorded' if recorded.replayed else 'Recorded'}: "
                f"{format_minutes(recorded.amount_minutes)} from {provider} to {receiver}. "
                f"Day of the help: {format_day(recorded.given_on)}.",
                _see_it(recorded, recorded.provider_member_id, provider),
                _reverse_this(recorded, f"{format_minutes(recorded.amount_minutes)} from {provider} to {receiver}"))
            return redirect(_again("coordinator.log", form))
    return _render("coordinator/log.html", _status(form), form=form, pickers=_pickers(form, finding),
                   found_at_most=FOUND_AT_MOST)


def _receivers_shown(form, adding_area: bool) -> tuple[list[SelectChoice], list[SelectChoice] | None, int, str]:
    """The group form's receivers: those ticked so far (kept ticked from one search to the
    next, so it works without JavaScript), the active members the search found (None
    before a search) with how many it found in all, and what adding an area did."""
    labels = {c.value: c.label for c in form.receivers.choices}
    ticked = [n for n in dict.fromkeys(form.receivers.data or []) if n in labels]
    added = ""
    if adding_area:
        ticked, added = _add_area(form, ticked)
    found, total, _ = _found(form.find.data or "", set(ticked))
    return [SelectChoice(n, labels[n]) for n in ticked], found, total, added


def _add_area(form, ticked: list[int]) -> tuple[list[int], str]:
    """Everyone active in the chosen area ticked as well (but the one who gave the help),
    and a sentence saying what changed."""
    area = form.area.data or ""
    if area not in {c.value for c in form.area.choices[1:]}:
        add_error(form.area, "Choose an area from the list.")
        return ticked, ""
    living = [m.id for m in form.active_members if m.area == area]
    giver = [n for n in living if n == form.provider.data]
    new = [n for n in living if n not in ticked and n not in giver]
    said = (f"Ticked {len(new)} more active member{'' if len(new) == 1 else 's'} of {area}" if new
            else f"Every active member of {area} was already ticked")
    if len(new) < len(living) - len(giver):
        said += f" ({len(living) - len(giver) - len(new)} already ticked)"
    if giver:
        said += f"; {_chosen_name(form.provider, giver[0])} gave the help, so is not ticked"
    return ticked + new, said + ". Untick anyone who did not come."


@blueprint.route("/log/group", methods=["GET", "POST"])
def log_group():
    form = _exchange_form(GroupExchangeForm)
    # "Find" sends the form to search, not to record: what was typed and ticked comes back.
    finding = request.method == "POST" and "find_receivers" in request.form
    adding_area = request.method == "POST" and "add_area" in request.form
    finding_provider = request.method == "POST" and ("search_provider" in request.form or (
        (request.form.get("find_provider") or "").strip() and not request.form.get("provider")))
    if not finding and not adding_area and not finding_provider and form.validate_on_submit():
        try:
            recorded = ledger.log_group_exchange(
                database(), _slug(), provider_id=form.provider.data, receiver_ids=form.receivers.data,
                minutes=form.hours.minutes, recorded_by=_recorded_by(),
                category=form.category.data or None, description=form.what.data,
                given_on=form.day.data, idempotency_key=form.idempotency_key.data,
                long_ago_confirmed=form.long_ago.data)
        except domain.TimebankError as error:
            place(form, error, GROUP_ERROR_FIELDS)
        else:
            receivers = len(form.receivers.data)
            share, remainder = divmod(recorded.amount_minutes, receivers)
            shared = f"{format_minutes(share)} each" + (
                f": {format_minutes(remainder)} does not share out equally, so the time bank gives it "
                f"from its community pot, the hours it keeps for everyone" if remainder else "")
            provider = _chosen_name(form.provider, recorded.provider_member_id)
            _flash_with_links(
                f"{'Already recorded' if recorded.replayed else 'Recorded'}: "
                f"{format_minutes(recorded.amount_minutes)} from {provider} to {receivers} members ({shared}).",
                _see_it(recorded, recorded.provider_member_id, provider),
                _reverse_this(recorded, f"{format_minutes(recorded.amount_minutes)} from {provider} to "
                                        f"{receivers} members"))
            return redirect(_again("coordinator.log_group", form))
    ticked, found, found_total, added = _receivers_shown(form, adding_area)
    [giver] = _pickers(form, "search_provider" if finding_provider else None, sides=("provider",))
    return _render("coordinator/log_group.html", _status(form), form=form, ticked=ticked, found=found,
                   found_total=found_total, found_at_most=FOUND_AT_MOST, added=added, giver=giver)


@blueprint.route("/log/upload", methods=["GET", "POST"])
def upload():
    form = UploadForm()
    problems, long_ago, again = [], False, False
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8")
        except UnicodeDecodeError:
            form.file.errors = list(form.file.errors) + [
                "This file is not saved as UTF-8 text, so some letters (such as \u00e1 or \u00eb) cannot be read. "
                "In the spreadsheet, choose Save As and the type \u201cCSV UTF-8 (Comma delimited)\u201d, "
                "not \u201cCSV (Comma delimited)\u201d, then upload the new file."]
        else:
            try:
                recorded = batch.log_exchanges_from_csv(database(), _slug(), text,
                                                        recorded_by=_recorded_by(), batch_key=form.idempotency_key.data,
                                                        long_ago_confirmed=form.long_ago.data,
                                                        refuse_duplicates=not form.again.data)
            except domain.BatchRefused as error:
                problems = error.problems
                form.file.errors = list(form.file.errors) + [error.message]
                long_ago = any("more than a year ago" in message for _, message in problems)
                again = any("same people, day and hours" in message for _, message in problems)
            except domain.TimebankError as error:
                place(form, error)
            else:
                count = f"{len(recorded)} exchange{'' if len(recorded) == 1 else 's'}"
                if recorded and all(x.replayed for x in recorded):
                    flash(f"That file was already recorded: {count}, nothing new. They are listed below.",
                          "success")
                else:
                    flash(f"Recorded {count} from the file. They are listed below.", "success")
                return redirect(url_for("coordinator.upload", recorded=form.idempotency_key.data) + "#recorded")
    # The exchanges an upload just recorded, listed once it is done (the upload's key is in the link).
    done = batch.exchanges_of_file(database(), _slug(), request.args.get("recorded", "")[:200]) \
        if request.method == "GET" and request.args.get("recorded") else []
    return _render("coordinator/upload.html", _status(form), form=form, problems=problems,
                   ask_long_ago=long_ago or form.long_ago.data, ask_again=again or form.again.data,
                   columns=batch.CSV_COLUMNS, example_day=dt.date.today().isoformat(),
                   done=done, names=_names(done), categories=banks.list_categories(database(), _slug()))


@blueprint.route("/log/upload/template.csv", methods=["GET"])
def upload_template():
    """A file to fill in: the header and two example lines. It starts with a byte-order
    mark, so a spreadsheet opens it as UTF-8 and saves names such as Siobhán intact."""
    db, slug = database(), _slug()
    people = [NamedMember(m.id, m.name, m.area) for m in members.member_names(db, slug, status="active")][:2]
    rows = batch.template_rows(people, dict(banks.list_categories(db, slug)), dt.date.today())
    out = io.StringIO()
    csv.writer(out).writerows([spreadsheet_safe(v) for v in row] for row in rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="hours-to-upload.csv"'})


# ---------------------------------------------------------------- settling and reversing


def _pending_page(status: int = 200, form=None, failed_id: int | None = None, limit_member_id: int | None = None):
    db, slug = database(), _slug()
    waiting = ledger.list_exchanges(db, slug, state="pending", limit=500)
    names = _names(waiting)
    signs_in = auth.members_who_sign_in(db, slug)
    today = dt.date.today()
    # Who each waits on (the member who did not log it), whether only the coordinator can
    # settle it for them, and for how many days it has waited.
    waits = {x.id: (_waiting_on(x), _waiting_on(x) not in signs_in, (today - x.created_at.date()).days)
             for x in waiting}
    blocked = ledger.blocked_by_limits(db, slug, waiting)
    return _render("coordinator/pending.html", status, rows=_rows(waiting, names), waits=waits, names=names,
                   blocked=blocked,
                   category_names=dict(banks.list_categories(db, slug)),
                   form=form or SettleForm(formdata=None), failed_id=failed_id, limit_member_id=limit_member_id)


def _waiting_on(exchange) -> int | None:
    """The member a pending exchange waits for: the one who did not log it."""
    if exchange.initiated_by_member_id == exchange.provider_member_id:
        return exchange.receiver_member_id
    return exchange.provider_member_id


def _in_words(exchange, names: dict[int, str]) -> str:
    """`1h from Ann to Bob`: an exchange as people name it, never by its number."""
    return (f"{format_minutes(exchange.amount_minutes)} from {names.get(exchange.provider_member_id, 'a member')} "
            f"to {names.get(exchange.receiver_member_id, 'a member')}")


@blueprint.route("/pending", methods=["GET"])
def pending():
    return _pending_page()


@blueprint.route("/pending/<int:exchange_id>", methods=["POST"])
def settle(exchange_id: int):
    """Confirm in one step; a decline is asked about first (`decline`)."""
    ledger.get_exchange(database(), _slug(), exchange_id)  # another bank's exchange: 404, before the form
    form = SettleForm()
    if form.validate_on_submit():
        if form.choice.data == "decline":
            return redirect(url_for("coordinator.decline", exchange_id=exchange_id))
        try:
            settled = ledger.confirm_exchange(database(), _slug(), exchange_id, member_id=None,
                                              settled_by=_recorded_by())
        except domain.TimebankError as error:
            place(form, error)
            if isinstance(error, domain.BalanceLimitPassed) and error.member_id:
                # The way on: that member's own limits, or a decline.
                return _pending_page(400, form, exchange_id, limit_member_id=error.member_id)
        else:
            _flash_with_links(f"Confirmed: {_in_words(settled, _names())}. Both balances have changed.",
                              _see_it(settled, settled.provider_member_id,
                                      _names().get(settled.provider_member_id, "the member")))
            return redirect(url_for("coordinator.pending"))
    return _pending_page(400, form, exchange_id)


def _exchange_search():
    """The search read from the link, and the page of exchanges it finds (none while a
    field is refused: the refusal is beside it)."""
    everyone = members.member_names(database(), _slug())
    search = ExchangeSearchForm(formdata=request.args)
    search.member.choices = [SelectChoice("", "Anyone")] + [SelectChoice(str(m.id), member_label(m))
                                                           for m in everyone]
    quick_select(search.member)
    if not search.member.data or search.member.data not in {str(m.id) for m in everyone}:
        search.member.data = ""
    search.kind.data = search.kind.data or ""
    search.text.data = _search_text("text")
    if not search.validate():
        return search, None
    found = ledger.find_exchanges(
        database(), _slug(), member_id=int(search.member.data) if search.member.data else None,
        since=search.since.day, until=search.until.day, text=search.text.data or None,
        kind=search.kind.data or None, page=ledger.page_number(request.args.get("page")))
    return search, found
@blueprint.route("/pending/<int:exchange_id>/decline", methods=["GET", "POST"])
def decline(exchange_id: int):
    """Declining for a member, with a reason the member who logged it will read."""
    db, slug = database(), _slug()
    exchange = ledger.get_exchange(db, slug, exchange_id)
    names = _names()
    if exchange.state != "pending":
        flash(f"Nothing was changed: {_in_words(exchange, names)} is no longer waiting.", "error")
        return redirect(url_for("coordinator.pending"))
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            ledger.decline_exchange(db, slug, exchange_id, member_id=None, settled_by=_recorded_by(),
                                    reason=form.reason.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "reason"})
        else:
            flash(f"Declined: {_in_words(exchange, names)}. No balance has changed.", "success")
            return redirect(url_for("coordinator.pending"))
    return _render("coordinator/decline.html", 400 if form.errors else 200, form=form, x=exchange,
                   words=_in_words(exchange, names), logged_by=names.get(exchange.initiated_by_member_id, "a member"))


def _exchanges_page(status: int = 200, form=None, failed_id: int | None = None):
    search, found = _exchange_search()
    names = _names(found.items if found else [])
    return _render("coordinator/exchanges.html", status if found is not None else 400,
                   rows=_rows(found.items if found else [], names), found=found, search=search,
                   category_names=dict(banks.list_categories(database(), _slug())),
                   form=form or ReverseForm(formdata=None), failed_id=failed_id, page_key=new_key(),
                   here=request.full_path)


@blueprint.route("/exchanges", methods=["GET"])
def exchanges():
    return _exchanges_page()


def _reverse_page(exchange_id: int, status: int = 200, form=None):
    exchange = ledger.get_exchange(database(), _slug(), exchange_id)
    names = _names([exchange])
    return _render("coordinator/reverse.html", status, x=exchange, sides=sides(exchange, names),
                   category_names=dict(banks.list_categories(database(), _slug())),
                   form=form or ReverseForm(formdata=None, back=request.args.get("back", "")))




@blueprint.route("/exchanges/<int:exchange_id>/reverse", methods=["GET", "POST"])
def reverse(exchange_id: int):
    """GET: one exchange and a reason box, to reverse it from anywhere (a member's
    statement); POST: reverse it."""
    if request.method == "GET":
        return _reverse_page(exchange_id)
    ledger.get_exchange(database(), _slug(), exchange_id)  # another bank's exchange: 404, before the form
    form = ReverseForm()
    if form.validate_on_submit():
        try:
            reversed_ = ledger.reverse_exchange(database(), exchange_id, reason=form.reason.data,
                                    recorded_by=_recorded_by(), bank_slug=_slug(),
                                    idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.ReasonRequired: "reason"})
        else:
            original = ledger.get_exchange(database(), _slug(), exchange_id)
            words = (_in_words(original, _names([original])) if original.receiver_member_id is not None
                     else f"{format_minutes(original.amount_minutes)} (exchange {exchange_id})")
            outcome = ("It was already reversed: nothing more changed." if reversed_.replayed
                       else "The balances are put back.")
            message = f"Exchange {exchange_id} is reversed: {words}, on {format_day(original.given_on)}. {outcome}"
            if original.kind == "exchange" and not reversed_.replayed:
                # Most mistakes are a wrong day or hours: the right one is a form away, filled in.
                again = url_for("coordinator.log", provider=original.provider_member_id,
                                receiver=original.receiver_member_id, day=original.given_on.isoformat(),
                                hours=format_minutes(original.amount_minutes), category=original.category or None,
                                what=original.description or None)
                _flash_with_links(message, (again, "Log it again, put right", f" (exchange {exchange_id})"))
            else:
                flash(message, "success")
            return redirect(_back(form.back.data, url_for("coordinator.exchanges")))
    if form.back.data:
        return _reverse_page(exchange_id, 400, form)
    return _exchanges_page(400, form, exchange_id)


# ---------------------------------------------------------------- who to call this week


def _calls_page(status: int = 200, form=None, failed_id: int | None = None):
    calls = contact_log.who_to_call(database(), _slug())
    to_tell = notices.to_tell(database(), _slug(), base_url=notice_base_url())
    return _render("coordinator/calls.html", status, calls=calls, form=form or NoteForm(formdata=None),
                   failed_id=failed_id, page_key=new_key(), label=member_label, to_tell=to_tell)


@blueprint.route("/calls", methods=["GET"])
def calls():
    return _calls_page()


# ---------------------------------------------------------------- the bank's settings


@blueprint.route("/settings", methods=["GET", "POST"])
def settings():
    db, slug = database(), _slug()
    bank = banks.get_bank(db, slug)
    if request.method == "GET":
        form = SettingsForm(formdata=None, floor=format_minutes(-bank.floor_minutes),
                            ceiling=format_minutes(bank.ceiling_minutes),
                            confirmation="yes" if bank.member_exchanges_need_confirmation else "no",
                            expiry_months=str(bank.expiry_months), contact_phone=bank.contact_phone or "")
    else:
        form = SettingsForm()
        if form.validate_on_submit():
            listed_before = banks.listed_now(db, slug)
            try:
                banks.update_settings(db, slug, floor_minutes=-form.floor.minutes,
                                      ceiling_minutes=form.ceiling.minutes,
                                      need_confirmation=form.confirmation.data == "yes",
                                      limits_confirmed=form.limits_confirmed.data,
                                      expiry_months=form.expiry_months.months,
                                      contact_phone=form.contact_phone.data if form.contact_phone.raw_data else None)
            except domain.TimebankError as error:
                place(form, error, {domain.InvalidLimits: "floor", domain.InvalidExpiryPeriod: "expiry_months",
                                    domain.LimitsLeaveMembersOutside: "limits_confirmed",
                                    domain.PhoneInvalid: "contact_phone"})
            else:
                flash("The bank's settings are saved." + _listing_change(bank.expiry_months, form.expiry_months.months,
                                                                          listed_before, banks.listed_now(db, slug)),
                      "success")
                return redirect(url_for("coordinator.settings"))
    return _render("coordinator/settings.html", _status(form), form=form, bank=bank)


def _listing_change(months_before: int, months_now: int | None, listed_before: int, listed_now: int) -> str:
    """What a new listing period did to the lists, said at once: a longer one brings back
    requests and offers that had left, a shorter one takes some off without a week's notice."""
    if months_now is None or months_now == months_before:
        return ""
    change = listed_now - listed_before
    things = "request or offer" if abs(change) == 1 else "requests or offers"
    if change > 0:
        said = f" {change} {things} that had left the lists {'is' if change == 1 else 'are'} listed again"
    elif change < 0:
        said = f" {-change} {things} left the lists now, without the usual week's notice to their members"
    else:
        said = " No request or offer joined or left the lists"
    return f"{said} ({listed_now} listed now)."


# ---------------------------------------------------------------- staff second factors


@blueprint.route("/staff", methods=["GET"])
def staff():
    """The bank's staff, and whether each has set up a second factor."""
    return _render("coordinator/staff.html", staff=second_factor.staff_factors(database(), _slug()))


@blueprint.route("/staff/<int:user_id>/reset-second-factor", methods=["POST"])
def reset_staff_factor(user_id: int):
    """For staff who lost their phone: they set up a new app at their next sign-in."""
    reset = second_factor.reset_factor(database(), _slug(), reset_by=current_user.user.id, user_id=user_id)
    flash(f"{reset.name}'s second factor is reset: they are signed out, and set up their "
          "authenticator app again when they next sign in.", "success")
    return redirect(url_for("coordinator.staff"))
