"""Query + figure time of the dashboard's interactions, beside a bare DuckDB query and pandas masks."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import duckdb
import pandas as pd
import psutil

from bench.interactions import dimensions, interactions
from bench.timing import percentiles, time_runs
from dashboard.figures.timeseries import timeseries_figure
from dashboard.query import Filters, Warehouse, observations, where_clause

#: Builders the ``dash`` branch adds; until they exist the interaction uses the closest one on main.
WANTED_BUILDERS = {
    "ranking_one_period": ("dashboard.figures.ranking", "ranking_figure"),
    "map_one_period": ("dashboard.figures.map", "map_figure"),
    "share_view": ("dashboard.figures.share", "share_figure"),
}


def _builder(name: str):
    """The figure builder for an interaction and a note saying which one it is."""
    wanted = WANTED_BUILDERS.get(name)
    if wanted is not None:
        try:
            module = __import__(wanted[0], fromlist=[wanted[1]])
            function = getattr(module, wanted[1])
        except (ImportError, AttributeError):
            return (lambda frame: timeseries_figure(frame, "en")), (
                f"timeseries_figure (closest existing builder; {wanted[0]}.{wanted[1]} not on main yet)"
            )
        if name == "map_one_period":
            from dashboard.geo import boundaries

            shapes = boundaries("city")
            return (lambda frame: function(frame, shapes, "en")), f"{wanted[0]}.{wanted[1]} (city shapes)"
        return (lambda frame: function(frame, "en")), f"{wanted[0]}.{wanted[1]}"
    return (lambda frame: timeseries_figure(frame, "en")), "timeseries_figure"


def _bare_duckdb(path: Path):
    """The same filter over the same Parquet file, no joins, no ordering: DuckDB's floor."""
    connection = duckdb.connect(":memory:", config={"threads": 2})
    literal = str(path).replace("'", "''")
    connection.execute(f"CREATE VIEW observations AS SELECT * FROM read_parquet('{literal}')")

    def query(filters: Filters) -> pd.DataFrame:
        where, params = where_clause(filters)
        return connection.execute(f"SELECT o.* FROM observations o WHERE {where}", params).df()

    return query, connection


def _pandas_masks(path: Path):
    """What a typical Dash app does: the whole table in memory as pandas, boolean masks per request."""
    process = psutil.Process(os.getpid())
    gc.collect()
    before = process.memory_info().rss
    start = time.perf_counter()
    frame = pd.read_parquet(path)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    load_s = time.perf_counter() - start
    rss_mb = (process.memory_info().rss - before) / 2**20

    def query(filters: Filters) -> pd.DataFrame:
        mask = frame["indicator"] == filters.indicator
        if filters.regions:
            mask &= frame["region_code"].isin(filters.regions)
        for column, value in (("product", filters.product), ("industry_code", filters.industry), ("scope", filters.scope)):
            if value is not None:
                mask &= frame[column] == value
        if filters.measures:
            mask &= frame["measure"].isin(filters.measures)
        if filters.period_kinds:
            mask &= frame["period_kind"].isin(filters.period_kinds)
        if filters.date_from is not None:
            mask &= frame["period_end"] >= pd.Timestamp(filters.date_from)
        if filters.date_to is not None:
            mask &= frame["period_end"] <= pd.Timestamp(filters.date_to)
        if not filters.all_sources:
            mask &= frame["is_default"]
        return frame[mask].sort_values(["region_code", "period_end"])

    return query, {"load_s": round(load_s, 2), "table_rss_mb": round(rss_mb, 1)}, frame


def query_interactions(warehouse: Path, runs: int, *, pandas_runs: int | None = None, with_pandas: bool = True) -> dict[str, object]:
    """p50/p95 per interaction: query layer, query layer + figure, bare DuckDB, pandas masks."""
    wh = Warehouse(warehouse)
    snapshot = wh.snapshot()
    cases = interactions(dimensions(snapshot))
    path = snapshot.path / "observations.parquet"
    bare, connection = _bare_duckdb(path)
    results: dict[str, object] = {}
    for name, (what, filters_for) in cases.items():
        build, builder_note = _builder(name)
        rows = len(observations(wh.snapshot(), filters_for(0)))
        query_ms, figure_ms, both_ms = [], [], []
        for i in range(runs + 2):
            start = time.perf_counter()
            frame = observations(wh.snapshot(), filters_for(i + 1000))
            middle = time.perf_counter()
            build(frame)
            end = time.perf_counter()
            if i >= 2:  # the first two warm up
                query_ms.append((middle - start) * 1000)
                figure_ms.append((end - middle) * 1000)
                both_ms.append((end - start) * 1000)
        bare_ms = time_runs(lambda i, f=filters_for: bare(f(i + 2000)), runs)
        results[name] = {
            "what": what,
            "result_rows": rows,
            "builder": builder_note,
            "query": percentiles(query_ms),
            "figure": percentiles(figure_ms),
            "query_and_figure": percentiles(both_ms),
            "bare_duckdb": percentiles(bare_ms),
        }
    connection.close()
    pandas_info: dict[str, object] = {"skipped": not with_pandas}
    if with_pandas:
        masks, pandas_info, frame = _pandas_masks(path)
        for name, (_, filters_for) in cases.items():
            results[name]["pandas_masks"] = percentiles(time_runs(lambda i, f=filters_for: masks(f(i + 3000)), pandas_runs or runs, warmup=1))
        del frame, masks
        gc.collect()
    for name in cases:
        entry = results[name]
        entry["ratio_p95_vs_bare"] = round(entry["query_and_figure"]["p95_ms"] / entry["bare_duckdb"]["p95_ms"], 2)
        if "pandas_masks" in entry:
            entry["ratio_p95_vs_pandas"] = round(entry["query_and_figure"]["p95_ms"] / entry["pandas_masks"]["p95_ms"], 2)
    return {"interactions": results, "pandas_table": pandas_info, "observations": int(snapshot.sql("SELECT count(*) AS n FROM observations")["n"].iloc[0])}
