"""KPI cards for the focus region: latest value, growth, share, rank, target progress.

Pure: a query result (one region, one series and period type, every measure) → card specs
(dicts), and specs → Dash components; tested without a server.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.figures.common import hover_text, period_text, region_name
from dashboard.formatting import format_value
from dashboard.i18n import QUALIFIER_LABELS, label, t

#: Statuses of figures that describe what happened (targets and forecasts have their own card/view).
ACTUAL = ("reported", "derived", "provisional", "revised")
CARDS = (("level", "kpi_latest"), ("yoy_pct", "kpi_growth"), ("share_pct", "kpi_share"), ("rank", "kpi_rank"))


def kpi_specs(frame: pd.DataFrame, lang: str, *, progress: pd.DataFrame | None = None) -> list[dict]:
    """One spec per card: ``key``, ``title``, ``value`` (formatted), ``detail`` (period) and ``hover``.

    Each card shows the latest period that has that measure, so a growth rate published only
    for the half-year still appears; its period is printed under the value. The target card
    exists only when the snapshot has a ``target_progress`` table with a row for the region.
    """
    data = frame.dropna(subset=["value"]) if not frame.empty else frame
    if not data.empty and "is_default" in data:
        data = data[data["is_default"]]
    if not data.empty and "status" in data:
        data = data[data["status"].isin(ACTUAL)]
    if not data.empty and "share_of" in data:
        data = data[(data["measure"] != "share_pct") | (data["share_of"].fillna("") == "")]
    specs = []
    for measure, key in CARDS:
        rows = data[data["measure"] == measure] if not data.empty else data
        if rows.empty:
            specs.append({"key": measure, "title": t(key, lang), "value": t("kpi_none", lang), "detail": "", "hover": ""})
            continue
        row = rows.sort_values(["period_end", "period_start"]).iloc[-1]
        qualifier = label(QUALIFIER_LABELS, row["qualifier"], lang) if "qualifier" in row else ""
        value = format_value(row["value"], row["unit"], lang, measure=measure)
        specs.append({
            "key": measure, "title": t(key, lang), "value": f"{qualifier} {value}".strip(),
            "detail": f"{region_name(row, lang)} · {period_text(row, lang)}",
            "hover": hover_text(row, lang).replace("<br>", "\n").replace("<b>", "").replace("</b>", ""),
        })
    if progress is not None and not progress.empty:
        specs.append(_target_spec(progress, lang))
    return specs


def _target_spec(progress: pd.DataFrame, lang: str) -> dict:
    """The target card from the derive stage's table: the first column naming progress, in percent."""
    row = progress.iloc[-1]
    column = next((c for c in progress.columns if "progress" in c and pd.api.types.is_numeric_dtype(progress[c])), None)
    value = "—" if column is None or pd.isna(row[column]) else f"{float(row[column]):.1f}%"
    detail = ""
    for name in ("target_year", "target_period_end", "period_end"):
        if name in progress.columns and not pd.isna(row[name]):
            detail = str(row[name])
            break
    return {"key": "target", "title": t("kpi_target", lang), "value": value, "detail": detail, "hover": ""}


def kpi_cards(specs: list[dict]) -> list[html.Div]:
    """The cards as components (fixed size in CSS, so the page does not shift as values arrive)."""
    return [
        html.Div(
            [html.Div(s["title"], className="kpi-title"), html.Div(s["value"], className="kpi-value"),
             html.Div(s["detail"], className="kpi-detail")],
            className="kpi", title=s["hover"], id=f"kpi-{s['key']}", role="group", **{"aria-label": s["title"]},
        )
        for s in specs
    ]
