"""The API's small promises: every response names its snapshot, digits are ASCII, an empty result
keeps its header, a runaway query is stopped with a clear message."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import dashboard.api as api
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.query import QueryTimeout, Warehouse


@pytest.fixture(scope="module")
def client(default_warehouse: Path):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


@pytest.fixture(scope="module")
def snapshot_id(client) -> str:
    return client.get("/healthz").get_json()["snapshot_id"]


@pytest.mark.parametrize("path", ["/healthz", "/api/meta.json", "/api/sources.json", "/api/observations.csv?limit=1",
                                  "/download/snapshot.csv", "/download/snapshot.parquet", "/", "/_dash-layout",
                                  "/api/observations.csv?region=bad;code", "/nowhere.json"])
def test_every_response_names_the_snapshot(client, snapshot_id, path):
    response = client.get(path)
    assert response.headers["X-Snapshot-Id"] == snapshot_id, path
    response.close()


def test_api_responses_say_where_the_time_went(client):
    response = client.get("/api/observations.csv?region=440000")
    timing = response.headers["Server-Timing"]
    assert timing.startswith("query;dur=") and "app;dur=" in timing


@pytest.mark.parametrize("query", ["limit=５", "limit=²", "limit=1" + "0" * 30, "from=２０２３", "to=٢٠٢٣",
                                   "from=2023-０７", "region=４４００００"])
def test_only_ascii_digits_are_digits(client, query):
    response = client.get(f"/api/observations.json?{query}")
    assert response.status_code == 400, query


def test_an_empty_result_keeps_its_header_row(client):
    response = client.get("/api/observations.csv?region=999999")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 and rows[0][:3] == ["region_code", "region_name", "industry_code"]
    assert client.get("/api/observations.json?region=999999").get_json() == []
    assert client.get("/api/observations.ndjson?region=999999").data == b""


def test_a_runaway_query_is_interrupted_with_a_clear_message(default_warehouse, monkeypatch):
    slow = ("SELECT count(*) AS n FROM range(100000000000) a", [])
    monkeypatch.setattr(api, "observations_sql", lambda *_args: slow)
    client = create_app(Config(warehouse=default_warehouse, query_time_limit_s=0.3)).server.test_client()
    response = client.get("/api/observations.csv")
    assert response.status_code == 503
    body = response.get_json()
    assert "took longer than 0.3 s" in body["error"] and "narrow the selection" in body["error"]


def test_the_query_layer_stops_a_query_at_its_limit(default_warehouse):
    snapshot = Warehouse(default_warehouse, time_limit_s=0.3).snapshot()
    with pytest.raises(QueryTimeout):
        snapshot.sql("SELECT count(*) FROM range(100000000000) a")
    assert snapshot.sql("SELECT 1 AS one")["one"].iloc[0] == 1  # the connection is usable afterwards
