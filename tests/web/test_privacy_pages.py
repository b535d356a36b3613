"""The privacy pages: a member's record downloaded, a member erased (then no page, download
or log line shows their name), the bank's retention, consent withdrawn (issue 13)."""
from __future__ import annotations

import io
import json
import logging
import re
import zipfile

import pytest
import sqlalchemy as sa

from tests.web.conftest import _person, csrf_from, user_view
from timebank.db.models import Bank, MemberAccess
from timebank.web.policy import POLICY

NAME = "Zebedee Quillfeather"
PHONE = "0131 496 0777"


@pytest.fixture
def erasable(web_database, world):
    """Zebedee, with a sign-in, an exchange with Bob, a request Bob answered, an offer, a
    contact note and an assessment (a need), all with their name in the words."""
    from timebank.services import assessments, contact_log, ledger, members, requests_offers

    db, slug = web_database, world.bank.slug
    zeb = _person(db, world.bank, "member", "Zebedee")
    members.edit_member(db, slug, zeb.member_id, name=NAME, email=zeb.email, phone=PHONE, area="Leith", kind="person")
    exchange = ledger.log_exchange(db, slug, provider_id=zeb.member_id, receiver_id=world.bob.member_id,
                                   minutes=90, description=f"{NAME} dug Bob's garden", recorded_by="test")
    request = requests_offers.ask_for_help(db, slug, member_id=zeb.member_id, what=f"Lift for {NAME}")
    requests_offers.answer_request(db, slug, request.id, member_id=world.bob.member_id, message="Happy to")
    requests_offers.offer_skill(db, slug, member_id=zeb.member_id, description=f"{NAME} teaches knitting")
    contact_log.add_note(db, slug, zeb.member_id, text=f"Phoned {NAME}", author="Cora")
    assessment = assessments.record_assessment(
        db, user_view(db, world.social_worker), person_name=NAME, member_id=zeb.member_id,
        content={"consent": True, "consent_on": "2026-01-05", "area": "Leith",
                 "needs": [{"text": f"{NAME} needs company", "category": "shopping"}]})
    return {"person": zeb, "exchange_id": exchange.id, "request_id": request.id, "assessment_id": assessment.id}


def _accesses(db, slug) -> int:
    with db.session(readonly=True) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(MemberAccess)
                              .join(Bank, Bank.id == MemberAccess.bank_id).where(Bank.slug == slug))


def test_a_coordinator_downloads_a_members_record_as_one_zip_and_the_download_is_logged(
        web_database, world, erasable, signed_in):
    client = signed_in(world.coordinator)
    member_id = erasable["person"].member_id
    page = client.get(f"/coordinator/members/{member_id}")
    assert f"/coordinator/members/{member_id}/privacy" in page.text
    before = _accesses(web_database, world.bank.slug)
    response = client.get(f"/coordinator/members/{member_id}/record.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        document = json.loads(archive.read("record.json"))
        assert NAME in archive.read("record.html").decode()
    assert document["members"][0]["phone"] == PHONE
    assert document["exchanges"][0]["other_member"] == "Bob"
    assert _accesses(web_database, world.bank.slug) == before + 1


def test_a_social_worker_downloads_the_persons_assessments_and_not_a_coordinator(world, erasable, signed_in):
    assessment_id = erasable["assessment_id"]
    worker = signed_in(world.social_worker)
    assert f"/social/assessments/{assessment_id}/privacy" in worker.get(f"/social/assessments/{assessment_id}").text
    response = worker.get(f"/social/assessments/{assessment_id}/record.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        document = json.loads(archive.read("record.json"))
    assert document["assessment_versions"][0]["content"]["needs"][0]["text"] == f"{NAME} needs company"
    assert signed_in(world.coordinator).get(f"/social/assessments/{assessment_id}/record.zip").status_code == 403


def _pages(app, values: dict) -> list[tuple[str, str]]:
    """Every GET page of coordinators and social workers that the values can fill in."""
    pages = []
    for rule in app.url_map.iter_rules():
        roles = POLICY.get(rule.endpoint, frozenset())
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        for role in ("coordinator", "social_worker"):
            if role in roles and set(rule.arguments) <= set(values):
                with app.test_request_context():
                    from flask import url_for

                    pages.append((role, url_for(rule.endpoint, **{a: values[a] for a in rule.arguments})))
    return pages


def test_after_erasure_no_page_download_or_log_line_shows_their_name(
        app, web_database, world, erasable, signed_in, caplog):
    zeb = erasable["person"]
    coordinator = signed_in(world.coordinator)
    confirm = coordinator.get(f"/coordinator/members/{zeb.member_id}/privacy")
    assert "cannot be undone" in confirm.text
    erased = coordinator.post(f"/coordinator/members/{zeb.member_id}/erase",
                              data={"csrf_token": csrf_from(confirm.text), "confirm": "erase"})
    assert erased.status_code == 302
    # Their sign-in is gone, and with it every session.
    assert coordinator.get("/coordinator/members").status_code == 200
    values = {"member_id": zeb.member_id, "exchange_id": erasable["exchange_id"],
              "request_id": erasable["request_id"], "assessment_id": erasable["assessment_id"],
              "category": "shopping"}
    clients = {"coordinator": coordinator, "social_worker": signed_in(world.social_worker)}
    pages = _pages(app, values)
    assert len(pages) > 40, "the crawl reaches the pages"
    caplog.set_level(logging.DEBUG)
    seen = []
    for role, path in pages:
        response = clients[role].get(path)
        seen.append((role, path, response.status_code))
        body = response.data.decode("utf-8", "replace") if not path.endswith(".zip") else _unzipped(response.data)
        assert NAME not in body and PHONE not in body and zeb.email not in body, f"{role} {path}"
    assert not [s for s in seen if s[2] >= 500], seen
    assert any(p.endswith(".csv") for _, p, _ in seen), "the CSV downloads are read too"
    assert NAME not in caplog.text
    members_page = coordinator.get("/coordinator/members").text
    assert "a former member" in members_page
    statement = coordinator.get(f"/coordinator/members/{world.bob.member_id}").text
    assert "a former member" in statement and "(removed)" in statement
    assert re.search(r"1(\.5|h ?30)", statement), "Bob's 1h30 received is still on his statement"


def _unzipped(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode() for n in archive.namelist())


def test_an_erased_members_sign_in_no_longer_works(app, world, erasable, signed_in):
    zeb_client = signed_in(erasable["person"])
    assert zeb_client.get("/member/").status_code == 200
    coordinator = signed_in(world.coordinator)
    page = coordinator.get(f"/coordinator/members/{erasable['person'].member_id}/privacy")
    coordinator.post(f"/coordinator/members/{erasable['person'].member_id}/erase",
                     data={"csrf_token": csrf_from(page.text), "confirm": "erase"})
    assert zeb_client.get("/member/").status_code == 302


def test_an_erase_without_the_confirmation_erases_nothing(world, erasable, signed_in):
    coordinator = signed_in(world.coordinator)
    page = coordinator.get(f"/coordinator/members/{erasable['person'].member_id}/privacy")
    response = coordinator.post(f"/coordinator/members/{erasable['person'].member_id}/erase",
                                data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 400
    assert NAME in coordinator.get(f"/coordinator/members/{erasable['person'].member_id}").text


def test_the_bank_sets_how_long_records_are_kept(world, signed_in):
    coordinator = signed_in(world.coordinator)
    assert "/coordinator/retention" in coordinator.get("/coordinator/settings").text
    page = coordinator.get("/coordinator/retention")
    assert 'value="8"' in page.text
    refused = coordinator.post("/coordinator/retention", data={"csrf_token": csrf_from(page.text), "years": "0"})
    assert refused.status_code == 400 and "whole number of years from 1 to 100" in refused.text
    assert 'aria-invalid="true"' in refused.text
    saved = coordinator.post("/coordinator/retention", data={"csrf_token": csrf_from(page.text), "years": "10"})
    assert saved.status_code == 302
    assert 'value="10"' in coordinator.get("/coordinator/retention").text


def test_withdrawing_consent_on_the_page_leaves_only_the_withdrawal_to_see(world, erasable, signed_in):
    worker = signed_in(world.social_worker)
    assessment_id = erasable["assessment_id"]
    page = worker.get(f"/social/assessments/{assessment_id}/privacy")
    refused = worker.post(f"/social/assessments/{assessment_id}/privacy",
                          data={"csrf_token": csrf_from(page.text), "withdrawn_on": "2999-01-01", "note": ""})
    assert refused.status_code == 400
    assert "cannot be in the future" in refused.text and "Say how the person withdrew consent" in refused.text
    done = worker.post(f"/social/assessments/{assessment_id}/privacy",
                       data={"csrf_token": csrf_from(page.text), "withdrawn_on": "2026-12-01",
                             "note": "By phone to me"})
    assert done.status_code == 302
    shown = worker.get(f"/social/assessments/{assessment_id}", follow_redirects=True).text
    assert "Consent withdrawn" in shown and "By phone to me" in shown
    assert "needs company" not in shown
    assert "needs company" not in worker.get("/social/assessments").text
