"""How the pages say things: hours, days, and whom the hours of an exchange went between.

Registered once for every template (`init_app`), so each blueprint writes `hours(...)`
and `day(...)` the same way.
"""
from __future__ import annotations

import datetime as dt

from flask import Flask

from timebank.domain.expiry import renewal_due
from timebank.domain.hours import format_minutes
from timebank.domain.ledger import AccountKind, ExchangeKind
from timebank.domain.words import ACCESS_WORDS, access_words, day_words, moment_words

__all__ = ["init_app", "hours", "day", "day_and_time", "period_words", "sides", "ring_your_coordinator",
           "statement_questions",
           "THE_BANK", "THE_COMMUNITY_POT", "A_GROUP", "ACCESS_WORDS", "access_words"]

THE_BANK = "the bank"
THE_COMMUNITY_POT = "the community pot"
A_GROUP = "a group"
NOBODY = "—"


def hours(minutes: int, signed: bool = False) -> str:
    """`90` -> `1h 30m`; with `signed`, a gain shows its plus sign (`+1h 30m`)."""
    text = format_minutes(minutes)
    return f"+{text}" if signed and minutes > 0 else text


def day(value: dt.date | str | None, year: bool = True) -> str:
    """`2026-03-01` -> `1 March 2026` (or `1 March`); a moment gives its day; None gives "".

    The one way pages write a day for people (the `day` filter), the domain's
    `day_words`; ISO days are only for downloads and date inputs, which machines read.
    """
    return day_words(value, year)


def day_and_time(value: dt.datetime | None) -> str:
    """`2026-11-29 14:05` -> `29 November 2026, 14:05`, as written on the server (UTC)."""
    return moment_words(value)


def period_words(start: dt.date | None, end: dt.date | None) -> str:
    """`1 September 2026 to 30 November 2026`, with the open ends in words."""
    return f"{day(start) if start else 'the beginning'} to {day(end) if end else 'today'}"


def sides(exchange, names: dict[int, str]) -> tuple[str, str]:
    """Who the hours of any kind of exchange went from and to, in words."""
    def who(member_id: int) -> str:
        return names.get(member_id, f"member {member_id}")

    pot = AccountKind.COMMUNITY_POT.value
    if exchange.provider_member_id:
        giver = who(exchange.provider_member_id)
    elif exchange.kind == ExchangeKind.REVERSAL.value:
        giver = NOBODY
    else:
        giver = THE_COMMUNITY_POT if exchange.entries.get(pot, 0) < 0 else THE_BANK
    if exchange.kind == ExchangeKind.GROUP.value:
        taker = ", ".join(who(int(k)) for k, v in exchange.entries.items() if k.isdigit() and v < 0)
    elif exchange.receiver_member_id:
        taker = who(exchange.receiver_member_id)
    else:
        taker = THE_COMMUNITY_POT if exchange.kind == ExchangeKind.DONATION.value else NOBODY
    return giver, taker or A_GROUP


#: An exchange's kind and state as a statement says them.
#: The same words as the printed statement (timebank.web.printing.what_words).
KIND_WORDS = {"exchange": "help", "group": "group session", "grant": "hours from the bank",
              "donation": "given to the community pot", "reversal": "correction"}
STATE_WORDS = {"pending": "waiting", "posted": "", "declined": "declined", "reversed": "corrected later"}


def statement_label(kind: str, state: str) -> str | None:
    """The tag a statement line wears when it is not plain help: a correction, hours from
    the bank, a gift to the pot, or help corrected later (the page and the paper alike)."""
    if kind in ("reversal", "grant", "donation"):
        return KIND_WORDS[kind].capitalize()
    if state == "reversed":
        return STATE_WORDS["reversed"].capitalize()
    return None


def exchange_words(kind: str, state: str = "posted") -> str:
    said = STATE_WORDS.get(state, state)
    return KIND_WORDS.get(kind, kind) + (f" ({said})" if said else "")


def ring_your_coordinator(phone: str | None, capital: bool = False) -> str:
    """What letters and printouts tell a member without email to do: ring the coordinator,
    on the bank's number when it has one (Settings)."""
    words = f"ring your coordinator on {phone}" if phone else "ring your coordinator"
    return words[0].upper() + words[1:] if capital else words


def statement_questions(phone: str) -> str:
    """The line under a printed statement, when the bank has a number to ring."""
    return f"Questions about these hours? {ring_your_coordinator(phone, capital=True)}."


def init_app(app: Flask) -> None:
    app.add_template_filter(day, "day")
    app.add_template_filter(access_words, "access_words")
    app.add_template_global(exchange_words, "exchange_words")
    app.add_template_global(statement_label, "statement_label")
    app.add_template_global(ring_your_coordinator, "ring_your_coordinator")
    app.add_template_global(statement_questions, "statement_questions")
    app.add_template_filter(day_and_time, "day_and_time")

    @app.context_processor
    def _words():
        today = dt.date.today()
        return {"hours": hours, "day": day, "period_words": period_words, "today": today,
                "renewal_due": lambda expires: renewal_due(expires, today)}
