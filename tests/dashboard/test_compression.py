"""Compressed responses and cache lifetimes: the first page moves a few MB, repeat visits revalidate."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from flask import Flask

from dashboard.app import create_app
from dashboard.compression import NOT_KEPT, StaticCompressed, static_key
from dashboard.config import Config

PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"


@pytest.fixture(scope="module")
def client(default_warehouse):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


def scripts(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    return re.findall(r'<script src="([^"]+)"', page)


def test_scripts_are_sent_brotli_or_gzip_and_unpack_to_the_same_bytes(client):
    bundle = next(s for s in scripts(client) if "dash_ag_grid" in s)
    plain = client.get(bundle).get_data()
    br = client.get(bundle, headers={"Accept-Encoding": "gzip, deflate, br"})
    gz = client.get(bundle, headers={"Accept-Encoding": "gzip"})
    assert br.headers["Content-Encoding"] == "br"
    assert gz.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.get_data()) == plain
    assert gzip.decompress(gz.get_data()) == plain
    assert len(br.get_data()) < len(plain) / 3
    assert "Accept-Encoding" in br.headers["Vary"]


def test_a_browser_that_accepts_no_encoding_gets_the_plain_file(client):
    response = client.get(PLOTLY)
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"/**")


def test_plotly_is_compressed_once_and_the_stored_copy_is_served_again(client):
    first = client.get(PLOTLY, headers={"Accept-Encoding": "br"})
    second = client.get(PLOTLY, headers={"Accept-Encoding": "br"})
    assert first.get_data() == second.get_data()
    assert len(first.get_data()) < 1_600_000  # 4.8 MB of JavaScript


def test_fingerprinted_bundles_and_assets_live_a_year(client):
    page_scripts = scripts(client)
    bundle = next(s for s in page_scripts if re.search(r"\.v\d+_\d+_\d+m\d+", s))
    response = client.get(bundle, headers={"Accept-Encoding": "br"})
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.immutable
    stylesheet = re.search(r'href="(/assets/style\.css\?m=[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.get(stylesheet).cache_control.max_age == 365 * 24 * 3600


def test_unversioned_chunks_are_revalidated_and_answered_304(client):
    response = client.get(PLOTLY, headers={"Accept-Encoding": "br"})
    assert response.cache_control.no_cache
    assert not response.cache_control.max_age
    etag = response.headers["ETag"]
    again = client.get(PLOTLY, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_dynamic_answers_are_compressed_but_never_stored():
    app = Flask(__name__)
    with app.test_request_context("/_dash-update-component", method="POST"):
        from flask import request

        assert static_key(request) == NOT_KEPT
    with app.test_request_context("/_dash-layout"):
        from flask import request

        assert static_key(request) == NOT_KEPT
    with app.test_request_context(PLOTLY):
        from flask import request

        assert static_key(request) == PLOTLY + "?"
    store = StaticCompressed()
    store.set(f"br;{NOT_KEPT}", b"a callback's answer")
    assert store.get(f"br;{NOT_KEPT}") is None


def test_the_layout_json_is_compressed(client):
    response = client.get("/_dash-layout", headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()).startswith(b"{")


def test_the_static_store_keeps_the_most_recent_files_within_its_budget():
    store = StaticCompressed(limit_bytes=10)
    store.set("br;/a", b"12345")
    store.set("br;/b", b"12345")
    assert store.get("br;/a") == b"12345"  # /a used last: /b goes first
    store.set("br;/c", b"123")
    assert store.get("br;/b") is None
    assert store.get("br;/a") == b"12345" and store.get("br;/c") == b"123"
    assert store.size == 8
    store.set("br;/huge", b"x" * 11)
    assert store.get("br;/huge") is None


def test_streamed_downloads_are_not_compressed(client):
    response = client.get("/download/snapshot.csv", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"\xef\xbb\xbf")
