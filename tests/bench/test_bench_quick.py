"""``python -m bench --quick`` runs end to end and writes both files with every expected key.

Structure only: speed is measured by the benchmark, never asserted here.
"""

from __future__ import annotations

import json

import pytest

from bench.run import main

INTERACTIONS = {"change_region", "change_indicator", "ranking_one_period", "map_one_period", "share_view"}


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_quick_mode_writes_results_and_report(tmp_path):
    assert main(["--quick", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert {"meta", "etl", "refresh", "queries", "dashboard", "download"} <= set(results)
    assert {"etl_s", "duckdb_copy_s", "ratio", "rows"} <= set(results["etl"])
    assert {"seconds", "incremental", "published_new_snapshot"} <= set(results["refresh"])
    interactions = results["queries"]["interactions"]
    assert set(interactions) == INTERACTIONS
    for entry in interactions.values():
        assert {"query", "query_and_figure", "bare_duckdb", "pandas_masks", "ratio_p95_vs_bare", "builder"} <= set(entry)
        assert {"p50_ms", "p95_ms", "runs"} <= set(entry["query"])
    dashboard = results["dashboard"]
    assert {"first_page", "first_page_cold_server_ms", "peak_rss_mb", "callbacks_http"} <= set(dashboard)
    assert set(dashboard["callbacks_http"]) == INTERACTIONS
    download = results["download"]
    assert {"rows_per_s", "ttfb_ms", "first_row_ms", "peak_rss_mb", "idle_rss_mb"} <= set(download["ours"])
    assert download["ours"]["rows"] == download["expected_rows"]
    assert "datasette" in download
    report = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "DuckDB bare CSV→Parquet copy" in report and "First page load" in report
