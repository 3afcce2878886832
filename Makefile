# The only commands to learn: `make demo`, `make test`, `make bench`, `make check`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

## demo: install the project and run the main job (simulate a sector, score it, summarise)
demo: $(VENV)/.installed-run
	$(BIN)/barometre demo

## test: install the project with its test dependencies and run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## bench: performance figures (not timed tests)
bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_scoring.py

## check: lint and format check
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build src/*.egg-info
