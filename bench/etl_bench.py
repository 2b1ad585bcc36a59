"""ETL throughput: reported CSV → published warehouse, against DuckDB's bare CSV → Parquet copy."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from etl.pipeline import run


def _duckdb_copy(raw: Path, target: Path) -> float:
    """Seconds for DuckDB to read the same CSV files and write one Parquet file: the cost of I/O alone."""
    connection = duckdb.connect(":memory:")
    pattern = str(raw / "*.figures.csv").replace("'", "''")
    out = str(target).replace("'", "''")
    start = time.perf_counter()
    connection.execute(f"COPY (SELECT * FROM read_csv('{pattern}')) TO '{out}' (FORMAT parquet, COMPRESSION zstd)")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def etl_throughput(dataset: Path, work: Path, rows: int) -> dict[str, object]:
    """Time ``etl.pipeline.run`` on ``rows`` reported figures and DuckDB's bare copy of the same files."""
    warehouse = work / "etl-warehouse"
    shutil.rmtree(warehouse, ignore_errors=True)
    start = time.perf_counter()
    result = run(dataset / "raw", warehouse, dataset / "reference")
    etl_s = time.perf_counter() - start
    copy_s = _duckdb_copy(dataset / "raw", work / "duckdb-copy.parquet")
    return {
        "rows": rows,
        "observations_published": result.observations,
        "etl_s": round(etl_s, 3),
        "duckdb_copy_s": round(copy_s, 3),
        "ratio": round(etl_s / copy_s, 2),
        "etl_rows_per_s": round(rows / etl_s),
        "target_ratio_max": 5.0,
        "warehouse": str(warehouse),
    }


def unchanged_refresh(dataset: Path, warehouse: Path) -> dict[str, object]:
    """A second ``python -m etl run`` on the same inputs, as a user or the scheduler would start it.

    With incremental runs (the ``ops`` branch) it should detect that nothing changed and publish
    nothing; without them it rebuilds everything. Which of the two happened is recorded.
    """
    before = (warehouse / "current").resolve()
    command = [sys.executable, "-m", "etl", "run", "--raw", str(dataset / "raw"), "--warehouse", str(warehouse),
               "--reference", str(dataset / "reference")]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = (warehouse / "current").resolve()
    return {
        "command": "python -m etl run (same inputs, second time)",
        "seconds": round(elapsed, 3),
        "exit_code": completed.returncode,
        "published_new_snapshot": before != after,
        "incremental": before == after and completed.returncode == 0,
        "output": (completed.stdout + completed.stderr).strip()[-400:],
        "target_s_max": 0.3,
    }
