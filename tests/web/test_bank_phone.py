"""The bank's contact phone: set on Settings, and printed where letters and printouts tell
a member without email to ring their coordinator (the letter, the offers and the statement,
on the page and in the PDF)."""
from __future__ import annotations

import datetime as dt
import io

import pypdf
import sqlalchemy as sa

from tests.web.conftest import csrf_from
from tests.web.test_coordinator_pages import error_beside
from timebank.db.models import Notice
from timebank.services import banks, ledger, requests_offers

PHONE = "0131 496 0000"
HINT = "The number members ring: printed on letters, statements and offers."


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _settings(cora) -> dict[str, str]:
    page = cora.get("/coordinator/settings").text
    return {"csrf_token": csrf_from(page), "floor": "10", "ceiling": "100", "confirmation": "yes",
            "expiry_months": "3"}


def test_settings_sets_the_phone_refuses_a_bad_one_beside_the_field_and_clears_it(signed_in, world, web_database):
    cora, slug = signed_in(world.coordinator), world.bank.slug
    page = cora.get("/coordinator/settings").text
    assert 'name="contact_phone"' in page and 'type="tel"' in page and HINT in page
    data = _settings(cora)

    assert cora.post("/coordinator/settings", data={**data, "contact_phone": PHONE}).status_code == 302
    assert banks.get_bank(web_database, slug).contact_phone == PHONE
    assert f'value="{PHONE}"' in cora.get("/coordinator/settings").text

    before = banks.get_bank(web_database, slug)
    bad = cora.post("/coordinator/settings", data={**data, "contact_phone": "ring Cora", "ceiling": "50"})
    assert bad.status_code == 400
    error_beside(bad.text, "contact_phone", "is not a phone number")
    assert bad.text.count("is not a phone number") == 2  # in the summary and beside the field only
    assert banks.get_bank(web_database, slug) == before  # nor the new ceiling

    # A form sent without the field (an older page) leaves the number alone; an empty one clears it.
    assert cora.post("/coordinator/settings", data=data).status_code == 302
    assert banks.get_bank(web_database, slug).contact_phone == PHONE
    assert cora.post("/coordinator/settings", data={**data, "contact_phone": " "}).status_code == 302
    assert banks.get_bank(web_database, slug).contact_phone is None


def _letter(client, world, web_database) -> str:
    ledger.propose_exchange(web_database, world.bank.slug, member_id=world.ann.member_id,
                            provider_id=world.ann.member_id, receiver_id=world.dot_member_id, minutes=45,
                            given_on=dt.date.today() - dt.timedelta(days=1), description="Shopping")
    with web_database.session(readonly=True) as session:
        notice_id = session.scalar(sa.select(Notice.id).where(Notice.member_id == world.dot_member_id))
    return client.get(f"/coordinator/messages/{notice_id}/letter").text


def test_the_letter_gives_the_number_to_ring_when_the_bank_has_one(signed_in, world, web_database):
    cora = signed_in(world.coordinator)
    banks.set_contact_phone(web_database, world.bank.slug, PHONE)
    letter = _letter(cora, world, web_database)
    assert "Dear Dot," in letter and f"ring your coordinator on {PHONE}." in letter


def test_without_a_number_the_letter_says_ring_your_coordinator_as_before(signed_in, world, web_database):
    letter = _letter(signed_in(world.coordinator), world, web_database)
    assert "If you would like to talk about it, ring your coordinator." in letter and " on 0" not in letter


def test_the_printed_offers_and_statement_give_the_number_to_ring(signed_in, world, web_database):
    slug, dot = world.bank.slug, world.dot_member_id
    requests_offers.offer_skill(web_database, slug, member_id=world.bob.member_id,
                                description="Lifts to the shops on Fridays")
    ledger.log_exchange(web_database, slug, provider_id=world.bob.member_id, receiver_id=dot, minutes=60,
                        recorded_by="test", description="Lift to the shops")
    cora = signed_in(world.coordinator)
    paper = f"/coordinator/members/{dot}"
    without = cora.get(f"{paper}/offers/print").text
    assert "Ring your coordinator to ask for one." in without
    assert "Ring your coordinator to ask for one." in _pdf_text(cora.get(f"{paper}/offers.pdf").data)
    assert "Questions about these hours" not in cora.get(f"{paper}/statement/print").text
    assert "Questions about these hours" not in _pdf_text(cora.get(f"{paper}/statement.pdf").data)

    banks.set_contact_phone(web_database, slug, PHONE)
    said = f"Ring your coordinator on {PHONE} to ask for one."
    assert said in cora.get(f"{paper}/offers/print").text
    offers = _pdf_text(cora.get(f"{paper}/offers.pdf").data)
    assert said in offers and "Lifts to the shops on Fridays" in offers
    said = f"Questions about these hours? Ring your coordinator on {PHONE}."
    assert said in cora.get(f"{paper}/statement/print").text
    statement = _pdf_text(cora.get(f"{paper}/statement.pdf").data)
    assert said in statement and "Lift to the shops" in statement
    # A member's own statement PDF says the same.
    assert said in _pdf_text(signed_in(world.ann).get("/member/statement.pdf").data)


def test_a_members_own_statement_page_gives_the_number_to_ring_only_when_there_is_one(signed_in, world,
                                                                                    web_database):
    ann = signed_in(world.ann)
    assert "Questions about these hours?" not in ann.get("/member/statement").text
    banks.set_contact_phone(web_database, world.bank.slug, PHONE)
    assert f"Questions about these hours? Ring your coordinator on {PHONE}." in ann.get("/member/statement").text
