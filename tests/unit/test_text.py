import pytest

from timebank.domain.errors import InvalidInput
from timebank.domain.text import clean_text


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
