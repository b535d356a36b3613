"""Many exchanges at once, from a coordinator's CSV: all recorded, or none.

Every line is checked; if any is wrong, nothing is written and every problem is
reported with its line number, so the coordinator fixes the file once.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from timebank.db.engine import Database
from timebank.db.models import Exchange, Member, ServiceCategory
from timebank.domain.errors import BatchRefused, TimebankError
from timebank.domain.file_names import category_in_file, member_in_file
from timebank.domain.hours import parse_hours
from timebank.domain.members import NamedMember
from timebank.domain.text import refuse_control_characters
from timebank.services.idempotency import clean_key
from timebank.services.ledger.exchanges import exchange_attempt
from timebank.services.ledger.posting import exchange_view, lock_accounts
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import ExchangeView

__all__ = ["CSV_COLUMNS", "BatchLine", "parse_exchange_csv", "log_exchange_batch", "log_exchanges_from_csv",
           "exchanges_of_file", "template_rows"]

CSV_COLUMNS = ("provider", "receiver", "hours", "day", "category", "what")
REQUIRED_COLUMNS = ("provider", "receiver", "hours")
MAX_LINES = 2000


@dataclass(frozen=True)
class BatchLine:
    line: int
    provider_id: int
    receiver_id: int
    minutes: int
    given_on: str | None
    category: str | None
    description: str | None


def _header_problem(header: list[str]) -> str | None:
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return f"The first line must name the columns; missing: {', '.join(missing)}."
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        return f"Unknown column(s): {', '.join(unknown)}. Use: {', '.join(CSV_COLUMNS)}."
    twice = sorted({h for h in header if header.count(h) > 1})
    if twice:
        # Only one of them would be read, and nothing would say which.
        return f"Each column may be named once; named twice: {', '.join(twice)}."
    return None


def _unreadable(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return "A value on this line is too long to be a description of an exchange."
    if "unexpected end of data" in str(error):
        return "A quote (\") opened on this line is never closed: close its quote, or remove it."
    return "This line cannot be read as CSV: check its quotes (\") and commas."


def _delimiter(text: str) -> str:
    """A comma, or a semicolon when the header is written with them (as a spreadsheet set
    to a language that writes a decimal comma saves its CSV)."""
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def parse_exchange_csv(
    text: str, members: Iterable[NamedMember] | None = None, categories: Mapping[str, str] | None = None,
) -> tuple[list[BatchLine], list[tuple[int, str]]]:
    """Lines read from CSV text (header first), and the problems of the lines that are not.

    Members are numbers; with `members` (the bank's active members) they may be names too,
    and with `categories` (code to name) a kind of help may be its name
    (`timebank.domain.file_names`)."""
    members = list(members) if members is not None else None
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [(1, "The file is empty. Save the spreadsheet as \u201cCSV UTF-8\u201d with a first line "
                        f"naming the columns ({', '.join(CSV_COLUMNS)}) and one exchange on each line after it.")]
    if "\r" in text.replace("\r\n", ""):
        return [], [(1, "The lines of this file end in a lone carriage return (as old \"CSV (Macintosh)\" "
                         "files do): save it again as \"CSV UTF-8\".")]
    # strict: a quote that is never closed is an error, not a value running to the end of the file.
    reader = csv.DictReader(io.StringIO(text), strict=True, delimiter=_delimiter(text))
    try:
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return [], [(1, _unreadable(error))]
    problem = _header_problem(header)
    if problem:
        return [], [(1, problem)]
    reader.fieldnames = header
    lines, problems = [], []
    ended = reader.line_num
    while True:
        number = ended + 1  # the line the row starts on
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append((number, _unreadable(error)))
            break  # the reader cannot say where the next row starts
        ended = reader.line_num
        if number > MAX_LINES + 1:
            problems.append((number, f"A file can hold at most {MAX_LINES} exchanges."))
            break
        if ended > number:
            # A quoted value over several lines is valid CSV, but it is what a quote left
            # open looks like, and it would swallow the rows after it into one description.
            problems.append((number, f"A value runs from line {number} to line {ended}: "
                                     "close its quote (\"), or keep each exchange on one line."))
            continue
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if None in row:
            problems.append((number, "This line has more values than there are columns."))
            continue
        try:
            for column, value in row.items():
                # Every column, not only the text: a NUL in a category or a day would reach a
                # query, which PostgreSQL fails on.
                refuse_control_characters(value or "", f"the {column} column")
            lines.append(BatchLine(
                line=number,
                provider_id=member_in_file(row["provider"], "provider", members),
                receiver_id=member_in_file(row["receiver"], "receiver", members),
                minutes=parse_hours(row["hours"]),
                given_on=(row.get("day") or "").strip() or None,
                category=category_in_file(row.get("category"), categories),
                description=(row.get("what") or "").strip() or None,
            ))
        except TimebankError as error:
            problems.append((number, error.message))
    if not lines and not problems:
        problems.append((1, "The file has no exchanges in it."))
    return lines, problems


def log_exchange_batch(
    database: Database, bank_slug: str, lines: list[BatchLine], *, recorded_by: str,
    batch_key: str | None = None, today: dt.date | None = None,
    problems: list[tuple[int, str]] | None = None, long_ago_confirmed: bool = True,
    refuse_duplicates: bool = False,
) -> list[ExchangeView]:
    """Record every line in one transaction, or raise BatchRefused and record nothing.

    `problems` already found (by the CSV reader) refuse the batch too, after every line
    has been checked, so that all problems are reported at once.

    A repeated upload with the same batch key records nothing new: each line's key is
    the batch key and its line number.
    """
    problems = list(problems or [])
    attempts = []
    for line in lines:
        try:
            attempts.append((line.line, exchange_attempt(
                bank_slug, provider_id=line.provider_id, receiver_id=line.receiver_id,
                minutes=line.minutes, recorded_by=recorded_by, category=line.category,
                description=line.description, given_on=line.given_on,
                idempotency_key=f"{batch_key}:{line.line}" if batch_key else None,
                today=today, initiated_by=None, long_ago_confirmed=long_ago_confirmed,
                refuse_duplicates=refuse_duplicates)))
        except TimebankError as error:
            problems.append((line.line, error.message))
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        # Every account of the batch locked at once, in id order: a batch and a single
        # exchange can then never wait for each other in a cycle.
        lock_accounts(session, bank, member_ids={m for line in lines for m in (line.provider_id, line.receiver_id)})
        results = []
        for number, attempt in attempts:
            try:
                with session.begin_nested():
                    results.append(attempt(session))
            except TimebankError as error:
                problems.append((number, error.message))
        if problems:
            raise BatchRefused(problems)
        uow.commit()
    return results


def log_exchanges_from_csv(
    database: Database, bank_slug: str, text: str, *, recorded_by: str,
    batch_key: str | None = None, today: dt.date | None = None, long_ago_confirmed: bool = True,
    refuse_duplicates: bool = False,
) -> list[ExchangeView]:
    """Every exchange of a CSV file, or none (`log_exchange_batch`). A person uploading
    passes `long_ago_confirmed` as they answered: lines more than a year back are refused
    (`DayLongAgo`, by line) until they say those days are right; with `refuse_duplicates`,
    so are lines like an exchange recorded within a day (the same file uploaded again with
    a new form, or the same line twice), until they say they mean them."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        members = [NamedMember(i, name, area) for i, name, area in uow.session.execute(
            select(Member.id, Member.name, Member.area).where(Member.bank_id == bank.id, Member.status == "active"))]
        categories = dict(uow.session.execute(select(ServiceCategory.slug, ServiceCategory.name).where(
            ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))).all())
    lines, problems = parse_exchange_csv(text, members, categories)
    if not lines:
        raise BatchRefused(problems)
    return log_exchange_batch(database, bank_slug, lines, recorded_by=recorded_by,
                              batch_key=batch_key, today=today, problems=problems,
                              long_ago_confirmed=long_ago_confirmed, refuse_duplicates=refuse_duplicates)


def exchanges_of_file(database: Database, bank_slug: str, batch_key: str) -> list[ExchangeView]:
    """The exchanges an upload recorded (each keyed by the upload's key and its line), in
    the order of the file."""
    key = clean_key(batch_key)
    if key is None:
        return []
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        found = session.scalars(select(Exchange).where(
            Exchange.bank_id == bank.id, Exchange.idempotency_key.startswith(f"{key}:", autoescape=True))).all()
        found = sorted(found, key=lambda x: int(x.idempotency_key.rsplit(":", 1)[1]))
        return [exchange_view(session, x) for x in found]


def template_rows(members: list[NamedMember], categories: Mapping[str, str], day: dt.date) -> list[list[str]]:
    """A file to fill in: the header and two example lines, with the bank's own names
    (two members and a kind of help) when it has them."""
    first, second = (members + [NamedMember(12, "Ann Example", None), NamedMember(15, "Bob Example", None)])[:2]
    kind = next(iter(categories.values()), "")
    return [list(CSV_COLUMNS),
            [first.name, second.name, "1.5", day.isoformat(), kind, "What was done (optional)"],
            [f"#{second.id}", f"#{first.id}", "45m", "", "", ""]]
