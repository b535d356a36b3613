"""The second factor's rules: which code is taken (once), recovery codes, where a session
stands between password and code, and who may reset a lost factor."""
import pyotp
import pytest

from timebank.domain.errors import CodeRefused, Forbidden
from timebank.domain.second_factor import (
    RECOVERY_CODE_COUNT,
    STEP_SECONDS,
    check_may_reset_factor,
    clean_recovery_code,
    matching_step,
    new_recovery_codes,
    new_secret,
    provisioning_uri,
    sign_in_stage,
)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = 1_800_000_015.0  # inside step 60_000_000
STEP = int(AT // STEP_SECONDS)


def code_at(step: int) -> str:
    return pyotp.TOTP(SECRET).at(step * STEP_SECONDS)


def test_the_code_of_now_is_taken_with_its_step():
    assert matching_step(SECRET, code_at(STEP), at=AT, last_used_step=None) == STEP


@pytest.mark.parametrize("offset", [-1, 1])
def test_a_phone_a_step_out_is_still_taken(offset):
    assert matching_step(SECRET, code_at(STEP + offset), at=AT, last_used_step=None) == STEP + offset


@pytest.mark.parametrize("offset", [-2, 2, -10])
def test_a_code_further_out_is_refused(offset):
    with pytest.raises(CodeRefused, match="not right"):
        matching_step(SECRET, code_at(STEP + offset), at=AT, last_used_step=None)


def test_a_code_already_used_in_its_window_is_refused():
    with pytest.raises(CodeRefused, match="already used"):
        matching_step(SECRET, code_at(STEP), at=AT, last_used_step=STEP)


def test_an_older_step_than_the_last_one_used_is_refused_too():
    with pytest.raises(CodeRefused, match="already used"):
        matching_step(SECRET, code_at(STEP - 1), at=AT, last_used_step=STEP)


def test_spaces_and_dashes_in_a_typed_code_do_not_matter():
    code = code_at(STEP)
    assert matching_step(SECRET, f" {code[:3]} {code[3:]} ", at=AT, last_used_step=None) == STEP


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_what_is_not_six_digits_is_refused_with_what_to_type(typed):
    with pytest.raises(CodeRefused, match="6-digit"):
        matching_step(SECRET, typed, at=AT, last_used_step=None)


def test_a_new_secret_is_base32_of_160_bits_and_differs_each_time():
    first, second = new_secret(), new_secret()
    assert len(first) == 32 and first != second
    pyotp.TOTP(first).now()  # valid base32


def test_the_provisioning_address_names_the_bank_and_the_account():
    uri = provisioning_uri(SECRET, account="cora@example.org", issuer="Leith Time Bank")
    assert uri.startswith("otpauth://totp/Leith%20Time%20Bank:cora%40example.org?")
    assert f"secret={SECRET}" in uri


def test_recovery_codes_are_ten_different_codes_that_read_back_as_themselves():
    codes = new_recovery_codes()
    assert len(codes) == RECOVERY_CODE_COUNT == len(set(codes))
    for code in codes:
        assert clean_recovery_code(code) == code
        assert clean_recovery_code(code.upper().replace("-", " ")) == code


@pytest.mark.parametrize("typed", ["", "123456", "abcde-fghj", "abcde-fghjkm", "abcde-fghj0"])
def test_what_cannot_be_a_recovery_code_is_none(typed):
    assert clean_recovery_code(typed) is None


@pytest.mark.parametrize("role, has_factor, code_given, must, stage", [
    ("coordinator", True, False, True, "code"),
    ("coordinator", True, True, True, "passed"),
    ("social_worker", False, False, True, "setup"),
    ("social_worker", False, False, False, "passed"),
    # A factor once set is asked for, whatever the deployment requires.
    ("coordinator", True, False, False, "code"),
    ("member", False, False, True, "passed"),
    ("member", True, False, True, "code"),
    ("member", True, True, False, "passed"),
])
def test_where_a_session_stands_after_the_password(role, has_factor, code_given, must, stage):
    assert sign_in_stage(role=role, has_factor=has_factor, code_given=code_given, staff_must_enrol=must) == stage


def test_a_coordinator_may_reset_another_staff_members_factor():
    check_may_reset_factor(resetter_id=1, resetter_role="coordinator", holder_id=2, holder_role="social_worker")
    check_may_reset_factor(resetter_id=1, resetter_role="coordinator", holder_id=2, holder_role="coordinator")


@pytest.mark.parametrize("resetter_role, holder_id, holder_role, words", [
    ("social_worker", 2, "coordinator", "Only a coordinator"),
    ("member", 2, "social_worker", "Only a coordinator"),
    ("coordinator", 2, "member", "operator"),
    ("coordinator", 1, "coordinator", "Your own"),
])
def test_who_may_not_reset_a_factor(resetter_role, holder_id, holder_role, words):
    with pytest.raises(Forbidden, match=words):
        check_may_reset_factor(resetter_id=1, resetter_role=resetter_role, holder_id=holder_id,
                               holder_role=holder_role)
