"""Errors that name the rule they guard.

Each carries a stable `code` (for scripts and tests), a message a coordinator can read,
and the HTTP status it is answered with (`http_status`, read by `timebank.web.errors`):
404 for a record that does not exist *in this bank* (`NotFound`: another bank's record is
answered as if it did not exist), 403 for a role or relation that does not allow it
(`Forbidden`), 409 for a write that clashes with what is already recorded (`Conflict`),
and 400, the default, for anything else asked wrongly. A web form shows the 400s and
409s beside its fields. The CLI maps every one of them to exit status 1.
"""
from __future__ import annotations

__all__ = [
    "TimebankError",
    "NotFound",
    "Forbidden",
    "Conflict",
    "UnknownBank",
    "BankSlugTaken",
    "UnknownMember",
    "UnknownExchange",
    "UnknownCategory",
    "CategoryTaken",
    "MemberOfAnotherBank",
    "MemberNotActive",
    "MemberErased",
    "EmailTaken",
    "InvalidInput",
    "PhoneInvalid",
    "InvalidHours",
    "HoursNotPositive",
    "HoursNotWholeMinutes",
    "ExchangeTooLong",
    "DayInFuture",
    "InvalidDay",
    "DayBeforeMemberJoined",
    "DayLongAgo",
    "LooksLikeDuplicate",
    "LimitsLeaveMembersOutside",
    "SameMemberOnBothSides",
    "BalanceLimitPassed",
    "BalanceBelowFloor",
    "BalanceAboveCeiling",
    "InvalidLimits",
    "InvalidExpiryPeriod",
    "NotRenewable",
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
    "CodeRefused",
    "CodesLocked",
    "UnknownRequest",
    "UnknownOffer",
    "NotAllowed",
    "RequestNotOpen",
    "HelperAlreadyChosen",
    "AnswerNotOpen",
    "BatchRefused",
    "AssessmentInvalid",
    "UnknownAssessment",
    "UnknownProposal",
    "UnknownIntroduction",
    "NeedAlreadyIntroduced",
    "HelperAtCapacity",
    "DatabaseMissing",
    "NeighbourhoodInvalid",
    "NeighbourhoodTaken",
    "UnknownNeighbourhood",
    "MeasureInvalid",
    "QuestionInvalid",
    "MatchRunRecently",
    "NoticeInvalid",
    "NoticeLinkInvalid",
    "UnknownNotice",
]


class TimebankError(Exception):
    """A write or read refused by a rule of the time bank; nothing was written."""

    code = "timebank_error"
    http_status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(TimebankError):
    """No such record in this bank: a record of another bank is answered the same way."""

    code = "not_found"
    http_status = 404


class Forbidden(TimebankError):
    """The signed-in person's role or relation to the record does not allow this."""

    code = "forbidden"
    http_status = 403


class Conflict(TimebankError):
    """The write clashes with what is already recorded; nothing was written."""

    code = "conflict"
    http_status = 409


class UnknownBank(NotFound):
    code = "unknown_bank"


class BankSlugTaken(Conflict):
    code = "bank_slug_taken"


class UnknownMember(NotFound):
    code = "unknown_member"


class UnknownExchange(NotFound):
    code = "unknown_exchange"


class UnknownCategory(TimebankError):
    code = "unknown_category"


class CategoryTaken(Conflict):
    code = "category_taken"


class MemberOfAnotherBank(UnknownMember):
    """To this bank, another bank's member is an unknown member: same status, same words."""

    code = "member_of_another_bank"


class MemberNotActive(TimebankError):
    code = "member_not_active"


class MemberErased(Conflict):
    """The member was erased at their request: their record stays as it is for good."""

    code = "member_erased"


class EmailTaken(Conflict):
    code = "email_taken"


class InvalidInput(TimebankError):
    code = "invalid_input"


class PhoneInvalid(InvalidInput):
    """A phone number with too few digits, or with letters: it becomes a tap-to-call link."""

    code = "phone_invalid"


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


class DayBeforeMemberJoined(InvalidDay):
    code = "day_before_member_joined"


class DayLongAgo(TimebankError):
    """A day more than a year back, not confirmed: asked again with a box to tick."""

    code = "day_more_than_a_year_ago"


class LooksLikeDuplicate(Conflict):
    """The same thing was recorded a short while ago; recorded again only when confirmed.

    `earlier` names the earlier record in words ("1h from Ann to Bob on 3 December"),
    `earlier_id` is its id and `minutes_ago` how long ago it was recorded.
    """

    code = "looks_like_a_duplicate"

    def __init__(self, message: str, *, earlier: str = "", earlier_id: int | None = None,
                 minutes_ago: int = 0):
        super().__init__(message)
        self.earlier, self.earlier_id, self.minutes_ago = earlier, earlier_id, minutes_ago


class LimitsLeaveMembersOutside(Conflict):
    """New balance limits that members' balances are already outside: saved only when
    confirmed. `below` and `above` count the members on each side."""

    code = "limits_leave_members_outside"

    def __init__(self, message: str, *, below: int = 0, above: int = 0):
        super().__init__(message)
        self.below, self.above = below, above


class SameMemberOnBothSides(TimebankError):
    code = "same_member_on_both_sides"


class BalanceLimitPassed(TimebankError):
    """A balance limit a move would pass; carries what a member's own words need
    (`timebank.domain.members_words`): whose balance, and the limit."""

    code = "balance_limit_passed"

    def __init__(self, message: str, *, member_id: int | None = None, limit_minutes: int | None = None):
        super().__init__(message)
        self.member_id, self.limit_minutes = member_id, limit_minutes


class BalanceBelowFloor(BalanceLimitPassed):
    code = "balance_below_floor"


class BalanceAboveCeiling(BalanceLimitPassed):
    code = "balance_above_ceiling"


class InvalidLimits(TimebankError):
    code = "invalid_limits"


class CommunityPotTooLow(TimebankError):
    code = "community_pot_too_low"


class IdempotencyKeyReusedWithOtherDetails(Conflict):
    code = "idempotency_key_reused_with_other_details"


class AlreadyReversed(Conflict):
    code = "already_reversed"


class ExchangeNotPosted(Conflict):
    code = "exchange_not_posted"


class ExchangeNotPending(Conflict):
    code = "exchange_not_pending"


class NotYoursToConfirm(Forbidden):
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


class CodeRefused(TimebankError):
    """A one-time code (or recovery code) that is wrong, too old, or already used."""

    code = "code_refused"


class CodesLocked(CodeRefused):
    """Too many wrong codes in a short time: every code, even a right one, is refused
    until the window has passed (the count is in the database, shared by every process)."""

    code = "too_many_codes"


class UnknownRequest(NotFound):
    code = "unknown_request"


class UnknownOffer(NotFound):
    code = "unknown_offer"


class NotAllowed(Forbidden):
    code = "not_allowed"


class RequestNotOpen(Conflict):
    """A request closed (withdrawn, or its hours logged) takes no more choices or answers."""

    code = "request_not_open"


class HelperAlreadyChosen(Conflict):
    """One request, one chosen helper: a second choice, even at the same moment, is refused."""

    code = "helper_already_chosen"


class AnswerNotOpen(Conflict):
    """An answer withdrawn, declined or thanked cannot be chosen or changed."""

    code = "answer_not_open"


class BatchRefused(TimebankError):
    """A batch of exchanges refused whole; `problems` lists (line number, message)."""

    code = "batch_refused"

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems)
        numbers = sorted({n for n, _ in self.problems})
        lines = ", ".join(str(n) for n in numbers[:10]) + (" and more" if len(numbers) > 10 else "")
        count = len(self.problems)
        super().__init__(f"Nothing was recorded: {count} problem{'' if count == 1 else 's'}, "
                         f"on line{'' if len(numbers) == 1 else 's'} {lines}.")


class AssessmentInvalid(TimebankError):
    """Problems with an assessment, by field path (`needs.0.text`, `consent_on` ...)."""

    code = "assessment_invalid"

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        first = next(iter(self.problems.items()))
        super().__init__(f"The assessment has {len(self.problems)} problem(s): {first[0]}: {first[1]}")


class UnknownAssessment(NotFound):
    code = "unknown_assessment"


class UnknownProposal(NotFound):
    code = "unknown_proposal"


class UnknownIntroduction(NotFound):
    code = "unknown_introduction"


class NeedAlreadyIntroduced(Conflict):
    """Another acceptance introduced this need first: one need, one open introduction."""

    code = "need_already_introduced"


class HelperAtCapacity(Conflict):
    """The helper's open introductions already fill the capacity they offered."""

    code = "helper_at_capacity"


class DatabaseMissing(TimebankError):
    """A command that only reads was pointed at an SQLite file that is not there; it
    creates none (a typo in a path should not leave an empty database behind)."""

    code = "database_missing"


class NeighbourhoodInvalid(TimebankError):
    """Problems with a neighbourhood, by field (`name`, `latitude`, `longitude`)."""

    code = "neighbourhood_invalid"

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        first = next(iter(self.problems.items()))
        super().__init__(f"The neighbourhood has {len(self.problems)} problem(s): {first[0]}: {first[1]}")


class NeighbourhoodTaken(Conflict):
    """The bank already lists a neighbourhood of this name (case and spaces aside)."""

    code = "neighbourhood_taken"


class UnknownNeighbourhood(NotFound):
    code = "unknown_neighbourhood"


class MeasureInvalid(TimebankError):
    """Problems with outcome measures or a follow-up, by field (`helped-anxiety`, `held_on` ...)."""

    code = "measure_invalid"

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        first = next(iter(self.problems.items()))
        super().__init__(f"The follow-up has {len(self.problems)} problem(s): {first[0]}: {first[1]}")


class QuestionInvalid(TimebankError):
    """Problems with a bank's own outcome question, by field (`text`, `scale`, `choices`)."""

    code = "question_invalid"

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        first = next(iter(self.problems.items()))
        super().__init__(f"The question has {len(self.problems)} problem(s): {first[0]}: {first[1]}")


class MatchRunRecently(Conflict):
    """A new match run asked for within an hour of the last one, not yet confirmed: most
    likely a second click, or a colleague's run not seen yet. Nothing was run."""

    code = "match_run_recently"


class InvalidExpiryPeriod(TimebankError):
    """A bank's period for listing requests and offers that is not 1 to 24 whole months."""

    code = "invalid_expiry_period"


class NotRenewable(Conflict):
    """Renewing a request or offer that is closed or withdrawn (an open one renews at any time)."""

    code = "not_renewable"


class NoticeInvalid(TimebankError):
    """A notice asked for with an unknown kind, a fact its kind does not take, or a bad key."""

    code = "notice_invalid"


class NoticeLinkInvalid(TimebankError):
    """An unsubscribe link that was not signed by this bank's application, or was cut short."""

    code = "notice_link_invalid"


class UnknownNotice(NotFound):
    code = "unknown_notice"
