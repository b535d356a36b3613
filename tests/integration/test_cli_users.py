"""`timebank user add|reset|disable|enable`: the operator's sign-ins for staff, with reset
links printed to the terminal and never to a log, on both databases."""
import logging

import pytest

from tests.conftest import PASSWORD_HASHING, cli_runner
from timebank.domain.errors import SignInRefused

NEW_PASSWORD = "a brand new secret"


@pytest.fixture
def run(backend, database_factory):
    run = cli_runner(database_factory.url(backend))
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith Time Bank").exit_code == 0
    assert run("bank", "add", "gorgie", "--name", "Gorgie Time Bank").exit_code == 0
    return run


@pytest.fixture
def database(run):
    from timebank.db.engine import Database

    database = Database(run.url, password_hashing=PASSWORD_HASHING)
    yield database
    database.dispose()


def _token(line: str) -> str:
    assert line.startswith("/reset/"), line
    return line.removeprefix("/reset/")


def test_user_add_makes_a_staff_sign_in_and_prints_its_id_and_reset_link(run, database):
    from timebank.services import auth

    result = run("user", "add", "--bank", "leith", "--role", "social_worker", "--name", "Sam Social",
                 "Sam@Example.org")
    assert result.exit_code == 0, result.stderr
    user_id, link = result.stdout.splitlines()
    assert auth.reset_password(database, _token(link), NEW_PASSWORD).id == int(user_id)
    signed_in = auth.authenticate(database, "sam@example.org", NEW_PASSWORD)
    assert (signed_in.role, signed_in.bank_slug, signed_in.name) == ("social_worker", "leith", "Sam Social")
    assert "once" in result.stderr and "hour" in result.stderr
    assert "It is sent to sam@example.org too" in result.stderr  # through the outbox, as a member's


@pytest.mark.parametrize("args, status, says", [
    (("--role", "member"), 2, "member"),
    (("--role", "coordinator", "--bank", "nowhere"), 1, "nowhere"),
    (("--role", "coordinator", "--name", ""), 1, "name"),
])
def test_user_add_refuses_what_it_cannot_make_and_writes_nothing(run, database, args, status, says):
    from timebank.services import auth

    options = {"--bank": "leith", "--name": "Cora"}
    given = dict(zip(args[::2], args[1::2]))
    options.update(given)
    result = run("user", "add", *[part for pair in options.items() for part in pair], "cora@example.org")
    assert result.exit_code == status and says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 or status == 2
    with pytest.raises(SignInRefused):
        auth.authenticate(database, "cora@example.org", NEW_PASSWORD)
    assert run("user", "reset", "--bank", "leith", "cora@example.org").exit_code == 1


def test_user_add_refuses_an_address_that_already_signs_in(run):
    assert run("user", "add", "--bank", "leith", "--role", "coordinator", "--name", "Cora",
               "cora@example.org").exit_code == 0
    again = run("user", "add", "--bank", "gorgie", "--role", "coordinator", "--name", "Cora",
                "cora@example.org")
    assert again.exit_code == 1 and again.stderr == (
        "timebank: cora@example.org cannot be used for a sign-in here. Use another email address.\n")


def test_user_reset_prints_a_new_link_that_voids_the_older_and_is_never_logged(run, database, caplog):
    from timebank.domain.errors import ResetTokenInvalid
    from timebank.services import auth

    with caplog.at_level(logging.DEBUG):
        first = run("user", "add", "--bank", "leith", "--role", "coordinator", "--name", "Cora",
                    "cora@example.org").stdout.splitlines()[1]
        result = run("user", "reset", "--bank", "leith", "cora@example.org")
    assert result.exit_code == 0
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/reset/" not in logged and _token(result.stdout.strip()) not in logged
    with pytest.raises(ResetTokenInvalid):
        auth.reset_password(database, _token(first), NEW_PASSWORD)
    auth.reset_password(database, _token(result.stdout.strip()), NEW_PASSWORD)


def test_user_reset_names_a_sign_in_of_that_bank_only(run):
    assert run("user", "add", "--bank", "leith", "--role", "coordinator", "--name", "Cora",
               "cora@example.org").exit_code == 0
    result = run("user", "reset", "--bank", "gorgie", "cora@example.org")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == "timebank: There is no such sign-in in this bank.\n"


def test_user_disable_ends_the_sign_in_and_enable_restores_it(run, database):
    from timebank.services import auth

    link = run("user", "add", "--bank", "leith", "--role", "coordinator", "--name", "Cora",
               "cora@example.org").stdout.splitlines()[1]
    auth.reset_password(database, _token(link), NEW_PASSWORD)
    session = auth.start_session(database, auth.authenticate(database, "cora@example.org", NEW_PASSWORD).id)
    assert run("user", "disable", "--bank", "leith", "cora@example.org").exit_code == 0
    assert auth.session_user(database, session) is None
    with pytest.raises(SignInRefused, match="not active"):
        auth.authenticate(database, "cora@example.org", NEW_PASSWORD)
    assert run("user", "reset", "--bank", "leith", "cora@example.org").exit_code == 1
    assert run("user", "enable", "--bank", "leith", "cora@example.org").exit_code == 0
    assert auth.authenticate(database, "cora@example.org", NEW_PASSWORD).email == "cora@example.org"
