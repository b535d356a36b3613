"""An erased member's record is final on the coordinator's pages: none of the actions that
would reopen or change it is offered, and sending one anyway changes nothing (found
walking the app: one click on Reactivate made "a former member" active again)."""
from __future__ import annotations

import pytest

from tests.web.conftest import csrf_from
from tests.web.test_privacy_pages import erasable  # noqa: F401  (a fixture)
from timebank.domain.privacy import FORMER_MEMBER
from timebank.services import members


@pytest.fixture
def erased(world, erasable, signed_in):  # noqa: F811
    coordinator = signed_in(world.coordinator)
    member_id = erasable["person"].member_id
    page = coordinator.get(f"/coordinator/members/{member_id}/privacy")
    done = coordinator.post(f"/coordinator/members/{member_id}/erase",
                            data={"csrf_token": csrf_from(page.text), "confirm": "erase"})
    assert done.status_code == 302
    return coordinator, member_id


def test_an_erased_members_page_offers_nothing_that_would_reopen_or_change_the_record(erased):
    coordinator, member_id = erased
    page = coordinator.get(f"/coordinator/members/{member_id}").text
    assert "This member was erased at their request." in page
    for offered in ("Reactivate", "Add the sign-in", "Give the hours", "Save their limits", "Save the check",
                    "Save the note", "Edit their details", "Log hours for this member"):
        assert offered not in page, offered
    assert FORMER_MEMBER in page  # the kept statement still reads under "a former member"


def test_reactivating_an_erased_member_anyway_is_refused_and_changes_nothing(erased, web_database, world):
    coordinator, member_id = erased
    token = csrf_from(coordinator.get("/coordinator/members").text)
    refused = coordinator.post(f"/coordinator/members/{member_id}/status", data={"csrf_token": token,
                                                                                 "status": "active"})
    assert refused.status_code == 409
    assert "cannot be changed or reopened" in refused.text
    assert members.get_member(web_database, world.bank.slug, member_id).status == "closed"
