# CoreSteady: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?=
# Test processes: the machines this runs on have two cores. WORKERS=0 runs every test in one process.
WORKERS ?= 2
# Python keeps what it compiles (the app, the packages pip installs without compiling, pytest's rewritten test
# modules) even where the environment says not to: without it every test process compiled all of them again,
# about 8 s of each one's start.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test lint format bench cluster icons figures install install-dev chromium redis clean

run: install
	$(FLASK) init-db
	$(FLASK) seed-demo
	@echo "CoreSteady is at http://127.0.0.1:$(PORT)  (Ctrl+C stops it and the job worker)"
	@# The job worker (mail, reminders) runs beside the server and stops with it, Ctrl+C or not.
	@$(FLASK) jobs & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Every test, browser tests included; each process gets a database of its own, and the browser tests
# all go to one of them (see tests/e2e/conftest.py).
test: install-dev chromium redis
	$(PY) -m pytest -n $(WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	node_modules/.bin/eslint --max-warnings 0 static

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev chromium tools/lighthouse/node_modules/.installed
	$(PY) -m tests.bench
	$(PY) -m tests.bench_wire
	$(PY) -m tests.bench_reads
	$(PY) -m tests.bench_sync
	$(PY) -m tests.bench_lighthouse

# Lighthouse (npm, pinned in tools/lighthouse/package-lock.json) for make bench only: make test never downloads it.
tools/lighthouse/node_modules/.installed: tools/lighthouse/package.json tools/lighthouse/package-lock.json
	@command -v npm >/dev/null || ./.ci/install-packages nodejs npm
	cd tools/lighthouse && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The production deployment on loopback, from Debian's packages: PostgreSQL, Redis, two app processes under
# gunicorn with the job worker, nginx in front; then a journey through nginx (tests/cluster.py). About a minute.
cluster: install-dev
	@command -v nginx >/dev/null && command -v redis-server >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| ./.ci/install-packages nginx redis-server postgresql
	$(PY) -m tests.cluster

# Redraw the install icons and screenshots under static/icons/ (see tools/icons.py); commit the PNGs.
icons: install-dev chromium
	$(PY) -m tools.icons

# Redraw the exercise figures under static/img/exercises/ from tools/figures/ and check them; commit the SVGs.
# FIGURES_ARGS="--sheet test-artifacts/figures" also draws contact sheets to look at (Chromium).
FIGURES_ARGS ?=
figures: install-dev
	$(PY) -m tools.figures $(FIGURES_ARGS)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

# --no-compile: Python compiles a module when it is first imported, so pip need not compile every file
# of every package up front (most are never imported). The tools install in one pip run with the runtime.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --no-compile

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.installed $@

# The development tools from npm (package.json: axe-core for tests/e2e/test_accessibility.py, ESLint for make lint),
# kept in node_modules/ and never served; `npm ci` installs exactly package-lock.json, again only when the lock
# changes.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || ./.ci/install-packages nodejs npm
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium; browser downloads are not used.
chromium:
	@test -x $(CHROMIUM) || ./.ci/install-packages chromium

# The shared login throttle is tested against a real Redis (tests/test_throttle_shared.py).
redis:
	@command -v redis-server >/dev/null || ./.ci/install-packages redis-server

clean:
	rm -rf $(VENV) node_modules tools/lighthouse/node_modules .pytest_cache .ruff_cache
