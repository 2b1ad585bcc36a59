"""Downloads of the current view: its CSV (every row) and a metadata sidecar describing it."""

from __future__ import annotations

import json
import re

from dash import Dash, Input, Output, State, dcc, no_update

from dashboard import ids
from dashboard.export import safe_filename, to_csv_text
from dashboard.i18n import CSV_HEADERS_ZH, t
from dashboard.query import Warehouse, reference_table
from dashboard.urlstate import VIEWS, to_query
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


def _name(state: dict, snapshot_id: str, ext: str, snapshot=None) -> str:
    """``production-timeseries-<snapshot>.csv``; on a Chinese page ``产量-时间序列-<snapshot>.csv``.

    Every part is ours (reference names, fixed words, the snapshot id), reduced to letters,
    digits, CJK characters, dots and dashes: nothing from the browser reaches the name.
    """
    if state.get("lang") == "zh" and snapshot is not None:
        names = reference_table(snapshot, "indicators").set_index("code")["name_zh"].to_dict()
        indicator = names.get(state.get("indicator")) or state.get("indicator") or "数据"
        view = t(f"view_{state.get('view')}", "zh") if state.get("view") in VIEWS else "视图"
        name = f"{indicator}-{view}-{snapshot_id}"
        stem = CJK_UNSAFE.sub("-", name).strip(".-")[:100] or "download"
        return f"{stem}.{safe_filename('x.' + ext).split('.', 1)[1]}"
    return safe_filename(f"{state.get('indicator') or 'observations'}-{state.get('view') or 'view'}-{snapshot_id}.{ext}")


#: What a Chinese filename may keep: letters, digits, CJK ideographs, dots, dashes and underscores.
CJK_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\u4e00-\u9fff]+")


def csv_frame(rows, lang: str):
    """The CSV's columns in the page's language (codes and values stay as they are)."""
    return rows.rename(columns=CSV_HEADERS_ZH) if lang == "zh" else rows


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
        return dcc.send_string(to_csv_text(csv_frame(rows, state.get("lang") or "en")),
                               _name(state, snapshot.snapshot_id, "csv", snapshot), type="text/csv")

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
        return dcc.send_string(text, _name(state, snapshot.snapshot_id, "metadata.json", snapshot), type="application/json")
