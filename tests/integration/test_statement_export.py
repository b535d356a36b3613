"""`timebank statement --csv` is as safe to open in a spreadsheet as the web's exports."""
import csv
import io

import pytest

from tests.conftest import cli_runner


@pytest.mark.parametrize("backend", ["sqlite"])
def test_statement_csv_quotes_a_description_that_would_run_as_a_formula(backend, database_factory):
    run = cli_runner(database_factory.url(backend))
    assert run("init").exit_code == 0
    assert run("bank", "add", "leith", "--name", "Leith").exit_code == 0
    ann, bob = (int(run("member", "add", "--bank", "leith", name).stdout) for name in ("=Ann", "Bob"))
    formula = '=HYPERLINK("http://evil.example","x")'
    assert run("log", "--bank", "leith", "--provider", ann, "--receiver", bob, "--hours", "1",
               "--what", formula).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run("statement", "--bank", "leith", bob, "--csv").stdout)))
    assert (rows[0]["description"], rows[0]["with"], rows[0]["minutes"]) == ("'" + formula, "'=Ann", "-60")
