"""results.json → RESULTS.md: every figure beside its anchor, with the ratio and the target."""

from __future__ import annotations

from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def _ms(entry: dict | None, key: str = "p95_ms") -> str:
    return "—" if not entry else f"{entry[key]:.1f}"


def write_report(results: dict, path: Path) -> None:
    meta = results["meta"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta['created_at']} ({meta['mode']} mode) on commit `{meta['git_commit']}` ({meta['git_branch']}), "
        f"{meta['machine']['cpus']} CPUs, {meta['machine']['memory_gb']} GB, Python {meta['machine']['python']}, "
        f"DuckDB {meta['versions']['duckdb']}, pandas {meta['versions']['pandas']}; took {meta.get('duration_s', '?')} s.",
        f"Sizes: dashboard warehouse {meta['sizes']['dashboard_observations']:,} observations; ETL {meta['sizes']['etl_rows']:,} "
        f"reported rows; download ≈ {meta['sizes']['download_rows']:,} rows; {meta['sizes']['runs']} runs per timing.",
        (f"Load average (1, 5, 15 min) at start {meta['load_average_at_start']}, at end {meta.get('load_average_at_end')}. "
         if "load_average_at_start" in meta else "")
        + f"{meta['note']} Regenerate with `make bench` (`BENCH_SIZE=...` to choose the size); raw figures in `results.json`.",
        "",
        "## Summary against the targets",
        "",
        "| what | ours | anchor | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    etl = results["etl"]
    lines.append(f"| ETL of {etl['rows']:,} reported rows (CSV → published warehouse) | {etl['etl_s']} s | DuckDB bare CSV→Parquet copy {etl['duckdb_copy_s']} s "
                 f"| {etl['ratio']}× | ≤ 3× | {_verdict(etl['ratio'] <= 3)} |")
    refresh = results["refresh"]
    kind = "incremental (nothing published)" if refresh["incremental"] else "full rebuild (no incremental runs on main yet)"
    lines.append(f"| Unchanged refresh, `python -m etl run` again | {refresh['seconds']} s, {kind} | — | — | ≤ 1 s | {_verdict(refresh['seconds'] <= 1)} |")
    queries = results["queries"]["interactions"]
    dash = results.get("dashboard", {})
    http = dash.get("callbacks_http", {}) if isinstance(dash, dict) else {}
    for name, entry in queries.items():
        served = http.get(name, {}).get("new_selection")
        bare = entry["bare_duckdb"]["p95_ms"]
        figure_p95 = entry["query_and_figure"]["p95_ms"]
        ok = figure_p95 <= 50 and figure_p95 <= 2 * bare
        lines.append(
            f"| {name}: query + figure p95 (in process) | {figure_p95:.1f} ms | bare DuckDB p95 {bare:.1f} ms; pandas masks p95 {_ms(entry.get('pandas_masks'))} ms "
            f"| {entry['ratio_p95_vs_bare']}× bare; {entry.get('ratio_p95_vs_pandas', '—')}× pandas | ≤ 50 ms and ≤ 2× bare | {_verdict(ok)} |"
        )
        if served:
            ok = served["p95_ms"] <= 50 and served["p95_ms"] <= 2 * bare
            lines.append(f"| {name}: whole callback over HTTP p95 | {served['p95_ms']:.1f} ms | bare DuckDB p95 {bare:.1f} ms | {served['p95_ms'] / bare:.2f}× | ≤ 50 ms and ≤ 2× bare | {_verdict(ok)} |")
    if isinstance(dash, dict) and "first_page" in dash:
        first = dash["first_page"]
        lines.append(f"| First page load (new browser, until the chart is drawn), p50 of {first['runs']} | {first['p50_ms']:.0f} ms (first after start: {dash['first_page_cold_server_ms']:.0f} ms) | — | — | ≤ 1500 ms | {_verdict(first['p50_ms'] <= 1500)} |")
        lines.append(f"| Dashboard peak RSS ({meta['sizes']['dashboard_observations']:,} observations, all interactions) | {dash['peak_rss_mb']:.0f} MB | pandas-in-memory table alone: {results['queries']['pandas_table'].get('table_rss_mb', '—')} MB | — | ≤ 1024 MB | {_verdict(dash['peak_rss_mb'] <= 1024)} |")
    download = results["download"]
    ours, theirs = download["ours"], download.get("datasette", {})
    if "rows_per_s" in theirs:
        ok = ours["rows_per_s"] >= theirs["rows_per_s"]
        lines.append(f"| CSV download of {ours['rows']:,} rows: rows/s | {ours['rows_per_s']:,} | Datasette {theirs['rows_per_s']:,} | {download['ratio_rows_per_s_vs_datasette']}× | ≥ 1× | {_verdict(ok)} |")
        lines.append(f"| CSV download: time to first byte | {ours['ttfb_ms']} ms | Datasette {theirs['ttfb_ms']} ms | {ours['ttfb_ms'] / max(theirs['ttfb_ms'], 0.1):.2f}× | — | — |")
        if "first_row_ms" in ours and "first_row_ms" in theirs:
            lines.append(f"| CSV download: time to the first data row | {ours['first_row_ms']} ms | Datasette {theirs['first_row_ms']} ms | {ours['first_row_ms'] / max(theirs['first_row_ms'], 0.1):.2f}× | — | — |")
        lines.append(f"| CSV download: server peak RSS (idle → peak) | {ours['idle_rss_mb']:.0f} → {ours['peak_rss_mb']:.0f} MB | Datasette {theirs['idle_rss_mb']:.0f} → {theirs['peak_rss_mb']:.0f} MB | — | flat (grows ≤ 100 MB) | {_verdict(ours['peak_rss_mb'] - ours['idle_rss_mb'] <= 100)} |")
    else:
        lines.append(f"| CSV download of {ours['rows']:,} rows: rows/s | {ours['rows_per_s']:,} | Datasette: {theirs.get('skipped', 'not run')} | — | ≥ 1× | n/a |")

    lines += ["", "## Interactions in detail (milliseconds, p50 / p95)", "",
              "| interaction | rows | query layer | figure | query + figure | bare DuckDB | pandas masks | HTTP callback, new selection | HTTP callback, repeated | figure builder |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for name, entry in queries.items():
        served = http.get(name, {})
        def pair(e: dict | None) -> str:
            return "—" if not e else f"{e['p50_ms']:.1f} / {e['p95_ms']:.1f}"
        lines.append(f"| {name} — {entry['what']} | {entry['result_rows']} | {pair(entry['query'])} | {pair(entry.get('figure'))} | {pair(entry['query_and_figure'])} | "
                     f"{pair(entry['bare_duckdb'])} | {pair(entry.get('pandas_masks'))} | {pair(served.get('new_selection'))} | "
                     f"{pair(served.get('repeated_selection'))} | {entry['builder']} |")
    pandas_table = results["queries"]["pandas_table"]
    if not pandas_table.get("skipped"):
        lines += ["", f"pandas anchor: loading the whole table took {pandas_table['load_s']} s and {pandas_table['table_rss_mb']} MB of memory."]
    lines += ["", "## Download", "", f"Filter: `{download['filter']}` → {download['expected_rows']:,} rows expected"
              + (f" (this part re-measured at {download['measured_at']}: {download['remeasured_because']})" if "measured_at" in download else "") + ".", "",
              f"* ours: {ours['via']}", f"* Datasette: {theirs.get('via', theirs.get('skipped', ''))}", ""]
    lines += ["## Refresh", "", f"`{refresh['command']}` → exit {refresh['exit_code']}, new snapshot published: {refresh['published_new_snapshot']}.", ""]
    if NOTES.exists():
        lines += [NOTES.read_text(encoding="utf-8").rstrip(), ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
