"""Figures are built as plain plotly JSON without validation (dashboard.figures.spec), so plotly's
own validator checks here that every view the page can show is a figure plotly accepts."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from dashboard.figures.spec import FigureSpec, merge
from dashboard.query import Warehouse
from dashboard.views import build_view

AUTOS = {"region": ["440000", "CN"], "indicator": "production", "product": "automobiles", "industry": "C36",
         "scope": "", "measure": "level", "period_kind": "ytd", "status": []}
GDP = {"region": ["440000", "320000"], "indicator": "gdp", "product": "", "industry": "X-ALL", "scope": "",
       "measure": "level", "period_kind": "year", "status": []}

STATES = {
    "ytd lines by month of year": AUTOS,
    "one period as bars": {**AUTOS, "from": "2023-07", "to": "2023-07"},
    "annual lines": GDP,
    "annual, log axis, year-on-year transform": {**GDP, "axis": "log", "transform": "yoy"},
    "index transform": {**GDP, "transform": "index"},
    "ranking": {**GDP, "view": "ranking"},
    "map of provinces": {**GDP, "view": "map"},
    "share of the national total": {**AUTOS, "view": "share", "measure": "share_pct"},
    "reconciliation": {**AUTOS, "view": "checks"},
    "empty: a region without the series": {**AUTOS, "region": ["441800"], "indicator": "gdp"},
}


@pytest.fixture(scope="module")
def snapshot(default_warehouse):
    return Warehouse(default_warehouse).snapshot()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(STATES))
def test_every_view_is_a_figure_plotly_validates(snapshot, name, lang):
    drawn = build_view(snapshot, {**STATES[name], "lang": lang})
    plotly_json = drawn.figure.to_plotly_json()
    validated = go.Figure(plotly_json)  # raises ValueError on any property plotly does not know
    assert len(validated.data) == len(plotly_json["data"])
    assert validated.data or name.startswith("empty")  # each state draws what it names
    assert validated.layout.title.text or validated.layout.annotations  # says what it shows, or why not


def test_updates_merge_nested_properties_and_never_change_the_callers_dict():
    axis = {"title": {"text": "Value"}}
    spec = FigureSpec()
    spec.update_layout(yaxis=axis)
    spec.update_yaxes(type="log")
    spec.add_scatter(x=[1], y=[2], marker_color="#000000", line_dash="dot")
    assert spec.layout["yaxis"] == {"title": {"text": "Value"}, "type": "log"}
    assert axis == {"title": {"text": "Value"}}
    assert spec.data[0]["marker"] == {"color": "#000000"} and spec.data[0]["line"] == {"dash": "dot"}
    assert merge({"a": {"b": 1}}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}}
    figure = spec.figure()
    assert figure.layout.yaxis.type == "log" and list(figure.data[0].y) == [2]
