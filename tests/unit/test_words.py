"""Days are written one way for people on every page: `29 November 2026`."""
import datetime as dt

import pytest

from timebank.web.words import day, day_and_time, period_words


@pytest.mark.parametrize("value, written", [
    (dt.date(2026, 11, 29), "29 November 2026"),
    (dt.datetime(2026, 3, 1, 14, 5), "1 March 2026"),
    ("2026-07-08", "8 July 2026"),  # a day kept as ISO text, as an assessment's consent day
    ("not a day", "not a day"),
    (None, ""),
])
def test_a_day_is_written_for_people(value, written):
    assert day(value) == written


def test_a_moment_is_written_with_its_time():
    assert day_and_time(dt.datetime(2026, 11, 29, 9, 7)) == "29 November 2026, 09:07"


def test_a_period_says_its_open_ends_in_words():
    assert period_words(dt.date(2026, 9, 1), None) == "1 September 2026 to today"
    assert period_words(None, dt.date(2026, 9, 30)) == "the beginning to 30 September 2026"
