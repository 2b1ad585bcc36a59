"""What every chart shares: names in the reader's language, hover text with provenance."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.formatting import format_value
from dashboard.i18n import QUALIFIER_LABELS, STATUS_LABELS, label, t


def light_template() -> go.layout.Template:
    """A white background with light grid lines: the look of ``plotly_white`` at a fraction of
    its cost (the named template is validated and deep-copied on every figure, ~0.1 s each)."""
    axis = {"gridcolor": "#e8edf3", "zerolinecolor": "#d0d7e0", "linecolor": "#d0d7e0", "ticks": ""}
    return go.layout.Template(layout={"paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "xaxis": axis,
                                      "yaxis": axis, "colorway": ["#0072B2", "#E69F00", "#009E73", "#D55E00"]})


FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, Helvetica, Arial, sans-serif"


def region_name(row: pd.Series, lang: str) -> str:
    zh, en = row.get("region_name_zh") or "", row.get("region_name_en") or ""
    return (zh or en or row["region_code"]) if lang == "zh" else (en or zh or row["region_code"])


def period_text(row: pd.Series, lang: str) -> str:
    """``2023年1-7月`` / ``Jan–Jul 2023``: how the reader would say the period."""
    start, end, kind = row["period_start"], row["period_end"], row["period_kind"]
    if kind == "year":
        return f"{start.year}年" if lang == "zh" else f"{start.year}"
    if kind == "month":
        return f"{start.year}年{start.month}月" if lang == "zh" else f"{start:%b} {start.year}"
    if kind == "span":
        return f"{start.year}–{end.year}年" if lang == "zh" else f"{start.year}–{end.year}"
    if lang == "zh":
        return f"{start.year}年{start.month}-{end.month}月"
    return f"{start:%b}–{end:%b} {start.year}"


def x_positions(group: pd.DataFrame) -> tuple[list, bool]:
    """Where a series' points sit on the time axis, and whether the axis counts whole years.

    Annual figures are placed at their year (2025), not at 31 December, which Plotly would draw
    next to the tick of the following year; other periods at their end date.
    """
    if len(group) and set(group["period_kind"]) == {"year"}:
        return [d.year for d in group["period_start"]], True
    return list(group["period_end"]), False


def hover_text(row: pd.Series, lang: str) -> str:
    """Region, period, value, status and the source of one point."""
    qualifier = label(QUALIFIER_LABELS, row["qualifier"], lang)
    value = format_value(row["value"], row["unit"], lang, measure=row["measure"])
    source = row.get("source_title") or row["source_id"]
    published = row.get("source_published_date")
    published_text = "" if published is None or pd.isna(published) else str(published)
    lines = [
        f"<b>{region_name(row, lang)}</b> · {period_text(row, lang)}",
        f"{(qualifier + ' ') if qualifier else ''}{value}",
        f"{t('status', lang)}: {label(STATUS_LABELS, row['status'], lang)}",
        f"{t('source', lang)}: {_shorten(str(source))}",
        f"{t('published', lang)}: {published_text or '—'}",
    ]
    return "<br>".join(lines)


def _shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def empty_figure(message: str) -> go.Figure:
    """A figure that says why it is empty instead of drawing an empty axis."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15})
    figure.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, template=light_template(), height=420,
        font={"family": FONT}, margin={"l": 40, "r": 20, "t": 40, "b": 40},
    )
    return figure
