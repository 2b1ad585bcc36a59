"""A figure built as plain plotly JSON, with the few ``go.Figure`` methods the builders use.

Plotly validates and deep-copies every property a ``go.Figure`` method sets: ``add_scatter``
costs 3–5 ms a trace, which made a chart of ten yearly lines cost more than the query behind it
(measured at 10 M observations: 40–70 ms of the figure's 70–110 ms). The builders write the
same calls against :class:`FigureSpec`, which only collects dicts; :meth:`FigureSpec.figure`
wraps the result in a ``go.Figure`` without validation (the builders' output is tested against
plotly's own validator in ``tests/dashboard/test_figure_spec.py``), so callers and tests keep
reading ``figure.data[0].x`` and ``figure.layout.title.text``.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go


def merge(into: dict, update: dict) -> dict:
    """``update`` merged into ``into`` recursively (what ``update_layout`` does with nested dicts)."""
    for key, value in update.items():
        if isinstance(value, dict):  # copied: a caller's dict is never changed by a later update
            target = into.get(key)
            if not isinstance(target, dict):
                target = into[key] = {}
            merge(target, value)
        else:
            into[key] = value
    return into


def plain(value: object) -> object:
    """A pandas or numpy sequence as a list (what plotly would store), other values unchanged."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return value.tolist()  # type: ignore[union-attr]
    return value


def _underscored(properties: dict) -> dict:
    """``marker_color="red"`` → ``{"marker": {"color": "red"}}`` (plotly's "magic underscores")."""
    out: dict = {}
    for key, value in properties.items():
        value = plain(value)
        if "_" in key and key.split("_", 1)[0] in ("marker", "line", "font", "title", "hoverlabel"):
            head, tail = key.split("_", 1)
            merge(out, {head: _underscored({tail: value})})
        else:
            merge(out, {key: value})
    return out


class FigureSpec:
    """The traces and layout of a figure as dicts; ``figure()`` makes the ``go.Figure``."""

    def __init__(self) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}

    def add_trace(self, kind: str, **properties) -> dict:
        trace = {"type": kind, **_underscored(properties)}
        self.data.append(trace)
        return trace

    def add_scatter(self, **properties) -> dict:
        return self.add_trace("scatter", **properties)

    def add_bar(self, **properties) -> dict:
        return self.add_trace("bar", **properties)

    def add_choropleth(self, **properties) -> dict:
        return self.add_trace("choropleth", **properties)

    def add_scattergeo(self, **properties) -> dict:
        return self.add_trace("scattergeo", **properties)

    def update_layout(self, update: dict | None = None, **properties) -> None:
        merge(self.layout, _underscored({**(update or {}), **properties}))

    def update_xaxes(self, **properties) -> None:
        self.update_layout(xaxis=properties)

    def update_yaxes(self, **properties) -> None:
        self.update_layout(yaxis=properties)

    def update_geos(self, **properties) -> None:
        self.update_layout(geo=properties)

    def add_annotation(self, **properties) -> None:
        self.layout.setdefault("annotations", []).append(_underscored(properties))

    def add_vline(self, x: object, **properties) -> None:
        """A vertical line across the plot at ``x`` (``line_dash``, ``line_color``, ``line_width``)."""
        shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
        self.layout.setdefault("shapes", []).append(merge(shape, _underscored(properties)))

    def figure(self) -> PlainFigure:
        return PlainFigure(self.data, self.layout)


class PlainFigure:
    """A built figure as its plotly JSON, with a ``go.Figure`` made only when someone reads it.

    The page needs only the JSON (:meth:`to_plotly_json`, what ``dcc.Graph`` takes); making the
    ``go.Figure`` and turning it back into JSON cost 5–6 ms a chart for nothing (measured on a
    region change at 10 M observations). Tests and other readers of ``figure.data[0].x`` or
    ``figure.layout.title.text`` get the ``go.Figure`` (unvalidated, as before) through attribute
    access. A figure without a template of its own gets plotly's default template, as
    ``go.Figure`` gives it, so the page draws exactly what it drew before.
    """

    def __init__(self, data: list[dict], layout: dict) -> None:
        self._json = {"data": data, "layout": layout}
        self._figure: go.Figure | None = None

    def go_figure(self) -> go.Figure:
        if self._figure is None:
            self._figure = go.Figure(self._json, _validate=False)
        return self._figure

    def to_plotly_json(self) -> dict:
        if "template" not in self._json["layout"]:
            return self.go_figure().to_plotly_json()
        return self._json

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name in ("_json", "_figure"):
            raise AttributeError(name)
        return getattr(self.go_figure(), name)


def template_layout(axis: dict, colorway: Sequence[str]) -> dict:
    """A template as its JSON (what ``go.layout.Template(layout=…)`` serialises to)."""
    return {"layout": {"paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "xaxis": dict(axis), "yaxis": dict(axis),
                       "colorway": list(colorway)}}
