# The two set-up commands (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint install bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Install, migrate, seed (only an empty database) and serve on http://127.0.0.1:5000
run: $(STAMP)
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker db upgrade
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker seed --if-empty
	TRACKER_ENV=$${TRACKER_ENV:-development} $(BIN)/tracker run --host 127.0.0.1 --port 5000

## Lint, type-check and run the whole test suite
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict tracker

test: lint
	$(BIN)/pytest

## Benchmark at 193 States x 500 milestones (see bench/README.md); PostgreSQL too when
## TRACKER_TEST_POSTGRES_URL is set
bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.remind
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.measures
