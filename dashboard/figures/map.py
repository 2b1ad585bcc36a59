"""The map view: regions of one level coloured by value, from committed simplified boundaries.

``go.Choropleth`` with ``geojson=`` and ``fitbounds="locations"`` draws SVG paths with no tile
server, so the map works offline. The boundaries are passed in (see :mod:`dashboard.geo`),
which keeps this builder pure.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import FONT, empty_figure, hover_text, period_text
from dashboard.formatting import choose_scale, unit_label
from dashboard.i18n import MEASURE_LABELS, label, t

#: Sequential, colour-blind-safe (viridis reversed reads "more = darker").
COLOURSCALE = "Blues"


def map_figure(frame: pd.DataFrame, geojson: dict, lang: str, *, highlight: tuple[str, ...] = (),
               title: str = "", geojson_url: str | None = None) -> go.Figure:
    """Colour each region of ``frame`` (one period) found in ``geojson``; outline the selected ones.

    Regions of the level without a figure are drawn grey, so "no data" is visible rather than
    looking like a small value. With ``geojson_url`` (where the browser fetches the whole
    layer, :func:`dashboard.geo.boundaries_url`) both traces name that address instead of
    embedding shapes: the figure carries codes and values only, and plotly.js draws just the
    listed locations of the layer. ``geojson`` still says which regions have a shape.
    """
    data = frame.dropna(subset=["value"])
    data = data[data["is_default"]] if "is_default" in data else data
    data = data.drop_duplicates("region_code")
    codes_with_shape = {f["properties"]["code"] for f in geojson.get("features", [])}
    data = data[data["region_code"].isin(codes_with_shape)]
    if data.empty:
        return empty_figure(t("no_data", lang))
    unit, measure = str(data["unit"].iloc[0]), str(data["measure"].iloc[0])
    divisor, _ = choose_scale(data["value"].tolist(), unit, lang)
    if unit in ("percent", "rank"):
        divisor = 1.0
    all_codes = sorted(codes_with_shape)
    figure = go.Figure()
    figure.add_choropleth(
        geojson=geojson_url or geojson, featureidkey="properties.code", locations=all_codes, z=[0] * len(all_codes),
        colorscale=[[0, "#eceff3"], [1, "#eceff3"]], showscale=False, hoverinfo="skip",
        marker={"line": {"color": "#ffffff", "width": 0.6}}, name="",
    )
    # Embedded: each coloured shape sent once more, not all twice. By URL: the one cached file.
    coloured = geojson_url or features_of(geojson, codes=set(data["region_code"]))
    figure.add_choropleth(
        geojson=coloured, featureidkey="properties.code", locations=data["region_code"],
        z=data["value"] / divisor, colorscale=COLOURSCALE, reversescale=measure == "rank",
        marker={"line": {"color": ["#d55e00" if c in highlight else "#ffffff" for c in data["region_code"]],
                         "width": [1.2 if c in highlight else 0.6 for c in data["region_code"]]}},
        hovertext=[hover_text(row, lang) for row in data.to_dict("records")], hoverinfo="text",
        colorbar={"title": {"text": unit_label(unit, lang, divisor) if unit != "rank" else label(MEASURE_LABELS, "rank", lang)},
                  "thickness": 14, "len": 0.8},
        name="",
    )
    figure.update_geos(fitbounds="locations", visible=False, projection={"type": "mercator"})
    heading = title or f"{label(MEASURE_LABELS, measure, lang)} — {period_text(data.iloc[0], lang)}"
    figure.update_layout(
        title={"text": heading, "x": 0.01, "xanchor": "left"},
        height=440, font={"family": FONT, "size": 13}, margin={"l": 10, "r": 10, "t": 60, "b": 10},
        hoverlabel={"align": "left"}, paper_bgcolor="#ffffff",
    )
    return figure


def features_of(geojson: dict, codes: set[str] | None = None, parent: str | None = None) -> dict:
    """The FeatureCollection restricted to ``codes`` and/or children of ``parent``."""
    features = [
        f for f in geojson.get("features", [])
        if (codes is None or f["properties"]["code"] in codes) and (parent is None or f["properties"].get("parent") == parent)
    ]
    return {"type": "FeatureCollection", "features": features}
