"""Callback outputs as plain JSON values, so Dash serialises a response in one ``orjson`` call.

Dash serialises every callback response with plotly's ``to_json_plotly``: it first tries
``orjson.dumps`` on the response as it is, and only when that fails (a Dash component or another
type orjson does not know is somewhere inside) walks the *whole* response in Python to clean it.
One ``html.Div`` among the KPI cards was enough to make every click pay that walk over the
figure and the table rows too (~5 ms for a region change's 160 kB). The page's component outputs
are therefore handed over as the JSON they stand for (what ``Component.to_plotly_json`` gives,
recursively): the response is then orjson-native and the fast path is taken. Anything orjson
still cannot encode falls back to plotly's walk, so the result is the same either way.
"""

from __future__ import annotations

from dash.development.base_component import Component


def plain(value: object) -> object:
    """``value`` with every Dash component in it replaced by its JSON form (type, namespace, props)."""
    if isinstance(value, Component):
        return {"props": {key: plain(item) for key, item in _props(value)}, "type": value._type,
                "namespace": value._namespace}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _props(component: Component) -> list[tuple[str, object]]:
    """The properties set on ``component`` — what ``Component.to_plotly_json`` lists, read from the
    attributes that are set rather than by probing every property the component could have (an
    ``html.Li`` has 21; the sources panel alone has ~150 components a click)."""
    attributes = vars(component)
    names = attributes["_prop_names"]
    wildcards = tuple(attributes["_valid_wildcard_attributes"])
    return [(key, item) for key, item in attributes.items()
            if not key.startswith("_") and (key in names or key.startswith(wildcards))]
