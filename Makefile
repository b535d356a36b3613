# Two commands matter: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= sqlite:///$(CURDIR)/instance/demo.sqlite3

.PHONY: run check lint test provision bench screenshots clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	mkdir -p instance
	$(BIN)/timebank --db $(DEMO_DB) init
	$(BIN)/timebank --db $(DEMO_DB) demo --if-empty
	$(BIN)/timebank --db $(DEMO_DB) serve --host 127.0.0.1 --port 5000

# The fast loop (under a minute): lint, then the unit and matching tests.
check: lint
	$(BIN)/python -m pytest -p no:cacheprovider -q tests/unit tests/matching

lint: $(STAMP)
	$(BIN)/python -m ruff check .

# What the tests need from the machine: PostgreSQL running, Debian's Chromium installed.
provision:
	bash scripts/provision

# Every test, on SQLite and on PostgreSQL (the local server; a throwaway database per run):
# the fast loop first, then the rest on two processes (a file's tests stay together: the
# browser files share one demonstration bank and one Chromium per process).
test: provision check
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile --durations=20 tests --ignore=tests/unit --ignore=tests/matching

# The README's pictures of the web pages, as the browser tests see them.
screenshots: $(STAMP)
	TIMEBANK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -p no:cacheprovider -q tests/browser

bench: $(STAMP)
	$(BIN)/python benchmarks/ledger.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
