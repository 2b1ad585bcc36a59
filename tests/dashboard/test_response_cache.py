"""Repeated requests are answered from memory — the same bytes, per snapshot — and nothing that could
differ is ever replayed: a failed or refused callback, the run banner, another snapshot's answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.cache import ResultCache
from dashboard.config import Config
from dashboard.responsecache import MAX_ENTRY_BYTES, ResponseCache, ResponseStore
from tests.dashboard.test_guard import DISPATCH, callback, good_state, payload, post


@pytest.fixture(scope="module")
def client(default_warehouse: Path):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


def is_hit(response) -> bool:
    return response.headers.get("Server-Timing", "").startswith('cache;desc="hit"')


def test_a_repeated_api_read_is_the_same_bytes_from_memory_with_an_etag(client):
    path = "/api/observations.csv?region=310000&indicator=production"
    first = client.get(path)
    second = client.get(path)
    assert first.status_code == second.status_code == 200
    assert not is_hit(first) and is_hit(second)
    assert first.data == second.data and first.data.startswith("\ufeff".encode())
    assert first.headers["ETag"] == second.headers["ETag"]
    assert second.headers["X-Snapshot-Id"] == first.headers["X-Snapshot-Id"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert second.headers["X-Content-Type-Options"] == "nosniff"


def test_a_get_that_names_the_kept_etag_gets_a_304_without_a_body(client):
    path = "/api/meta.json"
    etag = client.get(path).headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_another_query_string_or_encoding_is_another_entry(client):
    base = "/api/observations.json?region=440000&indicator=production"
    client.get(base)
    assert not is_hit(client.get(base + "&measure=level"))
    plain = client.get("/_dash-layout")
    packed = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert packed.headers.get("Content-Encoding") == "gzip" and "Content-Encoding" not in plain.headers
    assert is_hit(client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"}))


def test_the_view_callback_is_drawn_once_per_state(client, dependencies, snapshot_id):
    view = callback(dependencies, f"{ids.CHART}.figure")
    body = payload(view, {ids.STATE: good_state(snapshot_id), ids.URL: "?region=440000&indicator=production",
                          ids.LANG: "en", ids.VIEW: "timeseries"})
    first, second = post(client, body), post(client, body)
    assert first.status_code == second.status_code == 200
    assert not is_hit(first) and is_hit(second)
    assert first.get_json() == second.get_json()
    assert first.get_json()["response"][ids.CHART]["figure"]["data"]
    other = payload(view, {ids.STATE: good_state(snapshot_id, measure="yoy_pct"), ids.LANG: "en",
                           ids.URL: "?region=440000&indicator=production&measure=yoy_pct", ids.VIEW: "timeseries"})
    assert not is_hit(post(client, other))


def test_a_refused_callback_is_never_replayed(client, dependencies, snapshot_id):
    view = callback(dependencies, f"{ids.CHART}.figure")
    bad = payload(view, {ids.STATE: good_state(snapshot_id, region=["not a region code"]), ids.LANG: "en"})
    for _ in range(2):
        response = post(client, bad)
        assert response.status_code == 200 and "sideUpdate" in response.get_json()
        assert not is_hit(response)


def test_the_run_banner_always_runs(client, dependencies):
    banner = callback(dependencies, f"{ids.RUN_STATUS}.children")
    body = payload(banner, {ids.LANG: "en", ids.RUN_STATUS_TICK: 1})
    assert not any(is_hit(post(client, body)) for _ in range(2))


def test_the_counters_show_hits_misses_and_the_bytes_kept(client):
    before = client.get("/api/cache.json").get_json()["responses"]
    path = "/api/observations.json?region=330000"
    client.get(path), client.get(path)
    after = client.get("/api/cache.json").get_json()["responses"]
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"] + 1
    assert 0 < after["bytes"] <= after["limit_bytes"] and after["entries"] >= 1
    assert f"dashboard_response_cache_hits_total {after['hits']}" in client.get("/metrics").get_data(as_text=True)


def test_health_and_metrics_are_never_kept(client):
    for path in ("/healthz", "/metrics", "/api/cache.json"):
        assert not any(is_hit(client.get(path)) for _ in range(2)), path


# --- the middleware and its store, over a stand-in app ---------------------------------------


class CountingApp:
    """A WSGI app that answers ``body`` and counts its calls; marks the answer storable like the hook does."""

    def __init__(self, body: bytes, chunks: int = 1):
        self.body, self.chunks, self.calls = body, chunks, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        environ["dashboard.response_cache.store"] = True
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Snapshot-Id", environ.get("snap", ""))])
        size = len(self.body) // self.chunks
        return [self.body[i:i + size] for i in range(0, len(self.body), size)]


def call(app, path: str = "/api/observations.csv") -> tuple[str, dict, bytes]:
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}, start_response))
    return seen["status"], seen["headers"], body


def test_a_new_snapshot_never_meets_an_old_answer():
    current = ["s1"]
    inner = CountingApp(b"rows of s1")
    app = ResponseCache(inner, ResultCache.local(), lambda: current[0], ResponseStore())
    call(app), call(app)
    assert inner.calls == 1
    current[0] = "s2"
    call(app)
    assert inner.calls == 2


def test_a_store_that_cannot_name_its_snapshot_leaves_every_request_to_the_app():
    def unreachable() -> str:
        raise OSError("object storage down")

    inner = CountingApp(b"answer")
    app = ResponseCache(inner, ResultCache.local(), unreachable, ResponseStore())
    assert [call(app)[2] for _ in range(2)] == [b"answer", b"answer"] and inner.calls == 2


def test_a_response_too_large_to_keep_streams_through_whole():
    body = b"x" * (MAX_ENTRY_BYTES + 10)
    inner = CountingApp(body, chunks=8)
    app = ResponseCache(inner, ResultCache.local(), lambda: "s1", ResponseStore())
    for _ in range(2):
        status, headers, received = call(app)
        assert status == "200 OK" and received == body and "ETag" not in headers
    assert inner.calls == 2


def test_the_store_holds_at_most_its_limit():
    store = ResponseStore(limit=1000)
    inner = CountingApp(b"y" * 300)
    app = ResponseCache(inner, ResultCache.local(), lambda: "s1", store)
    for n in range(10):
        call(app, f"/api/observations.csv?n={n}")
    assert store.size <= 1000 and len(store) == 3


def test_paths_outside_the_list_are_not_touched():
    inner = CountingApp(b"asset")
    app = ResponseCache(inner, ResultCache.local(), lambda: "s1", ResponseStore())
    for _ in range(2):
        call(app, "/assets/style.css")
    assert inner.calls == 2


def test_a_callback_body_is_read_once_and_handed_on_whole(client, dependencies):
    texts = callback(dependencies, f"{ids.TITLE}.children")
    body = json.dumps(payload(texts, {ids.LANG: "zh"}))
    first = client.post(DISPATCH, data=body, content_type="application/json")
    second = client.post(DISPATCH, data=body, content_type="application/json")
    assert first.status_code == 200 and first.data == second.data and is_hit(second)
