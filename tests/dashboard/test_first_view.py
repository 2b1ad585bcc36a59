"""The page's layout carries the first view for the URL being opened: the chart, cards, table
and filters arrive with the layout, not after a chain of callbacks."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Config


@pytest.fixture(scope="module")
def client(default_warehouse):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


def components(layout: object) -> dict[str, dict]:
    """Component id → props, for every component of a layout's JSON."""
    found: dict[str, dict] = {}
    pending = [layout]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str):
                found[props["id"]] = props
            pending.extend(node.values())
    return found


def layout_for(client, referrer: str | None) -> dict[str, dict]:
    headers = {"Referer": referrer} if referrer else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return components(json.loads(response.get_data(as_text=True)))


def test_a_link_opens_with_its_view_drawn_in_the_layout(client):
    page = layout_for(client, "http://127.0.0.1:8050/?region=440000&indicator=production&product=automobiles"
                              "&industry=C36&measure=level&period_kind=ytd&to=2023-07&lang=zh")
    chart = page[ids.CHART]["figure"]
    assert chart["data"] and "汽车" in json.dumps(chart["layout"]["title"], ensure_ascii=False)
    assert page[ids.TABLE]["rowData"] and page[ids.TABLE]["columnDefs"]
    assert "273.81万辆" in json.dumps(page[ids.KPIS]["children"], ensure_ascii=False)  # the Jan–Jul 2023 card
    assert page[ids.REGION]["value"] == ["440000"] and len(page[ids.REGION]["options"]) > 30
    assert page[ids.STATE]["data"]["indicator"] == "production" and page[ids.STATE]["data"]["options"]
    assert page[ids.URL]["search"].startswith("?") and "region=440000" in page[ids.URL]["search"]
    assert page[ids.LANG]["value"] == "zh"


def test_a_bare_address_opens_on_the_default_view(client):
    page = layout_for(client, "http://127.0.0.1:8050/")
    assert page[ids.CHART]["figure"]["data"]
    assert "region=440000" in page[ids.URL]["search"]  # the default selection, as a link


def test_a_bad_link_is_normalised_and_says_what_it_ignored(client):
    page = layout_for(client, "http://127.0.0.1:8050/?region=999999&indicator=nonsense")
    assert "region=999999" in page[ids.URL_NOTE]["children"] and "indicator=nonsense" in page[ids.URL_NOTE]["children"]


def test_without_the_pages_address_the_callback_draws_the_view(client):
    page = layout_for(client, None)
    assert not page[ids.CHART]["figure"]["data"]  # the skeleton
    assert "search" not in page[ids.URL]  # the URL component sets it on mount, which calls the view callback
