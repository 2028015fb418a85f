# The platform's commands. `make run` and `make test` work on a fresh machine with only Python (3.12 or newer).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12+: take the first interpreter on this machine that is new enough.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 $(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: help run serve test lint format worker beat messages chromium screenshots bench bench-bids bench-award bench-credit bench-purchases backup restore load fuzz mutation clean

help:
	@echo "make run       install into .venv, migrate, load the demo data and serve on http://$(HOST)"
	@echo "make test      checks, migrations check, ruff and the whole pytest suite"
	@echo "make worker    a Celery worker (needs REDIS_URL)     make beat   the Celery beat scheduler"
	@echo "make messages  recompile the translations            make chromium  install Debian chromium for browser tests"
	@echo "make bench     bench-bids, bench-award and bench-credit in a scratch PostgreSQL database (docs/performance.md)"
	@echo "make backup    pg_dump of DATABASE_URL and a tarball of the uploaded files into BACKUP_DIR (docs/operations.md)"
	@echo "make restore FILE=backups/vbp-<stamp>.dump   into the empty database DATABASE_URL, then audit_verify"

$(BIN)/.installed: requirements.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6); none was found on PATH." >&2; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(BIN)/.installed

run: venv
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Serving on http://$(HOST)  (Ctrl-C to stop)"
	$(MANAGE) runserver $(HOST)

test: venv
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (and DATABASE_URL) to run a real worker." >&2; exit 1; }
	$(BIN)/celery -A config worker --loglevel=INFO

beat: venv
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (and DATABASE_URL) to run beat." >&2; exit 1; }
	$(BIN)/celery -A config beat --loglevel=INFO

# The .po files are the source; the compiled .mo files are committed so that a fresh machine needs no gettext.
messages: venv
	$(MANAGE) makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --no-obsolete
	$(MANAGE) compilemessages --locale zh_Hans --ignore '.venv/*'

chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then echo "chromium is installed"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "run as root (or with sudo): apt-get install chromium chromium-driver" >&2; exit 1; fi

# Benchmarks run in a scratch PostgreSQL database (BENCH_DATABASE_URL), created afresh each time.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vbp_bench
BENCH_ARGS ?=
bench: bench-bids bench-award bench-credit bench-purchases

# API fuzzing at the trust targets' 100 examples per operation and role (CI runs 15), on PostgreSQL.
fuzz: venv
	DATABASE_URL=$(BENCH_DATABASE_URL) FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),100) $(BIN)/python -m pytest -q tests/test_api_fuzz.py

# Mutation testing of the pure engines (docs/trust.md): fails when a mutant survives that tests/mutation/accepted.toml
# does not list, or an engine scores below 97 %. mutmut is a tool, installed on demand.
MUTATION_CHILDREN ?= $(shell nproc 2>/dev/null || echo 2)
# The user guide's pictures: each role's workbench, taken by the browser tests (docs/images/workbench-*.png).
screenshots: venv
	env -u DATABASE_URL -u REDIS_URL SCREENSHOTS_DIR=docs/images REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q \
		-p no:cacheprovider -m browser "tests/e2e/test_workbench.py::test_each_role_starts_at_its_workbench" -k laptop

mutation: venv
	$(BIN)/python -m pip install --quiet mutmut==3.8.1
	rm -rf mutants
	env -u DATABASE_URL -u REDIS_URL HYPOTHESIS_PROFILE=mutation $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python -m tests.mutation.survivors

# Load test (locust) of the bid deadline and the purchase-report day on gunicorn + PostgreSQL (docs/performance.md).
load: venv
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -q -c "DROP DATABASE IF EXISTS $(notdir $(BENCH_DATABASE_URL))" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_load $(BENCH_ARGS)

bench-bids: venv
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -q -c "DROP DATABASE IF EXISTS $(notdir $(BENCH_DATABASE_URL))" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_bids $(BENCH_ARGS)

bench-award: venv
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -q -c "DROP DATABASE IF EXISTS $(notdir $(BENCH_DATABASE_URL))" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/14} $(MANAGE) bench_award $(BENCH_ARGS)

bench-credit: venv
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -q -c "DROP DATABASE IF EXISTS $(notdir $(BENCH_DATABASE_URL))" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/14} $(MANAGE) bench_credit $(BENCH_ARGS)

bench-purchases: venv
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -q -c "DROP DATABASE IF EXISTS $(notdir $(BENCH_DATABASE_URL))" -c "CREATE DATABASE $(notdir $(BENCH_DATABASE_URL))"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) load_demo >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench_purchases $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Backups (docs/operations.md): PostgreSQL's own dump in its custom format, plus the uploaded evidence files.
BACKUP_DIR ?= backups
MEDIA_DIR ?= $(or $(MEDIA_ROOT),media)
backup:
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (PostgreSQL) to back up." >&2; exit 1; }
	@umask 077; mkdir -p "$(BACKUP_DIR)"
	@umask 077; stamp=$$(date -u +%Y%m%dT%H%M%SZ); \
	pg_dump --format=custom --no-owner --no-privileges --file "$(BACKUP_DIR)/vbp-$$stamp.dump" "$$DATABASE_URL" && \
	mkdir -p "$(MEDIA_DIR)" && tar -czf "$(BACKUP_DIR)/vbp-$$stamp.media.tar.gz" -C "$(MEDIA_DIR)" . && \
	echo "$(BACKUP_DIR)/vbp-$$stamp.dump"

# Restores into an empty database in one transaction (all or nothing), then checks the audit chain end to end.
restore: venv
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to the (empty) database to restore into." >&2; exit 1; }
	@test -f "$(FILE)" || { echo "make restore FILE=backups/vbp-<stamp>.dump" >&2; exit 1; }
	pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --dbname "$$DATABASE_URL" "$(FILE)"
	@media="$(basename $(FILE)).media.tar.gz"; if [ -f "$$media" ]; then mkdir -p "$(MEDIA_DIR)" && tar -xzf "$$media" -C "$(MEDIA_DIR)"; fi
	$(MANAGE) audit_verify
