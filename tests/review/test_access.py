"""Who reaches the review page: off by default, loopback only without a token, a token beyond, CSRF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.review import ids
from dashboard.review.access import CSRF_COOKIE, CSRF_HEADER, TOKEN_COOKIE, host_name
from dashboard.review.layout import MAX_TEXT_CHARS

LOCAL = {"Host": "127.0.0.1:8050"}


def _client(warehouse: Path, **config):
    return create_app(Config(warehouse=warehouse, **config)).server.test_client()


def _callback(text: str) -> dict:
    """A callback request of the page's "Find figures" button, as Dash's renderer sends it."""
    states = [
        (ids.TEXT, "value", text),
        (ids.TITLE, "value", ""),
        (ids.PUBLISHER, "value", ""),
        (ids.SOURCE_URL, "value", ""),
        (ids.DATE, "value", ""),
        (ids.REGION, "value", None),
        (ids.LANG, "value", "zh"),
    ]
    outputs = [
        (ids.GRID, "rowData"),
        (ids.FOUND, "children"),
        (ids.TITLE, "value"),
        (ids.PUBLISHER, "value"),
        (ids.DATE, "value"),
        (ids.SOURCE_URL, "value"),
        (ids.SOURCE_ID, "value"),
        (ids.MESSAGE, "children"),
        (ids.OUTCOME, "children"),
    ]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": ids.EXTRACT, "property": "n_clicks", "value": 1}],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in states],
        "changedPropIds": [f"{ids.EXTRACT}.n_clicks"],
    }


def _post(client, body: dict, *, csrf: str | None = "t0ken", headers: dict | None = None):
    if csrf is not None:
        client.set_cookie(CSRF_COOKIE, csrf, domain="127.0.0.1", path="/review/")
    sent = {**LOCAL, **(headers or {}), **({CSRF_HEADER: csrf} if csrf else {})}
    return client.post(
        "/review/_dash-update-component", data=json.dumps(body), content_type="application/json", headers=sent
    )


def test_the_page_is_off_unless_the_dashboard_allows_editing(default_warehouse: Path) -> None:
    client = _client(default_warehouse)
    for path in ("/review", "/review/", "/review/_dash-layout"):
        response = client.get(path, headers=LOCAL, follow_redirects=True)
        assert response.status_code == 404
        assert b"--allow-edit" in response.data
    assert client.get("/", headers=LOCAL).status_code == 200


def test_without_a_token_only_a_loopback_host_gets_the_page(default_warehouse: Path) -> None:
    client = _client(default_warehouse, allow_edit=True)
    page = client.get("/review/", headers=LOCAL)
    assert page.status_code == 200
    assert CSRF_COOKIE in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]
    assert client.get("/review", headers=LOCAL).headers["Location"].endswith("/review/")
    for host in ("evil.example", "rebound.example:8050", "192.168.1.20:8050"):
        assert client.get("/review/", headers={"Host": host}).status_code == 403
    assert client.get("/review/", headers={"Host": "localhost:8050"}).status_code == 200


def test_with_a_token_the_first_visit_trades_it_for_a_cookie(default_warehouse: Path) -> None:
    client = _client(default_warehouse, allow_edit=True, edit_token="s3cret-token")
    assert client.get("/review/", headers=LOCAL).status_code == 403
    assert client.get("/review/?token=wrong", headers={"Host": "stats.example"}).status_code == 403
    entry = client.get("/review/?token=s3cret-token&lang=zh", headers={"Host": "stats.example"})
    assert entry.status_code == 303 and entry.headers["Location"] == "/review/?lang=zh"
    cookie = entry.headers["Set-Cookie"]
    assert f"{TOKEN_COOKIE}=s3cret-token" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/review/?lang=zh", headers={"Host": "stats.example"}).status_code == 200


def test_a_callback_request_without_the_pages_csrf_token_is_refused(default_warehouse: Path) -> None:
    client = _client(default_warehouse, allow_edit=True)
    assert _post(client, _callback(""), csrf=None).status_code == 403
    client.set_cookie(CSRF_COOKIE, "t0ken", domain="127.0.0.1", path="/review/")
    forged = client.post(
        "/review/_dash-update-component",
        data=json.dumps(_callback("")),
        content_type="application/json",
        headers={**LOCAL, CSRF_HEADER: "guessed"},
    )
    assert forged.status_code == 403
    answered = _post(client, _callback(""))
    assert answered.status_code == 200
    assert answered.get_json()["response"][ids.MESSAGE]["children"] == "请先粘贴新闻稿。"


def test_a_text_over_the_limit_is_refused_by_the_guard_with_a_message_in_the_pages_language(
    default_warehouse: Path,
) -> None:
    client = _client(default_warehouse, allow_edit=True)
    response = _post(client, _callback("x" * (MAX_TEXT_CHARS + 1)))
    assert response.status_code == 200
    side = response.get_json()["sideUpdate"][ids.MESSAGE]["children"]
    assert side.startswith("无法应用该请求（review-text:")


def test_a_request_naming_the_main_pages_callbacks_on_the_review_path_is_unknown(default_warehouse: Path) -> None:
    client = _client(default_warehouse, allow_edit=True)
    body = dict(_callback(""), output="chart.figure")
    assert _post(client, body).status_code == 404


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8050", "127.0.0.1"),
        ("[::1]:8050", "[::1]"),
        ("LOCALHOST", "localhost"),
        ("example.org", "example.org"),
    ],
)
def test_the_host_name_of_a_host_header(header: str, name: str) -> None:
    assert host_name(header) == name


def test_beyond_loopback_the_command_line_makes_a_token_and_prints_the_address(monkeypatch, capsys) -> None:
    from dashboard.__main__ import _common, _config

    monkeypatch.delenv("REVIEW_TOKEN", raising=False)
    parser = argparse.ArgumentParser()
    _common(parser)
    local = _config(parser.parse_args(["--allow-edit"]))
    assert local.allow_edit and local.edit_token is None
    assert "review page: http://127.0.0.1:8050/review/ (this machine only)" in capsys.readouterr().err
    shared = _config(parser.parse_args(["--allow-edit", "--host", "0.0.0.0"]))
    assert shared.edit_token and len(shared.edit_token) >= 24
    assert f"/review/?token={shared.edit_token}" in capsys.readouterr().err
    assert _config(parser.parse_args(["--host", "0.0.0.0"])).allow_edit is False


def test_finding_figures_prefills_the_source_from_what_the_text_says(default_warehouse: Path) -> None:
    client = _client(default_warehouse, allow_edit=True)
    text = (
        "URL: https://www.stats.gov.cn/sj/zxfb/202109/t20210915.html\nTITLE: 2021年8月份规模以上工业增加值增长5.3%\n"
        "PUBLISHED: 2021-09-15\n\n8月份,规模以上工业增加值同比实际增长5.3%。\n"
    )
    response = _post(client, _callback(text)).get_json()["response"]
    assert response[ids.TITLE]["value"] == "2021年8月份规模以上工业增加值增长5.3%"
    assert response[ids.DATE]["value"] == "2021-09-15"
    assert response[ids.SOURCE_URL]["value"] == "https://www.stats.gov.cn/sj/zxfb/202109/t20210915.html"
    assert response[ids.PUBLISHER]["value"] == "National Bureau of Statistics of China"
    [row] = response[ids.GRID]["rowData"]
    assert (row["region"], row["industry"], row["indicator"], row["period"], row["measure"], row["value"]) == (
        "CN",
        "BCD",
        "value_added",
        "2021-08",
        "yoy_pct",
        "5.3",
    )
    assert response[ids.SOURCE_ID]["value"] == row["source_id"]
