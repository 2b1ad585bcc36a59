"""KPI cards for the focus region: latest value, growth, share, rank, target progress.

Pure: a query result (one region, one series and period type, every measure) → card specs
(dicts), and specs → Dash components; tested without a server.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.figures.common import hover_text, period_text, qualified_value, region_name
from dashboard.formatting import format_value
from dashboard.i18n import t

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
        value = qualified_value(row, lang, measure=measure)
        specs.append({
            "key": measure, "title": t(key, lang), "value": value,
            "detail": f"{region_name(row, lang)} · {period_text(row, lang)}",
            "hover": hover_text(row, lang).replace("<br>", "\n").replace("<b>", "").replace("</b>", ""),
        })
    if progress is not None and not progress.empty:
        specs.append(_target_spec(progress, lang))
    return specs


def _target_spec(progress: pd.DataFrame, lang: str) -> dict:
    """The target card from the derive stage's ``target_progress`` table.

    Shows how far the latest published level has come towards the target, and what the
    target is and by when ("530万辆 by 2025"); the reason when progress cannot be computed.
    """
    row = progress.sort_values("target_period_end").iloc[-1] if "target_period_end" in progress else progress.iloc[-1]
    percent = row.get("progress_pct")
    value = "—" if percent is None or pd.isna(percent) else f"{float(percent):.1f}%"
    detail, hover = "", str(row.get("reason") or "")
    target, unit, end = row.get("target_value"), row.get("unit"), row.get("target_period_end")
    if target is not None and not pd.isna(target) and unit:
        goal = format_value(float(target), str(unit), lang)
        year = pd.Timestamp(end).year if end is not None and not pd.isna(end) else None
        by_year = f"{year}年目标 {goal}" if lang == "zh" else f"target {goal} by {year}"
        detail = goal if year is None else by_year
    return {"key": "target", "title": t("kpi_target", lang), "value": value, "detail": detail, "hover": hover}


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
