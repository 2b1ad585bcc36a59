# One command to run the dashboard on the bundled real data, one to run the tests.
# Both create the virtual environment (.venv) from the lock file on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test venv warehouse lint format bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

venv: $(VENV)/.installed

warehouse: venv
	$(PY) -m etl run --raw data/raw --warehouse data/warehouse

run: warehouse
	$(PY) -m dashboard --warehouse data/warehouse --host $(HOST) --port $(PORT)

test: venv
	$(PY) -m ruff check etl dashboard tests
	$(PY) -m pytest -q

lint: venv
	$(PY) -m ruff check etl dashboard tests
	$(PY) -m ruff format --check etl dashboard tests

format: venv
	$(PY) -m ruff format etl dashboard tests
	$(PY) -m ruff check --fix etl dashboard tests

clean:
	rm -rf $(VENV) data/warehouse .pytest_cache
