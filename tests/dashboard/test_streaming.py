"""Streaming downloads and the per-snapshot memo give the same rows as the plain query."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.export import csv_chunks, to_csv_text
from dashboard.query import RESULT_COLUMNS, Filters, Warehouse, observation_batches, observations


def _read(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text.lstrip("\ufeff")), dtype="str", keep_default_na=False)


def test_streamed_csv_has_the_same_rows_as_the_whole_download(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    filters = Filters(all_sources=True)
    whole = _read(to_csv_text(observations(snapshot, filters)))
    chunks = list(csv_chunks(observation_batches(snapshot, filters, batch_rows=50), RESULT_COLUMNS))
    assert len(chunks) > 1
    streamed = b"".join(chunks).decode("utf-8")
    assert streamed.startswith("\ufeff") and streamed.count("\ufeff") == 1
    key = list(whole.columns)
    pd.testing.assert_frame_equal(
        _read(streamed).sort_values(key).reset_index(drop=True), whole.sort_values(key).reset_index(drop=True)
    )


def test_an_empty_stream_still_has_its_header():
    text = b"".join(csv_chunks(iter([]), ["a", "b"])).decode("utf-8")
    assert text == "\ufeffa,b\n"


def test_memoised_results_are_copies(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    filters = Filters(regions=("440000",), all_sources=True)
    first = observations(snapshot, filters)
    first.loc[:, "value"] = -1.0
    again = observations(snapshot, filters)
    assert not (again["value"] == -1.0).all()
    assert len(again) == len(first)
