# One command to run the dashboard on the bundled real data, one to run the tests.
# Both create the virtual environment (.venv) from the lock file on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test venv warehouse lint format bench bench-quick bench-dashboard bench-scale bench-serving bench-extract bench-etl clean

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

# Benchmarks: `make bench` runs every part below in one run (bench-etl, bench-dashboard, bench-serving, one
# after the other) and writes bench/RESULTS.md from that run (BENCH_ETL_ALSO=10000000 adds the 10 M ETL).
# The older suite (`python -m bench`, its quick mode below) compares with pandas and Datasette, the download's
# anchor, which goes into its own venv (bench/work/venv), never into the lock file.
BENCH_VENV := bench/work/venv

$(BENCH_VENV)/bin/datasette:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet datasette

bench: venv
	$(PY) -m bench.all

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

# The production stack (serve --workers 2 behind nginx): the CSV API against DuckDB's COPY of the same
# 1 M rows with the server's memory, and 50 concurrent clients on a mixed load. → bench/RESULTS-serving.md
bench-serving: venv
	$(PY) -m bench.serving

clean:
	rm -rf $(VENV) data/warehouse .pytest_cache
