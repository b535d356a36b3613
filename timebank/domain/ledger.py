"""Rules of the ledger, as pure functions over plain values.

Every refusal of a write is in one of two ordered lists, and the order of each list is
the order of the reasons a write is refused for (the first rule broken is the one named):

- `REQUEST_CHECKS`, over what was asked (`PostingRequest`), before the database is read;
- `POSTING_CHECKS`, over the entries a posting would write (`PlannedEntry`), with the
  balances read under the accounts' locks, just before anything is written.

Both paths that post, the service layer's through the ORM and the driver-level hot path
of `timebank.db.hot_path`, call `run_posting_checks`; the hot path only decides whether
an exchange is plain, never whether it is allowed. A new rule is one small function
added to one of the lists, and one error class in `timebank.domain.errors`.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from timebank.domain.errors import (
    BalanceAboveCeiling,
    BalanceBelowFloor,
    BalanceLimitPassed,
    CommunityPotTooLow,
    DayBeforeMemberJoined,
    DayInFuture,
    DayLongAgo,
    ExchangeTooLong,
    HoursNotPositive,
    InvalidDay,
    InvalidHours,
    InvalidInput,
    InvalidLimits,
    LimitsLeaveMembersOutside,
    MemberNotActive,
    ReasonRequired,
    SameMemberOnBothSides,
)
from timebank.domain.text import clean_text

__all__ = [
    "MAX_EXCHANGE_MINUTES",
    "MAX_LIMIT_MINUTES",
    "MAX_DESCRIPTION_CHARS",
    "DEFAULT_FLOOR_MINUTES",
    "DEFAULT_CEILING_MINUTES",
    "ExchangeKind",
    "ExchangeState",
    "AccountKind",
    "Limits",
    "member_limits",
    "entries_key",
    "PostingRequest",
    "PlannedEntry",
    "REQUEST_CHECKS",
    "POSTING_CHECKS",
    "run_request_checks",
    "run_posting_checks",
    "check_exchange_length",
    "check_distinct_members",
    "check_balance_move",
    "check_limits_are_sane",
    "parse_day",
    "check_day",
    "LONG_AGO_DAYS",
    "check_day_not_long_ago",
    "check_day_after_joining",
    "count_outside_limits",
    "check_limits_leave_nobody_outside",
    "split_group",
    "expected_entries",
    "entry_order",
    "require_reason",
    "fingerprint",
]

#: One exchange records at most a day of help: more is almost always a typing slip.
MAX_EXCHANGE_MINUTES = 24 * 60
# Far beyond any time bank's limits (a lifetime of full-time work is about 80,000 hours),
# and far inside what both databases' integer columns can hold.
MAX_LIMIT_MINUTES = 100_000 * 60
MAX_DESCRIPTION_CHARS = 2000
DEFAULT_FLOOR_MINUTES = -10 * 60
DEFAULT_CEILING_MINUTES = 100 * 60


class ExchangeKind(str, enum.Enum):
    EXCHANGE = "exchange"  # one member helped another
    GROUP = "group"  # one provider, several receivers
    GRANT = "grant"  # hours from the bank's own account or its community pot
    DONATION = "donation"  # hours given to the community pot
    REVERSAL = "reversal"  # the opposite of an earlier exchange


class ExchangeState(str, enum.Enum):
    PENDING = "pending"  # waits for the other member; moves no balance
    POSTED = "posted"
    DECLINED = "declined"
    REVERSED = "reversed"  # was posted; a reversal now cancels it


class AccountKind(str, enum.Enum):
    MEMBER = "member"
    BANK = "bank"  # the bank's own account: welcome hours and grants come from it
    COMMUNITY_POT = "community_pot"  # donations go in, grants and group remainders come out


@dataclass(frozen=True)
class Limits:
    """The range a member's balance must stay in, in minutes. None: no limit."""

    floor_minutes: int | None
    ceiling_minutes: int | None


def member_limits(bank_floor_minutes: int | None, bank_ceiling_minutes: int | None,
                  floor_minutes: int | None, ceiling_minutes: int | None) -> Limits:
    """A member's own limits where they have them, else their bank's."""
    return Limits(
        floor_minutes=bank_floor_minutes if floor_minutes is None else floor_minutes,
        ceiling_minutes=bank_ceiling_minutes if ceiling_minutes is None else ceiling_minutes,
    )


def entries_key(member_id: int | None, account_kind: str) -> str:
    """How an exchange view names an account: the member's id, or the bank's own account's kind."""
    return str(member_id) if member_id is not None else account_kind


def check_limits_are_sane(floor_minutes: int | None, ceiling_minutes: int | None) -> None:
    for minutes in (floor_minutes, ceiling_minutes):
        if minutes is not None and abs(minutes) > MAX_LIMIT_MINUTES:
            raise InvalidLimits(
                f"A balance limit can be at most {MAX_LIMIT_MINUTES // 60:,} hours either side of zero.")
    if floor_minutes is not None and floor_minutes > 0:
        raise InvalidLimits("The lowest balance allowed must be zero or below.")
    if ceiling_minutes is not None and ceiling_minutes < 0:
        raise InvalidLimits("The highest balance allowed must be zero or above.")


def check_exchange_length(minutes: int) -> None:
    if minutes > MAX_EXCHANGE_MINUTES:
        raise ExchangeTooLong(
            f"One exchange can record at most 24 hours; {minutes // 60}h {minutes % 60:02d}m "
            "is more. Log each day separately."
        )


def check_distinct_members(provider_id: int, receiver_ids: list[int]) -> None:
    if provider_id in receiver_ids:
        raise SameMemberOnBothSides("A member cannot give hours to themself.")
    if len(set(receiver_ids)) != len(receiver_ids):
        raise SameMemberOnBothSides("The same receiver is listed twice.")


def check_balance_move(
    who: str, balance_minutes: int, delta_minutes: int, limits: Limits, member_id: int | None = None,
) -> None:
    """Refuse a move that would take a balance past a limit in the direction it moves.

    A balance already outside its limits (the limits were tightened later) may still
    move back towards them.
    """
    new_balance = balance_minutes + delta_minutes
    if (
        delta_minutes < 0
        and limits.floor_minutes is not None
        and new_balance < limits.floor_minutes
    ):
        raise BalanceBelowFloor(
            f"{who} would go below the lowest balance allowed "
            f"({_signed(limits.floor_minutes)}): the balance is {_signed(balance_minutes)} "
            f"and this takes {_signed(-delta_minutes, sign=False)}.",
            member_id=member_id, limit_minutes=limits.floor_minutes,
        )
    if (
        delta_minutes > 0
        and limits.ceiling_minutes is not None
        and new_balance > limits.ceiling_minutes
    ):
        raise BalanceAboveCeiling(
            f"{who} would go above the highest balance allowed "
            f"({_signed(limits.ceiling_minutes)}): the balance is {_signed(balance_minutes)} "
            f"and this adds {_signed(delta_minutes, sign=False)}.",
            member_id=member_id, limit_minutes=limits.ceiling_minutes,
        )


def _signed(minutes: int, sign: bool = True) -> str:
    from timebank.domain.hours import format_minutes

    text = format_minutes(minutes)
    return f"+{text}" if sign and minutes > 0 else text


def parse_day(value: str | dt.date | None, today: dt.date) -> dt.date:
    """The day the help was given: an ISO date (YYYY-MM-DD), today by default."""
    if value is None or value == "":
        return today
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidDay(
                f"{value!r} is not a day: write it as YYYY-MM-DD, for example 2026-03-14."
            ) from None
    check_day(day, today)
    return day


def check_day(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise DayInFuture(f"The help cannot be given in the future ({day.day} {day:%B %Y}).")
    if day.year < 1970:
        raise InvalidDay(f"{day.isoformat()} is too long ago to be a day help was given.")


#: A day further back than this is asked about once more: it is more often a slip of
#: the year (2025 for 2026) than help remembered a year late.
LONG_AGO_DAYS = 365


def check_day_not_long_ago(day: dt.date, today: dt.date, confirmed: bool) -> None:
    """day_more_than_a_year_ago: a day more than a year back is taken only when confirmed."""
    if not confirmed and day < today - dt.timedelta(days=LONG_AGO_DAYS):
        raise DayLongAgo(
            f"{_day_words(day)} is more than a year ago. If that is right, tick "
            "\u201cYes, it was more than a year ago\u201d and send it again.")


def check_day_after_joining(day: dt.date, members: Sequence[tuple[str, dt.date]]) -> None:
    """day_before_member_joined: help is given on or after the day each member joined
    (and so after the bank began: nobody joins a bank before it exists).

    `members` are (name, day joined) of everyone taking part.
    """
    for who, joined_on in members:
        if joined_on is not None and day < joined_on:
            raise DayBeforeMemberJoined(
                f"{who} joined on {_day_words(joined_on)}: the help cannot have been given "
                f"before that ({_day_words(day)}).")


def _day_words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def count_outside_limits(balances_minutes: Sequence[int], floor_minutes: int | None,
                         ceiling_minutes: int | None) -> tuple[int, int]:
    """How many balances are below the floor and how many above the ceiling."""
    below = sum(1 for b in balances_minutes if floor_minutes is not None and b < floor_minutes)
    above = sum(1 for b in balances_minutes if ceiling_minutes is not None and b > ceiling_minutes)
    return below, above


def check_limits_leave_nobody_outside(
    floor_balances_minutes: Sequence[int], ceiling_balances_minutes: Sequence[int],
    floor_minutes: int | None, ceiling_minutes: int | None, confirmed: bool,
) -> None:
    """limits_leave_members_outside: new limits that balances are already outside are
    saved only when confirmed, after saying how many and what it means for them.

    The balances are those of the members each new limit would apply to (a member's own
    limit comes first); a limit left as it was is None and asks nothing.
    """
    below, _ = count_outside_limits(floor_balances_minutes, floor_minutes, None)
    _, above = count_outside_limits(ceiling_balances_minutes, None, ceiling_minutes)
    if confirmed or not (below or above):
        return
    said = []
    if below:
        said.append(f"{_members(below)} already below {_signed(floor_minutes)}: "
                    "they will not be able to receive help until their balance is back above it.")
    if above:
        said.append(f"{_members(above)} already above {_signed(ceiling_minutes)}: "
                    "they will not be able to give help until they have spent some hours.")
    raise LimitsLeaveMembersOutside(
        " ".join(said) + " Tick \u201cYes, save these limits\u201d to save them all the same.",
        below=below, above=above)


def _members(count: int) -> str:
    return "1 member is" if count == 1 else f"{count} members are"


def split_group(total_minutes: int, receivers: int) -> tuple[int, int]:
    """Each receiver's share in whole minutes, and the remainder the community pot covers.

    The provider earns the whole `total_minutes`; receivers pay equal whole-minute
    shares; the few minutes left over come from the community pot, so no receiver pays
    more than another and the entries still sum to zero.
    """
    if receivers < 1:
        raise ValueError("a group exchange needs at least one receiver")
    share, remainder = divmod(total_minutes, receivers)
    if share == 0:
        raise ExchangeTooLong(
            f"{total_minutes} minutes cannot be shared by {receivers} receivers: "
            "each must receive at least one minute."
        )
    return share, remainder


def expected_entries(
    kind: str, amount_minutes: int, provider_member_id: int | None,
    receiver_member_id: int | None, entries: list[tuple[int | None, str, int]],
) -> list[tuple[int | None, str, int]] | None:
    """The entries a posted exchange of this kind and amount must have, as
    (member id or None, account kind, minutes), sorted; None for a reversal, which
    mirrors its original instead.

    `entries` are the ones it has: a group exchange does not record its receivers, so
    their number is read from them (each pays an equal share, the pot the remainder).
    `timebank check` compares the two, so entries rewritten with the balances still
    summing to zero are caught.
    """
    member, pot, bank = AccountKind.MEMBER.value, AccountKind.COMMUNITY_POT.value, AccountKind.BANK.value
    if kind == ExchangeKind.EXCHANGE.value:
        expected = [(provider_member_id, member, amount_minutes), (receiver_member_id, member, -amount_minutes)]
    elif kind == ExchangeKind.GROUP.value:
        receivers = [e for e in entries if e[1] == member and e[0] != provider_member_id]
        share, remainder = divmod(amount_minutes, max(len(receivers), 1))
        expected = [(provider_member_id, member, amount_minutes)]
        expected += [(e[0], member, -share) for e in receivers]
        expected += [(None, pot, -remainder)] if remainder else []
    elif kind == ExchangeKind.GRANT.value:
        # Welcome hours come from the bank's account, others from the community pot.
        source = next((e[1] for e in entries if e[1] in (bank, pot)), bank)
        expected = [(receiver_member_id, member, amount_minutes), (None, source, -amount_minutes)]
    elif kind == ExchangeKind.DONATION.value:
        expected = [(provider_member_id, member, -amount_minutes), (None, pot, amount_minutes)]
    else:
        return None
    return sorted(expected, key=entry_order)


def entry_order(entry: tuple[int | None, str, int]) -> tuple:
    """The order `expected_entries` gives: members by id, then the bank's own accounts."""
    member_id, account_kind, minutes = entry
    return (member_id is None, member_id or 0, account_kind, minutes)

def require_reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ReasonRequired(f"Give a reason for the {what}.")
    if len(text) > 500:
        raise ReasonRequired("A reason can be at most 500 characters.")
    return text


def fingerprint(details: dict) -> str:
    """A stable digest of what a write asked for, to tell a retry from a reuse of its key."""
    canonical = json.dumps(details, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the two lists of refusals


@dataclass(frozen=True)
class PostingRequest:
    """A write to the ledger as asked for, before the database is read.

    Values are as given (a form or a script may pass anything); the request checks say
    whether they can be recorded.
    """

    kind: ExchangeKind
    amount_minutes: object = None  # None for a reversal: it moves what the original moved
    provider_id: int | None = None
    receiver_ids: tuple = ()
    given_on: object = None
    today: dt.date | None = None
    description: object = None
    reason: object = None
    long_ago_confirmed: bool = False  # the person said a day more than a year back is right

    def day(self) -> dt.date:
        """The day the help was given (today when not said)."""
        return parse_day(self.given_on, self.today or dt.date.today())

    def description_text(self) -> str | None:
        return clean_text(self.description, "the description", MAX_DESCRIPTION_CHARS)


def amount_is_whole_minutes(request: PostingRequest) -> None:
    """hours_not_a_number: the amount is a whole number of minutes."""
    minutes = request.amount_minutes
    if request.kind is not ExchangeKind.REVERSAL and (
            not isinstance(minutes, int) or isinstance(minutes, bool)):
        raise InvalidHours(f"{minutes!r} is not a whole number of minutes.")


def amount_is_positive(request: PostingRequest) -> None:
    """hours_not_positive: the amount is more than zero."""
    if request.kind is not ExchangeKind.REVERSAL and request.amount_minutes <= 0:
        raise HoursNotPositive("Hours must be more than zero.")


def amount_fits_one_day(request: PostingRequest) -> None:
    """exchange_too_long: one exchange records at most 24 hours."""
    if request.kind is not ExchangeKind.REVERSAL:
        check_exchange_length(request.amount_minutes)


def day_is_a_day_help_was_given(request: PostingRequest) -> None:
    """invalid_day, day_in_future, day_more_than_a_year_ago: a real day, not in the
    future, not before 1970, and more than a year back only when confirmed."""
    if request.kind is not ExchangeKind.REVERSAL:
        check_day_not_long_ago(request.day(), request.today or dt.date.today(),
                               request.long_ago_confirmed)
    request.day()


def description_fits(request: PostingRequest) -> None:
    """invalid_input: the description is at most MAX_DESCRIPTION_CHARS characters."""
    request.description_text()


def reason_is_given(request: PostingRequest) -> None:
    """reason_required: a grant or a reversal says why, in at most 500 characters."""
    if request.kind is ExchangeKind.GRANT:
        require_reason(request.reason, "grant")
    elif request.kind is ExchangeKind.REVERSAL:
        require_reason(request.reason, "reversal")


def group_has_receivers(request: PostingRequest) -> None:
    """invalid_input: a group exchange names at least one receiver."""
    if request.kind is ExchangeKind.GROUP and not request.receiver_ids:
        raise InvalidInput("A group exchange needs at least one receiver.")


def members_are_distinct(request: PostingRequest) -> None:
    """same_member_on_both_sides: nobody gives hours to themself or receives twice."""
    if request.provider_id is not None:
        check_distinct_members(request.provider_id, list(request.receiver_ids))


def share_is_whole_minutes(request: PostingRequest) -> None:
    """exchange_too_long: each receiver of a group exchange receives at least a minute."""
    if request.kind is ExchangeKind.GROUP:
        split_group(request.amount_minutes, len(request.receiver_ids))


#: Checked in this order before the database is read; the first broken rule is the answer.
REQUEST_CHECKS: tuple[Callable[[PostingRequest], None], ...] = (
    amount_is_whole_minutes,
    amount_is_positive,
    amount_fits_one_day,
    day_is_a_day_help_was_given,
    description_fits,
    reason_is_given,
    group_has_receivers,
    members_are_distinct,
    share_is_whole_minutes,
)


def run_request_checks(request: PostingRequest) -> None:
    """Refuse the request for the first rule of `REQUEST_CHECKS` it breaks."""
    for check in REQUEST_CHECKS:
        check(request)


@dataclass(frozen=True, slots=True)
class PlannedEntry:
    """One entry a posting would write, with its account as read under the lock."""

    account_id: int
    member_id: int | None  # None: one of the bank's own accounts
    account_kind: str
    who: str  # the account's holder in a refusal's words: "Ann", "The community pot"
    member_status: str | None  # None for the bank's own accounts
    balance_minutes: int  # before this posting
    amount_minutes: int  # what this entry moves: positive earns, negative spends
    limits: Limits | None  # None: no limit


def members_are_active(kind: str, entries: Sequence[PlannedEntry]) -> None:
    """member_not_active: a suspended or closed member takes part in no new exchange.

    A reversal is not new help: it corrects a mistake, whoever has left since.
    """
    if kind == ExchangeKind.REVERSAL.value:
        return
    for entry in entries:
        if entry.member_status is not None and entry.member_status != "active":
            raise MemberNotActive(f"{entry.who} (member {entry.member_id}) is {entry.member_status}.")


def community_pot_holds_enough(kind: str, entries: Sequence[PlannedEntry]) -> None:
    """community_pot_too_low: a grant from the community pot needs the hours to be in it.

    Only a grant from the pot gives the pot a floor; a group exchange's remainder may
    take it below zero (the community's gift).
    """
    for entry in entries:
        if (entry.account_kind == AccountKind.COMMUNITY_POT.value and entry.limits is not None
                and entry.balance_minutes + entry.amount_minutes < entry.limits.floor_minutes):
            raise CommunityPotTooLow(
                f"The community pot holds {entry.balance_minutes} minutes, "
                f"fewer than the {-entry.amount_minutes} this grant needs."
            )


def balances_stay_within_limits(kind: str, entries: Sequence[PlannedEntry]) -> None:
    """balance_above_ceiling, balance_below_floor: entry by entry, in the order planned
    (the member who gives the help first), no balance passes a limit in the direction
    it moves.

    Every member who would pass a limit is named at once (a group exchange's seven
    receivers are not found one try at a time); the refusal is the first one's kind."""
    passed: list[BalanceLimitPassed] = []
    for entry in entries:
        if entry.limits is not None:
            try:
                check_balance_move(entry.who, entry.balance_minutes, entry.amount_minutes, entry.limits,
                                   entry.member_id)
            except BalanceLimitPassed as error:
                passed.append(error)
    if len(passed) == 1:
        raise passed[0]
    if passed:
        first = passed[0]
        raise type(first)(" ".join(e.message for e in passed), member_id=first.member_id,
                          limit_minutes=first.limit_minutes)


#: Checked in this order under the accounts' locks; the first broken rule is the answer.
POSTING_CHECKS: tuple[Callable[[str, Sequence[PlannedEntry]], None], ...] = (
    members_are_active,
    community_pot_holds_enough,
    balances_stay_within_limits,
)


def run_posting_checks(kind: str, entries: Sequence[PlannedEntry]) -> None:
    """Refuse the posting for the first rule of `POSTING_CHECKS` it breaks.

    `kind` is the exchange's kind (`ExchangeKind` value). The entries of every posting
    sum to zero; anything else is a programming error, not a refusal.
    """
    for check in POSTING_CHECKS:
        check(kind, entries)
    if sum(entry.amount_minutes for entry in entries) != 0:  # pragma: no cover
        raise AssertionError("the entries of an exchange must sum to zero")
