"""Paper for a member without a computer: their statement for a period, and the bank's
current offers, each as a page the browser prints (site.css's print rules) and as a PDF
(timebank.web.printing) a coordinator can post."""
from __future__ import annotations

import datetime as dt

from flask import render_template
from flask_login import current_user

from timebank.services import banks, members, requests_offers
from timebank.services.ledger.statements import statement_for_period
from timebank.web.coordinator import blueprint
from timebank.web.extensions import database
from timebank.web.printing import offers_pdf
from timebank.web.statement_period import chosen_period, pdf_response, statement_pdf_response


@blueprint.get("/members/<int:member_id>/statement/print")
def print_statement(member_id: int):
    db, slug = database(), current_user.bank_slug
    member = members.get_member(db, slug, member_id)
    chosen = chosen_period()
    statement = (statement_for_period(db, slug, member_id, start=chosen.start, end=chosen.end)
                 if chosen.valid else None)
    return render_template("paper/statement.html", member=member, chosen=chosen, statement=statement,
                           categories=dict(banks.list_categories(db, slug)),
                           contact_phone=banks.get_bank(db, slug).contact_phone,
                           today=dt.date.today()), (200 if chosen.valid else 400)


@blueprint.get("/members/<int:member_id>/statement.pdf")
def statement_pdf(member_id: int):
    return statement_pdf_response(database(), current_user.bank_slug, member_id)


@blueprint.get("/members/<int:member_id>/offers/print")
def print_offers(member_id: int):
    db, slug = database(), current_user.bank_slug
    return render_template("paper/offers.html", member=members.get_member(db, slug, member_id),
                           offers=_offers_for(db, slug, member_id),
                           contact_phone=banks.get_bank(db, slug).contact_phone, today=dt.date.today())


@blueprint.get("/members/<int:member_id>/offers.pdf")
def offers_pdf_download(member_id: int):
    db, slug = database(), current_user.bank_slug
    member = members.get_member(db, slug, member_id)
    today = dt.date.today()
    bank = banks.get_bank(db, slug)
    body = offers_pdf(_offers_for(db, slug, member_id), for_whom=member.name,
                      bank_name=bank.name, printed_on=today, contact_phone=bank.contact_phone)
    return pdf_response(body, f"offers-{member_id}-{today.isoformat()}.pdf")


def _offers_for(db, slug: str, member_id: int):
    """Every open offer but the member's own, by kind of help, so the page reads as a list."""
    offers = [o for o in requests_offers.list_offers(db, slug, limit=1000) if o.member_id != member_id]
    return sorted(offers, key=lambda o: ((o.category_name or "~").casefold(), o.member_name.casefold()))
