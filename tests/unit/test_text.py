import pytest

from timebank.domain.errors import InvalidInput
from timebank.domain.text import clean_text, control_character_in


def test_text_is_trimmed_and_empty_text_is_none():
    assert clean_text("  Gardening \n", "the description", 10) == "Gardening"
    assert clean_text("   ", "the description", 10) is None
    assert clean_text(None, "the description", 10) is None


def test_text_at_the_limit_is_kept_and_one_character_more_is_refused():
    assert clean_text("x" * 10, "the description", 10) == "x" * 10
    with pytest.raises(InvalidInput, match="Keep the description to 10 characters or fewer."):
        clean_text("x" * 11, "the description", 10)


def test_required_text_must_be_given():
    with pytest.raises(InvalidInput, match="Say what you can offer."):
        clean_text(" ", "what you can offer", 10, required=True)


@pytest.mark.parametrize("text", ["a\x00b", "a\x01", "\x1b[2J", "a\rb", "\x7f", "a\x85b", "a\x9b"])
def test_control_characters_are_refused_with_the_field_named(text):
    with pytest.raises(InvalidInput, match=r"control character \(U\+00[0-9A-F]{2}\) from the description"):
        clean_text(text, "the description", 100)


@pytest.mark.parametrize("text", ["tab\there", "two\nlines", "a text area's\r\nline break", "café ½ ٣ 🙂"])
def test_tab_newline_and_a_browsers_cr_lf_are_text(text):
    assert control_character_in(text) is None
    assert clean_text(text, "the description", 100) == text.strip()


def test_one_line_text_refuses_line_breaks_too():
    assert control_character_in("/member/\r\nSet-Cookie: x=1", line_breaks=False) == "\r"
    assert control_character_in("/member/", line_breaks=False) is None
