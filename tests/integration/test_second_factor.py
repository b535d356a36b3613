"""The second factor on SQLite and PostgreSQL: set up, codes taken once, recovery codes
once, the secret sealed at rest, and resets by a coordinator (their bank's staff only)
and by the operator."""
import time

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import cli_runner
from timebank.domain.errors import CodeRefused, Forbidden, NotFound
from timebank.services import auth, second_factor

KEY = "integration-sealing-key"
PASSWORD = "a long enough password"


def _user(database, bank, role, name):
    return auth.create_user(database, bank.slug, email=f"{name.lower()}-{bank.slug}@example.org", name=name,
                            password=PASSWORD, role=role)


def _enrolled(database, user):
    """A sign-in with a factor set up in one session; the secret and the step it used."""
    token = auth.start_session(database, user.id)
    secret = second_factor.begin_enrolment(database, user.id, sealing_key=KEY).secret
    now = time.time()
    codes = second_factor.confirm_enrolment(database, user.id, token, pyotp.TOTP(secret).at(now),
                                            sealing_key=KEY, at=now)
    return secret, now, codes


def _stage(database, token):
    view = auth.session_user(database, token)
    return view.has_second_factor, view.second_factor_given


def test_setting_up_keeps_one_secret_until_a_first_code_proves_it(database, bank):
    cora = _user(database, bank, "coordinator", "Cora")
    first = second_factor.begin_enrolment(database, cora.id, sealing_key=KEY)
    # Reloading the page after scanning must show the same secret as the app holds.
    assert second_factor.begin_enrolment(database, cora.id, sealing_key=KEY).secret == first.secret
    assert not second_factor.has_factor(database, cora.id)
    token = auth.start_session(database, cora.id)
    with pytest.raises(CodeRefused):
        second_factor.confirm_enrolment(database, cora.id, token, "000000", sealing_key=KEY,
                                        at=_far_from_code(first.secret))
    assert not second_factor.has_factor(database, cora.id)
    codes = second_factor.confirm_enrolment(database, cora.id, token, pyotp.TOTP(first.secret).now(),
                                            sealing_key=KEY)
    assert len(codes) == 10
    assert second_factor.has_factor(database, cora.id)
    assert _stage(database, token) == (True, True)


def _far_from_code(secret):
    """A moment at which 000000 is not the code of any step taken."""
    at = time.time()
    while any(pyotp.TOTP(secret).at(at + d * 30) == "000000" for d in (-1, 0, 1)):
        at += 90
    return at


def test_a_new_session_is_half_signed_in_until_its_code_and_a_code_is_taken_once(database, bank):
    sam = _user(database, bank, "social_worker", "Sam")
    secret, at, _ = _enrolled(database, sam)
    token = auth.start_session(database, sam.id)
    assert _stage(database, token) == (True, False)
    # The code used to set up is refused in its window: a replay.
    with pytest.raises(CodeRefused, match="already used"):
        second_factor.verify(database, sam.id, token, pyotp.TOTP(secret).at(at), sealing_key=KEY, at=at)
    assert _stage(database, token) == (True, False)
    later = at + 30
    second_factor.verify(database, sam.id, token, pyotp.TOTP(secret).at(later), sealing_key=KEY, at=later)
    assert _stage(database, token) == (True, True)
    other = auth.start_session(database, sam.id)
    with pytest.raises(CodeRefused, match="already used"):
        second_factor.verify(database, sam.id, other, pyotp.TOTP(secret).at(later), sealing_key=KEY, at=later)
    assert _stage(database, other) == (True, False)


def test_a_recovery_code_works_once(database, bank):
    sam = _user(database, bank, "social_worker", "Sam")
    _, _, codes = _enrolled(database, sam)
    token = auth.start_session(database, sam.id)
    verified = second_factor.verify(database, sam.id, token, codes[3].upper(), sealing_key=KEY)
    assert verified.used_recovery_code and verified.recovery_codes_left == 9
    again = auth.start_session(database, sam.id)
    with pytest.raises(CodeRefused, match="recovery code"):
        second_factor.verify(database, sam.id, again, codes[3], sealing_key=KEY)
    assert _stage(database, again) == (True, False)
    assert second_factor.recovery_codes_left(database, sam.id) == 9


def test_the_secret_and_the_recovery_codes_are_not_in_the_database_as_they_are(database, bank):
    from timebank.db.models import RecoveryCode, SecondFactor

    sam = _user(database, bank, "social_worker", "Sam")
    secret, _, codes = _enrolled(database, sam)
    with database.session(readonly=True) as session:
        sealed = session.scalar(select(SecondFactor.secret_sealed).where(SecondFactor.user_id == sam.id))
        digests = set(session.scalars(select(RecoveryCode.code_digest).where(RecoveryCode.user_id == sam.id)))
    assert secret not in sealed
    assert not digests & set(codes) and len(digests) == 10
    # With another key (a dump taken elsewhere), the secret cannot be read.
    token = auth.start_session(database, sam.id)
    with pytest.raises(CodeRefused, match="cannot be checked"):
        second_factor.verify(database, sam.id, token, pyotp.TOTP(secret).now(), sealing_key="another key")
    with pytest.raises(CodeRefused):
        second_factor.verify(database, sam.id, token, codes[0], sealing_key="another key")


def test_a_coordinator_resets_staff_of_their_bank_and_their_sessions_end(database, bank):
    cora = _user(database, bank, "coordinator", "Cora")
    sam = _user(database, bank, "social_worker", "Sam")
    _enrolled(database, sam)
    token = auth.start_session(database, sam.id)
    second_factor.reset_factor(database, bank.slug, reset_by=cora.id, user_id=sam.id)
    assert not second_factor.has_factor(database, sam.id)
    assert second_factor.recovery_codes_left(database, sam.id) == 0
    assert auth.session_user(database, token) is None
    assert [(s.name, s.enrolled) for s in second_factor.staff_factors(database, bank.slug)] == [
        ("Cora", False), ("Sam", False)]


def test_a_coordinator_cannot_reset_a_member_themselves_or_another_banks_staff(database, bank, make_bank,
                                                                               make_member):
    cora = _user(database, bank, "coordinator", "Cora")
    _enrolled(database, cora)
    member = make_member(bank, "Ann")
    ann = auth.create_user(database, bank.slug, email="ann-2fa@example.org", name="Ann", password=PASSWORD,
                           role="member", member_id=member.id)
    _enrolled(database, ann)
    other_bank = make_bank()
    olga = _user(database, other_bank, "coordinator", "Olga")
    _enrolled(database, olga)
    with pytest.raises(Forbidden, match="operator"):
        second_factor.reset_factor(database, bank.slug, reset_by=cora.id, user_id=ann.id)
    with pytest.raises(Forbidden, match="Your own"):
        second_factor.reset_factor(database, bank.slug, reset_by=cora.id, user_id=cora.id)
    with pytest.raises(NotFound):
        second_factor.reset_factor(database, bank.slug, reset_by=cora.id, user_id=olga.id)
    sam = _user(database, bank, "social_worker", "Sam")
    with pytest.raises(Forbidden, match="Only a coordinator"):
        second_factor.reset_factor(database, bank.slug, reset_by=sam.id, user_id=cora.id)
    assert all(second_factor.has_factor(database, u.id) for u in (cora, ann, olga))


def test_the_operator_resets_any_sign_in_from_the_command_line(backend, database_factory):
    from tests.conftest import PASSWORD_HASHING
    from timebank.db.engine import Database

    run = cli_runner(database_factory.url(backend))
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith Time Bank").exit_code == 0
    database = Database(run.url, password_hashing=PASSWORD_HASHING)
    try:
        cora = auth.create_user(database, "leith", email="cora-cli@example.org", name="Cora",
                                password=PASSWORD, role="coordinator")
        _enrolled(database, cora)
        result = run("user", "reset-factor", "--bank", "leith", cora.email)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == str(cora.id)
        assert not second_factor.has_factor(database, cora.id)
        assert run("user", "reset-factor", "--bank", "leith", "nobody@example.org").exit_code != 0
    finally:
        database.dispose()
