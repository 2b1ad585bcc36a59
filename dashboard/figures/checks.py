"""The reconciliation view: reported figures checked against what other figures imply.

The ETL's ``reconciliation`` table holds one row per check (a reported growth rate against the
levels it should follow from, a share against its numerator and denominator, a month against
two cumulative figures, a total against its parts) with a verdict. This view shows them as a
filterable table — the verdict, both numbers, their sources and, for a check that cannot be
made, why and what would make it checkable — above a count of the verdicts per kind of check.
"""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import FONT, empty_figure, light_template, period_text
from dashboard.figures.spec import FigureSpec, PlainFigure
from dashboard.i18n import CHECK_LABELS, CHECKABLE_IF, VERDICT_LABELS, label, t

VERDICT_COLOURS = {"consistent": "#009E73", "inconsistent": "#D55E00", "not_comparable": "#a9b4c2",
                   "not_checkable": "#d9dee5"}
COLUMNS = [
    ("region", {"en": "Region", "zh": "地区"}),
    ("period", {"en": "Period", "zh": "期间"}),
    ("check", {"en": "Check", "zh": "核对"}),
    ("indicator", {"en": "Indicator", "zh": "指标"}),
    ("verdict", {"en": "Verdict", "zh": "结论"}),
    ("reported", {"en": "Reported", "zh": "公布值"}),
    ("implied", {"en": "Implied by other figures", "zh": "推算值"}),
    ("difference", {"en": "Difference", "zh": "差值"}),
    ("reason", {"en": "Why / what would make it checkable", "zh": "原因 / 如何可核对"}),
    ("inputs", {"en": "Figures used", "zh": "所用数据"}),
    ("reported_source_id", {"en": "Source of the reported figure", "zh": "公布值来源"}),
]


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def checks_rows(frame: pd.DataFrame, lang: str, indicators: dict[str, str] | None = None) -> list[dict]:
    """One grid row per check, in the reader's language (numbers stay numbers for sorting);
    ``indicators``: code → name."""
    indicators = indicators or {}
    rows = []
    for row in frame.to_dict("records") if not frame.empty else []:
        name = (row.get("region_name_zh") if lang == "zh" else row.get("region_name_en")) or row["region_code"]
        period = period_text(pd.Series({"period_start": pd.Timestamp(row["period_start"]).date(),
                                        "period_end": pd.Timestamp(row["period_end"]).date(),
                                        "period_kind": row["period_kind"]}), lang)
        note = (row.get("note_zh") if lang == "zh" else row.get("note")) or row.get("note") or ""
        if row["verdict"] == "not_comparable" and row["check"] in CHECKABLE_IF:
            wanted = label(CHECKABLE_IF, row["check"], lang)
            note = f"{note}；需要：{wanted}" if lang == "zh" else f"{note}; needs {wanted}"
        rows.append({
            "region": name, "period": period, "check": label(CHECK_LABELS, row["check"], lang),
            "indicator": indicators.get(row["indicator"]) or row["indicator"], "verdict": label(VERDICT_LABELS, row["verdict"], lang),
            "reported": _number(row.get("reported_value")), "implied": _number(row.get("implied_value")),
            "difference": _number(row.get("difference")), "reason": note, "inputs": row.get("inputs") or "",
            "reported_source_id": row.get("reported_source_id") or "",
        })
    return rows


def checks_columns(lang: str) -> list[dict]:
    defs = []
    for field, names in COLUMNS:
        spec: dict = {"field": field, "headerName": names["zh" if lang == "zh" else "en"]}
        if field in ("reported", "implied", "difference"):
            spec.update(type="numericColumn", filter="agNumberColumnFilter", width=130)
        if field in ("reason", "inputs"):
            spec.update(width=360, tooltipField=field)
        if field == "region":
            spec.update(pinned="left", width=140)
        defs.append(spec)
    return defs


def checks_figure(frame: pd.DataFrame, lang: str, *, title: str = "") -> PlainFigure:
    """Verdicts counted per kind of check, as stacked horizontal bars."""
    if frame.empty:
        return empty_figure(t("checks_none", lang))
    counts = frame.groupby(["check", "verdict"]).size().unstack(fill_value=0)
    figure = FigureSpec()
    for verdict in ("consistent", "inconsistent", "not_comparable", "not_checkable"):
        if verdict not in counts:
            continue
        figure.add_bar(y=[label(CHECK_LABELS, c, lang) for c in counts.index], x=counts[verdict], orientation="h",
                       name=label(VERDICT_LABELS, verdict, lang), marker_color=VERDICT_COLOURS[verdict],
                       text=counts[verdict], textposition="inside")
    figure.update_layout(barmode="stack", title={"text": title, "x": 0.01, "xanchor": "left"}, template=light_template(),
                         height=440, font={"family": FONT, "size": 13}, margin={"l": 140, "r": 20, "t": 60, "b": 50},
                         legend={"orientation": "h", "y": -0.15})
    return figure.figure()
