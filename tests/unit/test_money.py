import pytest

from timebank.domain.errors import InvalidInput
from timebank.domain.money import parse_pence


@pytest.mark.parametrize("text, pence", [
    # B4: "9,50" is nine pounds fifty, never £950.
    ("9,50", 950), ("9,5", 950), ("£9.50", 950), ("9.50", 950), ("£9", 900), ("9", 900),
    ("9.5", 950), ("£ 12", 1200), ("12,50 £", 1250), ("1,000.00", 100000), ("0.99", 99),
    ("\u0661\u0662\u066b\u0665\u0660", 1250),
])
def test_pounds_are_read_as_people_type_them(text, pence):
    assert parse_pence(text) == pence


@pytest.mark.parametrize("text", ["", None, "abc", "9.505", "-9", "1.000,50", "9,50,1", "£", "1e3",
                                  "nan"])
def test_what_is_not_an_amount_of_money_is_refused_with_how_to_write_it(text):
    with pytest.raises(InvalidInput) as caught:
        parse_pence(text)
    assert "9.50" in caught.value.message
