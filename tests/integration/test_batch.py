"""A coordinator's CSV of many exchanges: all recorded or none, with line-level problems."""
import pytest

from timebank.domain.errors import BatchRefused
from timebank.services import ledger
from timebank.services.batch import log_exchanges_from_csv
from timebank.services.checks import check_ledger


@pytest.fixture
def people(bank, make_member):
    return bank, [make_member(bank, n) for n in ("Ann", "Bob", "Cat")]


def test_a_good_file_records_every_line(database, people):
    bank, (ann, bob, cat) = people
    text = (f"provider,receiver,hours,day,category,what\n"
            f"{ann.id},{bob.id},1.5,,gardening,Weeding\n"
            f"{cat.id},{ann.id},0:45,,,\n")
    views = log_exchanges_from_csv(database, bank.slug, text, recorded_by="t")
    assert [v.amount_minutes for v in views] == [90, 45]
    assert ledger.account_balances(database, bank.slug)[str(ann.id)] == 45
    assert check_ledger(database).ok


def test_one_bad_line_refuses_the_whole_file_and_names_every_problem(database, people, ledger_state):
    bank, (ann, bob, cat) = people
    before = ledger_state(bank)
    text = (f"provider,receiver,hours\n"
            f"{ann.id},{bob.id},1\n"
            f"{ann.id},{ann.id},1\n"
            f"{cat.id},{bob.id},abc\n"
            f"{cat.id},999999,1\n"
            f"{cat.id},{bob.id},10\n")
    with pytest.raises(BatchRefused) as caught:
        log_exchanges_from_csv(database, bank.slug, text, recorded_by="t")
    assert [n for n, _ in caught.value.problems] == [3, 4, 5, 6]
    messages = dict(caught.value.problems)
    assert "themself" in messages[3] and "not a number" in messages[4]
    assert "no member" in messages[5].lower() and "lowest balance" in messages[6]
    assert ledger_state(bank) == before


def test_a_repeated_upload_with_the_same_key_records_nothing_new(database, people, ledger_state):
    bank, (ann, bob, _) = people
    text = f"provider,receiver,hours\n{ann.id},{bob.id},1\n{bob.id},{ann.id},0.5\n"
    first = log_exchanges_from_csv(database, bank.slug, text, recorded_by="t", batch_key="upload-1")
    state = ledger_state(bank)
    again = log_exchanges_from_csv(database, bank.slug, text, recorded_by="t", batch_key="upload-1")
    assert [v.id for v in again] == [v.id for v in first]
    assert ledger_state(bank) == state


@pytest.mark.parametrize("text, words", [
    ("", "The file is empty"), ("  \n\n", "The file is empty"),
    ("who,whom\n1,2\n", "missing"), ("provider,receiver,hours,colour\n", "Unknown column"),
    ("provider,receiver,hours\n", "no exchanges"),
])
def test_a_malformed_file_is_refused(database, people, text, words):
    bank, _ = people
    with pytest.raises(BatchRefused) as caught:
        log_exchanges_from_csv(database, bank.slug, text, recorded_by="t")
    assert words in caught.value.problems[0][1]


@pytest.mark.parametrize("text, line, words", [
    # a quote never closed swallows the lines after it into one description
    ('provider,receiver,hours,day,what\n{ann},{bob},0.25,,"open quote\n{ann},{bob},1\n', 2, "close its quote"),
    ("provider,provider,receiver,hours\n{ann},{ann},{bob},1\n", 1, "named twice"),
    ("provider,receiver,hours,colour\n{ann},{bob},1,red\n", 1, "Unknown column"),
    ("provider,receiver,hours\n{ann},{bob},৪\n", 2, "not a number"),  # Bengali 4, which looks like 8
    ("provider,receiver,hours\n٣,{bob},1\n", 2, "not a member number"),
    ("provider,receiver,hours\n²,{bob},1\n", 2, "not a member number"),
    ("provider,receiver,hours\n{ann},{bob},1\n{ann}," + "9" * 30 + ",1\n", 3, "not a member number"),
    ("provider,receiver,hours,what\n{ann},{bob},1," + "x" * 140_000 + "\n", 2, "too long"),
    ("provider,receiver,hours\r{ann},{bob},1\r", 1, "carriage return"),
    ("provider,receiver,hours,what\n{ann},{bob},1,a\x00b\n", 2, "control character"),
    ("provider,receiver,hours,category\n{ann},{bob},1,a\x00b\n", 2, "from the category column"),
    ("provider,receiver,hours,day\n{ann},{bob},1,2026-01-01\x00\n", 2, "from the day column"),
])
def test_a_csv_that_does_not_mean_what_it_looks_like_is_refused_by_line_and_nothing_is_written(
        database, people, ledger_state, text, line, words):
    bank, (ann, bob, _) = people
    before = ledger_state(bank)
    with pytest.raises(BatchRefused) as caught:
        log_exchanges_from_csv(database, bank.slug, text.format(ann=ann.id, bob=bob.id), recorded_by="t")
    assert (line, words) in [(n, w) for n, message in caught.value.problems for w in [words] if w in message], \
        caught.value.problems
    assert ledger_state(bank) == before


def test_a_semicolon_separated_file_is_read_as_european_spreadsheets_write_it(database, people):
    bank, (ann, bob, _) = people
    text = f"provider;receiver;hours;what\n{ann.id};{bob.id};1,5;Weeding, then tea\n{bob.id};{ann.id};45m;\n"
    views = log_exchanges_from_csv(database, bank.slug, text, recorded_by="t")
    assert [(v.amount_minutes, v.description) for v in views] == [(90, "Weeding, then tea"), (45, None)]


def test_the_refusal_counts_its_problems_in_words(database, people):
    bank, (ann, bob, _) = people
    with pytest.raises(BatchRefused) as one:
        log_exchanges_from_csv(database, bank.slug, f"provider,receiver,hours\n{ann.id},{ann.id},1\n", recorded_by="t")
    assert one.value.message == "Nothing was recorded: 1 problem, on line 2."
    with pytest.raises(BatchRefused) as two:
        log_exchanges_from_csv(database, bank.slug,
                               f"provider,receiver,hours\n{ann.id},{ann.id},1\n{bob.id},{bob.id},1\n", recorded_by="t")
    assert two.value.message == "Nothing was recorded: 2 problems, on lines 2, 3."


def test_lines_more_than_a_year_back_are_refused_until_confirmed(database, bank, make_member, ledger_state):
    import datetime as dt

    ann, bob = (make_member(bank, n, joined_on=dt.date(2000, 1, 1)) for n in ("Ann", "Bob"))
    long_ago = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    text = f"provider,receiver,hours,day\n{ann.id},{bob.id},1,{long_ago}\n{bob.id},{ann.id},1,\n"
    before = ledger_state(bank)
    with pytest.raises(BatchRefused) as caught:
        log_exchanges_from_csv(database, bank.slug, text, recorded_by="t", long_ago_confirmed=False)
    assert caught.value.problems[0][0] == 2 and "more than a year ago" in caught.value.problems[0][1]
    assert ledger_state(bank) == before
    assert len(log_exchanges_from_csv(database, bank.slug, text, recorded_by="t", long_ago_confirmed=True)) == 2
