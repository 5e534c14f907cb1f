# The two set-up commands (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install bench bench-peer messages

# Compiled catalogues (translations/<lang>/LC_MESSAGES/messages.mo) are built here, never
# committed: both README commands compile them when a .po file changed.
MO := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

translations/%.mo: translations/%.po $(STAMP)
	$(BIN)/pybabel -q compile -i $< -o $@

## For translators: extract the interface's strings and merge them into every catalogue
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k _l -k lazy_gettext -k ngettext:1,2 -o translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching -i translations/messages.pot -d translations

## Install, migrate, seed (only an empty database) and serve on http://127.0.0.1:5000
run: $(STAMP) $(MO)
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker db upgrade
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker seed --if-empty
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker run --host 127.0.0.1 --port 5000

## Lint, type-check and run the whole test suite
lint: $(STAMP) $(MO)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict tracker

# -n auto: one pytest worker per CPU (pytest-xdist); every test has its own database, port and
# temporary folder, so they run side by side. `pytest tests/test_x.py` stays single-process.
test: lint
	$(BIN)/pytest -n auto --dist worksteal

## Benchmark at 193 States x 500 milestones (see bench/README.md); PostgreSQL too when
## TRACKER_TEST_POSTGRES_URL is set
bench: $(STAMP) $(MO)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.remind
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.locale
	$(BIN)/python -m bench.measures
	$(BIN)/python -m bench.measure_import

## The tracker beside Redmine 5 on the same data (issue 17; see bench/README.md): installs
## Redmine, puma and wrk from Debian's packages when root, else says why and measures nothing.
## PEER_FLAGS, e.g. "--seconds 3 --rounds 2", shortens the run.
bench-peer: $(STAMP) $(MO)
	$(BIN)/python -m bench.peer --install $(PEER_FLAGS)
