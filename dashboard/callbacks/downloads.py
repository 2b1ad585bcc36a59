"""Downloads of the current view: its CSV (every row) and a metadata sidecar describing it."""

from __future__ import annotations

import json

from dash import Dash, Input, Output, State, dcc, no_update

from dashboard import ids
from dashboard.export import safe_filename, to_csv_text
from dashboard.query import Warehouse
from dashboard.urlstate import to_query
from dashboard.views import build_view, series_title


def metadata(state: dict, snapshot, rows, comparison: str) -> dict:
    """What a downloaded CSV is: the filters, units, snapshot and the link that reproduces it."""
    url_state = {k: v for k, v in state.items() if k != "snapshot"}
    return {
        "title": series_title(snapshot, state, "en"),
        "title_zh": series_title(snapshot, state, "zh"),
        "view": state.get("view"),
        "filters": {k: state.get(k) for k in ("region", "indicator", "product", "industry", "scope", "measure",
                                               "period_kind", "from", "to", "status", "source")},
        "compared_regions": comparison or None,
        "query": to_query(url_state),
        "snapshot_id": snapshot.snapshot_id,
        "snapshot_created_at": snapshot.manifest.get("created_at"),
        "rows": len(rows),
        "units": sorted({str(u) for u in rows["unit"].dropna()}) if len(rows) and "unit" in rows else [],
        "notes": "value is in the base unit (CNY, vehicles, percent ...); unit_published and "
                 "unit_mult_published give the scale it was published in. Every row names its source.",
    }


def _name(state: dict, snapshot_id: str, ext: str) -> str:
    return safe_filename(f"{state.get('indicator') or 'observations'}-{state.get('view') or 'view'}-{snapshot_id}.{ext}")


def register(app: Dash, warehouse: Warehouse) -> None:
    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def download_csv(n_clicks, state):
        if not n_clicks or not state:
            return no_update
        snapshot = warehouse.pinned(state.get("snapshot"))
        rows = build_view(snapshot, state).rows
        return dcc.send_string(to_csv_text(rows), _name(state, snapshot.snapshot_id, "csv"), type="text/csv")

    @app.callback(
        Output(ids.DOWNLOAD_META, "data"),
        Input(ids.DOWNLOAD_META_BUTTON, "n_clicks"),
        State(ids.STATE, "data"),
        prevent_initial_call=True,
    )
    def download_metadata(n_clicks, state):
        if not n_clicks or not state:
            return no_update
        snapshot = warehouse.pinned(state.get("snapshot"))
        view = build_view(snapshot, state)
        text = json.dumps(metadata(state, snapshot, view.rows, view.comparison), ensure_ascii=False, indent=2)
        return dcc.send_string(text, _name(state, snapshot.snapshot_id, "metadata.json"), type="application/json")
