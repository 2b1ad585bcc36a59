"""The page's one callback: controls (or a link) → a valid state, every filter's options, and the view.

One request per filter change: the controls are normalised and the chart, KPI cards, table and
sources drawn from the same snapshot in the same callback, so there is no separate filter-sync
round trip before the render and no chance of the two seeing different snapshots.
"""

from __future__ import annotations

from dash import Dash, Input, Output, ctx, dcc, html

from dashboard import ids
from dashboard.callbacks.filters import CONTROLS, KEYS, requested_from, resolve
from dashboard.config import Config
from dashboard.figures.kpi import kpi_cards
from dashboard.i18n import t
from dashboard.provenance import source_summary, sources_panel
from dashboard.query import Warehouse, reference_table
from dashboard.table import column_defs, table_rows
from dashboard.urlstate import to_query
from dashboard.viewcache import cached_view
from dashboard.views import build_view


def snapshot_line(snapshot, lang: str) -> str:
    created = str(snapshot.manifest.get("created_at", ""))[:19].replace("T", " ")
    return f"{t('snapshot', lang)}: {snapshot.snapshot_id} · {created} UTC"


def publishers(snapshot) -> dict[str, str]:
    """Source id → publisher, for derivations in words."""
    sources = reference_table(snapshot, "sources")
    return dict(zip(sources["code"], sources["publisher"].fillna(sources["code"]), strict=True))


def region_names(snapshot, lang: str) -> dict[str, str]:
    regions = reference_table(snapshot, "regions")
    return dict(zip(regions["code"], regions["name_zh" if lang == "zh" else "name_en"], strict=True))


def page_message(drawn, state: dict, lang: str):
    """The line above the chart: a dead end's cause with links to choices that have figures,
    the selected regions without figures, or the explicit "all regions" state."""
    if drawn.dead_end:
        links = [dcc.Link(text, href="/" + to_query({k: v for k, v in target.items() if k != "snapshot"}),
                          className="suggestion") for text, target in drawn.suggestions]
        return html.Div([html.Span(drawn.dead_end, className="dead-end"),
                         html.Span([t("suggest_lead", lang), *links], className="suggestions") if links else ""])
    if drawn.rows.dropna(subset=["value"]).empty:
        return t("no_data", lang)
    if not state.get("region"):
        return t("all_regions_note", lang)
    if drawn.missing:
        return f"{t('no_data_for', lang)}: {', '.join(drawn.missing)}"
    return ""


def register(app: Dash, warehouse: Warehouse, config: Config) -> None:
    @app.callback(
        *[Output(c, "options") for c in CONTROLS],
        *[Output(c, "value") for c in CONTROLS],
        Output(ids.ALL_SOURCES, "value"), Output(ids.VIEW, "value"), Output(ids.LANG, "value"),
        Output(ids.URL, "search"), Output(ids.STATE, "data"), Output(ids.URL_NOTE, "children"),
        Output(ids.CHART, "figure"), Output(ids.TABLE, "rowData"), Output(ids.TABLE, "columnDefs"),
        Output(ids.KPIS, "children"), Output(ids.SOURCES, "children"), Output(ids.MESSAGE, "children"),
        Output(ids.ROW_COUNT, "children"), Output(ids.SNAPSHOT, "children"), Output(ids.COVERAGE, "children"),
        Input(ids.STATE, "data"), Input(ids.URL, "search"),
        *[Input(c, "value") for c in CONTROLS],
        Input(ids.ALL_SOURCES, "value"), Input(ids.VIEW, "value"), Input(ids.LANG, "value"),
        Input(ids.REFRESH, "data"),
    )
    def update(stored, search, *values):
        controls, (all_sources, view, lang, _refresh) = values[: len(CONTROLS)], values[len(CONTROLS):]
        triggered = {key.rsplit(".", 1)[0] for key in ctx.triggered_prop_ids}
        requested, notes, from_url, lead = requested_from(triggered, search, stored, controls, view,
                                                          all_sources, lang, config)
        snapshot = warehouse.snapshot()  # one snapshot for the filters and every query of the view
        resolved = resolve(snapshot, requested, notes, from_url=from_url, lead=lead, config=config)
        state = resolved.state
        lang = state["lang"]
        drawn = cached_view(snapshot, state, build_view)  # shared by every worker and node (dashboard.cache)
        rows = drawn.rows
        message = page_message(drawn, state, lang)
        return (
            *resolved.option_lists, *[state[k] for k in KEYS],
            ["all"] if state.get("source") == "all" else [], state["view"], lang,
            resolved.search, state, resolved.note,
            drawn.figure, table_rows(rows, lang, publishers=publishers(snapshot), names=region_names(snapshot, lang)),
            column_defs(lang), kpi_cards(drawn.kpis),
            sources_panel(source_summary(rows), lang), message,
            f"{len(rows)} {t('row' if len(rows) == 1 else 'rows', lang)}", snapshot_line(snapshot, lang),
            drawn.coverage,
        )
