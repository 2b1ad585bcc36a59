"""The older suite: the query layer against pandas, the CSV download against Datasette, at one size.

``python -m bench`` (full size: 10 M observations for the dashboard, 1 M reported rows for the
ETL and the download) or ``python -m bench --quick`` (small, under a minute), written under
bench/work/ (not committed). ``make bench`` (:mod:`bench.all`) is the run behind bench/RESULTS.md.
Figures are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import psutil

from bench.data import WORK, cached_dataset
from bench.etl_bench import etl_throughput, unchanged_refresh
from bench.query_bench import query_interactions
from bench.report import write_report
from bench.serve_bench import csv_download, dashboard_session

BENCH = Path(__file__).resolve().parent
DATASETTE = WORK / "venv" / "bin" / "datasette"


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=BENCH.parent, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Benchmarks → bench/results.json and bench/RESULTS.md")
    parser.add_argument("--quick", action="store_true", help="small sizes, a few runs: checks the suite works, measures little")
    parser.add_argument("--size", type=lambda s: int(s.replace("_", "")), default=None,
                        help="observations in the dashboard's warehouse (default 10_000_000, quick 30_000; env BENCH_SIZE)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where results.json and RESULTS.md go (default bench/work/full/ or bench/work/quick/)")
    parser.add_argument("--no-browser", action="store_true", help="skip the dashboard process and Chromium")
    args = parser.parse_args(argv)
    env_size = os.environ.get("BENCH_SIZE")
    size = args.size or (int(env_size.replace("_", "")) if env_size else (30_000 if args.quick else 10_000_000))
    etl_rows = min(1_000_000, size) if not args.quick else 10_000
    download_rows = min(1_000_000, size // 4) if not args.quick else 5_000
    runs = 5 if args.quick else 30
    work = WORK / ("quick" if args.quick else "full")
    work.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    results: dict[str, object] = {
        "meta": {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "mode": "quick" if args.quick else "full",
            "git_commit": _git("rev-parse", "--short", "HEAD"),
            "git_branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
            "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                        "python": platform.python_version(), "platform": platform.platform()},
            "versions": {"duckdb": duckdb.__version__, "pandas": pd.__version__},
            "sizes": {"dashboard_observations": size, "etl_rows": etl_rows, "download_rows": download_rows, "runs": runs,
                      "pandas_runs": runs if args.quick else 10, "repeated_callback_runs": min(runs, 10)},
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "note": "The machine is shared with other work: timings carry its noise. Data is SYNTHETIC (etl.synth).",
        }
    }
    print(f"[bench] data: {etl_rows} CSV rows, {size} warehouse observations (cached under {WORK / 'data'})", flush=True)
    csv_data = cached_dataset("csv", etl_rows)
    warehouse = cached_dataset("warehouse", size) / "warehouse"

    print("[bench] ETL", flush=True)
    results["etl"] = etl_throughput(csv_data, work, etl_rows)
    print("[bench] unchanged refresh", flush=True)
    results["refresh"] = unchanged_refresh(csv_data, work / "etl-warehouse")
    print("[bench] query layer", flush=True)
    results["queries"] = query_interactions(warehouse, runs, pandas_runs=runs if args.quick else 10)
    if args.no_browser:
        results["dashboard"] = {"skipped": "--no-browser"}
    else:
        print("[bench] dashboard process", flush=True)
        results["dashboard"] = dashboard_session(warehouse, runs, page_loads=3 if args.quick else 5)
    print("[bench] CSV download", flush=True)
    results["download"] = csv_download(warehouse, work, download_rows, DATASETTE)
    results["meta"]["duration_s"] = round(time.perf_counter() - started, 1)  # type: ignore[index]
    results["meta"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]

    out = args.out or work
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    write_report(results, out / "RESULTS.md")
    print(f"[bench] wrote {out / 'results.json'} and {out / 'RESULTS.md'} in {results['meta']['duration_s']} s", flush=True)  # type: ignore[index]
    return 0
