"""The ranking view: regions side by side for one period, largest first, the selection highlighted."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import (
    FONT,
    empty_figure,
    hover_rows,
    hover_text,
    light_template,
    period_text,
    region_name,
)
from dashboard.figures.spec import FigureSpec, PlainFigure
from dashboard.formatting import choose_scale, unit_label
from dashboard.i18n import MEASURE_LABELS, label, t

HIGHLIGHT = "#0072B2"
OTHER = "#a9b4c2"
DERIVED = "#ffffff"
MIN_SLOTS = 8


def comparison_period(frame: pd.DataFrame, focus: str | None = None) -> pd.DataFrame:
    """The rows of the one period a ranking or map compares.

    The latest period the focus region has a figure for (so the selected region is on the
    chart); without one, the period most regions have (a lone region is no comparison),
    latest first on ties.
    """
    data = frame.dropna(subset=["value"])
    if data.empty:
        return data
    own = data[data["region_code"] == focus] if focus else data.iloc[0:0]
    if not own.empty:
        pick = own.sort_values(["period_end", "period_start"]).iloc[-1]
        start, end = pick["period_start"], pick["period_end"]
    else:
        counts = data.groupby(["period_end", "period_start"])["region_code"].nunique().reset_index(name="k")
        pick = counts.sort_values(["k", "period_end", "period_start"]).iloc[-1]
        start, end = pick["period_start"], pick["period_end"]
    return data[(data["period_end"] == end) & (data["period_start"] == start)]


def ranking_figure(frame: pd.DataFrame, lang: str, *, highlight: tuple[str, ...] = (), title: str = "") -> PlainFigure:
    """Horizontal bars of ``frame`` (one period, many regions), sorted so rank 1 is on top.

    Ranks are published positions, so a ``rank`` measure is drawn best (1) first with bar
    length = position; levels and percentages are sorted by value. Derived figures have a
    white fill and a coloured outline, matching the hollow markers of the time series.
    """
    data = frame.dropna(subset=["value"])
    data = data[data["is_default"]] if "is_default" in data else data
    if data.empty:
        return empty_figure(t("no_data", lang))
    data = data.drop_duplicates("region_code")
    unit, measure = str(data["unit"].iloc[0]), str(data["measure"].iloc[0])
    divisor, _ = choose_scale(data["value"].tolist(), unit, lang)
    if unit in ("percent", "rank"):
        divisor = 1.0
    ascending = measure == "rank"
    data = data.sort_values("value", ascending=not ascending)  # plotly draws the first bar at the bottom
    rows = hover_rows(data)
    names = [region_name(row, lang) for row in rows]
    selected = [code in highlight for code in data["region_code"]]
    colours = [HIGHLIGHT if s else OTHER for s in selected]
    fills = [DERIVED if status == "derived" else colour for status, colour in zip(data["status"], colours, strict=True)]
    figure = FigureSpec()
    figure.add_bar(
            x=data["value"] / divisor, y=names, orientation="h",
            marker={"color": fills, "line": {"color": colours, "width": 2}},
            hovertext=[hover_text(row, lang) for row in rows], hoverinfo="text",
            customdata=data["region_code"], text=[f"{v / divisor:,.4g}" for v in data["value"]],
            textposition="outside", cliponaxis=False,
    )
    measure_text = label(MEASURE_LABELS, measure, lang)
    axis_unit = unit_label(unit, lang, divisor) if unit != "rank" else ""
    heading = title or f"{t('ranking_title', lang)} — {period_text(data.iloc[0], lang)}"
    figure.update_layout(
        title={"text": heading, "x": 0.01, "xanchor": "left"},
        template=light_template(), height=440, font={"family": FONT, "size": 13},
        margin={"l": 140, "r": 50, "t": 60, "b": 50}, showlegend=False,
        xaxis={"title": {"text": f"{measure_text} ({axis_unit})" if axis_unit and axis_unit not in measure_text else measure_text}},
        hoverlabel={"align": "left"},
        # At least MIN_SLOTS bar positions, empty ones below: a lone region is a bar, not a wall.
        yaxis={"range": [len(data) - 0.5 - max(len(data), MIN_SLOTS), len(data) - 0.5]},
    )
    return figure.figure()
