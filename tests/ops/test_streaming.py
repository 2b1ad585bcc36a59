"""A million-row export streams: many chunks, and memory stays far below the size of the response.

The warehouse is synthetic (2 M generated rows in ``tmp_path``). Memory is measured with psutil
as the growth of this process's RSS while the body is consumed chunk by chunk; the bound is
generous (half the body) but a server that built the whole CSV, or sorted the whole result,
before sending would exceed it several times over. No timing assertion.
"""

from __future__ import annotations

import gc
from pathlib import Path

import psutil
import pytest

from dashboard.app import create_app
from dashboard.config import Config
from tests.ops.synthetic import observations_table, write_warehouse

ROWS = 2_000_000


@pytest.fixture(scope="module")
def big_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    table = observations_table(ROWS)
    root = write_warehouse(tmp_path_factory.mktemp("big"), table)
    del table
    gc.collect()
    return root


def test_a_two_million_row_csv_streams_in_flat_memory(big_warehouse: Path):
    client = create_app(Config(warehouse=big_warehouse)).server.test_client()
    process = psutil.Process()
    client.get("/api/observations.csv?limit=10")  # warm up: the snapshot's connection is opened and cached
    gc.collect()
    baseline = process.memory_info().rss
    response = client.get("/api/observations.csv", buffered=False)
    assert response.status_code == 200
    total = chunks = newlines = 0
    peak = baseline
    first_chunk_growth = None
    for chunk in response.response:
        total += len(chunk)
        chunks += 1
        newlines += chunk.count(b"\n")
        peak = max(peak, process.memory_info().rss)
        if first_chunk_growth is None:
            first_chunk_growth = peak - baseline
    response.close()
    assert newlines == ROWS + 1  # header + every row
    assert chunks > 20  # one chunk per record batch, not one body
    assert total > 500_000_000
    assert peak - baseline < total / 2, f"RSS grew {(peak - baseline) / 1e6:.0f} MB for a {total / 1e6:.0f} MB body"


def test_ndjson_streams_every_row_too(big_warehouse: Path):
    client = create_app(Config(warehouse=big_warehouse)).server.test_client()
    response = client.get("/api/observations.ndjson?region=440000,CN&measure=level", buffered=False)
    lines = sum(chunk.count(b"\n") for chunk in response.response)
    response.close()
    # Row i has region i % 56 (CN is 0, 440000 is 34; both even, so always 'level').
    assert lines == sum((ROWS - position + 55) // 56 for position in (0, 34))
