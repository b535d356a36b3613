"""Requests for help and their answers: the words they are stored with, and the rules of
the journey from "I can help" to help given.

Pure functions over plain values: who may choose a helper, who sees whose way of
contact, and what a request is waiting for. The services read the rows, ask these, then
write.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from timebank.domain.errors import AnswerNotOpen, HelperAlreadyChosen, NotAllowed, RequestNotOpen
from timebank.domain.text import clean_text

__all__ = [
    "REQUEST_STATUSES",
    "ANSWER_STATUSES",
    "Contact",
    "RequestStage",
    "RequestWords",
    "request_words",
    "offer_words",
    "answer_message",
    "may_act_for_asker",
    "may_act_for_offerer",
    "may_act_for_answerer",
    "check_choice",
    "check_answer_change",
    "asked_directly",
    "may_still_answer",
    "status_after_taking_back",
    "yes_taken_back",
    "check_log_from_request",
    "sees_contact",
    "shared_contact",
    "who_cannot_be_reached",
    "request_stage",
    "stage_words",
    "age_words",
]

#: Open until the member who asked closes (withdraws) it or its hours are logged.
REQUEST_STATUSES = ("open", "closed")

#: An answer ("I can help") waits for the asker to choose; the one chosen is "chosen",
#: the others "thanked". "asked" is an answer nobody gave yet: a request made to one
#: member from their offer, which they accept (then "chosen") or decline ("declined");
#: a yes they take back is "asked" again (see `status_after_taking_back`).
#: "withdrawn": the helper took back an "I can help".
ANSWER_STATUSES = ("asked", "waiting", "chosen", "thanked", "withdrawn", "declined")


@dataclass(frozen=True)
class Contact:
    """What one member agreed to share with the member they help or are helped by."""

    phone: str | None
    email: str | None

    @property
    def shared(self) -> bool:
        return bool(self.phone or self.email)


@dataclass(frozen=True)
class RequestWords:
    """A request's words as stored: trimmed, within their limits, control characters refused."""

    what: str
    when_text: str | None
    where_text: str | None
    helper_notes: str | None


def request_words(what: str | None, when_text: str | None = None, where_text: str | None = None,
                  helper_notes: str | None = None) -> RequestWords:
    """The words of a request, asked of everyone or of one member from their offer, new or
    edited (InvalidInput naming the field in the member's words when one is wrong)."""
    return RequestWords(clean_text(what, "what you would like help with", 2000, required=True),
                        clean_text(when_text, "roughly when", 200), clean_text(where_text, "where", 200),
                        clean_text(helper_notes, "what a helper must know", 2000))


def offer_words(description: str | None) -> str:
    """An offer's words, new or edited."""
    return clean_text(description, "what you can offer", 2000, required=True)


def answer_message(message: str | None) -> str | None:
    """The short message of an "I can help", new or edited."""
    return clean_text(message, "your message", 1000)


def may_act_for_asker(asker_id: int, acting_member_id: int | None, doing: str = "do this") -> None:
    """Only the member who asked, or a coordinator (acting_member_id None), acts for a request."""
    if acting_member_id is not None and acting_member_id != asker_id:
        raise NotAllowed(f"Only the member who asked can {doing}.")


def may_act_for_offerer(offerer_id: int, acting_member_id: int | None, doing: str = "do this") -> None:
    """Only the member who made an offer, or a coordinator (None), changes, renews or withdraws it."""
    if acting_member_id is not None and acting_member_id != offerer_id:
        raise NotAllowed(f"Only the member who made this offer can {doing}.")


def may_act_for_answerer(answerer_id: int, acting_member_id: int | None) -> None:
    """Only the member who answered (or was asked), or a coordinator, changes an answer."""
    if acting_member_id is not None and acting_member_id != answerer_id:
        raise NotAllowed("Only the member who answered can do this.")


def check_choice(request_status: str, answer_status: str, chosen_already: bool, by_asker: bool = False) -> None:
    """A helper is chosen from a waiting answer of an open request, once. A member asked
    from their offer becomes the helper by their own yes (or a coordinator passing it on),
    never by the asker's choice alone."""
    if by_asker and answer_status == "asked":
        raise NotAllowed("The member you asked has not said yes yet: nothing was changed. "
                         "They will answer you, or your coordinator can pass on their answer.")
    if request_status != "open":
        raise RequestNotOpen("This request is closed: nothing was changed.")
    if chosen_already:
        raise HelperAlreadyChosen("A helper has already been chosen for this request: nothing was changed.")
    if answer_status not in ("waiting", "asked"):
        raise AnswerNotOpen("This answer was withdrawn or is no longer open: nothing was changed. "
                            "Choose another helper.")


def check_answer_change(request_status: str, answer_status: str) -> None:
    """An answer is edited or withdrawn while the request is open and the answer not settled."""
    if request_status != "open":
        raise RequestNotOpen("This request is closed: nothing was changed.")
    if answer_status not in ("waiting", "chosen", "asked"):
        raise AnswerNotOpen("This answer is no longer open: nothing was changed.")


def asked_directly(addressed_to_member_id: int | None, member_id: int) -> bool:
    """Whether a request was made to this member from their offer (not asked of everyone,
    nor of another member)."""
    return addressed_to_member_id is not None and addressed_to_member_id == member_id


def may_still_answer(request_status: str, addressed_to_member_id: int | None, member_id: int,
                     answer_status: str | None) -> bool:
    """Whether the member asked directly may still say yes or no (or take back their yes):
    the request is open, and their answer is asked (again) or chosen by their yes, not
    declined or closed with the request."""
    return (request_status == "open" and asked_directly(addressed_to_member_id, member_id)
            and answer_status in ("asked", "chosen"))


def status_after_taking_back(answer_status: str, asked_directly: bool, helper_active: bool = True) -> str:
    """What an answer becomes when its member (or a coordinator for them) takes it back.

    Asked directly from their offer, a yes taken back is asked again: the request is still
    theirs to say yes to, or no. An "I can help" to a request asked of everyone is
    withdrawn: they may offer again while it is open. Not yet said yes, there is nothing
    to take back: they say no. A helper who has left (closed, suspended, erased) is asked
    nothing again: withdrawn.
    """
    if not helper_active:
        return "withdrawn"
    if asked_directly:
        if answer_status != "chosen":
            raise AnswerNotOpen("There is no yes to take back: nothing was changed. "
                                "Say no if you cannot help.")
        return "asked"
    return "withdrawn"


def yes_taken_back(answer_status: str, decided_at: dt.datetime | None) -> bool:
    """An answer asked again after its member took back their yes: "asked", with the moment
    it was taken back (a fresh ask has none)."""
    return answer_status == "asked" and decided_at is not None


def check_log_from_request(request_status: str, chosen_helper_id: int | None) -> None:
    """The hours of a request are logged once, and only after a helper was chosen."""
    if request_status != "open":
        raise RequestNotOpen("The hours for this request were already logged, or it was closed.")
    if chosen_helper_id is None:
        raise AnswerNotOpen("Choose a helper first: then the hours can be logged.")


def sees_contact(viewer_id: int | None, asker_id: int, chosen_helper_id: int | None) -> bool:
    """Whether a viewer sees the asker's and the chosen helper's way of contact.

    The two people put in touch see each other's; a coordinator (viewer None) sees both;
    nobody sees anything before a helper is chosen.
    """
    if chosen_helper_id is None:
        return False
    return viewer_id is None or viewer_id in (asker_id, chosen_helper_id)


def shared_contact(phone: str | None, email: str | None, share_phone: bool, share_email: bool) -> Contact:
    """Only what the member agreed to share: nothing unless they said so."""
    return Contact(phone=(phone or None) if share_phone else None,
                   email=(email or None) if share_email else None)


def who_cannot_be_reached(asker: Contact, helper: Contact) -> str | None:
    """Once a helper is chosen: whom the other cannot reach for want of a shared phone or
    email ("both", "asker", "helper"), so the coordinator puts them in touch; None when each
    shares a way."""
    if not asker.shared and not helper.shared:
        return "both"
    if not asker.shared:
        return "asker"
    if not helper.shared:
        return "helper"
    return None


@dataclass(frozen=True)
class RequestStage:
    """Where a request stands: a stable `code` and who it waits on (a member's id or None)."""

    code: str  # no_answer, waiting_for_choice, asked, asked_again, helper_chosen, done, closed
    waiting_on: int | None = None


def request_stage(status: str, asker_id: int, answer_statuses: list[tuple[int, str]],
                  exchange_id: int | None, taken_back: frozenset[int] | set[int] = frozenset()) -> RequestStage:
    """The request's stage from its status, its answers (member id, status), its exchange,
    and the members asked again after taking back their yes (`taken_back`)."""
    if exchange_id is not None:
        return RequestStage("done")
    if status != "open":
        return RequestStage("closed")
    chosen = [m for m, s in answer_statuses if s == "chosen"]
    if chosen:
        return RequestStage("helper_chosen", asker_id)
    asked = [m for m, s in answer_statuses if s == "asked"]
    if asked:
        return RequestStage("asked_again" if asked[0] in taken_back else "asked", asked[0])
    if any(s == "waiting" for _, s in answer_statuses):
        return RequestStage("waiting_for_choice", asker_id)
    return RequestStage("no_answer")


def stage_words(stage: RequestStage, names: dict[int, str]) -> str:
    """The stage in a coordinator's words: what is waiting on whom."""
    who = names.get(stage.waiting_on or 0, "the member")
    return {
        "no_answer": "No answer yet",
        "waiting_for_choice": f"Answered, waiting for {who} to choose",
        "asked": f"Asked directly, waiting for {who} to say yes or no",
        "asked_again": f"{who} took back their yes: waiting for them to say yes or no again",
        "helper_chosen": f"Helper chosen, waiting for {who} to log the hours",
        "done": "Done: the hours are logged",
        "closed": "Closed",
    }[stage.code]


def age_words(since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, in whole days ("today", "1 day", "3 days")."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    days = (now - since).days
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"
