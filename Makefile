# Offender Hub: the two commands are `make run` and `make test`. Everything they need is
# installed here, into .venv, from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check pytest pytest-sqlite pytest-postgres serve vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

## run: install, migrate the local SQLite database, load demo data and serve on :8000
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, Django checks, migrations check, and the whole suite (SQLite, then PostgreSQL)
test: $(INSTALLED) lint check pytest

lint: $(INSTALLED)
	$(BIN)/python -m ruff check .

check: $(INSTALLED)
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py check
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: $(INSTALLED)
	@echo "== test suite on SQLite"
	DATABASE_URL=sqlite:///:memory: $(BIN)/python -m pytest $(PYTEST_ARGS)

# PostgreSQL runs when TEST_DATABASE_URL is set; REQUIRE_POSTGRES=1 (set by CI) makes its
# absence an error rather than a skip.
pytest-postgres: $(INSTALLED)
	@$(BIN)/python tests/check_postgres.py
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

vendor:
	bash static/vendor/fetch.sh

clean:
	rm -rf $(VENV) staticfiles
