"""The `timebank` command line, as ../shared/specs/cli.md fixes it, on both databases."""
import csv
import datetime as dt
import io
import json

import pytest

from tests.conftest import cli_runner


@pytest.fixture
def run(backend, database_factory):
    """`timebank --db <a new database of the backend> ARGS...`."""
    return cli_runner(database_factory.url(backend))


@pytest.fixture
def leith(run):
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith Time Bank", "--min-balance", "-2",
               "--max-balance", "10").exit_code == 0
    ids = []
    for name in ("Ann", "Bob", "Cat"):
        result = run("member", "add", "--bank", "leith", name, "--joined", "2024-01-01")
        assert result.exit_code == 0
        ids.append(int(result.stdout.strip()))
    return ids


def test_commands_refuse_to_run_before_init(run):
    result = run("bank", "add", "leith", "--name", "Leith")
    assert result.exit_code == 1
    assert "timebank init" in result.stderr


def test_init_twice_is_harmless(run):
    assert run("init").exit_code == 0
    assert run("init").exit_code == 0


def test_bank_add_takes_the_number_members_ring_or_refuses_one_that_is_no_number(run):
    from tests.conftest import PASSWORD_HASHING
    from timebank.db.engine import Database
    from timebank.services.banks import get_bank

    assert run("init").exit_code == 0
    refused = run("bank", "add", "leith", "--name", "Leith Time Bank", "--phone", "ring Cora")
    assert refused.exit_code == 1 and "is not a phone number" in refused.stderr
    assert refused.stderr.count("\n") == 1 and refused.stdout == ""
    assert run("bank", "add", "leith", "--name", "Leith Time Bank", "--phone", " 0131 496 0000").exit_code == 0
    database = Database(run.url, password_hashing=PASSWORD_HASHING)
    try:
        assert get_bank(database, "leith").contact_phone == "0131 496 0000"  # the refused one wrote nothing
    finally:
        database.dispose()


def test_member_add_prints_the_id_alone_on_its_line(run, leith):
    result = run("member", "add", "--bank", "leith", "Dot", "--email", "dot@example.org", "--organisation")
    assert result.exit_code == 0
    assert result.stdout.strip().isdigit() and result.stdout.count("\n") == 1


def test_member_add_with_a_retried_key_takes_one_member_on(run, leith):
    first = run("member", "add", "--bank", "leith", "Dot", "--key", "take-on-dot")
    again = run("member", "add", "--bank", "leith", "Dot", "--key", "take-on-dot")
    assert first.exit_code == again.exit_code == 0 and first.stdout == again.stdout
    other = run("member", "add", "--bank", "leith", "Dorothy", "--key", "take-on-dot")
    assert other.exit_code == 1 and "key" in other.stderr and other.stdout == ""
    listed = json.loads(run("balance", "--bank", "leith", "--json").stdout)
    assert [m["name"] for m in listed].count("Dot") == 1 and "Dorothy" not in str(listed)


def test_log_records_an_exchange_and_a_retried_key_prints_the_same_id(run, leith):
    ann, bob, _ = leith
    first = run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "1h30m",
                "--what", "Lift to the surgery", "--category", "lifts", "--key", "abc")
    again = run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "1.5",
                "--what", "Lift to the surgery", "--category", "lifts", "--key", "abc")
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout
    other = run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "2",
                "--key", "abc")
    assert other.exit_code == 1 and "key" in other.stderr
    balance = json.loads(run("balance", "--bank", "leith", ann, "--json").stdout)
    assert balance == {"member": ann, "name": "Ann", "minutes": 90, "hours": 1.5}


@pytest.mark.parametrize("hours", ["0", "-1", "0.001", "1.003", "nan", "inf", "1e9", "abc", "", "25"])
def test_log_refuses_bad_hours_with_one_line_and_writes_nothing(run, leith, hours):
    ann, bob, _ = leith
    result = run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", hours)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("timebank: ")
    assert json.loads(run("check", "--json").stdout)["exchanges"] == 0


@pytest.mark.parametrize("args, words", [
    (["--bank", "nowhere"], "no time bank"),
    (["--receiver-self"], "themself"),
    (["--on", "2999-01-01"], "future"),
    (["--on", "2026-02-30"], "YYYY-MM-DD"),
    (["--hours-big"], "lowest balance"),
])
def test_log_refusals_name_the_rule(run, leith, args, words):
    ann, bob, _ = leith
    base = {"--bank": "leith", "--provider": ann, "--receiver": bob, "--hours": "1"}
    extra = []
    for a in args:
        if a == "--receiver-self":
            base["--receiver"] = ann
        elif a == "--hours-big":
            base["--hours"] = "3"
        else:
            extra.append(a)
    if extra and extra[0] == "--bank":
        base["--bank"] = args[1]
        extra = []
    flat = [x for kv in base.items() for x in kv] + extra
    result = run("log", *flat)
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert json.loads(run("check", "--json").stdout)["exchanges"] == 0


def test_wrong_usage_exits_2(run, leith):
    assert run("log", "--bank", "leith", "--hours", "1").exit_code == 2
    assert run("log", "--bank", "leith", "--provider", "x", "--receiver", "1", "--hours", "1").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_group_grant_donate_reverse_and_check(run, leith):
    ann, bob, cat = leith
    group = run("log-group", "--bank", "leith", "--provider", ann, "--hours", "1:01",
                "--receiver", bob, "--receiver", cat)
    assert group.exit_code == 0, group.output
    assert run("grant", "--bank", "leith", "--member", bob, "--hours", "1", "--reason", "welcome").exit_code == 0
    assert run("donate", "--bank", "leith", "--member", bob, "--hours", "0.5").exit_code == 0
    reversed_ = run("reverse", group.stdout.strip(), "--reason", "wrong session")
    assert reversed_.exit_code == 0
    twice = run("reverse", group.stdout.strip(), "--reason", "again")
    assert twice.exit_code == 1 and "already been reversed" in twice.stderr
    balances = json.loads(run("balance", "--bank", "leith", "--json").stdout)
    assert {b["member"]: b["minutes"] for b in balances} == {ann: 0, bob: 30, cat: 0}
    report = json.loads(run("check", "--json").stdout)
    assert report["ok"] is True and report["exchanges"] == 4
    assert run("check").exit_code == 0


def test_statement_csv_has_the_running_balance(run, leith):
    ann, bob, cat = leith
    run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "2",
        "--on", (dt.date.today() - dt.timedelta(days=2)).isoformat())
    run("log", "--bank", "leith", "--provider", cat, "--receiver", ann, "--hours", "0.5")
    result = run("statement", "--bank", "leith", ann, "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["minutes"], r["balance_minutes"], r["with"]) for r in rows] == [
        ("120", "120", "Bob"), ("-30", "90", "Cat")]
    assert json.loads(run("statement", "--bank", "leith", ann, "--json").stdout)[1]["balance_minutes"] == 90


def test_every_command_has_help(run):
    for command in ("init", "bank", "member", "log", "log-group", "grant", "donate", "reverse",
                    "balance", "statement", "check", "match"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.stdout


@pytest.mark.parametrize("args", [
    ("log", "--bank", "leith", "--provider", "99999999999999999999", "--receiver", "1", "--hours", "1"),
    ("reverse", "--bank", "leith", "99999999999999999999", "--reason", "typo"),
    ("balance", "--bank", "leith", "99999999999999999999"),
    ("statement", "--bank", "leith", "2147483648"),
])
def test_an_id_no_database_can_hold_is_wrong_usage_in_one_line(run, leith, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "not in the range" in result.stderr


def test_a_balance_limit_no_database_can_hold_is_refused_in_one_line(run, leith):
    result = run("bank", "add", "porty", "--name", "Porty", "--max-balance", "99999999999999999999")
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "at most 100,000 hours" in result.stderr


@pytest.mark.parametrize("url", ["garbage://x", "postgresql+psycopg://nobody@127.0.0.1:1/nothing"])
def test_a_database_that_cannot_be_used_gets_one_line(url):
    result = cli_runner(url)("check")
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("timebank: ")


def test_log_asks_about_a_day_more_than_a_year_back_and_a_repeat(run, leith):
    ann, bob, _ = leith
    base = ["log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "1"]
    long_ago = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    refused = run(*base, "--on", long_ago)
    assert refused.exit_code == 1 and "more than a year ago" in refused.stderr
    assert run(*base, "--on", long_ago, "--long-ago").exit_code == 0
    repeat = run(*base, "--on", long_ago, "--long-ago")
    assert repeat.exit_code == 1 and "same people, day and hours" in repeat.stderr
    assert run(*base, "--on", long_ago, "--long-ago", "--again").exit_code == 0
    assert json.loads(run("check", "--json").stdout)["exchanges"] == 2
    before_joining = run(*base, "--on", "2023-12-31", "--long-ago")
    assert before_joining.exit_code == 1 and "Ann joined on 1 January 2024" in before_joining.stderr
