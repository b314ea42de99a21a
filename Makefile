# Offender Hub: the two commands are `make run` and `make test`. Everything they need is
# installed here, into .venv, from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint security check pytest pytest-sqlite pytest-postgres serve vendor clean \
	browser screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $@

## run: install, migrate the local SQLite database, load demo data, and serve on :8000 with a
## background worker beside it (tasks: webhook deliveries, ...). One Ctrl-C stops both.
run: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@trap 'kill 0' INT TERM EXIT; \
		$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & \
		$(BIN)/python manage.py run_schedule --loop 60 > /dev/null & \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, Django checks, migrations check, and the whole suite (SQLite, then PostgreSQL)
test: $(INSTALLED) lint security check browser pytest

## lint: ruff (rules and formatting) and the layers contract (import-linter, pyproject.toml)
lint: $(INSTALLED)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	$(BIN)/lint-imports --no-cache

## security: static security analysis (bandit); medium and high findings fail the build.
## Skipped tests and per-line exceptions are explained in pyproject.toml [tool.bandit].
security: $(INSTALLED)
	$(BIN)/python -m bandit -c pyproject.toml -r hub cautions referrals notifications reporting records api demo manage.py \
		--severity-level medium --confidence-level medium --quiet

check: $(INSTALLED)
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py check
	DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py makemigrations --check --dry-run

pytest: pytest-sqlite pytest-postgres

pytest-sqlite: $(INSTALLED)
	@echo "== test suite on SQLite"
	DATABASE_URL=sqlite:///:memory: $(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser tests (tests/browser, marker `browser`) run in the SQLite half only: they check
# what users see, the same on either database, and running them twice would add a minute or
# two; the view and service tests cover PostgreSQL.
# PostgreSQL runs when TEST_DATABASE_URL is set; REQUIRE_POSTGRES=1 (set by CI) makes its
# absence an error rather than a skip.
pytest-postgres: $(INSTALLED)
	@$(BIN)/python tests/check_postgres.py
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS); \
	fi

## serve: run as in production: DEBUG off, PostgreSQL from DATABASE_URL (SECRET_KEY and
## ALLOWED_HOSTS from the environment or .env), migrations, hashed compressed static files by
## WhiteNoise, gunicorn (hub/gunicorn.conf.py; WEB_CONCURRENCY workers) on HOST:PORT.
serve: $(INSTALLED)
	DEBUG=False $(BIN)/python manage.py check --deploy
	DEBUG=False $(BIN)/python manage.py migrate --noinput
	DEBUG=False $(BIN)/python manage.py collectstatic --noinput --verbosity 0 \
		--ignore fetch.sh --ignore VERSIONS
	DEBUG=False GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config hub/gunicorn.conf.py

vendor:
	bash static/vendor/fetch.sh

## browser: the browser tests need Chromium (Debian package `chromium`; CHROMIUM=path to override).
## When it is missing and this machine can install Debian packages (root, apt-get), it is
## installed here, as .ci/run does; otherwise the message says how.
CHROMIUM ?= /usr/bin/chromium
browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ "$(CHROMIUM)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null; then \
		echo "== installing Chromium from Debian packages (for the browser tests)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi
	@test -x "$(CHROMIUM)" || { echo "No browser at $(CHROMIUM): the browser tests (tests/browser) need Chromium." >&2; \
		echo "Install it with: sudo apt-get install -y chromium   (make test does this when run as root), or set CHROMIUM=/path/to/chromium." >&2; exit 1; }

## screenshots: regenerate docs/screenshots/*.png by running the browser journeys
# (into a scratch folder first, so that a failing run leaves the old screenshots in place)
screenshots: $(INSTALLED) browser
	rm -rf docs/screenshots/.new
	SCREENSHOTS=docs/screenshots/.new CHROMIUM="$(CHROMIUM)" DATABASE_URL=sqlite:///:memory: \
		$(BIN)/python -m pytest tests/browser -q $(PYTEST_ARGS)
	rm -f docs/screenshots/*.png
	mv docs/screenshots/.new/*.png docs/screenshots/
	rmdir docs/screenshots/.new
	@ls docs/screenshots

clean:
	rm -rf $(VENV) staticfiles
