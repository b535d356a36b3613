import pytest

from timebank.domain.errors import HoursNotPositive, HoursNotWholeMinutes, InvalidHours
from timebank.domain.hours import format_minutes, parse_hours, parse_signed_hours


@pytest.mark.parametrize(
    "text, minutes",
    [("1.5", 90), ("0.25", 15), ("2", 120), ("1h30m", 90), ("1h", 60), ("45m", 45),
     ("1:30", 90), ("0:05", 5), (" 3 ", 180), ("24", 1440), ("1 h 5 m", 65), ("0.05", 3),
     # What people type (B25): a decimal comma, units in words, fractions, other scripts.
     ("1,5", 90), ("1.5h", 90), ("1.5 hours", 90), ("90 minutes", 90), ("90m", 90),
     ("90 mins", 90), ("1h30", 90), ("1h 30m", 90), ("1 hour 30 minutes", 90), ("2 hrs", 120),
     ("half an hour", 30), ("Half an hour", 30), ("½", 30), ("1½", 90), ("1½ hours", 90),
     ("\u0661\u066b\u0665", 90), ("\u0662", 120), ("\uff11", 60), ("\u06f2", 120), ("0,25", 15)],
)
def test_hours_are_read_as_whole_minutes(text, minutes):
    assert parse_hours(text) == minutes


@pytest.mark.parametrize("text", ["0", "0.0", "0:00", "0h", "-1", "-0.5", "-1:30"])
def test_zero_and_negative_hours_are_refused(text):
    with pytest.raises(HoursNotPositive):
        parse_hours(text)


@pytest.mark.parametrize("text", ["0.001", "1.003", "0.01", "1.0001"])
def test_hours_that_are_not_whole_minutes_are_refused(text):
    with pytest.raises(HoursNotWholeMinutes):
        parse_hours(text)


@pytest.mark.parametrize("text", ["", "   ", None, "abc", "nan", "NaN", "inf", "-inf", "1e9",
                                  "1:75", "h", "1.5.2", "1,5.2", "1.5h30m", "1h75", "½½",
                                  "1,5,5", "an hour or two", "\u09ea"])
def test_text_that_is_not_hours_is_refused(text):
    with pytest.raises(InvalidHours) as caught:
        parse_hours(text)
    assert caught.value.code in ("hours_not_a_number", "hours_not_whole_minutes")


@pytest.mark.parametrize("minutes, text", [(90, "1h 30m"), (60, "1h"), (5, "5m"), (0, "0h"),
                                           (-45, "-45m"), (-150, "-2h 30m")])
def test_minutes_are_written_for_people(minutes, text):
    assert format_minutes(minutes) == text


@pytest.mark.parametrize(
    "text, minutes",
    [("0", 0), ("0.0", 0), ("0:00", 0), ("0h", 0), ("-0", 0), ("10", 600), ("-10", -600),
     ("- 10", -600), ("\u221210", -600), ("-1:30", -90), ("-1h30m", -90), ("+2", 120), (" -0.5 ", -30)],
)
def test_a_balance_limit_may_be_zero_or_below_zero(text, minutes):
    assert parse_signed_hours(text) == minutes


@pytest.mark.parametrize("text", ["", None, "--10", "-", "abc", "-nan", "1.003", "-1e9", "−−1"])
def test_a_balance_limit_that_is_not_hours_is_refused(text):
    with pytest.raises(InvalidHours):
        parse_signed_hours(text)


def test_a_refusal_of_hours_says_how_to_write_them_with_minutes():
    with pytest.raises(InvalidHours) as caught:
        parse_hours("about two")
    assert "1.5" in caught.value.message and "1h 30m" in caught.value.message
    assert "45m" in caught.value.message
