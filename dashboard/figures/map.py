"""The map view: regions of one level coloured by value, from committed simplified boundaries.

``go.Choropleth`` with ``geojson=`` and ``fitbounds="locations"`` draws SVG paths with no tile
server, so the map works offline. The boundaries are passed in (see :mod:`dashboard.geo`),
which keeps this builder pure.
"""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import FONT, empty_figure, hover_rows, hover_text, period_text
from dashboard.figures.spec import FigureSpec, PlainFigure
from dashboard.formatting import choose_scale, unit_label
from dashboard.i18n import MEASURE_LABELS, label, t

#: Sequential, colour-blind-safe: ColorBrewer's Blues ("more = darker"), spelled out as plotly
#: expands the name (the figure is not validated, so the name would not be).
COLOURSCALE = [[i / 8, colour] for i, colour in enumerate(
    ["rgb(247,251,255)", "rgb(222,235,247)", "rgb(198,219,239)", "rgb(158,202,225)", "rgb(107,174,214)",
     "rgb(66,146,198)", "rgb(33,113,181)", "rgb(8,81,156)", "rgb(8,48,107)"])]
#: Regions without a figure: a warm grey outside the blue scale, marked with a cross.
NO_DATA_FILL = "#e9e4da"
NO_DATA_MARK = "#8a7f6e"


def map_figure(frame: pd.DataFrame, geojson: dict, lang: str, *, highlight: tuple[str, ...] = (),
               title: str = "", names: dict[str, str] | None = None, geojson_url: str | None = None) -> PlainFigure:
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
    without = sorted(codes_with_shape - set(data["region_code"]))
    figure = FigureSpec()
    if without:
        # "No data" is not a value: a warm grey outside the blue scale, hatched with a marker at
        # each region's centre, and its own legend entry (never a pale shade of the scale).
        empty = features_of(geojson, codes=set(without))
        names = names or {}
        figure.add_choropleth(
            geojson=geojson_url or empty, featureidkey="properties.code", locations=without, z=[0] * len(without),
            colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]], showscale=False,
            hovertext=[f"{names.get(c, c)}: {t('map_no_data', lang)}" for c in without], hoverinfo="text",
            marker={"line": {"color": "#ffffff", "width": 0.6}}, name=t("map_no_data", lang), showlegend=False,
        )
        centres = [centre(f) for f in empty["features"]]
        figure.add_scattergeo(
            lon=[c[0] for c in centres], lat=[c[1] for c in centres], mode="markers", hoverinfo="skip",
            marker={"symbol": "x-thin-open", "size": 7, "color": NO_DATA_MARK, "line": {"width": 1.2, "color": NO_DATA_MARK}},
            name=t("map_no_data", lang), showlegend=True,
        )
    # Embedded: each coloured shape sent once more, not all twice. By URL: the one cached file.
    coloured = geojson_url or features_of(geojson, codes=set(data["region_code"]))
    figure.add_choropleth(
        geojson=coloured, featureidkey="properties.code", locations=data["region_code"],
        z=data["value"] / divisor, colorscale=COLOURSCALE, reversescale=measure == "rank",
        marker={"line": {"color": ["#d55e00" if c in highlight else "#ffffff" for c in data["region_code"]],
                         "width": [1.2 if c in highlight else 0.6 for c in data["region_code"]]}},
        hovertext=[hover_text(row, lang) for row in hover_rows(data)], hoverinfo="text",
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
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
    )
    return figure.figure()


def centre(feature: dict) -> tuple[float, float]:
    """A point inside-ish a region for its "no data" mark: the mean of its largest ring's vertices."""
    geometry = feature.get("geometry") or {}
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    rings = [polygon[0] for polygon in polygons if polygon and polygon[0]]
    if not rings:
        return (0.0, 0.0)
    ring = max(rings, key=len)
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def features_of(geojson: dict, codes: set[str] | None = None, parent: str | None = None) -> dict:
    """The FeatureCollection restricted to ``codes`` and/or children of ``parent``."""
    features = [
        f for f in geojson.get("features", [])
        if (codes is None or f["properties"]["code"] in codes) and (parent is None or f["properties"].get("parent") == parent)
    ]
    return {"type": "FeatureCollection", "features": features}
