"""The HTTP API through the real Flask server: filters, errors, CSV safety, meta, health, headers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.app import create_app
from dashboard.config import Config
from tests.ops.synthetic import observations_table, write_warehouse


@pytest.fixture(scope="module")
def client(default_warehouse: Path):
    return create_app(Config(warehouse=default_warehouse)).server.test_client()


def csv_rows(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_and_json_return_the_same_rows(client):
    as_csv = client.get("/api/observations.csv?region=440000")
    as_json = client.get("/api/observations.json?region=440000")
    as_ndjson = client.get("/api/observations.ndjson?region=440000")
    assert as_csv.status_code == as_json.status_code == as_ndjson.status_code == 200
    rows, records = csv_rows(as_csv.data), json.loads(as_json.data)
    lines = [json.loads(line) for line in as_ndjson.data.decode().splitlines()]
    assert len(rows) == len(records) == len(lines) > 50
    assert {r["region_code"] for r in rows} == {"440000"}
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["Content-Disposition"]
    assert as_csv.headers["X-Snapshot-Id"] == default_snapshot(client)


def default_snapshot(client) -> str:
    return client.get("/healthz").get_json()["snapshot_id"]


def test_filters_combine(client):
    records = json.loads(client.get(
        "/api/observations.json?region=440000,CN&measure=yoy_pct&period_kind=ytd,month&from=2021-01&to=2023-12-31"
    ).data)
    assert records
    assert {r["region_code"] for r in records} == {"440000", "CN"}
    assert {r["measure"] for r in records} == {"yoy_pct"}
    assert {r["period_kind"] for r in records} <= {"ytd", "month"}
    assert all("2021-01-01" <= r["period_end"] <= "2023-12-31" for r in records)


def test_source_all_adds_other_vintages_and_provenance_is_included(client):
    default = json.loads(client.get("/api/observations.json?region=440000").data)
    every = json.loads(client.get("/api/observations.json?region=440000&source=all").data)
    assert len(every) > len(default)
    assert all(r["is_default"] for r in default)
    assert all(r["source_id"] and "source_url" in r and "vintage" in r for r in every)


def test_lang_chooses_the_name_column(client):
    zh = json.loads(client.get("/api/observations.json?region=440000&lang=zh&limit=1").data)
    en = json.loads(client.get("/api/observations.json?region=440000&lang=en&limit=1").data)
    assert zh[0]["region_name"] == "广东省" and en[0]["region_name"] == "Guangdong"
    assert "region_name_en" not in zh[0]


def test_limit(client):
    assert len(json.loads(client.get("/api/observations.json?limit=7").data)) == 7


@pytest.mark.parametrize(("query", "parameter"), [
    ("regoin=440000", "regoin"),
    ("region=44%3BDROP", "region"),
    ("region=440000%27%20OR%201%3D1", "region"),
    ("from=2023-13", "from"),
    ("to=yesterday", "to"),
    ("lang=fr", "lang"),
    ("limit=0", "limit"),
    ("limit=abc", "limit"),
    ("measure=level;", "measure"),
    ("from=2020&from=2021", "from"),
])
def test_bad_parameters_get_400_json(client, query, parameter):
    response = client.get(f"/api/observations.csv?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    body = response.get_json()
    assert body["parameter"] == parameter and body["error"]


def test_unknown_format_is_404(client):
    assert client.get("/api/observations.xml").status_code == 404


def test_meta_lists_dimensions_with_names(client):
    meta = client.get("/api/meta.json").get_json()
    assert meta["snapshot_id"] == default_snapshot(client) and meta["created_at"]
    regions = {r["code"]: r for r in meta["dimensions"]["region"]}
    assert regions["440000"]["name_zh"] == "广东省" and regions["440000"]["name_en"] == "Guangdong"
    assert "C36" in {i["code"] for i in meta["dimensions"]["industry"]}
    assert "production" in {i["code"] for i in meta["dimensions"]["indicator"]}
    assert set(meta["dimensions"]["measure"]) >= {"level", "yoy_pct"}
    assert meta["period_end"]["min"] < meta["period_end"]["max"]
    assert client.get("/api/meta.json?x=1").status_code == 400


def test_sources(client):
    sources = client.get("/api/sources.json").get_json()
    assert len(sources) > 100
    assert {"source_id", "title", "publisher", "url", "published_date"} <= set(sources[0])


def test_healthz_and_503_without_a_snapshot(client, tmp_path: Path):
    assert client.get("/healthz").status_code == 200
    empty = create_app(Config(warehouse=tmp_path)).server.test_client()
    response = empty.get("/healthz")
    assert response.status_code == 503 and "error" in response.get_json()
    assert empty.get("/api/observations.csv").status_code == 503


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/meta.json", "/api/observations.csv?limit=1", "/_dash-layout"])
def test_security_headers_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"]
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
    assert "'unsafe-eval'" in policy and "'sha256-" in policy
    assert "script-src 'self' 'unsafe-inline'" not in policy


def test_csv_neutralises_formulas_and_keeps_negative_numbers(tmp_path: Path):
    table = observations_table(4)
    labels = ["=HYPERLINK(\"http://x\")", "+1+2", "@SUM(A1)", "plain"]
    table = table.set_column(table.schema.get_field_index("label_published"), "label_published", pa.array(labels))
    table = table.set_column(table.schema.get_field_index("value"), "value", pa.array([-3.2, 145980000000.0, 0.5, -0.0]))
    warehouse = write_warehouse(tmp_path / "w", table)
    client = create_app(Config(warehouse=warehouse)).server.test_client()
    body = client.get("/api/observations.csv").data
    rows = csv_rows(body)
    assert [r["label_published"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "'+1+2", "'@SUM(A1)", "plain"]
    assert float(rows[0]["value"]) == -3.2
    assert b",-3.2," in body  # an unquoted number, not "'-3.2" text
    assert float(rows[1]["value"]) == 145980000000.0
