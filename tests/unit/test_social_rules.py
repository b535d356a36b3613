"""The social workers' small rules: a second match run within the hour is asked about,
a closed member is not linked to an assessment, a row's problem names its row."""
import datetime as dt

import pytest

from timebank.domain.assessments import check_member_link, row_message
from timebank.domain.errors import MemberNotActive
from timebank.domain.matches import RECENT_RUN, asks_before_running

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("last, asks", [
    (None, False),
    (NOW - dt.timedelta(minutes=59), True),
    (NOW - dt.timedelta(minutes=61), False),
    ((NOW - dt.timedelta(minutes=5)).replace(tzinfo=None), True),  # SQLite's naive UTC moment
])
def test_a_run_within_the_hour_of_the_last_is_asked_about(last, asks):
    assert dt.timedelta(hours=1) == RECENT_RUN
    assert asks_before_running(last, NOW) is asks


def test_only_a_closed_member_is_refused_as_the_person_of_an_assessment():
    check_member_link("Rose", "active")
    check_member_link("Rose", "suspended")  # still a member; the suspension may be lifted
    with pytest.raises(MemberNotActive, match="Rose has left the time bank"):
        check_member_link("Rose", "closed")


def test_a_rows_problem_names_its_row_as_the_form_numbers_it():
    assert row_message("capability", 1, "Capacity is how many people at once.") == (
        "Capability 2: capacity is how many people at once.")
