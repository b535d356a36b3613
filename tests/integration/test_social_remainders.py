"""The social workers' remainders through the service layer, on both databases: an
assessment linked to a member later (or corrected), each side's outcome recorded again
over time, and the hours two introduced members logged with each other."""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.domain.errors import MemberNotActive, UnknownMember
from timebank.services import assessments, auth, ledger, matches, members, reports

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
NEAR_LEITH = [55.9720, -3.1650]


@pytest.fixture
def sw(database, bank):
    return auth.create_user(database, bank.slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org",
                            name="Sam", password="a long enough password", role="social_worker")


def content(needs=(), capabilities=(), location=LEITH):
    return {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
            "latitude": location[0], "longitude": location[1], "availability": None,
            "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities]}


def _member_of(database, assessment_id: int) -> int | None:
    from timebank.db.models import Assessment

    with database.engine.connect() as connection:
        return connection.scalar(sa.select(Assessment.member_id).where(Assessment.id == assessment_id))


def test_an_assessment_is_linked_to_the_member_the_person_became_and_corrected(
        database, bank, sw, make_member, make_bank):
    fatima = assessments.record_assessment(database, sw, person_name="Fatima", content=content(
        needs=[{"text": "Letters from the job centre"}]))
    joined, wrong = make_member(bank, "Fatima Z"), make_member(bank, "Fatima Y")

    asked = assessments.link_member(database, sw, fatima.id, wrong.id, confirmed=False)
    assert (asked.made, asked.changes, asked.member_name, asked.before_name) == (False, True, "Fatima Y", None)
    assert _member_of(database, fatima.id) is None, "asking is not linking"

    linked = assessments.link_member(database, sw, fatima.id, wrong.id)
    assert linked.made and _member_of(database, fatima.id) == wrong.id
    again = assessments.link_member(database, sw, fatima.id, wrong.id)  # the form sent twice
    assert not again.made and _member_of(database, fatima.id) == wrong.id

    corrected = assessments.link_member(database, sw, fatima.id, joined.id)
    assert corrected.made and corrected.before_name == "Fatima Y" and _member_of(database, fatima.id) == joined.id
    log = [(action, why) for _, _, _, action, _, why in assessments.access_log(database, sw, fatima.id)]
    assert [a for a, _ in log if a == "link_member"] == ["link_member", "link_member"]
    assert f"member link corrected from {wrong.id} to {joined.id} (Fatima Z)" in [w for _, w in log]
    assert f"linked to member {wrong.id} (Fatima Y)" in [w for _, w in log]
    assert assessments.get_assessment(database, sw, fatima.id).version == 1, "no new version"

    unlinked = assessments.link_member(database, sw, fatima.id, None)
    assert unlinked.made and _member_of(database, fatima.id) is None


def test_a_closed_member_or_another_banks_member_is_refused_and_nothing_changes(
        database, bank, sw, make_member, make_bank):
    rose = assessments.record_assessment(database, sw, person_name="Rose", content=content(
        needs=[{"text": "Shopping"}]))
    left = make_member(bank, "Rose Left")
    members.set_member_status(database, bank.slug, left.id, "closed")
    stranger = make_member(make_bank(), "Rose Elsewhere")
    with pytest.raises(MemberNotActive, match="Rose Left has left the time bank"):
        assessments.link_member(database, sw, rose.id, left.id)
    with pytest.raises(UnknownMember, match=f"There is no member number {stranger.id} in this bank"):
        assessments.link_member(database, sw, rose.id, stranger.id)
    assert _member_of(database, rose.id) is None
    assert "link_member" not in [row[3] for row in assessments.access_log(database, sw, rose.id)]


@pytest.fixture
def introduced(database, bank, sw, make_member):
    mary, hamish = make_member(bank, "Mary"), make_member(bank, "Hamish")
    assessments.record_assessment(database, sw, person_name="Mary", member_id=mary.id, content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    assessments.record_assessment(database, sw, person_name="Hamish", member_id=hamish.id, content=content(
        location=NEAR_LEITH, capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))
    proposal = matches.run_match(database, sw, today=TODAY).proposals[0]
    return matches.accept_proposal(database, sw, proposal.id), mary, hamish


def test_a_side_asked_again_later_adds_a_view_latest_first_and_nothing_is_overwritten(
        database, bank, sw, introduced):
    introduction = introduced[0]
    matches.record_outcome(database, sw, introduction.id, side="helped", help_happened=False,
                           difference="not_sure", comment="Not started yet", idempotency_key="first")
    later = matches.record_outcome(database, sw, introduction.id, side="helped", help_happened=True,
                                   difference="a_lot", comment="Every Friday now", idempotency_key="second")
    assert [(o.side, o.comment) for o in later.outcomes] == [("helped", "Every Friday now"),
                                                           ("helped", "Not started yet")]
    assert later.latest_outcomes["helped"].difference == "a_lot"
    again = matches.record_outcome(database, sw, introduction.id, side="helped", help_happened=True,
                                   difference="a_lot", comment="Every Friday now", idempotency_key="second")
    assert again.replayed and len(again.outcomes) == 2
    # The funders count each side's latest view once, not every view ever given.
    report = reports.funders_report(database, bank.slug, reports.Period(TODAY - dt.timedelta(days=1), TODAY))
    assert (report.outcomes.recorded, report.outcomes.a_lot, report.outcomes.not_sure) == (1, 1, 0)


def test_the_hours_two_introduced_members_logged_together_are_found(database, bank, sw, introduced, make_member):
    introduction, mary, hamish = introduced
    other = make_member(bank, "Someone else")
    for provider, receiver, minutes in ((hamish, mary, 90), (mary, hamish, 30), (hamish, other, 60)):
        ledger.log_exchange(database, bank.slug, provider_id=provider.id, receiver_id=receiver.id,
                            minutes=minutes, recorded_by="test", given_on=TODAY)
    found = matches.hours_between(database, sw, introduction.id)
    assert found.members == (mary.id, hamish.id) and found.since == TODAY
    assert sorted(r[3] for r in found.rows) == [30, 90] and found.total_minutes == 120
