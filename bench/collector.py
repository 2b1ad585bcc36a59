"""The garbage collector's cost per chart callback, default settings against
:func:`dashboard.collector.tune_for_serving`, in process at 10 M synthetic observations.

``python -m bench.collector`` runs each setting in a fresh process (twice, alternating) and writes
``bench/results-collector.json``: requests, collections, their total and longest pause, and the
callbacks' p50/p95.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.data import cached_dataset

HERE = Path(__file__).resolve().parent
SIZE = 10_000_000


def measure(setting: str, warehouse: Path) -> dict:
    """One process: 40 region changes and 40 share views (new selections), with ``setting``."""
    from bench.interactions import dimensions, interactions
    from bench.serve_bench import _control_values, _payload
    from dashboard import ids
    from dashboard.app import create_app
    from dashboard.collector import tune_for_serving
    from dashboard.config import Config
    from dashboard.query import Warehouse

    app = create_app(Config(warehouse=warehouse))
    client = app.server.test_client()
    dependency = next(d for d in client.get("/_dash-dependencies").get_json() if f"{ids.CHART}.figure" in d["output"])
    snapshot = Warehouse(warehouse).snapshot()
    cases = interactions(dimensions(snapshot))
    if setting == "tuned":
        tune_for_serving()
    events: list[tuple[str, int, float]] = []
    gc.callbacks.append(lambda phase, info: events.append((phase, info["generation"], time.perf_counter())))
    out: dict = {"setting": setting}
    for name in ("change_region", "share_view"):
        filters_for = cases[name][1]
        for i in range(2):
            client.post("/_dash-update-component", data=_payload(dependency, _control_values(filters_for(i), name, snapshot.snapshot_id)),
                        content_type="application/json")
        ms = []
        for i in range(40):
            body = _payload(dependency, _control_values(filters_for(i + 10), name, snapshot.snapshot_id))
            start = time.perf_counter()
            client.post("/_dash-update-component", data=body, content_type="application/json")
            ms.append((time.perf_counter() - start) * 1000)
        ms.sort()
        out[name] = {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * len(ms)) - 1], 1)}
    started: dict[int, float] = {}
    pauses = []
    for phase, generation, at in events:
        if phase == "start":
            started[generation] = at
        elif generation in started:
            pauses.append((at - started.pop(generation)) * 1000)
    out.update(requests=84, collections=len(pauses), gc_total_ms=round(sum(pauses), 1),
               gc_longest_ms=round(max(pauses, default=0.0), 1))
    return out


def main() -> None:
    if len(sys.argv) == 3:  # a child: one setting
        print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
        return
    warehouse = cached_dataset("warehouse", SIZE) / "warehouse"
    runs = []
    for setting in ("default", "tuned", "default", "tuned"):
        done = subprocess.run([sys.executable, "-m", "bench.collector", setting, str(warehouse)], check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(runs[-1])
    (HERE / "results-collector.json").write_text(json.dumps({"runs": runs}, indent=2) + "\n")


if __name__ == "__main__":
    main()
