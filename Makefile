# One command to run the dashboard on the bundled real data, one to run the tests.
# Both create the virtual environment (.venv) from the lock file on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test venv warehouse lint format bench bench-quick bench-dashboard bench-scale bench-extract bench-etl clean

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

# Benchmarks (bench/RESULTS.md): 10 M synthetic observations by default, BENCH_SIZE=... to choose.
# Datasette, the download's anchor, goes into its own venv (bench/work/venv), never into the lock file.
BENCH_VENV := bench/work/venv

$(BENCH_VENV)/bin/datasette:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet datasette

bench: venv $(BENCH_VENV)/bin/datasette
	$(PY) -m bench $(if $(BENCH_SIZE),--size $(BENCH_SIZE),)

# Small and quick (under a minute): checks the suite runs; writes to bench/work/quick/, not the committed results.
bench-quick: venv
	$(PY) -m bench --quick

# The ETL alone (bench/RESULTS-etl.md): 1 M synthetic reported rows against DuckDB's bare CSV→Parquet
# copy of the same files, interleaved, with peak memory; an unchanged refresh. BENCH_ETL_ROWS=... to choose,
# BENCH_ETL_ALSO=10000000 to add a larger size (generated first: minutes).
bench-etl: venv
	$(PY) -m bench.etl $(if $(BENCH_ETL_ROWS),--rows $(BENCH_ETL_ROWS),) $(if $(BENCH_ETL_ALSO),--also $(BENCH_ETL_ALSO),)

# The dashboard against issue 15 items 2-3 (interactions at 10 M observations over HTTP and in Chromium,
# the first page on the bundled data) → bench/RESULTS-dashboard.md and bench/results-dashboard.json.
bench-dashboard: venv
	$(PY) -m bench.dashboard_bench $(if $(BENCH_SIZE),--size $(BENCH_SIZE),)

# The extractor scored on the labelled corpus (releases read from ../shared, labels in tests/data/releases/):
# writes bench/extract-results.md and prints it.
bench-extract: venv
	$(PY) -m bench.extract

# Scale-out (docs/scale-out.md): 1 vs 2 nodes behind nginx, with and without Redis, on a local
# S3-protocol server; needs redis-server and nginx (.ci/run installs them). → bench/RESULTS-scale.md
bench-scale: venv
	$(PY) -m bench.scale

clean:
	rm -rf $(VENV) data/warehouse .pytest_cache
