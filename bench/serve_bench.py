"""Served figures: the dashboard process (first page, callbacks over HTTP, peak RSS) and CSV streaming
beside Datasette. Every server is a subprocess on 127.0.0.1, stopped by its own pid when done."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from bench.interactions import dimensions, interactions
from bench.timing import PeakRss, percentiles
from dashboard import ids
from dashboard.api import observations_sql, record_batches
from dashboard.query import Filters, Warehouse

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(command: list[str], port: int, ready_path: str = "/", timeout: float = 180.0, cwd: Path = REPO):
    """Start ``command``, wait until ``ready_path`` answers, yield the process; always stop it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited: {process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5) as response:
                    response.read(1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- dashboard -------------------------------------------------------------------------------

#: The page's view for each interaction.
VIEWS = {"ranking_one_period": "ranking", "map_one_period": "map", "share_view": "share"}


def _control_values(f: Filters, name: str, snapshot_id: str) -> dict[str, object]:
    """The page's stored state that selects ``f`` in the interaction's view (the input of the chart callback)."""
    view = VIEWS.get(name, "timeseries")
    state = {
        "lang": "en", "snapshot": snapshot_id, "view": view,
        "region": list(f.regions[:1]) if view in ("ranking", "map") else list(f.regions),
        "indicator": f.indicator, "product": f.product or "", "industry": f.industry, "scope": f.scope or "",
        "measure": f.measures[0] if f.measures else None, "period_kind": f.period_kinds[0] if f.period_kinds else None,
    }
    if f.date_from is not None:
        state["from"] = f"{f.date_from:%Y-%m}"
    if f.date_to is not None:
        state["to"] = f"{f.date_to:%Y-%m}"
    return {ids.STATE: state, ids.REFRESH: 0}


def _chart_callback(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/_dash-dependencies", timeout=30) as response:
        dependencies = json.loads(response.read())
    for dependency in dependencies:
        if f"{ids.CHART}.figure" in dependency["output"]:
            return dependency
    raise RuntimeError("no callback outputs the chart's figure")


def _payload(dependency: dict, values: dict[str, object]) -> bytes:
    outputs = [{"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
               for part in dependency["output"].strip(".").split("...")]
    return json.dumps({
        "output": dependency["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dependency["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dependency.get("state", [])],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dependency["inputs"]],
    }).encode()


def _post_ms(connection: http.client.HTTPConnection, body: bytes) -> float:
    start = time.perf_counter()
    connection.request("POST", "/_dash-update-component", body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status != 200:
        raise RuntimeError(f"callback answered {response.status}")
    return elapsed


def _page_load_ms(url: str) -> float:
    """A new user's first visit: empty browser cache, until the chart and the row count are drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_context().new_page()
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(
                f"() => /\\d+ /.test(document.getElementById('{ids.ROW_COUNT}')?.textContent || '')"
                f" && document.querySelector('#{ids.CHART} .main-svg') !== null",
                timeout=60_000,
            )
            return (time.perf_counter() - start) * 1000
        finally:
            browser.close()


def dashboard_session(warehouse: Path, runs: int, page_loads: int) -> dict[str, object]:
    """Start ``python -m dashboard``; first page loads in Chromium; chart callbacks over HTTP; peak RSS."""
    snapshot = Warehouse(warehouse).snapshot()
    cases = interactions(dimensions(snapshot))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "dashboard", "--warehouse", str(warehouse), "--port", str(port)]
    started = time.perf_counter()
    with server(command, port) as process, PeakRss(process.pid) as rss:
        ready_s = time.perf_counter() - started
        cold = _page_load_ms(base)
        warm = [_page_load_ms(base) for _ in range(page_loads)]
        dependency = _chart_callback(base)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        callbacks: dict[str, object] = {}
        sid = snapshot.snapshot_id
        for name, (what, filters_for) in cases.items():
            for i in range(2):
                _post_ms(connection, _payload(dependency, _control_values(filters_for(i), name, sid)))
            uncached = [_post_ms(connection, _payload(dependency, _control_values(filters_for(i + 10), name, sid))) for i in range(runs)]
            repeat_body = _payload(dependency, _control_values(filters_for(10), name, sid))
            repeated = [_post_ms(connection, repeat_body) for _ in range(min(runs, 10))]
            callbacks[name] = {"what": what, "new_selection": percentiles(uncached), "repeated_selection": percentiles(repeated)}
        connection.close()
    return {
        "server_ready_s": round(ready_s, 2),
        "first_page_cold_server_ms": round(cold, 1),
        "first_page": percentiles(warm),
        "callbacks_http": callbacks,
        "peak_rss_mb": rss.peak_mb,
        "idle_rss_mb": rss.baseline_mb,
        "targets": {"first_page_ms_max": 1500, "callback_p95_ms_max": 50, "peak_rss_mb_max": 1024},
    }


# --- CSV streaming ---------------------------------------------------------------------------

def download_filter(warehouse: Path, target_rows: int) -> tuple[dict[str, str], Filters, int]:
    """A filter (indicator, two measures, from a year on) whose result is closest to ``target_rows``:
    the API's query parameters, the same as :class:`Filters`, and the row count."""
    snapshot = Warehouse(warehouse).snapshot()
    counts = snapshot.sql(
        "SELECT indicator, year(period_end) AS y, count(*) AS n FROM observations "
        "WHERE is_default AND measure IN ('level', 'yoy_pct') GROUP BY ALL"
    )
    best = None
    for indicator, group in counts.groupby("indicator"):
        group = group.sort_values("y", ascending=False)
        group["cumulative"] = group["n"].cumsum()
        for row in group.itertuples():
            if best is None or abs(row.cumulative - target_rows) < abs(best[2] - target_rows):
                best = (str(indicator), int(row.y), int(row.cumulative))
    indicator, year, rows = best
    params = {"indicator": indicator, "measure": "level,yoy_pct", "from": str(year)}
    filters = Filters(indicators=(indicator,), measures=("level", "yoy_pct"), date_from=date(year, 1, 1))
    return params, filters, rows


def _stream(port: int, path: str, pid: int) -> dict[str, object]:
    """Download ``path``, counting bytes and lines; the time to the first byte and to the first data
    row (a stream may send its BOM or header before the query has produced anything); the server's
    peak RSS meanwhile."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    first_row = None
    with PeakRss(pid) as rss:
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        first = response.read(1)
        ttfb = time.perf_counter() - start
        size, lines = len(first), first.count(b"\n")
        while chunk := response.read1(1 << 16) if hasattr(response, "read1") else response.read(1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
            if first_row is None and lines >= 2:
                first_row = time.perf_counter() - start
        total = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    rows = lines - 1
    return {"rows": rows, "bytes": size, "seconds": round(total, 3), "rows_per_s": round(rows / total),
            "ttfb_ms": round(ttfb * 1000, 1), "first_row_ms": round((first_row or total) * 1000, 1),
            "peak_rss_mb": rss.peak_mb, "idle_rss_mb": rss.baseline_mb}


def _sqlite_copy(warehouse: Path, filters: Filters, target: Path) -> Path:
    """The rows and columns the API serves for ``filters``, in SQLite (built once per dataset)."""
    if target.exists():
        return target
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    query, params = observations_sql(filters, "en", None)
    db = sqlite3.connect(partial)
    created = False
    for batch in record_batches(Warehouse(warehouse).snapshot(), query, params):
        columns = batch.schema.names
        if not created:
            db.execute(f"CREATE TABLE observations ({', '.join(f'[{c}]' for c in columns)})")
            created = True
        table = batch.to_pydict()
        rows = zip(*(table[c] for c in columns), strict=True)
        db.executemany(f"INSERT INTO observations VALUES ({', '.join('?' for _ in columns)})",
                       ([v.isoformat() if isinstance(v, date) else v for v in row] for row in rows))
    db.commit()
    db.close()
    partial.rename(target)
    return target


def csv_download(warehouse: Path, work: Path, target_rows: int, datasette: Path | None) -> dict[str, object]:
    """Stream the same filtered rows as CSV from the dashboard's HTTP API and from Datasette (``?_stream=on``)."""
    params, filters, expected = download_filter(warehouse, target_rows)
    result: dict[str, object] = {"filter": params, "expected_rows": expected}
    port = free_port()
    path = "/api/observations.csv?" + "&".join(f"{k}={v}" for k, v in params.items())
    command = [sys.executable, "-m", "dashboard", "--warehouse", str(warehouse), "--port", str(port)]
    with server(command, port, ready_path="/healthz") as process:
        result["ours"] = {**_stream(port, path, process.pid), "via": f"python -m dashboard, GET {path}"}
    if datasette is None or not datasette.exists():
        result["datasette"] = {"skipped": "no benchmark venv with datasette (bench/work/venv; `make bench` creates it)"}
        return result
    db = _sqlite_copy(warehouse, filters, work / f"datasette-{warehouse.resolve().parent.name}-{expected}.sqlite")
    port = free_port()
    command = [str(datasette), "serve", str(db), "-h", "127.0.0.1", "-p", str(port), "--setting", "sql_time_limit_ms", "60000",
               "--setting", "max_csv_mb", "0"]  # 0 = no cap (the default stops a CSV at 100 MB)
    with server(command, port, ready_path="/-/versions.json") as process:
        path = f"/{db.stem}/observations.csv?_stream=on&_size=max"
        result["datasette"] = {**_stream(port, path, process.pid), "via": f"datasette serve, GET {path} (the same rows and columns, loaded into SQLite)"}
    ours, theirs = result["ours"], result["datasette"]
    result["ratio_rows_per_s_vs_datasette"] = round(ours["rows_per_s"] / theirs["rows_per_s"], 2)  # type: ignore[index]
    return result
