"""What services return: plain frozen values, safe to hand to a template or print."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from timebank.domain.hours import minutes_as_hours

__all__ = [
    "BankView",
    "MemberView",
    "ExchangeView",
    "BalanceView",
    "StatementLine",
    "Page",
    "Problem",
    "CheckReport",
]


@dataclass(frozen=True)
class BankView:
    id: int
    slug: str
    name: str
    floor_minutes: int
    ceiling_minutes: int
    member_exchanges_need_confirmation: bool
    # How long requests and offers stay listed after they are posted or renewed.
    expiry_months: int = 3
    # The number members ring (None: the bank has not given one).
    contact_phone: str | None = None


@dataclass(frozen=True)
class MemberView:
    id: int
    bank_id: int
    name: str
    kind: str
    email: str | None
    phone: str | None
    area: str | None
    status: str
    floor_minutes: int | None
    ceiling_minutes: int | None
    joined_on: dt.date
    safeguarding_checked_on: dt.date | None = None
    safeguarding_expires_on: dt.date | None = None
    replayed: bool = False  # True when an idempotency key returned a member taken on before
    erased: bool = False

    def safeguarding_current(self, today: dt.date) -> bool:
        return self.safeguarding_expires_on is not None and self.safeguarding_expires_on >= today


@dataclass(frozen=True)
class ExchangeView:
    id: int
    bank_id: int
    kind: str
    state: str
    provider_member_id: int | None
    receiver_member_id: int | None
    amount_minutes: int
    category: str | None
    description: str | None
    given_on: dt.date
    recorded_by: str
    initiated_by_member_id: int | None
    reverses_exchange_id: int | None
    reason: str | None
    created_at: dt.datetime
    # member id -> signed minutes, for posted exchanges; empty while pending.
    entries: dict[str, int] = field(default_factory=dict)
    replayed: bool = False  # True when an idempotency key returned an earlier exchange
    settled_at: dt.datetime | None = None  # when a pending exchange was confirmed or declined
    settled_by: str | None = None  # who did: "member:12" or "coordinator:3"
    decline_reason: str | None = None  # why it was declined, when it was and a reason was given


@dataclass(frozen=True)
class BalanceView:
    member_id: int
    name: str
    balance_minutes: int
    given_minutes: int | None  # None when not asked for (they add up the whole history)
    received_minutes: int | None

    @property
    def hours(self) -> float:
        return minutes_as_hours(self.balance_minutes)

    def as_json(self) -> dict:
        return {
            "member": self.member_id,
            "name": self.name,
            "minutes": self.balance_minutes,
            "hours": self.hours,
        }


@dataclass(frozen=True)
class StatementLine:
    entry_id: int
    exchange_id: int
    given_on: dt.date
    kind: str
    state: str
    category: str | None
    description: str | None
    counterparty: str
    amount_minutes: int
    balance_minutes: int
    reason: str | None = None  # a grant's or a reversal's reason, said where the line is shown


@dataclass(frozen=True)
class Page:
    """One page of a list that can grow: its items, which page, and how many in all."""

    items: tuple
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_shown(self) -> int:
        return 0 if not self.items else (self.number - 1) * self.per_page + 1

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


@dataclass(frozen=True)
class Problem:
    invariant: str
    detail: str


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            **self.counts,
            "problems": [{"invariant": p.invariant, "detail": p.detail} for p in self.problems],
        }
