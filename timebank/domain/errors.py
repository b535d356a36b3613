"""Errors that name the rule they guard.

Each carries a stable `code` (for scripts, the JSON API and tests) and a message a
coordinator can read. The CLI maps every one of them to exit status 1, the web layer to
a form error or an HTTP status, each in one place.
"""
from __future__ import annotations

__all__ = [
    "TimebankError",
    "UnknownBank",
    "BankSlugTaken",
    "UnknownMember",
    "UnknownExchange",
    "UnknownCategory",
    "MemberOfAnotherBank",
    "MemberNotActive",
    "EmailTaken",
    "InvalidInput",
    "InvalidHours",
    "HoursNotPositive",
    "HoursNotWholeMinutes",
    "ExchangeTooLong",
    "DayInFuture",
    "InvalidDay",
    "SameMemberOnBothSides",
    "BalanceBelowFloor",
    "BalanceAboveCeiling",
    "InvalidLimits",
    "CommunityPotTooLow",
    "IdempotencyKeyReusedWithOtherDetails",
    "AlreadyReversed",
    "ExchangeNotPosted",
    "ExchangeNotPending",
    "NotYoursToConfirm",
    "ReasonRequired",
    "SignInRefused",
    "WeakPassword",
    "ResetTokenInvalid",
    "UnknownRequest",
    "UnknownOffer",
    "NotAllowed",
    "BatchRefused",
]


class TimebankError(Exception):
    """A write or read refused by a rule of the time bank; nothing was written."""

    code = "timebank_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownBank(TimebankError):
    code = "unknown_bank"


class BankSlugTaken(TimebankError):
    code = "bank_slug_taken"


class UnknownMember(TimebankError):
    code = "unknown_member"


class UnknownExchange(TimebankError):
    code = "unknown_exchange"


class UnknownCategory(TimebankError):
    code = "unknown_category"


class MemberOfAnotherBank(TimebankError):
    code = "member_of_another_bank"


class MemberNotActive(TimebankError):
    code = "member_not_active"


class EmailTaken(TimebankError):
    code = "email_taken"


class InvalidInput(TimebankError):
    code = "invalid_input"


class InvalidHours(TimebankError):
    code = "hours_not_a_number"


class HoursNotPositive(InvalidHours):
    code = "hours_not_positive"


class HoursNotWholeMinutes(InvalidHours):
    code = "hours_not_whole_minutes"


class ExchangeTooLong(TimebankError):
    code = "exchange_too_long"


class DayInFuture(TimebankError):
    code = "day_in_future"


class InvalidDay(TimebankError):
    code = "invalid_day"


class SameMemberOnBothSides(TimebankError):
    code = "same_member_on_both_sides"


class BalanceBelowFloor(TimebankError):
    code = "balance_below_floor"


class BalanceAboveCeiling(TimebankError):
    code = "balance_above_ceiling"


class InvalidLimits(TimebankError):
    code = "invalid_limits"


class CommunityPotTooLow(TimebankError):
    code = "community_pot_too_low"


class IdempotencyKeyReusedWithOtherDetails(TimebankError):
    code = "idempotency_key_reused_with_other_details"


class AlreadyReversed(TimebankError):
    code = "already_reversed"


class ExchangeNotPosted(TimebankError):
    code = "exchange_not_posted"


class ExchangeNotPending(TimebankError):
    code = "exchange_not_pending"


class NotYoursToConfirm(TimebankError):
    code = "not_yours_to_confirm"


class ReasonRequired(TimebankError):
    code = "reason_required"


class SignInRefused(TimebankError):
    """Deliberately vague: it never says whether the email or the password was wrong."""

    code = "sign_in_refused"


class WeakPassword(TimebankError):
    code = "weak_password"


class ResetTokenInvalid(TimebankError):
    code = "reset_token_invalid"


class UnknownRequest(TimebankError):
    code = "unknown_request"


class UnknownOffer(TimebankError):
    code = "unknown_offer"


class NotAllowed(TimebankError):
    """The signed-in person's role or relation to the record does not allow this."""

    code = "not_allowed"


class BatchRefused(TimebankError):
    """A batch of exchanges refused whole; `problems` lists (line number, message)."""

    code = "batch_refused"

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems)
        lines = ", ".join(str(n) for n, _ in self.problems[:10])
        super().__init__(f"Nothing was recorded: {len(self.problems)} problem(s), on line(s) {lines}.")
