"""Notices: what the bank tells people, in their own words, and the rules of sending them.

Pure functions over plain values. Which notice an event causes and who gets it
(`notice_for_*`), the words of each kind (`render`), which way it goes (`channel_for`),
whether a member turned that kind off (`wanted`), when a refused send is tried again
(`retry_delay`, `gives_up`), and the signed one-click unsubscribe link
(`unsubscribe_token`, `read_unsubscribe_token`). Each kind is a member's or staff's
(`Kind.audience`): a member is never offered, sent, or able to turn off a staff kind.
The services store and send; nothing here touches a database or a mail server.

A notice's facts are what its words need and nothing more: names, days, hours, a
reason a member typed, the contact a member agreed to share. Never an assessment's
words (health, care, safeguarding): no kind here takes them, and `check_facts` refuses
a fact this module does not know.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from timebank.domain.errors import NoticeInvalid, NoticeLinkInvalid

__all__ = [
    "KINDS",
    "ESSENTIAL_KINDS",
    "AUDIENCES",
    "MEMBER_KINDS",
    "CHANNELS",
    "NOTICE_STATES",
    "MAX_ATTEMPTS",
    "Kind",
    "Words",
    "Planned",
    "check_kind",
    "check_member_kind",
    "check_facts",
    "check_key",
    "channel_for",
    "wanted",
    "retry_delay",
    "gives_up",
    "render",
    "message_id",
    "unsubscribe_token",
    "read_unsubscribe_token",
    "exchange_waiting",
    "exchange_declined",
    "request_answered",
    "helper_chosen",
    "asked_to_help",
    "ask_answered",
    "helper_withdrew",
    "welcome",
    "password_reset",
]

#: waiting: to send (or, on the coordinator's list, to tell); sending: a worker holds
#: it under a lease; sent: delivered (or told by the coordinator); failed: refused, to
#: be tried again at `next_attempt_at`; given_up: refused too often, until a coordinator
#: sends it again.
NOTICE_STATES = ("waiting", "sending", "sent", "failed", "given_up")

#: email: sent by the worker; coordinator: on the coordinator's list, to tell by phone or
#: letter (a member without an email).
CHANNELS = ("email", "coordinator")

#: Whose kind it is: members' kinds are offered on "Messages we send you" and may be
#: turned off there or by an email's link; staff kinds go to staff sign-ins only (a
#: member is never sent one, offered one, or able to turn one off).
AUDIENCES = ("members", "staff")

#: Tries before a notice is given up (each refusal waits twice as long as the one before).
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Kind:
    """One kind of notice: what members call it on "Messages we send you", the facts its
    words take, the page where the person acts (a path, facts filled in), and whose kind
    it is (`AUDIENCES`).

    `has_sign_in` among the facts: the words tell a member without a sign-in what to do
    instead of pointing to their page (the outbox sets it from the recipient)."""

    name: str
    label: str
    facts: frozenset[str]
    path: str
    essential: bool = False
    audience: str = "members"


_KINDS = (
    Kind("exchange_waiting", "An exchange waits for you to confirm it",
         frozenset({"has_sign_in", "exchange_id", "other_name", "minutes", "given_on", "what", "provider_is_you"}),
         "/member/"),
    Kind("exchange_declined", "An exchange you logged was declined",
         frozenset({"has_sign_in", "exchange_id", "other_name", "minutes", "given_on", "what", "reason"}), "/member/"),
    Kind("request_answered", "Someone can help with your request",
         frozenset({"has_sign_in", "request_id", "helper_name", "what", "message"}), "/member/requests"),
    Kind("helper_chosen", "You were chosen to help",
         frozenset({"has_sign_in", "request_id", "asker_name", "what", "when", "where", "phone", "email",
                    "said_yes"}),
         "/member/answers"),
    Kind("asked_to_help", "A member asks you, from your offer, to help",
         frozenset({"has_sign_in", "request_id", "asker_name", "what", "when", "where"}), "/member/answers"),
    Kind("ask_answered", "A member you asked from their offer said yes or no",
         frozenset({"has_sign_in", "request_id", "helper_name", "what", "said_yes", "phone", "email"}),
         "/member/requests"),
    Kind("helper_withdrew", "Someone who was going to help you can no longer help",
         frozenset({"has_sign_in", "request_id", "helper_name", "what"}), "/member/requests"),
    Kind("welcome", "Welcome to the time bank", frozenset({"bank_name", "name", "has_sign_in"}), "/sign-in"),
    Kind("password_reset", "A link to choose a new password",
         frozenset({"name", "token", "expires_at"}), "/reset/{token}", essential=True),
    # The calendar's notices (timebank.domain.scheduled_notices decides when each is due).
    Kind("listing_expiring", "Your request or offer expires in a week",
         frozenset({"has_sign_in", "listing", "listing_id", "what", "expires_on", "page"}), "/member/{page}"),
    Kind("weekly_digest", "A weekly list of new requests in the services you offer",
         frozenset({"has_sign_in", "week", "count", "requests"}), "/member/browse"),
    Kind("follow_up_due", "An introduction is due its follow-up",
         frozenset({"introduction_id", "follow_up_on"}), "/social/introductions/{introduction_id}",
         audience="staff"),
    Kind("safeguarding_expiring", "A safeguarding check expires within 30 days",
         frozenset({"member_id", "name", "expires_on"}), "/coordinator/members/{member_id}",
         audience="staff"),
)

#: Every kind by name. Another kind (an expiry warning, a digest) is one more Kind here
#: with its words in `_WORDS`; the outbox, the worker and the pages take it as it is.
KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS}

#: Kinds a member cannot turn off: without them they could not sign in.
ESSENTIAL_KINDS = frozenset(k.name for k in _KINDS if k.essential)

#: The kinds a member may be sent, offered on "Messages we send you" (staff kinds are not).
MEMBER_KINDS = frozenset(k.name for k in _KINDS if k.audience == "members")

_KEY = re.compile(r"[A-Za-z0-9._-]{1,150}")


@dataclass(frozen=True)
class Words:
    subject: str
    body: str
    link: str


@dataclass(frozen=True)
class Planned:
    """A notice an event causes: its kind, who gets it (a member; None for a staff sign-in's
    reset link, which the service addresses to the sign-in), its facts and its key."""

    kind: str
    member_id: int | None
    facts: dict
    key: str


def check_kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise NoticeInvalid(f"There is no kind of notice called {kind!r}.")
    return found


def check_member_kind(kind: str) -> Kind:
    """The kind, when it is one a member may be sent (and so choose or turn off)."""
    found = check_kind(kind)
    if found.audience != "members":
        raise NoticeInvalid(f"A {kind} notice goes to staff only, never to a member.")
    return found


def check_facts(kind: str, facts: dict) -> dict:
    """The facts, when the kind knows every one of them (an assessment's words cannot slip in)."""
    unknown = set(facts) - check_kind(kind).facts
    if unknown:
        raise NoticeInvalid(f"A {kind} notice does not take {', '.join(sorted(unknown))}.")
    return dict(facts)


def check_key(key: str) -> str:
    """A notice's key: letters, digits, dots, dashes and underscores, so it can be the
    left half of the email's Message-ID as it is."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise NoticeInvalid(f"A notice key is 1 to 150 letters, digits, '.', '-' or '_', not {key!r}.")
    return key


def channel_for(email: str | None) -> str:
    """By email when there is an address; otherwise the coordinator tells them."""
    return "email" if email else "coordinator"


def wanted(kind: str, turned_off: set[str] | frozenset[str]) -> bool:
    """Whether a member who turned `turned_off` kinds off gets this one (essential: always)."""
    return kind in ESSENTIAL_KINDS or kind not in turned_off


def retry_delay(attempts: int, *, base_seconds: int = 60, cap_seconds: int = 6 * 3600) -> dt.timedelta:
    """How long after its `attempts`-th refused try a notice is tried again: 1, 2, 4 ...
    minutes, never more than six hours."""
    return dt.timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def gives_up(attempts: int, *, max_attempts: int = MAX_ATTEMPTS) -> bool:
    return attempts >= max_attempts


def message_id(key: str, bank_id: int, domain: str) -> str:
    """The email's Message-ID: the notice's own key, so a second copy is seen as one."""
    return f"<{check_key(key)}.b{bank_id}@{domain}>"


# ---------------------------------------------------------------- the events


def _day(day: dt.date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()


def exchange_waiting(*, exchange_id: int, to_member_id: int, other_name: str, minutes: int,
                     given_on: dt.date, what: str | None, provider_is_you: bool) -> Planned:
    """A member logged an exchange: the other member is asked to confirm it."""
    return Planned("exchange_waiting", to_member_id, {
        "exchange_id": exchange_id, "other_name": other_name, "minutes": minutes,
        "given_on": _day(given_on), "what": what or "", "provider_is_you": provider_is_you,
    }, f"exchange-waiting.{exchange_id}")


def exchange_declined(*, exchange_id: int, to_member_id: int, other_name: str, minutes: int,
                      given_on: dt.date, what: str | None, reason: str | None) -> Planned:
    """The other member declined: the member who logged it is told, with the reason."""
    return Planned("exchange_declined", to_member_id, {
        "exchange_id": exchange_id, "other_name": other_name, "minutes": minutes,
        "given_on": _day(given_on), "what": what or "", "reason": reason or "",
    }, f"exchange-declined.{exchange_id}")


def request_answered(*, request_id: int, answer_id: int, asker_id: int, helper_name: str, what: str,
                     message: str | None) -> Planned:
    """"I can help": the member who asked is told someone can."""
    return Planned("request_answered", asker_id, {
        "request_id": request_id, "helper_name": helper_name, "what": what, "message": message or "",
    }, f"request-answered.{request_id}.{answer_id}")


def helper_chosen(*, request_id: int, answer_id: int, helper_id: int, asker_name: str, what: str,
                  when: str | None, where: str | None, phone: str | None, email: str | None,
                  said_yes: bool = False) -> Planned:
    """The asker chose a helper, or (`said_yes`) the member asked from their offer said yes
    through the coordinator: the helper is told, with the contact the asker shares."""
    return Planned("helper_chosen", helper_id, {
        "request_id": request_id, "asker_name": asker_name, "what": what, "when": when or "",
        "where": where or "", "phone": phone or "", "email": email or "", "said_yes": bool(said_yes),
    }, f"helper-chosen.{request_id}.{answer_id}")


def asked_to_help(*, request_id: int, helper_id: int, asker_name: str, what: str, when: str | None,
                  where: str | None) -> Planned:
    """A member asked another directly, from their offer: the one asked is told, to say yes or no."""
    return Planned("asked_to_help", helper_id, {
        "request_id": request_id, "asker_name": asker_name, "what": what, "when": when or "", "where": where or "",
    }, f"asked-to-help.{request_id}")


def ask_answered(*, request_id: int, answer_id: int, asker_id: int, helper_name: str, what: str, said_yes: bool,
                 phone: str | None = None, email: str | None = None) -> Planned:
    """The member asked from their offer said yes (with the contact they agreed to share)
    or no: the member who asked is told."""
    if not said_yes:
        phone = email = None  # nobody is put in touch by a no
    return Planned("ask_answered", asker_id, {
        "request_id": request_id, "helper_name": helper_name, "what": what, "said_yes": bool(said_yes),
        "phone": phone or "", "email": email or "",
    }, f"ask-answered.{request_id}.{answer_id}.{'yes' if said_yes else 'no'}")


def helper_withdrew(*, request_id: int, answer_id: int, asker_id: int, helper_name: str, what: str) -> Planned:
    """The helper the asker chose (or who said yes when asked) took it back: the asker, who
    counted on them, is told."""
    return Planned("helper_withdrew", asker_id, {"request_id": request_id, "helper_name": helper_name, "what": what},
                   f"helper-withdrew.{request_id}.{answer_id}")


def welcome(*, member_id: int, name: str, bank_name: str, has_sign_in: bool) -> Planned:
    return Planned("welcome", member_id, {"bank_name": bank_name, "name": name, "has_sign_in": has_sign_in},
                   f"welcome.{member_id}")


def password_reset(*, reset_id: int, member_id: int | None, name: str, token: str, expires_at: dt.datetime) -> Planned:
    return Planned("password_reset", member_id, {"name": name, "token": token,
                                                 "expires_at": expires_at.isoformat()},
                   f"password-reset.{reset_id}")


# ---------------------------------------------------------------- the words


def _hours(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    parts = ([f"{hours} hour" + ("s" if hours != 1 else "")] if hours else []) + (
        [f"{rest} minute" + ("s" if rest != 1 else "")] if rest else [])
    return " ".join(parts) or "0 minutes"


def _nice_day(iso: str) -> str:
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def _nice_time(iso: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment:%H:%M} (UTC) on {moment.day} {moment:%B %Y}"


def _signed_in(f: dict) -> bool:
    """Whether the member can act on their page (a notice written before the fact: yes)."""
    return f.get("has_sign_in", True) is not False


def _exchange_waiting(f: dict) -> tuple[str, str]:
    direction = (f"you helped {f['other_name']}" if f["provider_is_you"]
                 else f"{f['other_name']} helped you")
    what = f" ({f['what']})" if f["what"] else ""
    return (f"{f['other_name']} logged {_hours(f['minutes'])}: please confirm",
            f"{f['other_name']} logged {_hours(f['minutes'])} on {_nice_day(f['given_on'])}{what}: "
            f"{direction}.\n\nNo balance changes until you say it is right. "
            + ("Please confirm it, or decline it if it is not what happened, on your page:" if _signed_in(f)
               else "Please tell your coordinator whether it is right: they will confirm it, or decline it "
                    "if it is not what happened."))


def _exchange_declined(f: dict) -> tuple[str, str]:
    what = f" ({f['what']})" if f["what"] else ""
    why = (f"\n\n{f['other_name']} said why: \"{f['reason']}\"" if f["reason"]
           else f"\n\n{f['other_name']} did not give a reason.")
    return (f"{f['other_name']} declined the {_hours(f['minutes'])} you logged",
            f"You logged {_hours(f['minutes'])} with {f['other_name']} on {_nice_day(f['given_on'])}{what}. "
            f"{f['other_name']} declined it, so no balance has changed.{why}\n\n"
            "If you think it should stand, you can talk to your coordinator."
            + (" Your page:" if _signed_in(f) else ""))


def _request_answered(f: dict) -> tuple[str, str]:
    message = f"\n\nThey wrote: \"{f['message']}\"" if f["message"] else ""
    return (f"{f['helper_name']} can help with your request",
            f"Good news: {f['helper_name']} can help with \"{f['what']}\".{message}\n\n"
            + ("When you are ready, choose who helps you on your requests page:" if _signed_in(f)
               else "Please tell your coordinator whether you would like their help: they will arrange it."))


def _when_where(f: dict) -> str:
    return (f"\nWhen: {f['when']}" if f["when"] else "") + (f"\nWhere: {f['where']}" if f["where"] else "")


def _how_to_reach(name: str, f: dict) -> str:
    """How the other may be reached: only the phone or email they agreed to share."""
    ways = " or ".join(w for w in (f"phone {f['phone']}" if f["phone"] else "",
                                   f"email {f['email']}" if f["email"] else "") if w)
    if not ways:
        return f"\n\n{name} did not share a phone or email: your coordinator can put you in touch."
    return f"\n\n{name} is happy for you to reach them by {ways}."


def _helper_chosen(f: dict) -> tuple[str, str]:
    if f.get("said_yes"):  # asked from their offer, they said yes (the coordinator passed it on)
        return (f"Your yes to {f['asker_name']} is passed on",
                f"Thank you for saying yes to {f['asker_name']}'s request \"{f['what']}\".{_when_where(f)}"
                f"{_how_to_reach(f['asker_name'], f)}\n\n"
                + ("The details are on your page:" if _signed_in(f)
                   else "If anything is unclear, ask your coordinator."))
    return (f"{f['asker_name']} chose you to help",
            f"Thank you for offering. {f['asker_name']} chose you to help with \"{f['what']}\".{_when_where(f)}"
            f"{_how_to_reach(f['asker_name'], f)}\n\n"
            + ("The details are on your page:" if _signed_in(f) else "If anything is unclear, ask your coordinator."))


def _asked_to_help(f: dict) -> tuple[str, str]:
    return (f"{f['asker_name']} asks if you can help",
            f"{f['asker_name']} read your offer and asks if you can help with \"{f['what']}\"."
            f"{_when_where(f)}\n\nNobody else is asked. "
            + ("Please say yes or no on your page (if you say yes, you each see how to reach the other):"
               if _signed_in(f) else "Please tell your coordinator yes or no: they will answer for you (if you "
               "say yes, you are each told how to reach the other)."))


def _ask_answered(f: dict) -> tuple[str, str]:
    if not f["said_yes"]:
        return (f"{f['helper_name']} cannot help this time",
                f"{f['helper_name']} said they cannot help with \"{f['what']}\" this time, so that "
                "request is closed. "
                + ("You can ask everyone, or ask someone else from their offer, on your page:" if _signed_in(f)
                   else "Your coordinator can ask everyone, or someone else, for you: just tell them."))
    return (f"{f['helper_name']} said yes: they can help",
            f"Good news: {f['helper_name']} said yes to \"{f['what']}\".{_how_to_reach(f['helper_name'], f)}\n\n"
            + ("When the help is given, either of you can log the hours from the request. Your requests:"
               if _signed_in(f) else "When the help is given, tell your coordinator the hours and they will "
               "log them (or the helper can)."))


def _helper_withdrew(f: dict) -> tuple[str, str]:
    return (f"{f['helper_name']} can no longer help",
            f"{f['helper_name']} let us know they can no longer help with \"{f['what']}\". Sorry about that. "
            + ("On your requests page you can ask again, or choose someone else if others offered:" if _signed_in(f)
               else "Your coordinator can find someone else for you, or ask again: just tell them."))


def _welcome(f: dict) -> tuple[str, str]:
    sign_in = ("You can sign in to see your balance, ask for help and offer yours here:" if _signed_in(f)
               else "Your coordinator can set up a sign-in for you whenever you like. The site is here:")
    return (f"Welcome to {f['bank_name']}",
            f"Hello {f['name']},\n\nWelcome to {f['bank_name']}. Every hour you give is worth the same as "
            f"every hour you receive, whoever gives it.\n\n{sign_in}")


def _password_reset(f: dict) -> tuple[str, str]:
    return ("A link to choose a new password",
            f"Hello {f['name']},\n\nHere is a link to choose a new password. It works once, until "
            f"{_nice_time(f['expires_at'])}. If you did not ask for it, you need do nothing: your "
            "password stays as it is.")


def _listing_expiring(f: dict) -> tuple[str, str]:
    words = "request" if f["listing"] == "request" else "offer"
    return (f"Your {words} expires on {_nice_day(f['expires_on'])}",
            f"Your {words} \"{f['what']}\" leaves the list on {_nice_day(f['expires_on'])}. If you still "
            f"{'need the help' if words == 'request' else 'can help'}, "
            + ("renew it in one click on your page (the Renew button); otherwise you need do nothing:"
               if _signed_in(f) else "tell your coordinator and they will renew it; otherwise you need do nothing."))


def _weekly_digest(f: dict) -> tuple[str, str]:
    lines = "\n".join(f"- {r['what']}" for r in f["requests"])
    more = f"\n... and {f['count'] - len(f['requests'])} more." if f["count"] > len(f["requests"]) else ""
    many = "request" if f["count"] == 1 else "requests"
    return (f"{f['count']} new {many} you could help with",
            f"This week, members asked for help with what you offer:\n\n{lines}{more}\n\n"
            + ("If you can help with one, say so on the list:" if _signed_in(f)
               else "If you can help with one, tell your coordinator."))


def _follow_up_due(f: dict) -> tuple[str, str]:
    return (f"Introduction {f['introduction_id']} is due its follow-up",
            f"You set {_nice_day(f['follow_up_on'])} to follow introduction {f['introduction_id']} up. "
            "Record how it went, or set another day, on its page:")


def _safeguarding_expiring(f: dict) -> tuple[str, str]:
    return (f"{f['name']}'s safeguarding check expires on {_nice_day(f['expires_on'])}",
            f"The safeguarding check recorded for {f['name']} expires on {_nice_day(f['expires_on'])}. "
            "Arrange a new check before then, or record it on their page:")


_WORDS = {
    "listing_expiring": _listing_expiring,
    "weekly_digest": _weekly_digest,
    "follow_up_due": _follow_up_due,
    "safeguarding_expiring": _safeguarding_expiring,
    "exchange_waiting": _exchange_waiting,
    "exchange_declined": _exchange_declined,
    "request_answered": _request_answered,
    "helper_chosen": _helper_chosen,
    "asked_to_help": _asked_to_help,
    "ask_answered": _ask_answered,
    "helper_withdrew": _helper_withdrew,
    "welcome": _welcome,
    "password_reset": _password_reset,
}


def render(kind: str, facts: dict, *, base_url: str, unsubscribe_url: str | None = None,
           bank_name: str | None = None) -> Words:
    """The notice's subject and body, ending with the link to the page where the person
    acts and, for a kind they can turn off, how to stop it. A member without a sign-in
    (`has_sign_in` false) is given no link to a page they cannot open: the words say
    what to do instead, and `link` is empty."""
    spec = check_kind(kind)
    subject, body = _WORDS[kind](facts)
    if _signed_in(facts) or kind == "welcome":  # a welcome shows the site, sign-in or not
        link = base_url.rstrip("/") + spec.path.format_map(_Blank(facts))
        body = f"{body}\n{link}\n"
    else:
        link, body = "", f"{body}\n"
    if unsubscribe_url and not spec.essential:
        body += (f"\nYou get this because it is switched on in \"Messages we send you\". "
                 f"To stop this kind of message, open:\n{unsubscribe_url}\n")
    if bank_name:
        body += f"\n{bank_name}\n"
    return Words(subject, body, link)


class _Blank(dict):
    """Facts for a path: one scrubbed after sending (a reset token) reads as empty."""

    def __missing__(self, key: str) -> str:
        return ""


# ---------------------------------------------------------------- one-click unsubscribe


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signature(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, b"notice-unsubscribe:" + payload.encode(), hashlib.sha256).digest()[:18])


def unsubscribe_token(key: bytes, member_id: int, kind: str) -> str:
    """A link token that turns one kind off for one member, signed with the application's key."""
    check_member_kind(kind)
    payload = f"{int(member_id)}.{kind}"
    return f"{payload}.{_signature(key, payload)}"


def read_unsubscribe_token(key: bytes, token: str) -> tuple[int, str]:
    """The member and kind a token names; NoticeLinkInvalid when it was not signed by us."""
    try:
        member, kind, signature = token.split(".")
        member_id = int(member)
    except (AttributeError, ValueError):
        raise NoticeLinkInvalid("This link is not one of ours, or was cut short.") from None
    if not hmac.compare_digest(signature, _signature(key, f"{member}.{kind}")) or kind not in MEMBER_KINDS:
        raise NoticeLinkInvalid("This link is not one of ours, or was cut short.")
    return member_id, kind
