# The two commands of the README. Both use the same .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP := $(BIN)/pip install --quiet --disable-pip-version-check
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install install-dev fixtures lint format ci serve bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What the site runs on; reinstalled only when requirements.txt changes.
$(STAMP): requirements.txt | $(BIN)/python
	$(PIP) -r requirements.txt
	touch $(STAMP)

# The test and lint tools on top; reinstalled when either file changes.
$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PIP) -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Load the bundled fixtures only into an empty archive, so a second run keeps editors' work.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_archive
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production way: gunicorn, DEBUG off, hashed and compressed static files served by
# WhiteNoise, pages cached. The same database as `make run`; fixtures only into an empty one.
# Refuses to start with the public default key unless DJANGO_SECRET_KEY is set, or
# SKATEARCHIVE_LOCAL_TRIAL=1 says this is a trial on this machine (skatearchive/serving.py): checked
# first, before anything is migrated or loaded.
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
serve: install
	DJANGO_DEBUG=0 $(BIN)/python -m skatearchive.serving
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_archive
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DJANGO_DEBUG=0 $(BIN)/gunicorn skatearchive.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS)

# Server times, query counts and requests per second at 2 and 30 seasons: docs/BENCHMARKS.md.
bench: install
	command -v wrk >/dev/null || apt-get install -y wrk || echo "no wrk: using the Python load generator"
	$(BIN)/python bench/run.py

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

fixtures: install
	$(BIN)/python manage.py build_fixtures

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Everything CI checks (installs system packages and npm tools; see .ci/run).
ci:
	bash .ci/run
