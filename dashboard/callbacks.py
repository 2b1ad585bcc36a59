"""Callbacks: read the controls, ask the query layer, hand the result to a figure builder."""

from __future__ import annotations

from dash import Dash, Input, Output, State, dcc, no_update

from dashboard import ids
from dashboard.export import to_csv_text
from dashboard.figures.timeseries import timeseries_figure
from dashboard.i18n import MEASURE_LABELS, PERIOD_KIND_LABELS, label, t
from dashboard.query import Warehouse, empty_result, observations, period_bounds, region_options, series_options
from dashboard.selection import build_filters, parse_series, series_label, series_value
from dashboard.table import column_defs, table_rows

MEASURE_ORDER = ["level", "yoy_pct", "share_pct", "rank", "target"]
KIND_ORDER = ["ytd", "month", "quarter", "half", "year", "span"]


def register_callbacks(app: Dash, warehouse: Warehouse, default_regions: tuple[str, ...]) -> None:
    """Wire the page's controls to the warehouse."""

    @app.callback(
        Output(ids.REGION, "options"), Output(ids.REGION, "value"),
        Output(ids.SERIES, "options"), Output(ids.SERIES, "value"),
        Output(ids.YEAR_FROM, "options"), Output(ids.YEAR_TO, "options"),
        Output(ids.TITLE, "children"), Output(ids.SUBTITLE, "children"),
        Output(ids.DOWNLOAD_BUTTON, "children"), Output(ids.ALL_SOURCES, "options"),
        *[Output(ids.LABEL_PREFIX + key, "children") for key in ("region", "indicator", "measure", "period_kind", "period_range")],
        Input(ids.LANG, "value"),
        State(ids.REGION, "value"), State(ids.SERIES, "value"),
    )
    def fill_options(lang: str, regions: list[str] | None, series: str | None):
        snapshot = warehouse.snapshot()
        region_frame = region_options(snapshot)
        region_opts = [
            {"label": f"{r.name_zh} {r.name_en}" if lang == "zh" else f"{r.name_en} {r.name_zh}", "value": r.code}
            for r in region_frame.itertuples()
        ]
        known = set(region_frame["code"])
        if regions is None:
            regions = [c for c in default_regions if c in known] or region_frame["code"].head(1).tolist()
        else:
            regions = [c for c in regions if c in known]
        series_frame = series_options(snapshot)
        series_opts = [
            {"label": series_label(row, lang), "value": series_value(row.indicator, row["product"], row.industry_code, row.scope)}
            for _, row in series_frame.iterrows()
        ]
        values = {o["value"] for o in series_opts}
        if series not in values:
            series = series_opts[0]["value"] if series_opts else None
        first, last = period_bounds(snapshot)
        years = [{"label": str(y), "value": y} for y in range(first.year, last.year + 1)]
        return (
            region_opts, regions, series_opts, series, years, years,
            t("title", lang), t("subtitle", lang), t("download_csv", lang),
            [{"label": t("all_sources", lang), "value": "all"}],
            *[t(key, lang) for key in ("region", "indicator", "measure", "period_kind", "period_range")],
        )

    @app.callback(
        Output(ids.MEASURE, "options"), Output(ids.MEASURE, "value"),
        Output(ids.PERIOD_KIND, "options"), Output(ids.PERIOD_KIND, "value"),
        Input(ids.SERIES, "value"), Input(ids.MEASURE, "value"), Input(ids.LANG, "value"),
        State(ids.PERIOD_KIND, "value"),
    )
    def fill_measures(series: str | None, measure: str | None, lang: str, kind: str | None):
        """Offer only the measures and period kinds the chosen series has."""
        parsed = parse_series(series)
        if parsed is None:
            return [], None, [], None
        snapshot = warehouse.snapshot()
        counts = snapshot.memo(("measures", parsed), lambda: snapshot.sql(
            "SELECT measure, period_kind, count(*) AS n FROM observations "
            "WHERE indicator = ? AND product = ? AND industry_code = ? AND scope = ? AND is_default GROUP BY ALL",
            list(parsed),
        ))
        measures = [m for m in MEASURE_ORDER if m in set(counts["measure"])]
        if measure not in measures:
            measure = measures[0] if measures else None
        of_measure = counts[counts["measure"] == measure]
        kinds = [k for k in KIND_ORDER if k in set(of_measure["period_kind"])]
        if kind not in kinds:
            kind = of_measure.sort_values("n", ascending=False)["period_kind"].iloc[0] if len(of_measure) else None
        return (
            [{"label": label(MEASURE_LABELS, m, lang), "value": m} for m in measures], measure,
            [{"label": label(PERIOD_KIND_LABELS, k, lang), "value": k} for k in kinds], kind,
        )

    filter_inputs = [
        Input(ids.REGION, "value"), Input(ids.SERIES, "value"), Input(ids.MEASURE, "value"),
        Input(ids.PERIOD_KIND, "value"), Input(ids.YEAR_FROM, "value"), Input(ids.YEAR_TO, "value"),
        Input(ids.ALL_SOURCES, "value"), Input(ids.LANG, "value"),
    ]

    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.TABLE, "rowData"), Output(ids.TABLE, "columnDefs"),
        Output(ids.MESSAGE, "children"), Output(ids.ROW_COUNT, "children"), Output(ids.SNAPSHOT, "children"),
        *filter_inputs,
    )
    def update_view(regions, series, measure, kind, year_from, year_to, all_sources, lang):
        snapshot = warehouse.snapshot()
        filters = build_filters(regions, series, measure, kind, year_from, year_to, all_sources)
        frame = observations(snapshot, filters) if filters is not None else empty_result()
        title = _chart_title(series, measure, kind, lang, snapshot)
        figure = timeseries_figure(frame, lang, title=title)
        message = "" if not frame.empty else t("no_data", lang)
        snapshot_text = f"{t('snapshot', lang)}: {snapshot.snapshot_id} · {snapshot.manifest.get('created_at', '')[:19].replace('T', ' ')} UTC"
        return (
            figure, table_rows(frame, lang), column_defs(lang), message,
            f"{len(frame)} {t('rows', lang)}", snapshot_text,
        )

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_BUTTON, "n_clicks"),
        *[State(i.component_id, i.component_property) for i in filter_inputs],
        prevent_initial_call=True,
    )
    def download(n_clicks, regions, series, measure, kind, year_from, year_to, all_sources, lang):
        if not n_clicks:
            return no_update
        snapshot = warehouse.snapshot()
        filters = build_filters(regions, series, measure, kind, year_from, year_to, all_sources)
        frame = observations(snapshot, filters) if filters is not None else empty_result()
        name = f"observations-{snapshot.snapshot_id}.csv"
        return dcc.send_string(to_csv_text(frame), name, type="text/csv")


def _chart_title(series: str | None, measure: str | None, kind: str | None, lang: str, snapshot) -> str:
    parsed = parse_series(series)
    if parsed is None:
        return ""
    frame = series_options(snapshot)
    match = frame[(frame["indicator"] == parsed[0]) & (frame["product"] == parsed[1])
                  & (frame["industry_code"] == parsed[2]) & (frame["scope"] == parsed[3])]
    name = series_label(match.iloc[0], lang) if len(match) else parsed[0]
    parts = [name, label(MEASURE_LABELS, measure or "", lang), label(PERIOD_KIND_LABELS, kind or "", lang)]
    return " — ".join(p for p in parts if p)
