"""Subject access, erasure, retention and consent withdrawal (issue 13, parts 3 to 5),
on the demonstration bank, on SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
import zipfile
from io import BytesIO

import pytest
import sqlalchemy as sa

from tests.conftest import BACKENDS, PASSWORD_HASHING, cli_runner
from timebank.db.engine import Database
from timebank.db.models import (
    Account,
    Assessment,
    Base,
    Exchange,
    Introduction,
    MatchProposal,
    Member,
    Notice,
    OutcomeMeasureAnswer,
    User,
)
from timebank.demo import COORDINATOR_EMAIL, DEMO_BANK_SLUG, DEMO_PASSWORD, MEMBER_EMAIL, SOCIAL_WORKER_EMAIL
from timebank.domain.errors import DayInFuture, InvalidInput, NotAllowed
from timebank.domain.hours import format_minutes
from timebank.domain.privacy import FORMER_MEMBER, REMOVED
from timebank.domain.words import day_words
from timebank.services import assessments, auth, consent, erasure, ledger, matches, notices, retention, subject_access
from timebank.services.checks import check_ledger

DEMO_NAME = "Morag Henderson"


def _demo_bank(database_factory, backend):
    url = database_factory.url(backend)
    run = cli_runner(url)
    assert run("init").exit_code == 0
    assert run("demo", "--if-empty").exit_code == 0
    database = Database(url, password_hashing=PASSWORD_HASHING)
    return run, database


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, database_factory):
    """A demonstration bank per backend, shared by the module's tests: each test brings
    the records it changes (an assessment of its own), so they pass in any order."""
    run, database = _demo_bank(database_factory, request.param)
    yield run, database
    database.dispose()


@pytest.fixture(params=BACKENDS)
def demo_to_erase(request, database_factory):
    """A demonstration bank of its own, for the test that erases Morag for good."""
    run, database = _demo_bank(database_factory, request.param)
    yield run, database
    database.dispose()


def _staff(database):
    return (auth.authenticate(database, COORDINATOR_EMAIL, DEMO_PASSWORD),
            auth.authenticate(database, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD))


def _member_id(database, name=DEMO_NAME) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(Member.id).where(Member.name == name))


def _content(**extra) -> dict:
    return {"consent": True, "consent_on": "2026-01-05", "area": "Leith",
            "needs": [{"text": "Someone to walk with me to the shops", "category": "shopping"}],
            "capabilities": [{"text": "I knit and can teach knitting", "status": "doing"}], **extra}


def _references(database, member_id: int) -> dict[str, set[int]]:
    """Every row of every table that names the member in a column ending in member_id,
    found through the schema, so a table added later is not forgotten; and the rows that
    hang on those (entries on their account, versions of their assessments)."""
    found: dict[str, set[int]] = {}
    with database.session(readonly=True) as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name.endswith("member_id")]
            if not columns or "id" not in table.columns:
                continue
            ids = set(session.scalars(sa.select(table.c.id).where(sa.or_(*(c == member_id for c in columns)))))
            if ids:
                found[table.name] = ids
        # A notice to their sign-in rather than their member record (a reset link sent to the
        # sign-in's address) is theirs too.
        sign_ins = sa.select(User.id).where(User.member_id == member_id).scalar_subquery()
        found.setdefault("notices", set()).update(
            session.scalars(sa.select(Notice.id).where(Notice.user_id.in_(sign_ins))))
        account = session.scalar(sa.select(Account.id).where(Account.member_id == member_id))
        found["entries"] = set(session.scalars(sa.text("SELECT id FROM entries WHERE account_id = :a"), {"a": account}))
        found["assessment_versions"] = set(session.scalars(sa.text(
            "SELECT v.id FROM assessment_versions v JOIN assessments a ON a.id = v.assessment_id "
            "WHERE a.member_id = :m"), {"m": member_id}))
    return {table: ids for table, ids in found.items() if ids}


def _files(database, member_id: int, assessment_id: int) -> dict:
    coordinator, worker = _staff(database)
    held: dict = {}
    for made in (subject_access.member_file(database, coordinator, DEMO_BANK_SLUG, member_id),
                 subject_access.assessment_file(database, worker, assessment_id)):
        with zipfile.ZipFile(BytesIO(subject_access.as_zip(made))) as archive:
            document = json.loads(archive.read("record.json"))
            assert "<h1>" in archive.read("record.html").decode()
        for section, rows in document.items():
            if isinstance(rows, list):
                held.setdefault(section, []).extend(rows)
    return held


def test_the_demo_members_file_holds_every_record_about_them_and_nobody_elses(demo):
    _, database = demo
    coordinator, worker = _staff(database)
    member_id = _member_id(database)
    assessment = assessments.record_assessment(database, worker, person_name=DEMO_NAME, content=_content(),
                                               member_id=member_id, today=dt.date(2026, 12, 1))
    with database.session() as session, session.begin():  # a notice to her sign-in, not her member record
        sign_in = session.scalars(sa.select(User).where(User.member_id == member_id)).one()
        notices.write(session, kind="password_reset", recipient=sign_in, key=f"password-reset.sign-in.{member_id}",
                      facts={"name": DEMO_NAME, "token": "t0ken", "expires_at": "2026-12-02T10:00:00+00:00"})
    references = _references(database, member_id)  # before the export logs itself
    assert references["notices"]
    held = _files(database, member_id, assessment.id)
    for table, ids in references.items():
        assert table in held, f"{table} is missing from the file"
        assert ids <= {row["id"] for row in held[table]}, f"rows of {table} are missing"
    text = json.dumps(held, ensure_ascii=False)
    assert MEMBER_EMAIL in text and DEMO_NAME in text
    shown = {row["other_member"] for row in held["exchanges"]} | {
        a["member"] for r in held["help_requests"] for a in r.get("answers", [])} | {
        r.get("asked_you") for r in held["help_requests"]} | {a["asked_by"] for a in held["help_answers"]}
    with database.session(readonly=True) as session:
        others = session.execute(sa.select(Member.name, Member.email, Member.phone)
                                 .where(Member.id != member_id)).all()
    for name, email, phone in others:
        assert not email or email not in text, f"another member's email: {email}"
        assert not phone or phone not in text, f"another member's phone: {phone}"
        if name not in shown:
            assert name not in text, f"{name} is in the file, though not on the statement"


def test_each_export_is_written_to_the_access_log(demo):
    _, database = demo
    member_id = _member_id(database)
    assessment_id = _an_assessment(database, member_id)
    before = _files(database, member_id, assessment_id)
    after = _files(database, member_id, assessment_id)
    assert len(after["member_access"]) == len(before["member_access"]) + 1
    assert [a for a in after["assessment_access"] if a["action"] == "export" and a["assessment_id"] == assessment_id]


def _opened(made: subject_access.SubjectFile) -> tuple[dict, str]:
    with zipfile.ZipFile(BytesIO(subject_access.as_zip(made))) as archive:
        return json.loads(archive.read("record.json")), archive.read("record.html").decode()


def _words_of(page: str) -> str:
    """What a reader sees: the page without its style and tags."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


def test_the_page_to_read_says_every_section_of_the_file_in_plain_words(demo):
    from timebank.services import contact_log
    from timebank.services.subject_access_page import SECTIONS

    _, database = demo
    coordinator, worker = _staff(database)
    member_id = _member_id(database)
    contact_log.add_note(database, DEMO_BANK_SLUG, member_id, text="<script>alert(1)</script> rang back",
                         author="Cora")
    assessment_id = _an_assessment(database, member_id)
    member, member_page = _opened(subject_access.member_file(database, coordinator, DEMO_BANK_SLUG, member_id))
    assessment, assessment_page = _opened(subject_access.assessment_file(database, worker, assessment_id))
    with database.session(readonly=True) as session:  # a person the demonstration introduced, with answers
        answered = session.scalar(sa.select(OutcomeMeasureAnswer.assessment_id).order_by(OutcomeMeasureAnswer.id))
    introduced, introduced_page = _opened(subject_access.assessment_file(database, worker, answered))
    assert introduced["introductions"] and introduced["outcome_measure_answers"]
    for document, page in ((member, member_page), (assessment, assessment_page), (introduced, introduced_page)):
        for section, rows in document.items():
            if isinstance(rows, list):
                assert f"<h3>{html.escape(SECTIONS[section].heading)}</h3>" in page, section
        assert "Other records" not in page, "every section has its words"
        seen = _words_of(page)
        assert not re.search(r"\d{4}-\d\d-\d\d", seen), "days are written in words, not ISO"
        assert not re.search(r"\b(True|False|None)\b", seen), "yes or no, not True or False"
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", seen), "no code of the file is shown as it is"
    for heading in ("Your details", "Your balance and exchanges", "Requests and offers", "Messages we sent you",
                    "Who looked at your record"):
        assert f"<h2>{heading}</h2>" in member_page
    balance = member["accounts"][0]["balance_minutes"]
    assert f"<dt>Your balance</dt><dd>{format_minutes(balance)}</dd>" in member_page
    given = member["exchanges"][0]
    assert f"{day_words(given['given_on'])}: you {given['you']} {format_minutes(given['amount_minutes'])}" \
        in member_page
    assert "DIY and small household repairs" in member_page, "the service's name, not its code"
    assert "<dt>Note</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt; rang back</dd>" in member_page, "escaped"
    assert "<script>" not in member_page
    assert "<dt>In your words</dt><dd>Someone to walk with me to the shops</dd>" in assessment_page
    assert "<dt>Consent given on</dt><dd>5 January 2026</dd>" in assessment_page
    assert "<h4>Overall, how satisfied are you with your life nowadays?</h4>" in introduced_page
    assert " out of 10</dd>" in introduced_page


def _an_assessment(database, member_id) -> int:
    """A new assessment of the member, the test's own (another test may withdraw or
    remove the ones it made)."""
    _, worker = _staff(database)
    return assessments.record_assessment(database, worker, person_name=DEMO_NAME, content=_content(),
                                         member_id=member_id, today=dt.date.today()).id


def test_a_coordinator_cannot_export_assessments_nor_a_social_worker_the_ledger(demo):
    _, database = demo
    coordinator, worker = _staff(database)
    assessment_id = _an_assessment(database, _member_id(database))
    subject_access.assessment_file(database, worker, assessment_id)  # the social worker may
    with pytest.raises(NotAllowed):
        subject_access.assessment_file(database, coordinator, assessment_id)
    subject_access.member_file(database, coordinator, DEMO_BANK_SLUG, _member_id(database))  # the coordinator may
    with pytest.raises(NotAllowed):
        subject_access.member_file(database, worker, DEMO_BANK_SLUG, _member_id(database))


def test_withdrawing_consent_takes_the_person_out_of_the_next_match_run_and_hides_the_assessment(demo):
    _, database = demo
    _, worker = _staff(database)
    member_id = _member_id(database)
    assessment_id = _an_assessment(database, member_id)
    assert f"a{assessment_id}" in {p.person for p in _profiles(database)}
    with pytest.raises(DayInFuture) as refused:
        consent.withdraw_consent(database, worker, assessment_id, withdrawn_on=dt.date.today() + dt.timedelta(days=1),
                                 note="by phone")
    assert refused.value.code == "day_in_future"
    consent.withdraw_consent(database, worker, assessment_id, withdrawn_on=dt.date.today(), note="By phone to me")
    assert f"a{assessment_id}" not in {p.person for p in _profiles(database)}
    with pytest.raises(NotAllowed):
        assessments.get_assessment(database, worker, assessment_id)
    assert assessment_id not in {a.id for a in assessments.list_assessments(database, worker)}
    shown = consent.get_withdrawal(database, worker, assessment_id)
    assert shown.note == "By phone to me" and shown.withdrawn_on == dt.date.today()
    run = matches.run_match(database, worker)
    assert assessment_id not in {p.need_assessment_id for p in run.proposals} | {
        p.capability_assessment_id for p in run.proposals}


def _profiles(database):
    from timebank.db.models import Bank

    with database.session(readonly=True) as session:
        bank = session.scalar(sa.select(Bank).where(Bank.slug == DEMO_BANK_SLUG))
        return matches.bank_profiles(session, bank, dt.date.today())


def test_erasing_the_demo_member_keeps_every_exchange_and_balance_and_the_check_passes(demo_to_erase):
    run, database = demo_to_erase
    coordinator, _ = _staff(database)
    member_id = _member_id(database)
    balances = ledger.account_balances(database, DEMO_BANK_SLUG)
    with database.session(readonly=True) as session:
        amounts = session.execute(sa.select(Exchange.id, Exchange.amount_minutes, Exchange.given_on, Exchange.kind)
                                  .order_by(Exchange.id)).all()
        partner = session.scalar(sa.select(Exchange.receiver_member_id).where(
            Exchange.provider_member_id == member_id, Exchange.receiver_member_id.is_not(None)).limit(1))
    partner_statement = [(line.amount_minutes, line.balance_minutes)
                         for line in ledger.statement(database, DEMO_BANK_SLUG, partner)]

    erased = erasure.erase_member(database, DEMO_BANK_SLUG, member_id, actor=coordinator)

    assert not erased.already and erased.sign_ins == 1
    assert ledger.account_balances(database, DEMO_BANK_SLUG) == balances
    assert [(line.amount_minutes, line.balance_minutes)
            for line in ledger.statement(database, DEMO_BANK_SLUG, partner)] == partner_statement
    assert check_ledger(database).ok
    assert run("check").exit_code == 0
    with database.session(readonly=True) as session:
        assert session.execute(sa.select(Exchange.id, Exchange.amount_minutes, Exchange.given_on, Exchange.kind)
                               .order_by(Exchange.id)).all() == amounts
        member = session.get(Member, member_id)
        assert (member.name, member.email, member.phone, member.status) == (FORMER_MEMBER, None, None, "closed")
        assert session.scalar(sa.select(User.id).where(User.member_id == member_id)) is None
        descriptions = set(session.scalars(sa.select(Exchange.description).where(sa.or_(
            Exchange.provider_member_id == member_id, Exchange.receiver_member_id == member_id))))
        assert descriptions <= {REMOVED, None}
        assert session.scalar(sa.text("SELECT count(*) FROM assessment_versions v JOIN assessments a "
                                      "ON a.id = v.assessment_id WHERE a.member_id = :m"), {"m": member_id}) == 0
    assert _name_nowhere(database, DEMO_NAME), "the name is still in the database"
    assert erasure.erase_member(database, DEMO_BANK_SLUG, member_id, actor=coordinator).already


def _name_nowhere(database, name: str) -> bool:
    """No text column of any table (JSON too) holds the name, nor the email."""
    with database.session(readonly=True) as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
            for row in session.execute(sa.select(*columns)) if columns else ():
                text = json.dumps([str(v) for v in row])
                if name in text or MEMBER_EMAIL in text:
                    # Reading examples carry texts without a person (see the report): not names.
                    print(table.name, text[:200])
                    return False
    return True


def test_the_erasure_guard_still_refuses_any_other_change_to_an_exchange(demo):
    _, database = demo
    engine = database.engine
    with engine.connect() as connection:
        exchange_id = connection.execute(sa.text("SELECT min(id) FROM exchanges")).scalar()
    for change in ("amount_minutes = amount_minutes + 1", "description = 'rewritten'", "reason = 'other words'"):
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as connection:
            connection.execute(sa.text(f"UPDATE exchanges SET {change} WHERE id = :i"), {"i": exchange_id})
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE exchanges SET description = :r WHERE id = :i"),
                           {"r": REMOVED, "i": exchange_id})
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM assessment_versions WHERE id = "
                                   "(SELECT min(v.id) FROM assessment_versions v JOIN assessments a "
                                   "ON a.id = v.assessment_id WHERE a.erased_at IS NULL)"))


def test_retention_removes_what_is_past_keeping_once_and_a_dry_run_removes_nothing(demo):
    run, database = demo
    far = dt.date.today() + dt.timedelta(days=366 * 9)  # nine years on, everything is past eight
    with database.session(readonly=True) as session:
        # A person in an open introduction is still in contact: retention leaves them.
        open_proposals = sa.select(Introduction.proposal_id).where(Introduction.status == "open")
        in_touch = set()
        for need_id, helper_id in session.execute(
                sa.select(MatchProposal.need_assessment_id, MatchProposal.capability_assessment_id)
                .where(MatchProposal.id.in_(open_proposals))):
            in_touch |= {need_id, helper_id}
        # Not those erased with their member already (another test erases someone).
        in_touch = set(session.scalars(sa.select(Assessment.id).where(
            Assessment.id.in_(in_touch), Assessment.erased_at.is_(None))))
        kept = session.scalar(sa.select(sa.func.count()).select_from(Assessment).where(
            Assessment.erased_at.is_(None), Assessment.id.not_in(in_touch)))
    assert kept > 0
    dry = retention.run_retention(database, bank_slug=DEMO_BANK_SLUG, today=far, dry_run=True)
    assert len([r for r in dry if r.kind == "assessment"]) == kept
    assert retention.run_retention(database, bank_slug=DEMO_BANK_SLUG, today=dt.date.today()) == []
    removed = retention.run_retention(database, bank_slug=DEMO_BANK_SLUG, today=far)
    assert [r.id for r in removed] == [r.id for r in dry]
    assert retention.run_retention(database, bank_slug=DEMO_BANK_SLUG, today=far) == []
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Assessment)
                              .where(Assessment.erased_at.is_(None))) == len(in_touch)
    assert run("retention", "run", "--bank", DEMO_BANK_SLUG).output.endswith("0 record(s) removed.\n")
    assert run("retention", "run", "--dry-run").output.endswith("0 record(s) would be removed.\n")
    assert run("check").exit_code == 0


def test_a_bank_keeps_records_for_a_whole_number_of_years(demo):
    _, database = demo
    assert retention.set_retention_years(database, DEMO_BANK_SLUG, 10).years == 10
    for wrong in (0, 101, -1, True):
        with pytest.raises(InvalidInput):
            retention.set_retention_years(database, DEMO_BANK_SLUG, wrong)
    retention.set_retention_years(database, DEMO_BANK_SLUG, 8)


def test_the_operator_erases_and_exports_from_the_command_line(demo, tmp_path):
    run, database = demo
    member_id = _member_id(database, _someone_else(database))
    out = tmp_path / "record.zip"
    assert run("person", "export", "--bank", DEMO_BANK_SLUG, "--member", member_id, "--out", out).exit_code == 0
    assert zipfile.is_zipfile(out)
    erased = run("person", "erase", "--bank", DEMO_BANK_SLUG, "--member", member_id, "--yes")
    assert erased.exit_code == 0 and "erased" in erased.output
    again = run("person", "erase", "--bank", DEMO_BANK_SLUG, "--member", member_id, "--yes")
    assert "already" in again.output
    assert run("check").exit_code == 0
    from click.testing import CliRunner

    from timebank.cli import main
    missing = CliRunner().invoke(main, ["--db", run.url, "person", "erase", "--bank", DEMO_BANK_SLUG,
                                        "--member", "999999", "--yes"])
    assert missing.exit_code == 1 and len(missing.stderr.strip().splitlines()) == 1


def _someone_else(database) -> str:
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(Member.name).where(Member.name != DEMO_NAME, Member.erased_at.is_(None),
                                                           Member.email.is_not(None)).order_by(Member.id))


def test_retention_removes_a_closed_introduction_and_its_outcomes_and_keeps_an_open_ones_assessments(
        database, bank):
    """In a bank of its own: one closed introduction, one open; nine years on, the closed
    one goes (outcomes too) with its two assessments, the open one and its two stay."""
    from timebank.db.models import BankReader, Introduction, Outcome, ReadingExample
    from timebank.services import readings

    auth.create_user(database, bank.slug, email=f"sw-{bank.slug}@example.org", name="Sam", password=DEMO_PASSWORD,
                     role="social_worker")
    worker = auth.authenticate(database, f"sw-{bank.slug}@example.org", DEMO_PASSWORD)
    place = {"consent": True, "consent_on": "2026-01-05", "area": "Leith", "location": [55.97, -3.17]}
    introduced = []
    for n in (1, 2):
        assessments.record_assessment(database, worker, person_name=f"Need {n}", content={
            **place, "needs": [{"text": f"Help with my weekly shop {n}", "category": "shopping"}]})
        assessments.record_assessment(database, worker, person_name=f"Helper {n}", content={
            **place, "capabilities": [{"text": f"Happy to do shopping {n}", "category": "shopping"}]})
        run = matches.run_match(database, worker)
        proposal = next(p for p in run.proposals if p.status == "proposed")
        introduced.append(matches.accept_proposal(database, worker, proposal.id).id)
    matches.record_outcome(database, worker, introduced[0], side="helped", help_happened=True,
                           difference="a_lot", comment="Lovely")
    matches.close_introduction(database, worker, introduced[0])
    assert readings.retrain_reader(database, bank.slug).model_stored  # learns the accepted matches' words
    far = dt.date.today() + dt.timedelta(days=366 * 9)

    removed = retention.run_retention(database, bank_slug=bank.slug, today=far)

    assert [(r.kind, r.id) for r in removed if r.kind == "introduction"] == [("introduction", introduced[0])]
    assert len([r for r in removed if r.kind == "assessment"]) == 2
    with database.session(readonly=True) as session:
        assert {i.id for i in session.scalars(sa.select(Introduction).where(
            Introduction.id.in_(introduced)))} == {introduced[1]}
        assert session.scalar(sa.select(sa.func.count()).select_from(Outcome)
                              .where(Outcome.introduction_id == introduced[0])) == 0
        texts = set(session.scalars(sa.select(ReadingExample.text)))
        model = session.scalar(sa.select(BankReader.model).where(BankReader.bank_id == bank.id))
    assert "Help with my weekly shop 1" not in texts, "the reader's examples of an erased assessment go too"
    assert model is None, "the bank's reader, which learned the erased words, goes with them"
    assert retention.run_retention(database, bank_slug=bank.slug, today=far) == []
