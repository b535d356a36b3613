import pytest

from timebank.domain.duplicates import refuse_member_taken_on_twice, same_phone
from timebank.domain.errors import LooksLikeDuplicate

TODAY = [(48, "Jean Paterson", "0131 555 0101", None), (49, "Dot", None, None)]


@pytest.mark.parametrize("name, phone, email, refused", [
    ("Jean Paterson", "01315550101", None, True),
    ("jean  paterson", "0131-555-0101", None, True),
    ("Jean Paterson", "0131 555 0202", None, False),  # another phone: another person
    ("Jean Paterson", None, "jean@example.org", False),
    ("Dot", None, None, True),  # nothing to tell them apart
    ("Dot", "0131 555 0303", None, False),
])
def test_a_member_like_one_taken_on_today_is_refused_unless_confirmed(name, phone, email, refused):
    if refused:
        with pytest.raises(LooksLikeDuplicate):
            refuse_member_taken_on_twice(name, phone, email, TODAY, confirmed=False)
        refuse_member_taken_on_twice(name, phone, email, TODAY, confirmed=True)
    else:
        refuse_member_taken_on_twice(name, phone, email, TODAY, confirmed=False)


def test_phone_numbers_are_compared_by_their_digits():
    assert same_phone("0131 555-0101") == same_phone("01315550101") == "01315550101"
