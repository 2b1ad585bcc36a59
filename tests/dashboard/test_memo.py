"""The per-snapshot memo hands out copies: a caller cannot change what the next one gets."""

from __future__ import annotations

from dashboard.query import Filters, Warehouse, observations


def test_memoised_results_are_copies(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    filters = Filters(regions=("440000",), all_sources=True)
    first = observations(snapshot, filters)
    first.loc[:, "value"] = -1.0
    again = observations(snapshot, filters)
    assert not (again["value"] == -1.0).all()
    assert len(again) == len(first)
