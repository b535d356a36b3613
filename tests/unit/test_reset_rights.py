"""Who may issue whose reset link: a rule without a database."""
import pytest

from timebank.domain.errors import Forbidden
from timebank.domain.roles import ROLES, check_may_issue_reset


def test_a_coordinator_may_issue_a_members_reset_link():
    check_may_issue_reset("coordinator", "member")


@pytest.mark.parametrize("issuer", ROLES)
@pytest.mark.parametrize("holder", ["coordinator", "social_worker"])
def test_no_one_signed_in_may_issue_a_staff_reset_link(issuer, holder):
    with pytest.raises(Forbidden, match="operator"):
        check_may_issue_reset(issuer, holder)


@pytest.mark.parametrize("issuer", ["member", "social_worker"])
def test_only_a_coordinator_may_issue_a_members_reset_link(issuer):
    with pytest.raises(Forbidden, match="coordinator"):
        check_may_issue_reset(issuer, "member")
