"""Full-snapshot downloads: Parquet sent as it is, CSV streamed with a BOM and every row."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq

from dashboard.app import create_app
from dashboard.config import Config


def test_snapshot_csv_and_parquet(default_warehouse, tmp_path):
    client = create_app(Config(warehouse=default_warehouse)).server.test_client()
    total = pq.read_metadata(default_warehouse / "current" / "observations.parquet").num_rows

    response = client.get("/download/snapshot.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == total
    assert {"region_code", "value", "source_title", "source_url", "status"} <= set(rows[0])

    response = client.get("/download/snapshot.parquet")
    assert response.status_code == 200
    path = tmp_path / "snapshot.parquet"
    path.write_bytes(response.get_data())
    assert pq.read_metadata(path).num_rows == total


def test_no_snapshot_is_a_503_not_a_crash(tmp_path):
    client = create_app(Config(warehouse=tmp_path)).server.test_client()
    assert client.get("/download/snapshot.csv").status_code == 503
    assert client.get("/download/snapshot.parquet").status_code == 503
