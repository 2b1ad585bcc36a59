"""``make bench``: every figure of the performance goals in one run → bench/RESULTS.md.

Runs, one after the other on the same machine, the ETL benchmark (:mod:`bench.etl`: 1 M reported
rows against DuckDB's bare CSV→Parquet copy, peak memory, an unchanged refresh), the dashboard
benchmark (:mod:`bench.dashboard_bench`: each interaction's server time at 10 M observations
beside the bare DuckDB query, a region change redrawn in Chromium, the first page) and the
serving benchmark (:mod:`bench.serving`: the CSV API against DuckDB's COPY, 50 concurrent clients).
Each writes its own detailed report (RESULTS-etl.md, RESULTS-dashboard.md, RESULTS-serving.md);
RESULTS.md gathers their verdict tables with the machine's load before and after each part, so
every figure in it comes from this one run.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
#: (title, module, report file); each module's ``main(argv)`` writes its report into bench/.
PARTS = (
    ("ETL", "bench.etl", "RESULTS-etl.md"),
    ("Dashboard", "bench.dashboard_bench", "RESULTS-dashboard.md"),
    ("Serving", "bench.serving", "RESULTS-serving.md"),
)
#: Where a part's report stops being a summary: its detailed sections.
DETAILS = re.compile(r"^(## (Interactions in detail|How|What|Where|Every)|Every run)")


def summary(report: str) -> str:
    """A part's report up to its detailed sections, its own title dropped."""
    lines = report.splitlines()
    kept = []
    for line in lines[1:]:
        if DETAILS.match(line):
            break
        kept.append(line.replace("## ", "### ", 1) if line.startswith("## ") else line)
    return "\n".join(kept).strip()


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    import importlib

    started, created = time.perf_counter(), datetime.now(UTC).isoformat(timespec="seconds")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH.parent, capture_output=True, text=True,
                            check=False).stdout.strip()
    also = os.environ.get("BENCH_ETL_ALSO")
    sections = []
    for title, module, report in PARTS:
        print(f"[bench] {title}: python -m {module}", flush=True)
        before, part_started = _load(), time.perf_counter()
        args = ["--also", also] if module == "bench.etl" and also else []
        status = importlib.import_module(module).main(args)
        seconds = time.perf_counter() - part_started
        text = (BENCH / report).read_text(encoding="utf-8")
        sections.append(f"## {title} ([{report}]({report}), {seconds:.0f} s; load average before {before}, "
                        f"after {_load()}; exit status {status})\n\n{summary(text)}\n")
    lines = [
        "# Benchmark results (`make bench`)",
        "",
        f"One run of every benchmark, started {created} on commit `{commit}`, {os.cpu_count()} CPUs; took "
        f"{time.perf_counter() - started:.0f} s. The parts ran one after the other, so each saw only its own work; "
        "the machine is shared, so absolute times carry its load (noted per part), and every figure's anchor was "
        "measured interleaved with it in the same minutes. Data for the ETL and the interactions is SYNTHETIC "
        "(`etl.synth`); the first page and the 50 clients use the bundled real data. Each part's full report, "
        "with how its figures are taken, is linked in its heading.",
        "",
        *sections,
    ]
    (BENCH / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"[bench] wrote {BENCH / 'RESULTS.md'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
