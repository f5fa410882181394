# borderwatch: `make run` serves the demo, `make test` runs every check. Both set up on their own.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BW := $(BIN)/borderwatch
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= 2021

.PHONY: setup run test lint pytest bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# the local demo: plain HTTP on $(HOST), demo users with a published password; never production
run: export BORDERWATCH_ENV = local
run: setup
	$(BW) migrate --noinput
	$(BW) scenario load belarus-2021 --seed $(SEED)
	$(BW) demo_users
	$(BW) collectstatic --noinput --verbosity 0
	@echo "Serving borderwatch on http://$(HOST):$(PORT)/ (task worker: borderwatch worker --supervise)"
	@# the task worker (searches, captures, proposals) runs beside the web server, restarted when it
	@# dies; it stops with the web server (finishing its task first, at most 30 s)
	$(BW) worker --supervise & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn borderwatch.config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
	  --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

pytest: setup
	$(BIN)/pytest

test: lint pytest

bench: setup
	$(BIN)/python bench/run.py --only "$(ONLY)"

clean:
	rm -rf $(VENV) node_modules var .mypy_cache .pytest_cache .ruff_cache
