"""A member's requests from "I can help" to help given: choosing a helper, seeing how to
reach them, logging the hours from the request; their answers; asking the person behind
an offer; changing or withdrawing what they wrote (each withdrawal asks first); and what
the member they are put in touch with may see of them.

As in routes.py, whose data is shown comes from `current_user` only; a request, answer
or offer named in a URL is looked up by the service inside the member's bank.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.domain.help import asked_directly, who_cannot_be_reached
from timebank.services import banks, helping, requests_offers
from timebank.web.extensions import database
from timebank.web.forms import options
from timebank.web.member import blueprint
from timebank.web.member.forms import (
    NOT_SURE,
    WHERE_HINT,
    AnswerForm,
    AskForm,
    AskPersonForm,
    ConfirmForm,
    ContactForm,
    OfferForm,
    RenewForm,
    RequestHoursForm,
)
from timebank.web.refusals import place, told
from timebank.web.renewals import renew_listing
from timebank.web.words import day

HOURS_FIELDS = {
    domain.InvalidHours: "hours", domain.ExchangeTooLong: "hours", domain.BalanceBelowFloor: "hours",
    domain.BalanceAboveCeiling: "hours", domain.DayInFuture: "day", domain.InvalidDay: "day",
}
REQUEST_FIELDS = {domain.UnknownCategory: "category", domain.InvalidInput: "what"}


def _me() -> tuple:
    return database(), current_user.bank_slug, current_user.member_id


def _category_choices(db, slug):
    return options([NOT_SURE] + banks.list_categories(db, slug))


def _no_sign_in(db, slug, member_id: int) -> bool:
    return member_id in helping.without_sign_in(db, slug)


def _confirm(title: str, question: str, button: str, back: str, detail: str | None = None):
    return render_template("member/confirm.html", form=ConfirmForm(), title=title, question=question,
                           button=button, back=back, detail=detail)


# ---------------------------------------------------------------- my requests


@blueprint.get("/requests")
def requests():
    db, slug, me = _me()
    return render_template("member/requests.html", requests=helping.my_requests(db, slug, me), form=ConfirmForm(),
                           no_sign_in=helping.without_sign_in(db, slug), renew_form=RenewForm(formdata=None))


@blueprint.post("/requests/<int:request_id>/choose/<int:answer_id>")
def choose(request_id: int, answer_id: int):
    db, slug, me = _me()
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("Nothing was changed. This page had expired: please try again.", "error")
        return redirect(url_for("member.requests"))
    try:
        chosen = helping.choose_helper(db, slug, request_id, answer_id, member_id=me)
    except domain.TimebankError as error:
        # Not this member's request, or no such answer: a page of its own (403, 404).
        # Anything else (withdrawn, already chosen): said on the list, nothing written.
        refusal = f"Nothing was changed. {told(error)}"
        return render_template("member/requests.html", requests=helping.my_requests(db, slug, me),
                               renew_form=RenewForm(formdata=None),
                               form=ConfirmForm(),
                               no_sign_in=helping.without_sign_in(db, slug), refusal=refusal), error.http_status
    name = chosen.chosen.member_name
    if _no_sign_in(db, slug, chosen.chosen.member_id):
        flash(f"You chose {name}. {name} has no sign-in: the coordinator will pass this on.", "success")
    else:
        flash(f"You chose {name}. You can now see how to reach each other.", "success")
    return redirect(url_for("member.requests") + f"#request-{request_id}")


@blueprint.route("/requests/<int:request_id>/hours", methods=["GET", "POST"])
def request_hours(request_id: int):
    db, slug, me = _me()
    request = helping.request_detail(db, slug, request_id, viewer_id=me)
    form = RequestHoursForm()
    if form.validate_on_submit():
        try:
            exchange = helping.log_hours_from_request(
                db, slug, request_id, minutes=form.hours.minutes, given_on=form.day.day,
                acting_member_id=me, recorded_by=f"member:{me}", idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, HOURS_FIELDS)
        else:
            other = exchange.receiver_member_id if exchange.provider_member_id == me else exchange.provider_member_id
            name = request.member_name if other == request.member_id else request.chosen.member_name
            if exchange.state != "pending":
                flash("Thank you. The hours are recorded and the request is closed.", "success")
            elif _no_sign_in(db, slug, other):
                flash(f"Thank you. The request is closed. {name} has no sign-in: "
                      "the coordinator will confirm the hours with them.", "success")
            else:
                flash(f"Thank you. The request is closed. The hours wait for {name} to confirm them.",
                      "success")
            return redirect(url_for("member.home"))
    return (render_template("member/request_hours.html", form=form, request=request),
            400 if form.errors else 200)


@blueprint.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
def edit_request(request_id: int):
    db, slug, me = _me()
    request = helping.request_detail(db, slug, request_id, viewer_id=me)
    if request.member_id != me:
        raise domain.NotAllowed("Only the member who asked can change this request.")
    form = AskForm(data=dict(what=request.what, category=request.category or "", when_text=request.when_text,
                             where_text=request.where_text, helper_notes=request.helper_notes))
    form.category.choices = _category_choices(db, slug)
    if form.validate_on_submit():
        try:
            helping.edit_request(db, slug, request_id, member_id=me, what=form.what.data,
                                 category=form.category.data, when_text=form.when_text.data,
                                 where_text=form.where_text.data, helper_notes=form.helper_notes.data)
        except domain.TimebankError as error:
            place(form, error, REQUEST_FIELDS)
        else:
            flash("Your request is changed.", "success")
            return redirect(url_for("member.requests"))
    return (render_template("member/edit_request.html", form=form, where_hint=WHERE_HINT),
            400 if form.errors else 200)


@blueprint.route("/requests/<int:request_id>/close", methods=["GET", "POST"])
def close_request(request_id: int):
    """Asks first (GET), closes on the answer (POST)."""
    db, slug, me = _me()
    if ConfirmForm().validate_on_submit():
        requests_offers.close_request(db, slug, request_id, member_id=me)
        flash("Your request is closed. It no longer shows on the list.", "success")
        return redirect(url_for("member.requests"))
    request = helping.request_detail(db, slug, request_id, viewer_id=me)
    if request.member_id != me:
        raise domain.NotAllowed("Only the member who asked can close this request.")
    return _confirm("Close this request?", "Do you want to close this request?", "Yes, close it",
                    url_for("member.requests"), request.what)


# ---------------------------------------------------------------- my answers


@blueprint.get("/answers")
def answers():
    db, slug, me = _me()
    return render_template("member/answers.html", answered=helping.my_answers(db, slug, me),
                           form=ConfirmForm(), no_sign_in=helping.without_sign_in(db, slug))


@blueprint.post("/answers/<int:request_id>/accept")
def accept(request_id: int):
    db, slug, me = _me()
    if not ConfirmForm().validate_on_submit():
        flash("Nothing was changed. This page had expired: please try again.", "error")
        return redirect(url_for("member.answers"))
    try:
        detail = helping.answer_for(db, slug, request_id, answerer_id=me, accept=True)
    except domain.TimebankError as error:
        flash(told(error), "error")
    else:
        flash(_said_yes(detail), "success")
    return redirect(url_for("member.answers"))


def _said_yes(detail) -> str:
    """The thanks for a yes, saying who can now reach whom (`who_cannot_be_reached`)."""
    asker = detail.member_name
    if detail.asker_contact is None or detail.helper_contact is None:
        return f"Thank you. You said yes to {asker}."
    share = "You can choose what to share on “How others can reach you”."
    cannot_reach = who_cannot_be_reached(detail.asker_contact, detail.helper_contact)
    if cannot_reach == "both":
        return (f"Thank you. Neither you nor {asker} shares a phone or email, so your coordinator will put "
                f"you in touch with {asker}. {share}")
    if cannot_reach == "helper":
        return (f"Thank you. You can now see how to reach {asker}. You share no phone or email, so they "
                f"cannot reach you: your coordinator will put you in touch with {asker}. {share}")
    if cannot_reach == "asker":
        return (f"Thank you. {asker} can now see how to reach you. {asker} shares no phone or email, so "
                f"your coordinator will put you in touch.")
    return f"Thank you. {asker} can now see how to reach you, and you them."


def _answer_action(request_id: int, action, done, title, question, button):
    """Asks first (GET), acts on the answer (POST). The words may depend on the request and
    this member's answer: then each is a function of the two."""
    db, slug, me = _me()
    request = helping.request_detail(db, slug, request_id, viewer_id=me)
    mine = request.answer_of(me)
    if mine is None:
        raise domain.UnknownRequest("There is no answer of yours to this request.")
    done, title, question, button = (w(request, mine) if callable(w) else w for w in (done, title, question, button))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            action(db, slug, request_id, answerer_id=me, acting_member_id=me)
        except domain.TimebankError as error:
            flash(f"Nothing was changed. {told(error)}", "error")
        else:
            flash(done, "success")
        return redirect(url_for("member.answers"))
    return _confirm(title, question, button, url_for("member.answers"), request.what)


def _taking_back_a_yes(request, mine) -> bool:
    return asked_directly(request.addressed_to_member_id, mine.member_id)


@blueprint.route("/answers/<int:request_id>/withdraw", methods=["GET", "POST"])
def withdraw_answer(request_id: int):
    def done(r, mine):
        if _taking_back_a_yes(r, mine):
            return (f"Your yes is taken back. {r.member_name} is told. If you can help after all, "
                    "you can still say yes, or no.")
        return "Your answer is withdrawn."

    def question(r, mine):
        if _taking_back_a_yes(r, mine):
            return (f"Do you want to take back your yes to {r.member_name}? {r.member_name} will be told "
                    "you can no longer help. You can say yes again later, or no.")
        if mine.status == "chosen":
            return (f"Do you want to take back “I can help”? {r.member_name} chose you: they will be told "
                    "you can no longer help, and can choose someone else.")
        return f"Do you want to take back “I can help” to {r.member_name}?"

    return _answer_action(
        request_id, helping.withdraw_answer, done,
        lambda r, mine: "Take back your yes?" if _taking_back_a_yes(r, mine) else "Withdraw your answer?",
        question,
        lambda r, mine: "Yes, take back my yes" if _taking_back_a_yes(r, mine) else "Yes, withdraw my answer")


@blueprint.route("/answers/<int:request_id>/decline", methods=["GET", "POST"])
def decline_asked(request_id: int):
    return _answer_action(request_id, helping.decline_asked, "You said no. Thank you for letting them know.",
                          "Say no to this request?", "Do you want to say you cannot help this time?",
                          "Yes, I cannot help this time")


@blueprint.route("/answers/<int:request_id>/edit", methods=["GET", "POST"])
def edit_answer(request_id: int):
    db, slug, me = _me()
    request = helping.request_detail(db, slug, request_id, viewer_id=me)
    mine = request.answer_of(me)
    if mine is None:
        raise domain.UnknownRequest("There is no answer of yours to this request.")
    form = AnswerForm(data={"message": mine.message})
    if form.validate_on_submit():
        try:
            helping.edit_answer(db, slug, request_id, answerer_id=me, message=form.message.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "message"})
        else:
            flash("Your message is changed.", "success")
            return redirect(url_for("member.answers"))
    return (render_template("member/edit_answer.html", form=form, request=request),
            400 if form.errors else 200)


# ---------------------------------------------------------------- offers


@blueprint.route("/offers/<int:offer_id>/ask", methods=["GET", "POST"])
def ask_person(offer_id: int):
    db, slug, me = _me()
    offer = next((o for o in requests_offers.list_offers(db, slug) if o.id == offer_id), None)
    if offer is None or offer.member_id == me:
        raise domain.UnknownOffer(f"There is no offer number {offer_id} to ask about.")
    form = AskPersonForm()
    no_sign_in = _no_sign_in(db, slug, offer.member_id)
    if form.validate_on_submit():
        try:
            helping.ask_this_person(db, slug, offer_id, member_id=me, what=form.what.data,
                                    when_text=form.when_text.data, where_text=form.where_text.data,
                                    idempotency_key=form.idempotency_key.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "what"})
        else:
            if no_sign_in:
                flash(f"Thank you. {offer.member_name} has no sign-in: the coordinator will pass this on.",
                      "success")
            else:
                flash(f"Thank you. {offer.member_name} will see your request and say yes or no.", "success")
            return redirect(url_for("member.requests"))
    return (render_template("member/ask_person.html", form=form, offer=offer, where_hint=WHERE_HINT,
                            no_sign_in=no_sign_in),
            400 if form.errors else 200)


@blueprint.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
def edit_offer(offer_id: int):
    db, slug, me = _me()
    offer = next((o for o in requests_offers.member_offers(db, slug, me) if o.id == offer_id and o.active), None)
    if offer is None:
        raise domain.UnknownOffer(f"There is no offer number {offer_id} of yours.")
    form = OfferForm(data={"description": offer.description, "category": offer.category or ""})
    form.category.choices = _category_choices(db, slug)
    if form.validate_on_submit():
        try:
            helping.edit_offer(db, slug, offer_id, member_id=me, description=form.description.data,
                               category=form.category.data)
        except domain.TimebankError as error:
            place(form, error, {domain.UnknownCategory: "category", domain.InvalidInput: "description"})
        else:
            flash("Your offer is changed.", "success")
            return redirect(url_for("member.offer"))
    return render_template("member/edit_offer.html", form=form), 400 if form.errors else 200


@blueprint.route("/offers/<int:offer_id>/withdraw", methods=["GET", "POST"])
def withdraw_offer(offer_id: int):
    """Asks first (GET), withdraws on the answer (POST)."""
    db, slug, me = _me()
    if ConfirmForm().validate_on_submit():
        requests_offers.withdraw_offer(db, slug, offer_id, member_id=me)
        flash("Your offer is withdrawn. Other members no longer see it.", "success")
        return redirect(url_for("member.offer"))
    offer = next((o for o in requests_offers.member_offers(db, slug, me) if o.id == offer_id and o.active), None)
    if offer is None:
        raise domain.UnknownOffer(f"There is no offer number {offer_id} of yours.")
    return _confirm("Withdraw this offer?", "Do you want to withdraw this offer?", "Yes, withdraw it",
                    url_for("member.offer"), offer.description)


# ---------------------------------------------------------------- renewing what expired


def _renew(renew, find, row_id: int, back: str, words: str):
    return renew_listing(renew, find, row_id, form=RenewForm(), member_id=current_user.member_id, back=back,
                         said=lambda renewed: f"Renewed: your {words} is listed again until "
                                              f"{day(renewed.expires_on)}.")


def _find_request(db, slug, request_id: int, *, seen_by: int | None):
    return helping.request_detail(db, slug, request_id, viewer_id=seen_by)


@blueprint.post("/requests/<int:request_id>/renew")
def renew_request(request_id: int):
    return _renew(requests_offers.renew_request, _find_request, request_id, url_for("member.requests"), "request")


@blueprint.post("/offers/<int:offer_id>/renew")
def renew_offer(offer_id: int):
    return _renew(requests_offers.renew_offer, requests_offers.get_offer, offer_id, url_for("member.offer"), "offer")


# ---------------------------------------------------------------- how others can reach me


@blueprint.route("/contact", methods=["GET", "POST"])
def contact():
    db, slug, me = _me()
    sharing = helping.contact_sharing(db, slug, me)
    form = ContactForm(data={"share_phone": sharing.share_phone, "share_email": sharing.share_email})
    if form.validate_on_submit():
        helping.set_contact_sharing(db, slug, me, share_phone=form.share_phone.data,
                                    share_email=form.share_email.data)
        flash("Thank you. Your choice is saved.", "success")
        return redirect(url_for("member.contact"))
    return render_template("member/contact.html", form=form, sharing=sharing), 400 if form.errors else 200
