# The README's commands. Everything lives in .venv, installed from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .  # hatchling comes from the lock
	touch $(STAMP)

run: $(STAMP)  ## open the dashboard on the demo programme at http://localhost:8501
	test -f data/reach.duckdb || $(BIN)/reach demo --db data/reach.duckdb
	$(BIN)/reach serve --db data/reach.duckdb

test: $(STAMP)  ## lint and run every test (browser tests need Debian's chromium)
	$(BIN)/ruff check dashboard tests benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)  ## benchmarks at 1,000,000 participants; results go to BENCHMARKS.md by hand
	$(BIN)/python benchmarks/overview.py

lock:  ## refresh requirements.lock from pyproject (needs network to PyPI)
	rm -rf /tmp/reach-lock && $(PYTHON) -m venv /tmp/reach-lock
	/tmp/reach-lock/bin/pip install --quiet ".[test]"
	/tmp/reach-lock/bin/pip freeze --exclude reach > requirements.lock

clean:
	rm -rf $(VENV) data/*.duckdb data/*.duckdb.wal *.egg-info
