"""The view: the stored state → chart, KPI cards, table, sources, row count, snapshot line."""

from __future__ import annotations

from dash import Dash, Input, Output, State, no_update

from dashboard import ids
from dashboard.figures.kpi import kpi_cards
from dashboard.i18n import t
from dashboard.provenance import source_summary, sources_panel
from dashboard.query import Warehouse
from dashboard.table import column_defs, table_rows
from dashboard.viewcache import cached_view
from dashboard.views import build_view


def snapshot_line(snapshot, lang: str) -> str:
    created = str(snapshot.manifest.get("created_at", ""))[:19].replace("T", " ")
    return f"{t('snapshot', lang)}: {snapshot.snapshot_id} · {created} UTC"


def register(app: Dash, warehouse: Warehouse) -> None:
    @app.callback(
        Output(ids.CHART, "figure"), Output(ids.TABLE, "rowData"), Output(ids.TABLE, "columnDefs"),
        Output(ids.KPIS, "children"), Output(ids.SOURCES, "children"), Output(ids.MESSAGE, "children"),
        Output(ids.ROW_COUNT, "children"), Output(ids.SNAPSHOT, "children"), Output(ids.REFRESH, "data"),
        Input(ids.STATE, "data"),
        State(ids.REFRESH, "data"),
    )
    def render(state, refresh):
        if not state:
            return (no_update,) * 9
        lang = state.get("lang") or "en"
        snapshot = warehouse.snapshot()  # one snapshot for every query of this render
        if snapshot.snapshot_id != state.get("snapshot"):
            # New data were published since the filters were validated: revalidate them first.
            return (no_update,) * 5 + (f"{t('new_snapshot', lang)} {snapshot.snapshot_id}", no_update,
                                       snapshot_line(snapshot, lang), (refresh or 0) + 1)
        view = cached_view(snapshot, state, build_view)  # shared by every worker and node (dashboard.cache)
        rows = view.rows
        message = "" if not rows.dropna(subset=["value"]).empty else t("no_data", lang)
        if view.missing and not message:
            message = f"{t('no_data_for', lang)}: {', '.join(view.missing)}"
        return (
            view.figure, table_rows(rows, lang), column_defs(lang), kpi_cards(view.kpis),
            sources_panel(source_summary(rows), lang), message,
            f"{len(rows)} {t('row' if len(rows) == 1 else 'rows', lang)}", snapshot_line(snapshot, lang), no_update,
        )
