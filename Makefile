# Plateforme de l'inclusion — every command a developer needs. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run migrate data serve test test-e2e test-mutations bench test-fast lint format clean

help:
	@echo "make run      installe, migre, charge les données (référence + démo) et sert http://$(HOST):$(PORT)"
	@echo "make test     lance toute la suite de tests (SQLite ; DATABASE_URL=postgres://... pour PostgreSQL)"
	@echo "make test-e2e parcours dans Chromium (Playwright) et audit d'accessibilité axe-core"
	@echo "make test-mutations  retire chaque contrôle d'accès des perms.py tour à tour : un test doit échouer"
	@echo "make bench    jeu de données national, gunicorn, wrk et pgbench : le tableau des mesures (docs/performance.md)"
	@echo "make lint     ruff (lint + format) et makemigrations --check"
	@echo "make format   reformate le code avec ruff"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(VENV)/.installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

data: migrate
	$(MANAGE) import_reference_data
	$(MANAGE) load_demo_data

serve: install
	$(MANAGE) runserver $(HOST):$(PORT)

run: data
	@echo "Site : http://$(HOST):$(PORT)"
	$(MANAGE) runserver $(HOST):$(PORT)

# One pytest process per core (pytest-xdist); TEST_WORKERS=0 runs in one process (pdb, -x on the first failure).
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Browser journeys and the axe-core audit in Debian's Chromium (apt-get install chromium); screenshots of failures
# land in test-results/e2e/.
test-e2e: install
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

# Removes each perms.py check in turn and expects a test to fail (tests/perms_mutants/, ~12 min on 2 cores).
test-mutations: install
	$(BIN)/python -m tests.perms_mutants.run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Recompute the hashed lock files after a change of pyproject.toml (needs uv: pip install uv).
lock:
	UV_PYTHON_DOWNLOADS=never uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -o requirements/base.txt
	UV_PYTHON_DOWNLOADS=never uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 --no-header -o requirements/dev.txt

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles

# The national data set on PostgreSQL, served by gunicorn and measured with wrk and pgbench (docs/performance.md).
bench: install
	$(BIN)/python bench/run.py
