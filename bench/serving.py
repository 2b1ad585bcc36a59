"""``make bench-serving``: the production stack under load (issue 15, items 4–5), each figure with
its anchor measured in the same run → bench/results-serving.json and bench/RESULTS-serving.md.

1. **CSV streaming at DuckDB's pace.** The same 1 M-row filter, as CSV, from
   ``GET /api/observations.csv`` of ``python -m dashboard serve --workers 2`` (through nginx, as
   served) and from DuckDB's own ``COPY (same SQL) TO file`` over the same snapshot, interleaved
   round by round. Rows/s of each, their ratio (goal ≥ 0.8), and the server's resident memory
   (arbiter, workers and nginx together) before, at the peak of and after the download (goal:
   the peak within 100 MB of the start).
2. **50 concurrent clients on a mixed load** against ``serve --workers 2`` on the bundled data:
   each client is a closed loop (its next request leaves when the last one is answered, no
   think time) drawing from a seeded mix of what the page and its users ask for — the page
   (``/``, ``/_dash-layout``, ``/_dash-dependencies``), the callbacks a filter change runs (the
   filter sync, then the chart render, as the browser sends them) and API reads (CSV and JSON).
   p95 per kind and overall (goal ≤ 300 ms), errors (goal 0). The anchor is the same mix sent by
   one client: the service time without queueing.

Every server is a subprocess on 127.0.0.1, stopped by its own pid. Timings are of a shared
2-core machine; the load average at the start and end is written with them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import psutil

from bench.data import WORK, cached_dataset
from bench.timing import percentiles
from dashboard import ids
from dashboard.api import observations_sql
from dashboard.query import Filters, Warehouse
from tests.conftest import RAW, REFERENCE

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
#: Observations in the synthetic warehouse the 1 M-row download is cut from.
DOWNLOAD_WAREHOUSE = 4_000_000


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(warehouse: Path, log: Path, *, workers: int = 2, threads: int = 4, proxy: str = "auto"):
    """``python -m dashboard serve`` on a free port until ``/healthz`` is 200; (port, process)."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "dashboard",
        "serve",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--proxy",
        proxy,
        "--port",
        str(port),
        "--warehouse",
        str(warehouse),
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {log.read_text()[-2000:]}")
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("serve did not come up")
            time.sleep(0.3)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (gunicorn's arbiter, workers, nginx)."""
    try:
        parent = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)])
    except psutil.Error:
        return 0


class RssSampler:
    """Peak of :func:`tree_rss` sampled every 20 ms in a thread."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> RssSampler:
        self.start = tree_rss(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()


def mb(value: float) -> float:
    return round(value / 2**20, 1)


# --- 1. CSV download against DuckDB's COPY ---------------------------------------------------


def _download(port: int, path: str, pid: int) -> dict[str, object]:
    """Read the whole response as fast as the client can; rows, seconds, rows/s and the server's RSS."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    with RssSampler(pid) as rss:
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        lines = size = 0
        while chunk := response.read1(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    time.sleep(1)
    after = tree_rss(pid)
    rows = lines - 1  # the header line
    return {
        "rows": rows,
        "bytes": size,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds),
        "rss_start_mb": mb(rss.start),
        "rss_peak_mb": mb(rss.peak),
        "rss_after_mb": mb(after),
        "rss_growth_mb": mb(rss.peak - rss.start),
    }


def _copy(snapshot_path: Path, query: str, params: list, target: Path) -> dict[str, object]:
    """DuckDB's own CSV writer over the same views and SQL (a fresh connection, as the server's is)."""
    snapshot = Warehouse(snapshot_path).snapshot()
    cursor = snapshot.cursor()
    target.unlink(missing_ok=True)
    start = time.perf_counter()
    cursor.execute(f"COPY ({query}) TO '{target}' (FORMAT csv, HEADER)", params)
    seconds = time.perf_counter() - start
    cursor.close()
    with open(target, "rb") as handle:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
    size = target.stat().st_size
    target.unlink()
    return {"rows": rows, "bytes": size, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds)}


def download_filter(warehouse: Path, target_rows: int) -> tuple[dict[str, str], Filters, int]:
    """Two measures of every indicator from a year on, the year chosen so that the result is closest
    to ``target_rows``: the API's query parameters, the same as :class:`Filters`, and the row count."""
    counts = (
        Warehouse(warehouse)
        .snapshot()
        .sql(
            "SELECT year(period_end) AS y, count(*) AS n FROM observations "
            "WHERE is_default AND measure IN ('level', 'yoy_pct') GROUP BY ALL ORDER BY y DESC"
        )
    )
    counts["cumulative"] = counts["n"].cumsum()
    best = counts.iloc[(counts["cumulative"] - target_rows).abs().argmin()]
    year, rows = int(best["y"]), int(best["cumulative"])
    params = {"measure": "level,yoy_pct", "from": str(year)}
    return params, Filters(measures=("level", "yoy_pct"), date_from=date(year, 1, 1)), rows


def csv_against_copy(work: Path, rounds: int, target_rows: int, proxy: str = "auto") -> dict[str, object]:
    warehouse = cached_dataset("warehouse", DOWNLOAD_WAREHOUSE) / "warehouse"
    params, filters, expected = download_filter(warehouse, target_rows)
    query, sql_params = observations_sql(filters, "en", None)
    path = "/api/observations.csv?" + urllib.parse.urlencode(params)
    ours, copies = [], []
    with serve(warehouse, work / "serve-download.log", proxy=proxy) as (port, process):
        # Warm-up, not measured: the first query of each worker (imports, the snapshot's connection).
        # Eight at once, so that both workers get one whichever accepts first.
        warm = path.replace("observations.csv?", "observations.csv?limit=1000&")
        warmers = [threading.Thread(target=get, args=(port, warm)) for _ in range(8)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        for _ in range(rounds):
            copies.append(_copy(warehouse, query, sql_params, work / "copy.csv"))
            ours.append(_download(port, path, process.pid))
    best_ours = max(r["rows_per_s"] for r in ours)
    best_copy = max(r["rows_per_s"] for r in copies)
    median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
    return {
        "filter": params,
        "expected_rows": expected,
        "warehouse_observations": DOWNLOAD_WAREHOUSE,
        "path": path,
        "rounds": rounds,
        "api": ours,
        "duckdb_copy": copies,
        "ratio_median": round(median([r["rows_per_s"] for r in ours]) / median([r["rows_per_s"] for r in copies]), 2),
        "ratio_best": round(best_ours / best_copy, 2),
        "rss_growth_max_mb": max(r["rss_growth_mb"] for r in ours),
        "goals": {"ratio_min": 0.8, "rss_growth_max_mb": 100},
    }


# --- 2. mixed load ---------------------------------------------------------------------------


def _dependencies(port: int) -> list[dict]:
    status, body = get(port, "/_dash-dependencies")
    assert status == 200, status
    return [d for d in json.loads(body) if not d.get("clientside_function")]


def _outputs(dependency: dict) -> list[dict] | dict:
    key = dependency["output"]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    return outputs if len(outputs) > 1 else outputs[0]


def _callback_body(dependency: dict, values: dict[str, object], changed: str | None = None) -> bytes:
    return json.dumps(
        {
            "output": dependency["output"],
            "outputs": _outputs(dependency),
            "inputs": [{**i, "value": values.get(i["id"])} for i in dependency["inputs"]],
            "state": [{**s, "value": values.get(s["id"])} for s in dependency.get("state", [])],
            "changedPropIds": [changed] if changed else [f"{i['id']}.{i['property']}" for i in dependency["inputs"]],
        }
    ).encode()


REGIONS = ["440000", "310000", "320000", "330000", "370000", "510000", "420000", "500000", "CN", "110000"]
VIEWS = ["timeseries", "ranking", "share", "map"]
MEASURES = ["level", "yoy_pct"]


def _state(snapshot_id: str, region: str, view: str, measure: str) -> dict:
    return {
        "lang": "en",
        "view": view,
        "region": [region],
        "within": "",
        "indicator": "production",
        "product": "automobiles",
        "industry": "C36",
        "scope": "",
        "measure": measure,
        "period_kind": "ytd",
        "from": None,
        "to": None,
        "status": [],
        "source": None,
        "snapshot": snapshot_id,
    }


def requests_for(port: int) -> dict[str, list[tuple[str, str, bytes | None]]]:
    """Each kind of request of the mix: (method, path, body) choices, from the app's declared callbacks."""
    snapshot_id = json.loads(get(port, "/healthz")[1])["snapshot_id"]
    dependencies = _dependencies(port)
    chart = next(d for d in dependencies if f"{ids.CHART}.figure" in d["output"])
    sync = next((d for d in dependencies if f"{ids.STATE}.data" in d["output"]), None)
    states = [_state(snapshot_id, r, v, m) for r in REGIONS for v in VIEWS for m in MEASURES]
    renders = [
        ("POST", "/_dash-update-component", _callback_body(chart, {ids.STATE: s, ids.REFRESH: 0})) for s in states
    ]
    syncs = []
    if sync is not None:
        for region in REGIONS:
            for view in VIEWS:
                search = f"?region={region}&indicator=production&view={view}"
                syncs.append(
                    (
                        "POST",
                        "/_dash-update-component",
                        _callback_body(sync, {ids.URL: search, ids.LANG: "en", ids.VIEW: view}, f"{ids.URL}.search"),
                    )
                )
    api = [("GET", f"/api/observations.csv?region={r}&indicator=production&measure=level", None) for r in REGIONS]
    api += [("GET", f"/api/observations.json?region={r}&indicator=production&from=2023", None) for r in REGIONS]
    api += [("GET", "/api/meta.json", None), ("GET", "/api/sources.json", None)]
    page = [("GET", "/", None), ("GET", "/_dash-layout", None), ("GET", "/_dash-dependencies", None)]
    kinds = {"page": page, "render callback": renders, "api": api}
    if syncs:
        kinds["sync callback"] = syncs
    return kinds


#: Share of each kind in the mix (a filter change sends a sync and a render: equal weights).
WEIGHTS = {"page": 0.15, "sync callback": 0.25, "render callback": 0.35, "api": 0.25}


def run_load(port: int, kinds: dict, clients: int, seconds: float, seed: int, *, uncached: bool = False
             ) -> dict[str, object]:
    """``clients`` closed-loop clients for ``seconds``; latency per kind and overall, errors.

    ``uncached``: each request carries a cookie of its own, which is part of the response cache's
    key (dashboard.responsecache), so every answer is computed — the service time without it.
    """
    names = list(kinds)
    weights = [WEIGHTS[n] for n in names]
    samples: dict[str, list[float]] = {n: [] for n in names}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            kind = rng.choices(names, weights)[0]
            method, path, body = rng.choice(kinds[kind])
            headers = {"Content-Type": "application/json"} if body else {}
            if uncached:
                headers["Cookie"] = f"bench-uncached={number}-{time.perf_counter_ns()}"
            start = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}"
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                samples[kind].append(elapsed)
                if status != 200:
                    errors.append(f"{status} {method} {path[:80]}")
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    everything = [s for values in samples.values() for s in values]
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(everything),
        "requests_per_s": round(len(everything) / wall, 1),
        "errors": len(errors),
        "error_examples": errors[:10],
        "latency": percentiles(everything),
        "by_kind": {n: percentiles(v) for n, v in samples.items() if v},
    }


def mixed_load(work: Path, clients: int, seconds: float, proxy: str = "auto") -> dict[str, object]:
    warehouse = work / "bundled-warehouse"
    if not (warehouse / "current").exists():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "etl",
                "run",
                "--raw",
                str(RAW),
                "--reference",
                str(REFERENCE),
                "--warehouse",
                str(warehouse),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
    with serve(warehouse, work / "serve-load.log", proxy=proxy) as (port, process):
        kinds = requests_for(port)
        # Warm-up, not measured: every worker imports, opens the snapshot, draws each state once.
        run_load(port, kinds, 8, 20, seed=1)
        # First the uncached anchor (its one-off entries push the kept ones out of the store), then
        # the cached one, which also fills the store again for the loaded run.
        uncached = run_load(port, kinds, 1, 20, seed=2, uncached=True)
        rss_start = tree_rss(process.pid)
        alone = run_load(port, kinds, 1, 20, seed=2)
        loaded = run_load(port, kinds, clients, seconds, seed=3)
        rss_end = tree_rss(process.pid)
    return {
        "one_client": alone,
        "one_client_uncached": uncached,
        "loaded": loaded,
        "rss_start_mb": mb(rss_start),
        "rss_end_mb": mb(rss_end),
        "mix": WEIGHTS,
        "kinds": {k: len(v) for k, v in kinds.items()},
        "goals": {"p95_ms_max": 300, "errors": 0},
    }


# --- report ----------------------------------------------------------------------------------


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def markdown(report: dict) -> str:
    meta, csv, load = report["meta"], report["csv"], report["load"]
    rounds = "\n".join(
        f"| {i + 1} | {c['rows_per_s']:,} | {a['rows_per_s']:,} | {a['rows_per_s'] / c['rows_per_s']:.2f} | "
        f"{a['rss_start_mb']} | {a['rss_peak_mb']} | {a['rss_after_mb']} |"
        for i, (a, c) in enumerate(zip(csv["api"], csv["duckdb_copy"], strict=True))
    )
    loaded, alone, uncached = load["loaded"], load["one_client"], load.get("one_client_uncached")
    kinds = "\n".join(
        f"| {k} | {(uncached or {}).get('by_kind', {}).get(k, {}).get('p50_ms', '–')} | "
        f"{alone['by_kind'].get(k, {}).get('p50_ms', '–')} | {alone['by_kind'].get(k, {}).get('p95_ms', '–')} | "
        f"{v['p50_ms']} | {v['p95_ms']} | {v['max_ms']} | {v['runs']} |"
        for k, v in loaded["by_kind"].items()
    )
    uncached_line = (f"One client with every answer computed (the response cache bypassed by a cookie of each "
                     f"request's own): p95 {uncached['latency']['p95_ms']} ms, {uncached['requests_per_s']} requests/s."
                     if uncached else "")
    verdict = lambda ok: "**met**" if ok else "**missed**"  # noqa: E731
    return f"""# Serving benchmark (`make bench-serving`)

Run {meta["created_at"]} at {meta["git_commit"]} on {meta["machine"]["cpus"]} CPUs ({meta["machine"]["platform"]},
Python {meta["machine"]["python"]}, DuckDB {meta["duckdb"]}). Load average at the start {meta["load_start"]}, at the
end {meta["load_end"]}: the machine is shared, so absolute times carry its noise; each figure's anchor
was measured in the same run. Server: `python -m dashboard serve --workers 2 --threads 4` (nginx in
front, as `--proxy auto` chooses here). Written by `python -m bench.serving` ({meta["duration_s"]} s).

## 1. CSV API against DuckDB's own COPY — {verdict(csv["ratio_median"] >= 0.8 and csv["rss_growth_max_mb"] <= 100)}

Filter `{csv["path"]}`: {csv["expected_rows"]:,} rows of a {csv["warehouse_observations"]:,}-observation synthetic
warehouse. API: the whole response read by one client over loopback (through nginx), after a warm-up
of eight concurrent 1,000-row reads (each worker's first query). Anchor:
`COPY (the API's SQL, same parameters) TO 'file.csv' (HEADER)` on a connection to the same snapshot.
Rounds alternate (COPY, then API).

| round | COPY rows/s | API rows/s | ratio | server RSS start MB | peak MB | 1 s after MB |
|---|---|---|---|---|---|---|
{rounds}

Ratio of the medians **{csv["ratio_median"]}** (best rounds {csv["ratio_best"]}); goal ≥ 0.8.
Largest server growth during a download **{csv["rss_growth_max_mb"]} MB** (arbiter, both workers and nginx
summed); goal ≤ 100 MB.

## 2. {loaded["clients"]} concurrent clients, mixed load — {verdict(loaded["latency"]["p95_ms"] <= 300 and loaded["errors"] == 0)}

Bundled data. Each client is a closed loop with no think time (a new request as soon as the last is
answered), so {loaded["clients"]} requests are in flight at every moment — harsher than {loaded["clients"]} people, who
pause between clicks. Mix by request: {", ".join(f"{k} {v:.0%}" for k, v in load["mix"].items())}; page = `/`,
`/_dash-layout`, `/_dash-dependencies`; sync callback = the filter callback for a link's query string;
render callback = the chart callback for one of {load["kinds"].get("render callback")} page states; api = filtered
CSV/JSON reads, meta and sources. Anchor: the same mix from one client (service time, no queueing).
Repeated requests are answered from the per-snapshot response cache (dashboard/responsecache.py), as
they are in service; the first column is the same mix from one client with that cache bypassed.

| kind | 1 client, computed p50 ms | 1 client p50 ms | 1 client p95 ms | {loaded["clients"]} clients p50 ms | p95 ms | max ms | requests |
|---|---|---|---|---|---|---|---|
{kinds}

Overall with {loaded["clients"]} clients: **p95 {loaded["latency"]["p95_ms"]} ms** (p50 {loaded["latency"]["p50_ms"]} ms),
{loaded["requests_per_s"]} requests/s over {loaded["seconds"]} s, **{loaded["errors"]} errors** of {loaded["requests"]:,} requests
{("(" + "; ".join(loaded["error_examples"][:3]) + ")") if loaded["errors"] else ""}. One client alone: p95 {alone["latency"]["p95_ms"]} ms,
{alone["requests_per_s"]} requests/s. {uncached_line} Server RSS {load["rss_start_mb"]} MB before the load, {load["rss_end_mb"]} MB after.
Goals: p95 ≤ 300 ms, 0 errors.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="download rounds (each: COPY, then the API)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the download")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60, help="length of the loaded run")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--only", choices=("csv", "load"), help="one part only, printed (to profile; no report)")
    parser.add_argument("--proxy", choices=("auto", "nginx", "none"), default="auto", help="serve --proxy")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="bench-serving-", dir=WORK if WORK.exists() else None) as folder:
        work = Path(folder)
        csv = load = None
        if args.only != "load":
            print("[bench-serving] CSV API against DuckDB COPY", flush=True)
            csv = csv_against_copy(work, args.rounds, args.rows, args.proxy)
            print(f"[bench-serving] ratio {csv['ratio_median']}, RSS growth {csv['rss_growth_max_mb']} MB", flush=True)
        if args.only != "csv":
            print(f"[bench-serving] {args.clients} clients, mixed load", flush=True)
            load = mixed_load(work, args.clients, args.seconds, args.proxy)
            print(
                f"[bench-serving] p95 {load['loaded']['latency']['p95_ms']} ms, {load['loaded']['errors']} errors",
                flush=True,
            )
        if args.only:
            print(json.dumps({"csv": csv, "load": load}, indent=1))
            return 0
    report = {
        "meta": {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": _git("rev-parse", "--short", "HEAD"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "duckdb": duckdb.__version__,
            "load_start": load_start,
            "load_end": [round(x, 2) for x in os.getloadavg()],
            "duration_s": round(time.perf_counter() - started),
        },
        "csv": csv,
        "load": load,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results-serving.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "RESULTS-serving.md").write_text(markdown(report))
    print(f"[bench-serving] wrote {args.out / 'RESULTS-serving.md'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
