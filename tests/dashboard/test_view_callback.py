"""The page's one callback answers a click with what changed: unchanged dropdown options are
not sent again (the page keeps them), changed ones are."""

from __future__ import annotations

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.callbacks.view import OPTIONS_KEY
from dashboard.config import Config
from tests.dashboard.test_guard import callback, good_state, payload, post


@pytest.fixture(scope="module")
def client(default_warehouse):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


def answer(client, state: dict) -> dict:
    dependencies = [d for d in client.get("/_dash-dependencies").get_json() if not d.get("clientside_function")]
    render = callback(dependencies, f"{ids.CHART}.figure")
    response = post(client, payload(render, {ids.STATE: state, ids.REFRESH: 0}))
    assert response.status_code == 200
    return response.get_json()["response"]


def test_options_are_sent_once_and_again_only_when_they_change(client):
    snapshot_id = client.get("/healthz").get_json()["snapshot_id"]
    first = answer(client, good_state(snapshot_id))
    assert len(first[ids.REGION]["options"]) > 30 and first[ids.CHART]["figure"]["data"]
    stored = first[ids.STATE]["data"]
    assert stored[OPTIONS_KEY]

    again = answer(client, stored)  # the same selection redrawn (e.g. a new snapshot or the refresh button)
    assert ids.REGION not in again or "options" not in again[ids.REGION]
    assert ids.PRODUCT not in again or "options" not in again[ids.PRODUCT]
    assert again[ids.CHART]["figure"]["data"] and again[ids.STATE]["data"][OPTIONS_KEY] == stored[OPTIONS_KEY]

    other = answer(client, {**stored, "indicator": "value_added", "product": "", "industry": "C36"})
    assert other[ids.INDICATOR]["value"] == "value_added"
    assert "options" in other[ids.PRODUCT] and other[ids.STATE]["data"][OPTIONS_KEY] != stored[OPTIONS_KEY]

    chinese = answer(client, {**stored, "lang": "zh"})  # labels in another language are other options
    assert any("广东" in option["label"] for option in chinese[ids.REGION]["options"])


def test_the_stored_digests_are_checked_like_every_browser_value():
    from dashboard.params import BrowserValueError, check_state

    assert check_state({"options": ["0123456789abcdef"] * 11})["options"][0] == "0123456789abcdef"
    for bad in (["x" * 16], ["0123"], "0123456789abcdef", [["0123456789abcdef"]], ["0123456789abcdef"] * 17):
        with pytest.raises(BrowserValueError):
            check_state({"options": bad})


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("view", ["timeseries", "ranking", "map", "share", "checks"])
def test_every_output_of_a_view_is_plain_json(default_warehouse, view, lang):
    """No component or pandas value left in the answer: orjson encodes it as it is, so Dash takes
    its one-call path instead of walking the whole response in Python (dashboard.plainjson)."""
    import orjson

    from dashboard.callbacks.view import first_view
    from dashboard.query import Warehouse

    config = Config(warehouse=default_warehouse)
    outputs = first_view(Warehouse(default_warehouse), config, f"?view={view}&region=440000&region=310000", lang)
    assert outputs[(ids.CHART, "figure")]["data"] or view == "checks"
    encoded = orjson.loads(orjson.dumps({f"{k[0]}.{k[1]}": v for k, v in outputs.items()},
                                        option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY))
    assert encoded[f"{ids.KPIS}.children"][0]["type"] == "Div"  # a component, as the JSON Dash sends for it


def test_plain_turns_nested_components_into_their_json():
    from dash import html

    from dashboard.plainjson import plain

    tree = plain([html.Div([html.Span("a", className="x"), "b"], id="d", **{"data-source-id": "s1"}), {"k": (1, 2)}])
    assert tree == [{"type": "Div", "namespace": "dash_html_components",
                     "props": {"children": [{"type": "Span", "namespace": "dash_html_components",
                                             "props": {"children": "a", "className": "x"}}, "b"],
                               "id": "d", "data-source-id": "s1"}},
                    {"k": [1, 2]}]


def test_plain_gives_what_dash_itself_sends_for_the_page_components():
    import json

    from dash import dcc, html
    from plotly.io.json import to_json_plotly

    from dashboard.figures.kpi import kpi_cards
    from dashboard.plainjson import plain

    cards = kpi_cards([{"key": "level", "title": "Latest", "value": "2.7 m", "detail": "Jan–Jul 2023",
                        "source": "NBS", "hover": "h", "period": "Jan–Jul 2023"},
                       {"key": "target", "title": "Target", "value": "—", "detail": "a\nb", "source": "", "hover": "",
                        "period": ""}])
    links = html.Div([dcc.Link("Guangdong", href="/?region=440000", className="suggestion"),
                      html.A("NBS", href="https://www.stats.gov.cn/", target="_blank", rel="noopener noreferrer")])
    for tree in (cards, links):
        assert json.loads(to_json_plotly(plain(tree))) == json.loads(to_json_plotly(tree))
