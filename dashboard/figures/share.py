"""The share view: each region's share of its parent region over time (percent)."""

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
    series_colours,
    x_positions,
)
from dashboard.figures.spec import FigureSpec, PlainFigure
from dashboard.figures.timeseries import MARKERS
from dashboard.i18n import t


def share_figure(frame: pd.DataFrame, lang: str, *, title: str = "", colours: dict[str, str] | None = None) -> PlainFigure:
    """Share of parent (``share_pct`` rows of the parent-region kind) per region, over period end.

    Reported shares are filled markers and derived ones hollow, on the same line, so a derived
    share that disagrees with a reported one shows as two points at the same date. A single
    period is drawn as bars (a line through one point says nothing).
    """
    data = frame.dropna(subset=["value"])
    data = data[data["measure"] == "share_pct"]
    if "share_of" in data:
        data = data[data["share_of"].fillna("") == ""]
    if data.empty:
        return empty_figure(t("no_share", lang))
    single = data[["period_start", "period_end"]].drop_duplicates().shape[0] == 1
    figure = FigureSpec()
    colours = colours or {}
    fallback = series_colours(list(dict.fromkeys(data["region_code"])))
    # Rows as dicts, grouped and sorted in Python: five regions' shares over years are a few
    # hundred points, and pandas' group-by, sorts and per-group conversions cost more than the loop.
    groups: dict[str, list[dict]] = {}
    for row in hover_rows(data):
        groups.setdefault(row["region_code"], []).append(row)
    for code, group in groups.items():
        group.sort(key=lambda r: (r["period_end"], r["status"]))
        name = region_name(group[0], lang)
        colour = colours.get(code, fallback[code])
        hover = [hover_text(row, lang) for row in group]
        values = [row["value"] for row in group]
        if single:
            figure.add_bar(x=[name] * len(group), y=values, name=name, marker_color=colour,
                           hovertext=hover, hoverinfo="text", text=[f"{v:.3g}%" for v in values],
                           textposition="outside", cliponaxis=False)
            continue
        x, annual = x_positions(group)
        if annual:
            figure.update_xaxes(dtick=1, tickformat="d")
        figure.add_scatter(
            x=x, y=values, name=name, mode="lines+markers",
            line={"color": colour, "width": 2, "dash": "dot"},
            marker={"symbol": [MARKERS.get(row["status"], "circle") for row in group], "size": 10, "color": colour},
            hovertext=hover, hoverinfo="text",
        )
    heading = title or t("share_title", lang)
    if single:
        heading = f"{heading} — {period_text(data.iloc[0], lang)}"
    figure.update_layout(
        title={"text": heading, "x": 0.01, "xanchor": "left"},
        template=light_template(), height=440, font={"family": FONT, "size": 13},
        margin={"l": 60, "r": 20, "t": 60, "b": 50}, legend={"orientation": "h", "y": -0.15},
        yaxis={"title": {"text": "%"}, "rangemode": "tozero"}, hoverlabel={"align": "left"},
        showlegend=not single,
    )
    return figure.figure()
