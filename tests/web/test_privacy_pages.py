"""The privacy pages: a member's record downloaded, a member erased (then no page, download
or log line shows their name), the bank's retention, consent withdrawn (issue 13)."""
from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
import zipfile

import pypdf
import pytest
import sqlalchemy as sa

from tests.web.conftest import _person, csrf_from, user_view
from timebank.db.models import Bank, MemberAccess
from timebank.domain.privacy import FORMER_MEMBER, REMOVED
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
    # Decline reasons both ways: Bob's to them, theirs to Bob, each naming them.
    for proposer, other in ((world.bob.member_id, zeb.member_id), (zeb.member_id, world.bob.member_id)):
        pending = ledger.propose_exchange(db, slug, member_id=proposer, provider_id=proposer, receiver_id=other,
                                          minutes=30, description=f"Help for {NAME}")
        ledger.decline_exchange(db, slug, pending.id, member_id=other, settled_by=f"member:{other}",
                                reason=f"{NAME} ({PHONE}) was away")
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
    caplog.set_level(logging.DEBUG)  # the whole journey's log, the erasure's own lines too
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
    # The other member's downloads too: their record, statement and offers on paper, and
    # their own statement PDF as they download it.
    bob = world.bob.member_id
    pages += [("coordinator", f"/coordinator/members/{bob}/record.zip"),
              ("coordinator", f"/coordinator/members/{bob}/statement.pdf"),
              ("coordinator", f"/coordinator/members/{bob}/offers.pdf"),
              ("member", "/member/statement.pdf")]
    clients["member"] = signed_in(world.bob)
    seen = []
    for role, path in pages:
        response = clients[role].get(path)
        seen.append((role, path, response.status_code))
        body = _readable(path, response.data)
        assert NAME not in body and PHONE not in body and zeb.email not in body, f"{role} {path}"
    assert not [s for s in seen if s[2] >= 500], seen
    read = {p.rsplit(".", 1)[-1] for _, p, status in seen if status == 200}
    assert {"csv", "pdf", "zip"} <= read, "every kind of download is read"
    assert FORMER_MEMBER in _readable(".pdf", clients["member"].get("/member/statement.pdf").data), \
        "the PDF's text is read (the former member is on Bob's statement)"
    bobs_record = _readable(".zip", coordinator.get(f"/coordinator/members/{bob}/record.zip").data)
    assert FORMER_MEMBER in bobs_record and REMOVED in bobs_record
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert caplog.records, "the journey was logged"
    assert NAME not in logged and PHONE not in logged and zeb.email not in logged
    members_page = coordinator.get("/coordinator/members").text
    assert "a former member" in members_page
    statement = coordinator.get(f"/coordinator/members/{world.bob.member_id}").text
    assert "a former member" in statement and "(removed)" in statement
    assert re.search(r"1(\.5|h ?30)", statement), "Bob's 1h30 received is still on his statement"


def _readable(path: str, data: bytes) -> str:
    """The text a person would read in a download: a PDF's words, a zip's files."""
    if path.endswith(".pdf"):
        # A name may wrap inside a table cell: the words are joined by single spaces.
        return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if path.endswith(".zip"):
        return _unzipped(data)
    return data.decode("utf-8", "replace")


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
    assert 'value="6"' in page.text, "closed members: six years by default"
    refused = coordinator.post("/coordinator/retention", data={"csrf_token": csrf_from(page.text), "years": "0",
                                                               "closed_member_years": "6"})
    assert refused.status_code == 400 and "whole number of years from 1 to 100" in refused.text
    assert 'aria-invalid="true"' in refused.text
    saved = coordinator.post("/coordinator/retention", data={"csrf_token": csrf_from(page.text), "years": "10",
                                                             "closed_member_years": "7"})
    assert saved.status_code == 302
    again = coordinator.get("/coordinator/retention").text
    assert 'value="10"' in again and 'value="7"' in again


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


def test_after_withdrawal_no_one_reads_the_assessment_but_the_withdrawal_itself(
        web_database, world, erasable, signed_in):
    from timebank.services import consent

    assessment_id = erasable["assessment_id"]
    consent.withdraw_consent(web_database, user_view(web_database, world.social_worker), assessment_id,
                             withdrawn_on=dt.date.today(), note="By phone to me")
    another = _person(web_database, world.bank, "social_worker", "Shona")
    for person in (world.social_worker, another):
        worker = signed_in(person)
        for path in (f"/social/assessments/{assessment_id}", "/social/assessments", "/social/",
                     f"/social/assessments/{assessment_id}/privacy"):
            page = worker.get(path, follow_redirects=True)
            assert "needs company" not in page.text, (person.name, path)
        withdrawal = worker.get(f"/social/assessments/{assessment_id}", follow_redirects=True).text
        assert "Consent withdrawn" in withdrawal and "By phone to me" in withdrawal
    coordinator = signed_in(world.coordinator)
    for path in (f"/social/assessments/{assessment_id}", f"/coordinator/members/{erasable['person'].member_id}"):
        assert "needs company" not in coordinator.get(path).text, path
    assert coordinator.get(f"/social/assessments/{assessment_id}").status_code == 403


def test_the_consent_page_names_the_person_and_a_withdrawal_stays_listed_without_their_needs(
        world, erasable, signed_in):
    worker = signed_in(world.social_worker)
    assessment_id = erasable["assessment_id"]
    page = worker.get(f"/social/assessments/{assessment_id}/privacy")
    assert f"<h1>{NAME}: " in page.text, "the heading says whom the consent is about"
    assert 'id="withdrawn"' not in worker.get("/social/assessments").text, "nothing withdrawn yet"
    worker.post(f"/social/assessments/{assessment_id}/privacy",
                data={"csrf_token": csrf_from(page.text), "withdrawn_on": "2026-12-01", "note": "By phone to me"})
    withdrawal = worker.get(f"/social/assessments/{assessment_id}/privacy").text
    assert f"<h1>{NAME}: " in withdrawal
    assert "1 December 2026" in withdrawal and "2026-12-01" not in withdrawal, "the day in words, not ISO"
    listing = worker.get("/social/assessments").text
    withdrawn = listing.split('id="withdrawn"', 1)[1]
    assert "Consent withdrawn" in withdrawn and NAME in withdrawn and "1 December 2026" in withdrawn
    assert f'href="/social/assessments/{assessment_id}/privacy"' in withdrawn
    assert "needs company" not in listing and "shopping" not in withdrawn.lower()
