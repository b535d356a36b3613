"""A subject access file as a page the person reads or prints (record.html in the download).

Headed parts in plain words ("Your details", "Your balance and exchanges" ...), hours as
hours and minutes, days as "3 December 2026", yes or no, service names for category codes
and questions for question keys. The page is written from the same document as
record.json, and every list in it is on the page: a section or a field the page has no
words for yet is shown under its own name, in a last part, rather than left out.

Everything shown is escaped: most of it is what people typed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape

from timebank.domain.hours import format_minutes
from timebank.domain.notices import KINDS
from timebank.domain.words import access_words, day_words, moment_words

__all__ = ["Names", "page"]

NOT_SHOWN = frozenset({"id"})


@dataclass(frozen=True)
class Names:
    """What the page says for the codes the file keeps: service names by category code,
    the outcome questions' words by key, and the words of their choices by value."""

    categories: Mapping[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)


Say = Callable[[object, Names], str]


@dataclass(frozen=True)
class Section:
    """How the page shows one list of the file: its heading, a sentence on what it is, a
    title for each row (from the row), and the row's fields as (key, label, say)."""

    heading: str
    intro: str
    title: Callable[[dict, Names], str] | None
    fields: tuple[tuple[str, str, Say], ...]
    # Fields the title already says (or that say nothing to a reader, as row numbers).
    in_title: frozenset[str] = NOT_SHOWN


# ---------------------------------------------------------------- saying one value


def _text(value, names: Names) -> str:
    return str(value)


def _yes_no(value, names: Names) -> str:
    return "yes" if value else "no"


def _only_yes(value, names: Names) -> str:
    """Said only when it is so ("You chose not to answer: yes"); nothing otherwise."""
    return "yes" if value else ""


def _hours(value, names: Names) -> str:
    return format_minutes(int(value))


def _signed_hours(value, names: Names) -> str:
    return f"+{format_minutes(value)}" if value > 0 else format_minutes(value)


def _day(value, names: Names) -> str:
    return day_words(value)


def _moment(value, names: Names) -> str:
    return moment_words(value)


def _service(value, names: Names) -> str:
    return names.categories.get(value, str(value).replace("_", " "))


def _words(table: Mapping[str, str]) -> Say:
    return lambda value, names: table.get(value, str(value).replace("_", " "))


def _number(what: str) -> Say:
    return lambda value, names: f"{what} number {value}"


def _plain(key: str, value, names: Names) -> str:
    """A value the page has no words for, by what its key says it is."""
    if isinstance(value, bool):
        return _yes_no(value, names)
    if isinstance(value, int) and (key.endswith("minutes") or key == "minutes"):
        return format_minutes(value)
    if isinstance(value, str) and key.endswith("_on"):
        return day_words(value)
    if isinstance(value, str) and (key.endswith("_at") or key == "at"):
        return moment_words(value)
    if key == "category" and isinstance(value, str):
        return _service(value, names)
    if isinstance(value, dict):
        return _facts(value, names)
    if isinstance(value, list):
        return "; ".join(_plain(key, v, names) for v in value)
    return str(value)


def _label(key: str) -> str:
    return key.replace("_", " ").capitalize()


# ---------------------------------------------------------------- the words of the codes

MEMBER_KINDS = {"person": "a person", "organisation": "an organisation"}
MEMBER_STATUSES = {"active": "active", "suspended": "suspended for now", "closed": "closed"}
ROLES = {"member": "member", "coordinator": "coordinator", "social_worker": "social worker"}
#: Who did it, in the access logs: a staff member, or the operator at the command line.
BY_WHOM = {"member": "a member", "coordinator": "a coordinator", "social_worker": "a social worker",
           "operator": "the operator of the time bank's computer"}
EXCHANGE_KINDS = {"exchange": "help between two members", "group": "help to a group",
                  "grant": "hours from the bank", "donation": "hours given to the community pot",
                  "reversal": "a correction, cancelling an earlier exchange"}
EXCHANGE_STATES = {"pending": "waiting for the other member to confirm", "posted": "done",
                   "declined": "declined", "reversed": "cancelled by a correction"}
REQUEST_STATUSES = {"open": "open", "closed": "closed"}
ANSWER_STATUSES = {"asked": "asked directly, no reply yet", "waiting": "offered to help", "chosen": "chosen to help",
                   "thanked": "thanked: someone else was chosen", "withdrawn": "withdrawn", "declined": "said no"}
NOTICE_CHANNELS = {"email": "by email", "coordinator": "for your coordinator to tell you"}
NOTICE_STATES = {"waiting": "waiting to be sent", "sending": "being sent", "sent": "sent",
                 "failed": "not sent yet: it will be tried again", "given_up": "could not be sent"}
NOTICE_TO = {"the member": "you", "their sign-in": "your sign-in's email address"}
ASSESSMENT_STATUSES = {"active": "open", "closed": "closed"}
INTRODUCTION_STATUSES = {"open": "open", "closed": "closed"}
SIDES = {"helped": "the person helped", "helper": "the helper"}
DIFFERENCES = {"a_lot": "a lot", "a_little": "a little", "none": "no", "not_sure": "not sure"}
STAGES = {"before": "at the introduction", "after": "at a follow-up"}
CAPABILITY_STATUSES = {"doing": "does it already", "could": "could do it if encouraged"}
WEEKDAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday",
            "sat": "Saturday", "sun": "Sunday"}
DAY_PARTS = {"am": "morning", "pm": "afternoon", "eve": "evening"}


def _notice_kind(value, names: Names) -> str:
    kind = KINDS.get(value)
    return kind.label if kind else str(value).replace("_", " ")


def _slots(value, names: Names) -> str:
    def slot(code: str) -> str:
        weekday, _, part = code.partition("-")
        return f"{WEEKDAYS.get(weekday, weekday)} {DAY_PARTS.get(part, part)}"
    return ", ".join(slot(s) for s in value) if value else "any time"


def _answers(value, names: Names) -> str:
    return "; ".join(f"{a.get('member')}: {ANSWER_STATUSES.get(a.get('status'), a.get('status'))}"
                     for a in value) or "nobody yet"


#: The facts a message was written from (timebank.domain.notices), by what they are to the member.
FACT_WORDS = {
    "exchange_id": "exchange number", "other_name": "the other member", "minutes": "hours", "given_on": "day",
    "provider_is_you": "you gave the help", "helper_name": "helper", "asker_name": "asked by",
    "said_yes": "they said yes", "bank_name": "time bank", "has_sign_in": "you have a sign-in",
    "expires_at": "the link works until", "expires_on": "runs out on", "listing_id": "number",
    "request_id": "request number", "introduction_id": "introduction number", "member_id": "member number",
    "follow_up_on": "follow-up due on", "count": "how many",
}


def _facts(value, names: Names) -> str:
    return "; ".join(f"{FACT_WORDS.get(k, k.replace('_', ' '))}: {_plain(k, v, names)}"
                     for k, v in value.items() if _filled(v))


def _score(value, names: Names) -> str:
    return f"{value} out of 10"


def _choice(value, names: Names) -> str:
    return names.choices.get(value, str(value))


def _where(value, names: Names) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


# ---------------------------------------------------------------- each list of the file


def _exchange_title(row: dict, names: Names) -> str:
    hours = format_minutes(row["amount_minutes"] or 0)
    other = row.get("other_member")
    if row.get("you") == "gave":
        said = f"you gave {hours}" + (f" to {other}" if other else "")
    else:
        said = f"you received {hours}" + (f" from {other}" if other else "")
    return f"{day_words(row.get('given_on'))}: {said} (exchange {row['id']})"


def _request_title(row: dict, names: Names) -> str:
    if "asked_you" in row:
        return f"{row['asked_you']} asked you for help, on {day_words(row.get('created_at'))}"
    return f"You asked for help on {day_words(row.get('created_at'))}"


def _access_title(row: dict, names: Names) -> str:
    by = BY_WHOM.get(row.get("role"), "someone")
    return f"{moment_words(row.get('at'))}: {access_words(row.get('action') or '')}, by {by}"


_ACCESS_FIELDS = (("why", "Why", _text), ("assessment_id", "Assessment", _number("assessment")))

MEMBER_SECTIONS = {
    "members": Section(
        "Your member record", "What the time bank holds about you.", None, (
            ("name", "Name", _text), ("kind", "You are", _words(MEMBER_KINDS)), ("email", "Email", _text),
            ("phone", "Phone", _text), ("area", "Area", _text), ("status", "Membership", _words(MEMBER_STATUSES)),
            ("joined_on", "Joined on", _day),
            ("safeguarding_checked_on", "Safeguarding check done on", _day),
            ("safeguarding_expires_on", "Safeguarding check runs out on", _day),
            ("share_phone", "Your phone may be given to members you arrange help with", _yes_no),
            ("share_email", "Your email may be given to members you arrange help with", _yes_no),
            ("floor_minutes", "Lowest balance allowed", _hours),
            ("ceiling_minutes", "Highest balance allowed", _hours),
            ("created_at", "Record made", _moment), ("erased_at", "Erased", _moment))),
    "users": Section(
        "Your sign-in", "How you sign in to the time bank's website.", None, (
            ("email", "Email you sign in with", _text), ("name", "Name", _text),
            ("role", "Signs in as", _words(ROLES)), ("active", "Can sign in", _yes_no),
            ("created_at", "Made", _moment))),
    "accounts": Section(
        "Your balance", "The hours you have given, less the hours you have received.", None, (
            ("balance_minutes", "Your balance", _hours), ("kind", "Account", _words({"member": "your own"})),
            ("created_at", "Opened", _moment))),
    "exchanges": Section(
        "Exchanges", "Each time hours were given or received, and the ones waiting or declined.", _exchange_title, (
            ("kind", "Kind", _words(EXCHANGE_KINDS)), ("state", "State", _words(EXCHANGE_STATES)),
            ("category", "Service", _service), ("description", "What", _text), ("reason", "Why", _text),
            ("decline_reason", "Why it was declined", _text),
            ("reverses_exchange_id", "Cancels", _number("exchange")),
            ("created_at", "Recorded", _moment), ("settled_at", "Confirmed or declined", _moment)),
        frozenset({"id", "given_on", "amount_minutes", "you", "other_member"})),
    "entries": Section(
        "Hours in and out of your account", "What each exchange moved on your account.",
        lambda row, names: f"{moment_words(row.get('created_at'))}: {_signed_hours(row['amount_minutes'], names)}",
        (("exchange_id", "For", _number("exchange")),),
        frozenset({"id", "created_at", "amount_minutes"})),
    "help_requests": Section(
        "Requests for help", "Your requests, and the ones other members made to you from your offers.",
        _request_title, (
            ("category", "Service", _service), ("what", "What you asked for", _text), ("when_text", "When", _text),
            ("where_text", "Where", _text), ("helper_notes", "For the helper", _text),
            ("status", "The request is", _words(REQUEST_STATUSES)), ("answers", "Answers", _answers)),
        frozenset({"id", "created_at", "asked_you"})),
    "help_answers": Section(
        "Your answers to requests", "When you said you could help, or were asked to.",
        lambda row, names: f"You answered {row.get('asked_by')}, on {day_words(row.get('created_at'))}", (
            ("message", "What you wrote", _text), ("status", "Your answer", _words(ANSWER_STATUSES)),
            ("decided_at", "Decided", _moment), ("request_id", "Request", _number("request"))),
        frozenset({"id", "created_at", "asked_by"})),
    "offers": Section(
        "Your offers", "What you offered to do for others.",
        lambda row, names: (f"{_service(row['category'], names) if row.get('category') else 'An offer'}, "
                            f"offered on {day_words(row.get('created_at'))}"),
        (("description", "What you offer", _text), ("active", "Shown to members now", _yes_no)),
        frozenset({"id", "created_at", "category"})),
    "contact_notes": Section(
        "Notes of our contact with you", "What your coordinator wrote down after talking with you.",
        lambda row, names: f"{day_words(row.get('written_on'))}, by {row.get('author')}",
        (("text", "Note", _text), ("follow_up_on", "To follow up on", _day)),
        frozenset({"id", "written_on", "author"})),
    "notices": Section(
        "Messages", "Each message the time bank sent you, or asked your coordinator to give you.",
        lambda row, names: f"{moment_words(row.get('created_at'))}: {_notice_kind(row.get('kind'), names)}", (
            ("to", "To", _words(NOTICE_TO)), ("channel", "How", _words(NOTICE_CHANNELS)),
            ("state", "State", _words(NOTICE_STATES)), ("sent_at", "Sent", _moment),
            ("facts", "What it said", _facts)),
        frozenset({"id", "created_at", "kind"})),
    "notice_opt_outs": Section(
        "Messages you turned off", "The kinds of message you asked us not to send.",
        lambda row, names: _notice_kind(row.get("kind"), names), (("created_at", "Turned off", _moment),),
        frozenset({"id", "kind"})),
    "member_access": Section(
        "The access log", "Each time a coordinator read, changed or copied your record.",
        _access_title, _ACCESS_FIELDS, frozenset({"id", "at", "role", "action"})),
}

_CONTENT_FIELDS = (
    ("consent", "Consent to be matched", _yes_no), ("consent_on", "Consent given on", _day),
    ("area", "Area", _text), ("location", "Place (latitude, longitude)", _where),
    ("availability", "When you are free", _slots))
_ITEM_FIELDS = (
    ("text", "In your words", _text), ("category", "Service", _service),
    ("requires_checked", "Needs a helper with a safeguarding check", _yes_no),
    ("status", "Do you do it already?", _words(CAPABILITY_STATUSES)),
    ("share", "Willing to share it to help others", _yes_no), ("capacity", "How many people at once", _text),
    ("max_km", "How far you will travel", lambda value, names: f"{value:g} km"),
    ("remote", "Can help from a distance", _yes_no))


def _content(value, names: Names) -> str:
    """An assessment's content, as HTML (escaped): its fields, then each need and capability."""
    if not isinstance(value, dict):
        return escape(str(value))
    parts = [_fields(value, _CONTENT_FIELDS, frozenset({"needs", "capabilities"}), names)]
    for key, heading in (("needs", "Need"), ("capabilities", "Capability")):
        for number, item in enumerate(value.get(key) or [], start=1):
            parts.append(f"<p><strong>{heading} {number}</strong></p>"
                         + _fields(item, _ITEM_FIELDS, frozenset({"key"}), names))
    return "".join(parts)


ASSESSMENT_SECTIONS = {
    "assessments": Section(
        "Each assessment", "Each assessment of what you need and what you can do.",
        lambda row, names: f"Assessment {row['id']}, recorded on {day_words(row.get('created_at'))}", (
            ("person_name", "Name", _text), ("member_id", "Your member record", _number("member")),
            ("status", "The assessment is", _words(ASSESSMENT_STATUSES)),
            ("current_version", "Versions", _text), ("erased_at", "Erased", _moment)),
        frozenset({"id", "created_at"})),
    "assessment_versions": Section(
        "What each assessment says", "Every version: a change to an assessment keeps the one before.",
        lambda row, names: (f"Assessment {row.get('assessment_id')}, version {row.get('version')}, "
                            f"recorded on {moment_words(row.get('recorded_at'))}"),
        (), frozenset({"id", "assessment_id", "version", "recorded_at", "content"})),
    "consent_withdrawals": Section(
        "Consent withdrawn", "When you withdrew your consent to be matched.",
        lambda row, names: f"Withdrawn on {day_words(row.get('withdrawn_on'))}",
        (("note", "How", _text), ("assessment_id", "Assessment", _number("assessment"))),
        frozenset({"id", "withdrawn_on"})),
    "introductions": Section(
        "Introductions", "The people you were introduced to, to help or to be helped.",
        lambda row, names: f"Introduced to {row.get('introduced_to')} on {day_words(row.get('created_at'))}", (
            ("you_were", "You were", _words(SIDES)), ("status", "The introduction is", _words(INTRODUCTION_STATUSES)),
            ("closed_at", "Closed", _moment)),
        frozenset({"id", "created_at", "introduced_to"})),
    "outcomes": Section(
        "How it went, in your words", "What you said after each introduction.",
        lambda row, names: f"{day_words(row.get('recorded_at'))}: introduction {row.get('introduction_id')}", (
            ("side", "You were", _words(SIDES)), ("help_happened", "Did the help happen?", _yes_no),
            ("difference", "Did it make a difference?", _words(DIFFERENCES)), ("comment", "Your words", _text)),
        frozenset({"id", "recorded_at", "introduction_id"})),
    "introduction_follow_ups": Section(
        "Follow-ups", "Each time a social worker got back in touch about an introduction.",
        lambda row, names: f"{day_words(row.get('held_on'))}: introduction {row.get('introduction_id')}", (
            ("stage", "When", _words(STAGES)), ("note", "Note", _text), ("created_at", "Written", _moment)),
        frozenset({"id", "held_on", "introduction_id"})),
    "outcome_measure_answers": Section(
        "Your answers about how you are", "Your answers to the wellbeing questions.",
        lambda row, names: names.questions.get(row.get("question_key"),
                                               str(row.get("question_key")).replace("_", " ")), (
            ("declined", "You chose not to answer", _only_yes), ("score", "Your answer", _score),
            ("choice", "Your answer", _choice), ("side", "You were", _words(SIDES)),
            ("introduction_id", "About", _number("introduction"))),
        frozenset({"id", "question_key"})),
    "assessment_access": Section(
        "The assessments' access log", "Each time a social worker read, changed or copied your assessments.",
        _access_title, _ACCESS_FIELDS, frozenset({"id", "at", "role", "action"})),
}

#: The page's parts, in order: a heading, and the lists of the file under it.
PARTS = (
    ("Your details", ("members", "users")),
    ("Your balance and exchanges", ("accounts", "exchanges", "entries")),
    ("Requests and offers", ("help_requests", "help_answers", "offers")),
    ("Notes about you", ("contact_notes",)),
    ("Messages we sent you", ("notices", "notice_opt_outs")),
    ("Your assessments", ("assessments", "assessment_versions", "consent_withdrawals")),
    ("Introductions and how they went", ("introductions", "outcomes", "introduction_follow_ups",
                                         "outcome_measure_answers")),
    ("Who looked at your record", ("member_access", "assessment_access")),
)
SECTIONS = {**MEMBER_SECTIONS, **ASSESSMENT_SECTIONS}


# ---------------------------------------------------------------- the page

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:45rem;margin:1rem auto;padding:0 1rem;line-height:1.5;"
          "overflow-wrap:anywhere}"
          "h2{border-bottom:1px solid #888;margin-top:2rem}dt{font-weight:bold}dd{margin:0 0 .5rem 1.5rem}"
          "section.row{break-inside:avoid}")


def page(document: dict, person: str, names: Names) -> str:
    """The file as an HTML page for the person: every list of `document`, in words."""
    title = escape(f"What {document.get('bank')} holds on {person}")
    lists = {k: v for k, v in document.items() if isinstance(v, list)}
    parts = ["<!doctype html>", "<html lang='en-GB'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>{title}</title><style>{_STYLE}</style></head><body><main>",
             f"<h1>{title}</h1>", f"<p>{escape(str(document.get('about', '')))}</p>"]
    shown = set()
    for heading, keys in PARTS:
        present = [k for k in keys if k in lists]
        if present:
            parts.append(f"<h2>{escape(heading)}</h2>")
            parts += [_section(SECTIONS[k], lists[k], names) for k in present]
            shown.update(present)
    others = [k for k in lists if k not in shown]
    if others:
        parts.append("<h2>Other records</h2>")
        parts += [_section(Section(_label(k), "", None, ()), lists[k], names) for k in others]
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _section(section: Section, rows: list, names: Names) -> str:
    parts = [f"<h3>{escape(section.heading)}</h3>"]
    if section.intro:
        parts.append(f"<p>{escape(section.intro)}</p>")
    if not rows:
        parts.append("<p>Nothing recorded.</p>")
    for row in rows:
        if not isinstance(row, dict):
            parts.append(f"<p>{escape(str(row))}</p>")
            continue
        body = _fields(row, section.fields, section.in_title, names)
        if "content" in row and "content" in section.in_title:
            body += _content(row["content"], names)
        title = f"<h4>{escape(section.title(row, names))}</h4>" if section.title else ""
        parts.append(f"<section class='row'>{title}{body}</section>")
    return "\n".join(parts)


def _fields(row: dict, fields: tuple[tuple[str, str, Say], ...], left_out: frozenset[str], names: Names) -> str:
    """The row's fields with words, as a definition list (escaped); then any field the page
    has no words for yet, under its own name. Empty ones are left out."""
    said = {key for key, _, _ in fields}
    items = [(label, say(row[key], names)) for key, label, say in fields if _filled(row.get(key))]
    items += [(_label(key), _plain(key, value, names)) for key, value in row.items()
              if key not in said and key not in left_out and _filled(value)]
    items = [(label, text) for label, text in items if text]
    if not items:
        return ""
    return "<dl>" + "".join(f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>" for label, text in items) + "</dl>"


def _filled(value) -> bool:
    return value is not None and value != "" and value != [] and value != {}
