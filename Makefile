# Quorum. `make run` serves the demo; `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast screenshots lint format system-check install demo bench bench-pack bench-web bench-web-surge bench-word bench-alerts bench-moderngov clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Quorum needs Python 3.11 or newer (found " + sys.version.split()[0] + ").")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

# WeasyPrint needs Pango and fonts from the system; say exactly what is missing.
system-check: $(STAMP)
	@bin/system-check

# make run PORT=8001 serves on another port. DEBUG stays off, as a council serves it: an
# address that finds nothing answers with the site's own page, not Django's technical one
# listing every address pattern (a developer can still run `DEBUG=1 bin/run-demo`). Static
# files are served by WhiteNoise straight from static/ either way.
PORT ?= 8000
run: system-check
	@PORT=$(PORT) bin/run-demo

demo: system-check
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo

# The tests keep their own var/ folder (database files, broker queue, media), so that they
# never touch a demo started with `make run`. They run in one process a CPU, at most four
# (TEST_PROCESSES=1 for one), each module's tests in one process (its module-wide data);
# tests/parallel.py gives each process its own folder and Redis database.
TEST_PROCESSES ?= auto
PARALLEL = -n $(TEST_PROCESSES) --maxprocesses 4 --dist loadfile
test: system-check
	@bin/test-deps
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/test} $(PY) -m pytest $(PARALLEL)

# The quick loop while working: no WeasyPrint, no Chromium (see docs/testing.md).
test-fast: install
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/test} $(PY) -m pytest $(PARALLEL) -m "not pdf and not browser"

# The README's pictures: the browser suite's screenshot test, saving into docs/screenshots/.
screenshots: system-check
	@bin/test-deps
	QUORUM_SCREENSHOTS=docs QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/test} $(PY) -m pytest tests/browser/test_screenshots.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: bench-pack bench-web bench-word bench-alerts

bench-alerts: $(STAMP)
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/bench-alerts} $(PY) bench/alerts.py

bench-word: $(STAMP)
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/bench-word} $(PY) bench/word.py

bench-web: $(STAMP)
	$(PY) -m bench.web.run

bench-moderngov: $(STAMP)
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/bench-moderngov} $(PY) -m bench.moderngov_import $(ARGS)

# The same, then 200 connections for 60 s on each public page type (gunicorn with 4 workers).
bench-web-surge: $(STAMP)
	$(PY) -m bench.web.run --surge 60

bench-pack: system-check
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/bench-pack} $(PY) bench/pack.py
	QUORUM_VAR_DIR=$${QUORUM_VAR_DIR:-var/bench-pack} $(PY) bench/render_costs.py

clean:
	rm -rf var/ node_modules/
