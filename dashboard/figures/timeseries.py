"""The time-series chart: one line per region, reported and derived points told apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import (
    FONT,
    empty_figure,
    hover_text,
    light_template,
    period_text,
    region_name,
    x_positions,
)
from dashboard.formatting import choose_scale, unit_label
from dashboard.i18n import MEASURE_LABELS, label, t

#: Colour-blind-safe palette (Okabe–Ito), so regions stay distinguishable in print too.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Reported points are filled; derived ones hollow; estimates and bounds open diamonds.
MARKERS = {"reported": "circle", "derived": "circle-open", "estimated": "diamond-open", "target": "star"}


def timeseries_figure(frame: pd.DataFrame, lang: str, *, title: str = "") -> go.Figure:
    """Chart ``frame`` (a query result for one indicator, measure and period kind).

    A line per region over the period end date; a grouped bar chart by region when the
    selection has a single period (a line through one point says nothing).
    """
    data = frame.dropna(subset=["value"])
    data = data[data["is_default"]] if "is_default" in data else data
    if data.empty:
        return empty_figure(t("no_data", lang))
    unit = str(data["unit"].iloc[0])
    measure = str(data["measure"].iloc[0])
    divisor, _ = choose_scale(data["value"].tolist(), unit, lang)
    if unit in ("percent", "rank"):
        divisor = 1.0
    single_period = data[["period_start", "period_end"]].drop_duplicates().shape[0] == 1
    figure = go.Figure()
    for index, (code, group) in enumerate(data.groupby("region_code", sort=False)):
        group = group.sort_values("period_end")
        name = region_name(group.iloc[0], lang)
        colour = PALETTE[index % len(PALETTE)]
        if not single_period and group["period_kind"].iloc[0] == "ytd":
            group = _break_between_years(group)
        hover = [hover_text(row, lang) for row in group.to_dict("records")]  # dicts: iterrows costs ~0.1 ms a row
        if single_period:
            figure.add_bar(
                x=[name], y=group["value"] / divisor, name=name, marker_color=colour,
                hovertext=hover, hoverinfo="text", customdata=group["source_id"],
            )
            continue
        symbols = [MARKERS.get(s, "circle") for s in group["status"]]
        x, annual = x_positions(group)
        if annual:
            figure.update_xaxes(dtick=1, tickformat="d")
        figure.add_scatter(
            x=x, y=group["value"] / divisor, name=name, mode="lines+markers",
            line={"color": colour, "width": 2}, marker={"symbol": symbols, "size": 9, "color": colour},
            hovertext=hover, hoverinfo="text", customdata=group["source_id"],
            meta=code,
        )
    measure_text = label(MEASURE_LABELS, measure, lang)
    axis_unit = unit_label(unit, lang, divisor) if unit not in ("rank",) else ""
    figure.update_layout(
        title={"text": title or measure_text, "x": 0.01, "xanchor": "left"},
        template=light_template(),
        height=440,
        font={"family": FONT, "size": 13},
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"title": {"text": f"{measure_text} ({axis_unit})" if axis_unit and axis_unit not in measure_text else measure_text}},
        hoverlabel={"align": "left"},
    )
    if not single_period:
        figure.add_annotation(
            text=t("legend_note", lang), showarrow=False, xref="paper", yref="paper", x=1, y=1.02,
            xanchor="right", yanchor="bottom", font={"size": 11, "color": "#5b6776"},
        )
    if unit == "rank":
        figure.update_yaxes(autorange="reversed")
    if single_period:
        figure.update_layout(xaxis={"title": {"text": period_text(data.iloc[0], lang)}}, showlegend=False)
    return figure


def _break_between_years(group: pd.DataFrame) -> pd.DataFrame:
    """Year-to-date values restart every January: draw each year as its own segment.

    A line from Jan–Dec 2022 down to Jan–Feb 2023 would read as a collapse; it is only the
    cumulative count starting again. A row with no value between years breaks the line.
    """
    if group.empty:
        return group
    years = np.array([d.year for d in group["period_end"]])
    order = np.argsort(years, kind="stable")
    rows, years = group.iloc[order], years[order]
    last_of_year = np.flatnonzero(years[:-1] != years[1:])  # every year but the last gets a gap after it
    gaps = rows.iloc[last_of_year].copy()
    gaps["value"] = float("nan")
    gaps["status"] = ""
    position = np.concatenate([np.arange(len(rows)) * 2, last_of_year * 2 + 1])
    return pd.concat([rows, gaps], ignore_index=True).iloc[np.argsort(position, kind="stable")].reset_index(drop=True)
