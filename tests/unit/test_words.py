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


def test_every_action_the_services_log_has_words_for_the_access_log_page():
    """The codes passed to the access logs, read from the services' source, so a new one
    without words fails here rather than showing as a code on the page."""
    import ast
    from pathlib import Path

    from timebank.web.words import ACCESS_WORDS

    used = set()
    for path in (Path(__file__).resolve().parents[2] / "timebank" / "services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            if node.func.id in ("log_access", "_log_shown", "_log") and len(node.args) > 4:
                said = node.args[4]
            elif node.func.id == "log_member_access":
                said = next((k.value for k in node.keywords if k.arg == "action"), None)
            else:
                continue
            if isinstance(said, ast.Constant):
                used.add(said.value)
    assert {"create", "view", "accept", "follow_up", "erase"} <= used  # the reading still finds them
    assert used - set(ACCESS_WORDS) == set()
