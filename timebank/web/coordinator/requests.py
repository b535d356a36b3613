"""The coordinator's page of open requests, answers and offers: how long each has waited
and on whom, and every step of a request done for a member without email or sign-in
(ask, answer, choose, log the hours, withdraw, close).

Registered on the coordinator blueprint; the views call one service each.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from timebank.domain import errors as domain
from timebank.domain.help import asked_directly
from timebank.services import banks, helping, members, requests_offers
from timebank.web.coordinator import blueprint
from timebank.web.coordinator.requests_forms import (
    AnswerForForm,
    AskForForm,
    AskPersonForForm,
    ConfirmForm,
    ContactForForm,
    RenewForForm,
    RequestHoursForForm,
)
from timebank.web.extensions import database
from timebank.web.forms import options
from timebank.web.member.forms import WHERE_HINT, BrowseForm
from timebank.web.refusals import place, told
from timebank.web.renewals import renew_listing
from timebank.web.widgets import quick_select
from timebank.web.words import day

HOURS_FIELDS = {
    domain.InvalidHours: "hours", domain.ExchangeTooLong: "hours", domain.BalanceBelowFloor: "hours",
    domain.BalanceAboveCeiling: "hours", domain.DayInFuture: "day", domain.InvalidDay: "day",
}


def _slug() -> str:
    return current_user.bank_slug


def _page() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and len(text) < 7 else 1


def _member_choices(exclude: int | None = None) -> list[SelectChoice]:
    people = members.member_names(database(), _slug(), status="active")
    return [SelectChoice("", "Choose a member")] + [
        SelectChoice(m.id, f"{m.name}{', ' + m.area if m.area else ''} (#{m.id})") for m in people
        if m.id != exclude]


def _category_choices() -> list[SelectChoice]:
    return [SelectChoice("", "Not sure")] + [
        SelectChoice(slug, name) for slug, name in banks.list_categories(database(), _slug())]


@blueprint.get("/requests")
def requests():
    db, slug = database(), _slug()
    form = BrowseForm(request.args)
    form.category.choices = options([("", "Any kind of help")] + banks.list_categories(db, slug))
    form.area.choices = options([("", "Any area")] + [(a, a) for a in members.active_areas(db, slug)])
    # A refused filter (a control character, too long) filters nothing; its error is shown.
    filters = ({"category": None, "area": None, "words": None} if not form.validate() else
               {"category": form.category.data or None, "area": form.area.data or None,
                "words": " ".join((form.words.data or "").split()) or None})
    return render_template("coordinator/requests/list.html", form=form, filters=filters,
                           # The pager's links keep the filters: page 2 is page 2 of these.
                           args={k: v for k, v in filters.items() if v},
                           page=helping.coordinator_requests(db, slug, page=_page(), **filters),
                           expired=helping.expired_listings(db, slug), renew_form=RenewForForm(formdata=None))


@blueprint.get("/offers")
def offers():
    db, slug = database(), _slug()
    return render_template("coordinator/requests/offers.html",
                           page=helping.coordinator_offers(db, slug, page=_page()))


def request_page(request_id: int):
    return _request_page(request_id)


def _request_page(request_id: int, answer_form: AnswerForForm | None = None, refusal: str | None = None,
                  http_status: int = 200):
    db, slug = database(), _slug()
    detail = helping.request_detail(db, slug, request_id, viewer_id=None)
    if answer_form is None:
        answer_form = AnswerForForm(formdata=None)
    answered = {a.member_id for a in detail.answers}
    quick_select(answer_form.member)
    answer_form.member.choices = [c for c in _member_choices(exclude=detail.member_id)
                                  if c.value not in answered]
    return render_template(
        "coordinator/requests/request.html", r=detail, answer_form=answer_form, form=ConfirmForm(),
        renew_form=RenewForForm(formdata=None),
        no_sign_in=helping.without_sign_in(db, slug), refusal=refusal), http_status


blueprint.add_url_rule("/requests/<int:request_id>", endpoint="request", view_func=request_page)


@blueprint.route("/requests/new", methods=["GET", "POST"])
def ask_for():
    db, slug = database(), _slug()
    form = AskForForm()
    form.member.choices = _member_choices()
    quick_select(form.member)
    form.category.choices = _category_choices()
    if request.method == "GET" and request.args.get("member", "").isdigit():
        form.member.data = int(request.args["member"])
    if form.validate_on_submit():
        try:
            made = requests_offers.ask_for_help(
                db, slug, member_id=form.member.data, what=form.what.data, category=form.category.data,
                when_text=form.when_text.data, where_text=form.where_text.data,
                helper_notes=form.helper_notes.data, idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.UnknownMember: "member", domain.UnknownCategory: "category",
                                domain.InvalidInput: "what"})
        else:
            flash(f"The request for {made.member_name} is on the list. Members can now offer to help.", "success")
            return redirect(url_for("coordinator.request", request_id=made.id))
    return (render_template("coordinator/requests/ask.html", form=form, where_hint=WHERE_HINT),
            400 if form.errors else 200)


@blueprint.post("/requests/<int:request_id>/answer")
def answer_for(request_id: int):
    db, slug = database(), _slug()
    form = AnswerForForm()
    detail = helping.request_detail(db, slug, request_id, viewer_id=None)
    form.member.choices = _member_choices(exclude=detail.member_id)
    quick_select(form.member)
    if form.validate_on_submit():
        try:
            helping.answer_for(db, slug, request_id, answerer_id=form.member.data, message=form.message.data)
        except domain.TimebankError as error:
            place(form, error, {domain.UnknownMember: "member", domain.InvalidInput: "message",
                                domain.NotAllowed: "member", domain.Conflict: "member"})
        else:
            flash("The answer is recorded.", "success")
            return redirect(url_for("coordinator.request", request_id=request_id))
    return _request_page(request_id, answer_form=form, http_status=400)


@blueprint.post("/requests/<int:request_id>/choose/<int:answer_id>")
def choose_for(request_id: int, answer_id: int):
    db, slug = database(), _slug()
    if not ConfirmForm().validate_on_submit():
        return _request_page(request_id, refusal="Nothing was changed: this page had expired. Please try again.",
                             http_status=400)
    try:
        chosen = helping.choose_helper(db, slug, request_id, answer_id, member_id=None)
    except domain.TimebankError as error:
        return _request_page(request_id, refusal=f"Nothing was changed. {told(error)}",
                             http_status=error.http_status)
    unsigned = helping.without_sign_in(db, slug)
    tell = [n for i, n in ((chosen.member_id, chosen.member_name),
                           (chosen.chosen.member_id, chosen.chosen.member_name)) if i in unsigned]
    helper, asker = chosen.chosen.member_name, chosen.member_name
    # Asked directly, the member's own yes (passed on by the coordinator): nobody chose them.
    said = (f"You said yes for {helper}: {helper} helps {asker}."
            if asked_directly(chosen.addressed_to_member_id, chosen.chosen.member_id)
            else f"{helper} is chosen to help {asker}.")
    flash(said + (f" Please tell {' and '.join(tell)}: they have no sign-in." if tell else ""), "success")
    return redirect(url_for("coordinator.request", request_id=request_id))


@blueprint.route("/requests/<int:request_id>/hours", methods=["GET", "POST"])
def request_hours(request_id: int):
    db, slug = database(), _slug()
    detail = helping.request_detail(db, slug, request_id, viewer_id=None)
    form = RequestHoursForForm()
    if form.validate_on_submit():
        try:
            helping.log_hours_from_request(
                db, slug, request_id, minutes=form.hours.minutes, given_on=form.day.day,
                acting_member_id=None, recorded_by=f"coordinator:{current_user.user.id}",
                idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, HOURS_FIELDS)
        else:
            flash(f"Recorded: {form.hours.data.strip()} from {detail.chosen.member_name} to "
                  f"{detail.member_name}. The request is closed.", "success")
            return redirect(url_for("coordinator.requests"))
    return (render_template("coordinator/requests/hours.html", form=form, r=detail),
            400 if form.errors else 200)


def _confirmed(request_id: int, action, done, title, question, button, **kwargs):
    """Asks first (GET), acts on the answer (POST). The words may depend on the request:
    then each is a function of it."""
    db, slug = database(), _slug()
    detail = helping.request_detail(db, slug, request_id, viewer_id=None)
    done, title, question, button = (w(detail) if callable(w) else w for w in (done, title, question, button))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            action(db, slug, request_id, **kwargs)
        except domain.TimebankError as error:
            flash(f"Nothing was changed. {told(error)}", "error")
        else:
            flash(done, "success")
        return redirect(url_for("coordinator.request", request_id=request_id))
    return render_template("coordinator/requests/confirm.html", form=form, title=title, question=question,
                           button=button, r=detail)


@blueprint.route("/requests/<int:request_id>/close", methods=["GET", "POST"])
def close_request(request_id: int):
    return _confirmed(request_id, requests_offers.close_request, "The request is closed.",
                      "Close this request?", "It leaves the list, and nobody can answer it any more.",
                      "Yes, close the request", member_id=None)


def _answerer() -> int:
    text = request.args.get("member", "")
    if not text.isdigit() or len(text) > 12:
        raise domain.UnknownMember("Choose a member who answered.")
    return int(text)


@blueprint.route("/requests/<int:request_id>/withdraw", methods=["GET", "POST"])
def withdraw_answer(request_id: int):
    answerer = _answerer()

    def addressed(r) -> bool:
        return asked_directly(r.addressed_to_member_id, answerer)

    def name(r) -> str:
        answer = r.answer_of(answerer)
        if answer is None:
            raise domain.UnknownRequest("There is no answer of this member to this request.")
        return answer.member_name

    def done(r) -> str:
        if addressed(r):
            return (f"{name(r)}’s yes is taken back: {r.member_name} is told, and {name(r)} is asked again "
                    "(they can say yes or no).")
        return f"The answer of {name(r)} is withdrawn."

    def question(r) -> str:
        if addressed(r):
            return (f"Take back {name(r)}’s yes to {r.member_name}? {r.member_name} will be told {name(r)} "
                    f"can no longer help, and {name(r)} is asked again: they can say yes later, or no.")
        if r.chosen is not None and r.chosen.member_id == answerer:
            return (f"{name(r)} will no longer be {r.member_name}’s helper. {r.member_name} will be told, "
                    "and can choose someone else who offered.")
        return f"{name(r)} will no longer be offered as a helper to {r.member_name}."

    return _confirmed(request_id, helping.withdraw_answer, done,
                      lambda r: "Take back their yes?" if addressed(r) else "Withdraw this answer?", question,
                      lambda r: "Yes, take back their yes" if addressed(r) else "Yes, withdraw the answer",
                      answerer_id=answerer, acting_member_id=None)


@blueprint.route("/requests/<int:request_id>/decline", methods=["GET", "POST"])
def decline_asked(request_id: int):
    return _confirmed(request_id, helping.decline_asked, "They said no; the request is closed.",
                      "Say no for them?", "The request will close, and the member who asked sees the answer.",
                      "Yes, they cannot help this time", answerer_id=_answerer(), acting_member_id=None)


@blueprint.route("/offers/<int:offer_id>/ask", methods=["GET", "POST"])
def ask_person_for(offer_id: int):
    db, slug = database(), _slug()
    offer = next((o for o in requests_offers.list_offers(db, slug) if o.id == offer_id), None)
    if offer is None:
        raise domain.UnknownOffer(f"There is no current offer number {offer_id}.")
    form = AskPersonForForm()
    form.member.choices = _member_choices(exclude=offer.member_id)
    quick_select(form.member)
    if form.validate_on_submit():
        try:
            made = helping.ask_this_person(db, slug, offer_id, member_id=form.member.data, what=form.what.data,
                                           when_text=form.when_text.data, idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.UnknownMember: "member", domain.NotAllowed: "member",
                                domain.InvalidInput: "what"})
        else:
            flash(f"{made.member_name} asks {offer.member_name}.", "success")
            return redirect(url_for("coordinator.request", request_id=made.id))
    return (render_template("coordinator/requests/ask_person.html", form=form, offer=offer),
            400 if form.errors else 200)


@blueprint.route("/members/<int:member_id>/contact", methods=["GET", "POST"])
def member_contact(member_id: int):
    db, slug = database(), _slug()
    sharing = helping.contact_sharing(db, slug, member_id)
    form = ContactForForm(data={"share_phone": sharing.share_phone, "share_email": sharing.share_email})
    if form.validate_on_submit():
        helping.set_contact_sharing(db, slug, member_id, share_phone=form.share_phone.data,
                                    share_email=form.share_email.data)
        flash(f"Saved: what {sharing.name} agrees to share.", "success")
        return redirect(url_for("coordinator.member_contact", member_id=member_id))
    return render_template("coordinator/requests/contact.html", form=form, sharing=sharing)


def _renew_for(renew, find, row_id: int, back: str):
    """Renewed for a member (one without a sign-in, above all): listed again from today."""
    return renew_listing(renew, find, row_id, form=RenewForForm(), member_id=None, back=back,
                         said=lambda renewed: f"Renewed for {renewed.member_name}: listed again until "
                                              f"{day(renewed.expires_on)}.")


def _find_request(db, slug, request_id: int, *, seen_by: None):
    return helping.request_detail(db, slug, request_id, viewer_id=seen_by)


@blueprint.post("/requests/<int:request_id>/renew")
def renew_request_for(request_id: int):
    return _renew_for(requests_offers.renew_request, _find_request, request_id,
                      url_for("coordinator.request", request_id=request_id))


@blueprint.post("/offers/<int:offer_id>/renew")
def renew_offer_for(offer_id: int):
    return _renew_for(requests_offers.renew_offer, requests_offers.get_offer, offer_id,
                      url_for("coordinator.requests") + "#expired")
