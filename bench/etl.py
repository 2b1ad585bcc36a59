"""The ETL's own benchmark: ``make bench-etl`` (``python -m bench.etl``) → bench/RESULTS-etl.md.

Measured, each in its own process so that its peak memory is its own (``os.wait4``'s rusage):

* the ETL of N synthetic reported rows (``python -m etl run --force``: read, normalise, check,
  derive, reconcile, publish), interleaved with DuckDB's bare copy of the same CSV files to one
  Parquet file (the anchor: the cost of the I/O alone), several rounds, medians;
* an unchanged refresh (``python -m etl run`` again on the same inputs: hash, compare, stop).

Both run on the same machine in the same minutes, so their ratio carries less of the machine's
noise than either figure (the machine is shared: the load average is recorded). The data is
synthetic (:mod:`etl.synth`). Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.data import WORK, cached_dataset

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
#: Targets of issue 15 (ETL part).
TARGET_RATIO = 5.0
TARGET_RSS_MB = 2048
TARGET_REFRESH_S = 0.3

COPY_SCRIPT = """
import sys, time, duckdb
pattern, out = sys.argv[1], sys.argv[2]
con = duckdb.connect(":memory:")
start = time.perf_counter()
quote = lambda text: "'" + text.replace("'", "''") + "'"
con.execute(f"COPY (SELECT * FROM read_csv({quote(pattern)})) TO {quote(out)} (FORMAT parquet, COMPRESSION zstd)")
print(time.perf_counter() - start)
"""


#: GNU time reports a process's own peak RSS. A child's ``ru_maxrss`` from ``wait4`` starts at
#: its parent's RSS at fork (this benchmark has pandas loaded), which would hide small peaks.
GNU_TIME = Path("/usr/bin/time")


def measured(command: list[str], *, cwd: Path = REPO, scratch: Path | None = None) -> dict[str, object]:
    """Wall seconds, CPU seconds and peak RSS of one child process (and its exit code, output)."""
    if not GNU_TIME.exists():
        raise SystemExit("bench-etl measures memory with GNU time: install it (Debian package `time`)")
    report = (scratch or WORK) / f".time-{os.getpid()}.txt"
    start = time.perf_counter()
    done = subprocess.run([str(GNU_TIME), "-f", "%M %U %S", "-o", str(report), *command], cwd=cwd, capture_output=True,
                          check=False)
    wall = time.perf_counter() - start
    rss_kb, user, system = report.read_text().split()[-3:]
    report.unlink()
    output = (done.stdout + done.stderr).decode("utf-8", "replace").strip()
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(float(user) + float(system), 3),
        "peak_rss_mb": round(int(rss_kb) / 1024, 1),
        "exit_code": done.returncode,
        "output_tail": output[-600:],
    }


def etl_command(dataset: Path, warehouse: Path, *, force: bool) -> list[str]:
    command = [sys.executable, "-m", "etl", "run", "--raw", str(dataset / "raw"), "--reference",
               str(dataset / "reference"), "--warehouse", str(warehouse)]
    return [*command, "--force"] if force else command


def copy_command(dataset: Path, target: Path) -> list[str]:
    return [sys.executable, "-c", COPY_SCRIPT, str(dataset / "raw" / "*.figures.csv"), str(target)]


def etl_against_copy(dataset: Path, work: Path, rows: int, rounds: int) -> dict[str, object]:
    """``rounds`` × (DuckDB copy, ETL), interleaved; medians and every run."""
    warehouse = work / f"etl-warehouse-{rows}"
    shutil.rmtree(warehouse, ignore_errors=True)
    copies, etls = [], []
    for i in range(rounds):
        print(f"[bench-etl] {rows} rows, round {i + 1}/{rounds}: DuckDB copy", flush=True)
        copy = measured(copy_command(dataset, work / "duckdb-copy.parquet"))
        copy["copy_statement_s"] = float(str(copy["output_tail"]).splitlines()[-1]) if copy["exit_code"] == 0 else None
        copies.append(copy)
        print(f"[bench-etl] {rows} rows, round {i + 1}/{rounds}: ETL", flush=True)
        etls.append(measured(etl_command(dataset, warehouse, force=True)))
    ok = [e for e in etls if e["exit_code"] == 0]
    etl_s = statistics.median(e["wall_s"] for e in ok) if ok else None
    copy_s = statistics.median(c["copy_statement_s"] for c in copies if c["copy_statement_s"] is not None)
    copy_process_s = statistics.median(c["wall_s"] for c in copies)
    return {
        "rows": rows,
        "rounds": rounds,
        "etl_wall_s": etl_s,
        "etl_cpu_s": statistics.median(e["cpu_s"] for e in ok) if ok else None,
        "etl_peak_rss_mb": max(e["peak_rss_mb"] for e in etls),
        "duckdb_copy_s": round(copy_s, 3),
        "duckdb_copy_process_s": copy_process_s,
        "duckdb_copy_cpu_s": statistics.median(c["cpu_s"] for c in copies),
        "ratio": round(etl_s / copy_s, 2) if etl_s else None,
        "ratio_to_copy_process": round(etl_s / copy_process_s, 2) if etl_s else None,
        "etl_runs": etls,
        "copy_runs": copies,
        "warehouse": str(warehouse),
    }


def unchanged_refreshes(dataset: Path, warehouse: Path, runs: int) -> dict[str, object]:
    """``runs`` × ``python -m etl run`` on inputs the current snapshot was built from."""
    before = (warehouse / "current").resolve()
    results = [measured(etl_command(dataset, warehouse, force=False)) for _ in range(runs)]
    return {
        "runs": results,
        "median_wall_s": statistics.median(r["wall_s"] for r in results),
        "median_cpu_s": statistics.median(r["cpu_s"] for r in results),
        "published_new_snapshot": (warehouse / "current").resolve() != before,
        "all_unchanged": all("unchanged" in str(r["output_tail"]) for r in results),
    }


def verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def write_report(results: dict, path: Path) -> None:
    meta, main = results["meta"], results["etl"]
    refresh = results["refresh"]
    lines = [
        "# ETL benchmark (`make bench-etl`)",
        "",
        f"Run {meta['created_at']} on commit `{meta['git_commit']}`, {meta['cpus']} CPUs; took {meta['duration_s']} s. "
        f"Load average (1, 5, 15 min) at start {meta['load_start']}, at end {meta['load_end']}: the machine is shared, "
        "so wall times carry its load; the ratios compare runs interleaved in the same minutes. "
        "Data is SYNTHETIC (`etl.synth`). Raw figures: `bench/results-etl.json`.",
        "",
        "| what | ours | anchor | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for run in (main, *results.get("more", [])):
        if run.get("etl_wall_s") is None:
            lines.append(f"| ETL of {run['rows']:,} reported rows | failed: {run['etl_runs'][-1]['output_tail'][-120:]!r} "
                         f"| | | completes | **missed** |")
            continue
        target = TARGET_RATIO if run is main else None
        lines.append(
            f"| ETL of {run['rows']:,} reported rows (`python -m etl run --force`: read, normalise, check, derive, "
            f"reconcile, publish), median of {run['rounds']} | {run['etl_wall_s']:.2f} s wall ({run['etl_cpu_s']:.1f} s CPU) "
            f"| DuckDB's bare CSV→Parquet `COPY` of the same files {run['duckdb_copy_s']:.2f} s "
            f"({run['duckdb_copy_cpu_s']:.1f} s CPU for its whole process, {run['duckdb_copy_process_s']:.2f} s wall) "
            f"| {run['ratio']}× ({run['ratio_to_copy_process']}× the copy's process) "
            f"| {f'≤ {target:g}×' if target else 'completes, time and memory reported'} "
            f"| {verdict(run['ratio'] <= target) if target else '**met** (completed)'} |"
        )
        lines.append(
            f"| Peak RSS of that ETL ({run['rows']:,} rows) | {run['etl_peak_rss_mb']:,.0f} MB | — | — "
            f"| {f'≤ {TARGET_RSS_MB} MB' if run is main else 'reported'} "
            f"| {verdict(run['etl_peak_rss_mb'] <= TARGET_RSS_MB) if run is main else '—'} |"
        )
    lines.append(
        f"| Unchanged refresh (`python -m etl run` again, {len(refresh['runs'])} runs, median) "
        f"| {refresh['median_wall_s']:.3f} s wall ({refresh['median_cpu_s']:.3f} s CPU), "
        f"{'nothing published' if not refresh['published_new_snapshot'] else 'a new snapshot was published'} "
        f"| — | — | ≤ {TARGET_REFRESH_S} s | {verdict(refresh['median_wall_s'] <= TARGET_REFRESH_S)} |"
    )
    if results.get("not_run"):
        lines += ["", *[f"* Not run: {line}" for line in results["not_run"]]]
    lines += [
        "",
        "Every run:",
        "",
        "| run | wall s | CPU s | peak RSS MB |",
        "|---|---|---|---|",
    ]
    for run in (main, *results.get("more", [])):
        for i, (copy, etl) in enumerate(zip(run["copy_runs"], run["etl_runs"], strict=True)):
            lines.append(f"| {run['rows']:,} rows, round {i + 1}: DuckDB copy | {copy['wall_s']} | {copy['cpu_s']} | {copy['peak_rss_mb']} |")
            lines.append(f"| {run['rows']:,} rows, round {i + 1}: ETL | {etl['wall_s']} | {etl['cpu_s']} | {etl['peak_rss_mb']} |")
    for i, r in enumerate(refresh["runs"]):
        lines.append(f"| unchanged refresh {i + 1} | {r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mb']} |")
    path.write_text("\n".join(lines) + "\n")


def _git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.etl", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2, help="interleaved (copy, ETL) rounds (default 2)")
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--also", type=lambda s: int(s.replace("_", "")), action="append", default=[],
                        help="another size to run once, e.g. --also 10_000_000 (generated first: minutes)")
    parser.add_argument("--out", type=Path, default=BENCH, help="where results-etl.json and RESULTS-etl.md go")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    work = WORK / "etl"
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, object] = {
        "meta": {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": _git_commit(),
            "cpus": os.cpu_count(),
            "load_start": [round(x, 2) for x in os.getloadavg()],
        }
    }
    print(f"[bench-etl] data: {args.rows} synthetic reported rows (cached under {WORK / 'data'})", flush=True)
    dataset = cached_dataset("csv", args.rows)
    main_run = etl_against_copy(dataset, work, args.rows, args.rounds)
    results["etl"] = main_run
    print("[bench-etl] unchanged refresh", flush=True)
    results["refresh"] = unchanged_refreshes(dataset, Path(main_run["warehouse"]), args.refreshes)
    results["more"] = []
    for rows in args.also:
        print(f"[bench-etl] data: {rows} rows", flush=True)
        results["more"].append(etl_against_copy(cached_dataset("csv", rows), work, rows, 1))  # type: ignore[union-attr]
    results["meta"]["duration_s"] = round(time.perf_counter() - started, 1)  # type: ignore[index]
    results["meta"]["load_end"] = [round(x, 2) for x in os.getloadavg()]  # type: ignore[index]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results-etl.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_report(results, args.out / "RESULTS-etl.md")
    print((args.out / "RESULTS-etl.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
