"""Members' pages: one thing per page, in plain words, for the signed-in member only.

Every view reads `current_user.member_id` and `current_user.bank_slug` and nothing else
to decide whose data it shows: no URL takes a member id. Objects named in a URL
(an exchange, a request, an offer) are looked up by the service inside the member's
bank, so another bank's number is answered as if it did not exist.
"""
from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from timebank.domain import errors as domain
from timebank.domain.help import may_still_answer
from timebank.domain.hours import parse_hours
from timebank.domain.members import labels_told_apart
from timebank.domain.members_words import in_members_words
from timebank.services import banks, helping, ledger, members, requests_offers
from timebank.services.ledger.statements import statement_for_period
from timebank.web.extensions import database
from timebank.web.forms import options
from timebank.web.member import blueprint
from timebank.web.member.forms import (
    NOT_SURE,
    WHERE_HINT,
    AnswerForm,
    AskForm,
    BrowseForm,
    DeclineForm,
    LogForm,
    OfferForm,
    RenewForm,
)
from timebank.web.refusals import add_error, place, told
from timebank.web.statement_period import chosen_period, statement_pdf_response
from timebank.web.widgets import quick_select

# Which field a refusal belongs beside; a class not listed goes in the summary only.
LOG_FIELDS = {
    domain.InvalidHours: "hours",
    domain.ExchangeTooLong: "hours",
    domain.BalanceBelowFloor: "hours",
    domain.BalanceAboveCeiling: "hours",
    domain.DayInFuture: "day",
    domain.InvalidDay: "day",
    domain.DayLongAgo: "long_ago",
    domain.LooksLikeDuplicate: "again",
    domain.SameMemberOnBothSides: "other_member",
    domain.MemberNotActive: "other_member",
    domain.UnknownMember: "other_member",
    domain.MemberOfAnotherBank: "other_member",
    domain.UnknownCategory: "category",
    domain.InvalidInput: "description",
}
ASK_FIELDS = {domain.UnknownCategory: "category", domain.InvalidInput: "what", domain.LooksLikeDuplicate: "again"}
OFFER_FIELDS = {domain.UnknownCategory: "category", domain.InvalidInput: "description",
                domain.LooksLikeDuplicate: "again"}
ANSWER_FIELDS = {domain.InvalidInput: "message"}
CHOOSE_FROM_THE_LIST = "Choose a member from the list"


def _me() -> tuple:
    return database(), current_user.bank_slug, current_user.member_id


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _refused(form) -> bool:
    return bool(form.errors)


def _category_choices(db, slug) -> list[tuple[str, str]]:
    return options([NOT_SURE] + banks.list_categories(db, slug))


# ---------------------------------------------------------------- reading


@blueprint.get("/")
def home():
    db, slug, me = _me()
    pending = ledger.list_exchanges(db, slug, member_id=me, state="pending")
    # As "My requests for help" reads them: where each stands says the same on both pages.
    requests = [r for r in helping.my_requests(db, slug, me) if r.status == "open"]
    asked_of_me = [a for a in helping.my_answers(db, slug, me) if a.answer.status == "asked"
                   and a.request.status == "open"]
    # Declined in the last 30 days, of those this member logged: they see who and why.
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    declined = [e for e in ledger.list_exchanges(db, slug, member_id=me, state="declined", limit=50)
                if e.initiated_by_member_id == me and e.settled_at is not None and _aware(e.settled_at) >= since]
    # Only the names the page shows: the other side of each waiting or declined exchange.
    shown = {i for e in pending + declined
             for i in (e.provider_member_id, e.receiver_member_id, e.initiated_by_member_id) if i is not None}
    return render_template(
        "member/home.html",
        declined=declined,
        balance=ledger.balance(db, slug, me),
        to_confirm=[e for e in pending if e.initiated_by_member_id != me],
        waiting=[e for e in pending if e.initiated_by_member_id == me],
        requests=requests,
        names={m.id: m.name for m in members.member_names(db, slug, ids=shown)},
        categories=dict(banks.list_categories(db, slug)),
        me=me,
        asked_of_me=asked_of_me,
        renew_form=RenewForm(formdata=None),
    )


@blueprint.get("/statement")
def statement():
    db, slug, me = _me()
    chosen = chosen_period()
    return render_template(
        "member/statement.html",
        chosen=chosen,
        statement=(statement_for_period(db, slug, me, start=chosen.start, end=chosen.end)
                   if chosen.valid else None),
        balance=ledger.balance(db, slug, me),
        categories=dict(banks.list_categories(db, slug)),
        contact_phone=banks.get_bank(db, slug).contact_phone,
    ), (200 if chosen.valid else 400)


@blueprint.get("/statement.pdf")
def statement_pdf():
    db, slug, me = _me()
    return statement_pdf_response(db, slug, me)


# ---------------------------------------------------------------- asking and offering


@blueprint.route("/ask", methods=["GET", "POST"])
def ask():
    db, slug, me = _me()
    form = AskForm()
    form.category.choices = _category_choices(db, slug)
    if form.validate_on_submit():
        try:
            requests_offers.ask_for_help(
                db, slug, member_id=me, what=form.what.data, category=form.category.data,
                when_text=form.when_text.data, where_text=form.where_text.data,
                helper_notes=form.helper_notes.data, idempotency_key=form.idempotency_key.data,
                refuse_duplicates=not form.again.data,
            )
        except domain.TimebankError as error:
            place(form, error, ASK_FIELDS)
        else:
            flash("Thank you. Your request is on the list: other members can now offer to help.",
                  "success")
            return redirect(url_for("member.requests"))
    return render_template("member/ask.html", form=form, where_hint=WHERE_HINT), (400 if _refused(form) else 200)


@blueprint.route("/offer", methods=["GET", "POST"])
def offer():
    db, slug, me = _me()
    form = OfferForm()
    form.category.choices = _category_choices(db, slug)
    if form.validate_on_submit():
        try:
            requests_offers.offer_skill(db, slug, member_id=me, description=form.description.data,
                             category=form.category.data,
                             idempotency_key=form.idempotency_key.data,
                             refuse_duplicates=not form.again.data)
        except domain.TimebankError as error:
            place(form, error, OFFER_FIELDS)
        else:
            flash("Thank you. Your offer is on the list for other members to see.", "success")
            return redirect(url_for("member.offer"))
    offers = [o for o in requests_offers.member_offers(db, slug, me) if o.active]
    return (render_template("member/offer.html", form=form, offers=offers, renew_form=RenewForm(formdata=None)),
            400 if _refused(form) else 200)


# ---------------------------------------------------------------- browsing and answering


def _filters() -> dict:
    return {"category": request.args.get("category") or None, "area": request.args.get("area") or None,
            "words": " ".join("".join(c for c in request.args.get("words", "") if c.isprintable()).split())[:100]
            or None}


def _page_arg(name: str) -> int:
    text = request.args.get(name, "1")
    return int(text) if text.isdigit() and len(text) < 7 else 1


@blueprint.get("/browse")
def browse():
    """Other members' open requests and offers, 25 of each a page, found by kind, area and
    words; each request's "I can help" leads to a page of its own with the message box."""
    db, slug, me = _me()
    form = BrowseForm(formdata=request.args)
    # A refused filter (a control character: no category or area has one) filters nothing;
    # its error is shown beside it.
    refused = not form.validate()
    filters = {"category": None, "area": None, "words": None} if refused else _filters()
    form.category.choices = options([("", "Any kind of help")] + banks.list_categories(db, slug))
    form.area.choices = options([("", "Any area")] + [(a, a) for a in members.active_areas(db, slug)])
    chosen = {k: filters[k] for k in ("category", "area")}
    found_requests = requests_offers.browse_requests(db, slug, viewer_id=me, text=filters["words"],
                                                     page=_page_arg("page"), **chosen)
    found_offers = requests_offers.browse_offers(db, slug, viewer_id=me, text=filters["words"],
                                                 page=_page_arg("offers_page"), **chosen)
    args = {k: v for k, v in filters.items() if v}
    shown = {"page": found_requests.number, "offers_page": found_offers.number}

    def browse_url(key: str, number: int) -> str:
        """This page with one of its two lists turned to page `number`, the other kept."""
        return url_for("member.browse", **args, **{**shown, key: number}) + (
            "#requests" if key == "page" else "#offers")

    return render_template(
        "member/browse.html", form=form, found_requests=found_requests, found_offers=found_offers,
        filters=filters, args=args, me=me, browse_url=browse_url,
    ), (400 if refused else 200)


def _asked_of(db, slug, request_id: int, me: int) -> bool:
    """Whether this open request was made to this member, who may still say yes or no."""
    try:
        request = helping.request_detail(db, slug, request_id, viewer_id=me)
    except domain.UnknownRequest:
        return False
    mine = request.answer_of(me)
    return may_still_answer(request.status, request.addressed_to_member_id, me, mine.status if mine else None)


@blueprint.route("/requests/<int:request_id>/answer", methods=["GET", "POST"])
def answer(request_id: int):
    """"I can help" on one request: the request, a message box, and one button."""
    db, slug, me = _me()
    asked = requests_offers.answerable_request(db, slug, request_id, viewer_id=me)
    if asked is None and _asked_of(db, slug, request_id, me):
        # Made to this member from their offer (asked again, too, after a yes taken back):
        # they answer it where their yes and no buttons are.
        return redirect(url_for("member.answers") + f"#request-{request_id}")
    if asked is None:
        # The same answer, below, for a number that does not exist in this bank.
        try:
            own = requests_offers.get_request(db, slug, request_id).member_id == me
        except domain.UnknownRequest:
            own = False
        if own:
            raise domain.NotAllowed("You cannot answer your own request.")
        # The same answer whether the request closed meanwhile, is private to two people
        # introduced, or never was: nothing tells a member a private request exists.
        raise domain.UnknownRequest(f"There is no open request number {request_id} for you to answer: "
                                    "it may have closed, or the member already has the help they need.")
    form = AnswerForm(prefix=f"answer-{request_id}")
    already = any(a.member_id == me and a.status != "withdrawn" for a in asked.answers)
    if not already and form.validate_on_submit():
        try:
            answered = requests_offers.answer_request(db, slug, request_id, member_id=me,
                                                      message=form.message.data)
        except domain.TimebankError as error:
            place(form, error, ANSWER_FIELDS)
        else:
            if answered.member_id in helping.without_sign_in(db, slug):
                flash(f"Thank you. {answered.member_name} has no sign-in: the coordinator will pass "
                      "this on, and tell you if you are chosen.", "success")
            else:
                flash(f"Thank you. {answered.member_name} can now see that you can help, and will "
                      "choose a helper. See “Requests I answered”.", "success")
            return redirect(url_for("member.browse", **{k: v for k, v in _filters().items() if v}))
    return render_template("member/answer.html", form=form, r=asked, already=already,
                           back=url_for("member.browse", **{k: v for k, v in _filters().items() if v})
                           ), (400 if form.errors else 200)


# ---------------------------------------------------------------- exchanges


@blueprint.route("/log", methods=["GET", "POST"])
def log():
    db, slug, me = _me()
    form = LogForm()
    active = [m for m in members.member_names(db, slug, status="active") if m.id != me]
    others = {m.id: m.name for m in active}
    # The area beside each name, and the number when two share name and area (B11).
    labels = labels_told_apart(active)
    form.other_member.choices = options([("", "Choose a member")] + [(m.id, labels[m.id]) for m in active])
    quick_select(form.other_member)
    form.category.choices = _category_choices(db, slug)
    valid = form.validate_on_submit()
    if form.is_submitted() and not _from_the_list(form, others, me):
        valid = False
    if valid:
        other = form.other_member.data
        gave = form.direction.data == "gave"
        try:
            exchange = ledger.propose_exchange(
                db, slug, member_id=me, provider_id=me if gave else other,
                receiver_id=other if gave else me, minutes=parse_hours(form.hours.data),
                category=form.category.data, description=form.description.data,
                given_on=form.day.data, idempotency_key=form.idempotency_key.data,
                long_ago_confirmed=form.long_ago.data, refuse_duplicates=not form.again.data,
            )
        except domain.TimebankError as error:
            place(form, error, LOG_FIELDS, words=lambda e: in_members_words(e, me))
        else:
            name = others.get(other, "the other member")
            if exchange.replayed:
                flash("This exchange was already recorded. It is recorded only once.", "success")
            elif exchange.state == "pending" and other in helping.without_sign_in(db, slug):
                flash(f"Thank you. {name} has no sign-in: the coordinator will confirm the exchange "
                      "with them. Your balance changes then.", "success")
            elif exchange.state == "pending":
                flash(f"Thank you. The exchange now waits for {name} to confirm it. "
                      "Your balance changes when they do.", "success")
            else:
                flash("Thank you. The exchange is recorded and your balance has changed. "
                      "(This time bank does not ask the other member to confirm.)", "success")
            return redirect(url_for("member.home"))
    need_confirmation = banks.get_bank(db, slug).member_exchanges_need_confirmation
    return (render_template("member/log.html", form=form, need_confirmation=need_confirmation),
            400 if _refused(form) else 200)


def _from_the_list(form: LogForm, others: dict[int, str], me: int) -> bool:
    """Only the bank's active members are offered: any other number (closed, suspended,
    another bank's, unknown) gets the same words, so none of them can be told apart.
    (Nothing chosen, or oneself, is left to the form's and the ledger's own words.)"""
    chosen = form.other_member.data
    if chosen is None or chosen == me or chosen in others:
        return True
    add_error(form.other_member, CHOOSE_FROM_THE_LIST)
    return False


def _settle(action, exchange_id: int, done: str):
    """Confirm or decline; a refusal by a rule (a balance limit, say) is told, not shown as a page."""
    db, slug, me = _me()
    try:
        action(db, slug, exchange_id, member_id=me, settled_by=f"member:{me}")
    except domain.TimebankError as error:
        told(error)  # "no such exchange" and "not yours" are answered as pages
        flash(f"Nothing was changed. {in_members_words(error, me)}", "error")
    else:
        flash(done, "success")
    return redirect(url_for("member.home"))


@blueprint.post("/exchanges/<int:exchange_id>/confirm")
def confirm(exchange_id: int):
    return _settle(ledger.confirm_exchange, exchange_id,
                   "Thank you. The exchange is confirmed and both balances have changed.")


@blueprint.route("/exchanges/<int:exchange_id>/decline", methods=["GET", "POST"])
def decline(exchange_id: int):
    """A second step before declining (one shaky tap must not undo someone's logging),
    with a reason, if the member gives one, for the member who logged it."""
    db, slug, me = _me()
    exchange = _waiting_for_me(db, slug, exchange_id, me)
    if exchange is None:
        flash("Nothing was changed: that exchange is no longer waiting for you.", "error")
        return redirect(url_for("member.home"))
    form = DeclineForm()
    if form.validate_on_submit():
        other = _names(db, slug).get(exchange.initiated_by_member_id, "the other member")
        try:
            ledger.decline_exchange(db, slug, exchange_id, member_id=me, settled_by=f"member:{me}",
                                    reason=form.reason.data)
        except domain.TimebankError as error:
            place(form, error, {domain.InvalidInput: "reason"})
        else:
            flash(f"The exchange is declined. No balance has changed. {other} will see that you "
                  "declined it" + (", and why." if (form.reason.data or "").strip() else "."), "success")
            return redirect(url_for("member.home"))
    return render_template("member/decline.html", form=form, e=exchange, me=me, names=_names(db, slug),
                           categories=dict(banks.list_categories(db, slug))), (400 if form.errors else 200)


def _names(db, slug) -> dict[int, str]:
    return {m.id: m.name for m in members.list_members(db, slug)}


def _waiting_for_me(db, slug, exchange_id: int, me: int):
    """The exchange when it waits for this member to settle it; None otherwise (another
    member's exchange answers 404, as one that does not exist)."""
    exchange = ledger.get_exchange(db, slug, exchange_id)
    if me not in (exchange.provider_member_id, exchange.receiver_member_id):
        raise domain.UnknownExchange(f"There is no exchange number {exchange_id} in this bank.")
    if exchange.initiated_by_member_id == me:
        raise domain.NotYoursToConfirm(
            f"Exchange {exchange_id} waits for the other member to confirm it, not you.")
    return exchange if exchange.state == "pending" else None
