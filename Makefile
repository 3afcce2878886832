# The only commands to learn: `make demo`, `make test`, `make bench`, `make check`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-postgres fuzz bench load check messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-load: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,load,postgres]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

# axe-core for the browser tests' accessibility checks, pinned by its lockfile (npm ci checks
# the integrity); without npm the browser tests are skipped and say why.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the browser tests will be skipped (apt-get install npm)"; fi

## demo: install the project, build the synthetic two-wave sector and serve the web application
demo: $(VENV)/.installed-run
	$(BIN)/barometre demo

## test: install the project with its test dependencies and run the whole suite
test: $(VENV)/.installed-test $(AXE)
	$(BIN)/python -m pytest

## test-postgres: the database-backed tests again on the server named by DATABASE_URL
test-postgres: $(VENV)/.installed-test $(AXE)
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://user@host:port/db" && false)
	$(BIN)/python -m pytest tests/web tests/browser

## fuzz: the fuzz tests of the input readers with many more examples, random (make test runs
## them with a few dozen each, the same every run)
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/fuzz -q

## bench: performance figures (not timed tests)
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_estimate.py
	$(BIN)/python benchmarks/bench_coverage.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_answer_check.py
	$(BIN)/python benchmarks/bench_contracts.py
	$(BIN)/python benchmarks/bench_exports.py
	$(BIN)/python benchmarks/bench_startup.py

## load: simulated respondents against the demo (SQLite) and 4 workers on PostgreSQL (a benchmark)
load: $(VENV)/.installed-load
	$(BIN)/python benchmarks/load/run.py $(LOAD_ARGS)

## screenshots: the README's screenshots, taken by the browser tests
screenshots: $(VENV)/.installed-test $(AXE)
	BAROMETRE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest tests/browser tests/reports -q

## check: lint, format check and types (mypy, configured in pyproject.toml)
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## messages: refresh the French catalogue from the sources (needs GNU gettext), then compile it
messages: $(VENV)/.installed-test
	cd src/barometre && DJANGO_SETTINGS_MODULE=barometre.web.config.settings.dev \
	  ../../$(BIN)/django-admin makemessages -l fr --no-location \
	  --ignore "web/*/migrations/*" --ignore "content/*"
	msgfmt --check -o src/barometre/locale/fr/LC_MESSAGES/django.mo \
	  src/barometre/locale/fr/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) tests/browser/node_modules .pytest_cache .hypothesis .mypy_cache build src/*.egg-info
