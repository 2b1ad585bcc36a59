"""The per-snapshot memo hands out copies: a caller cannot change what the next one gets."""

from __future__ import annotations

from dashboard.query import Filters, Warehouse, observations, period_ends, target_progress


def test_memoised_results_are_copies(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    filters = Filters(regions=("440000",), all_sources=True)
    first = observations(snapshot, filters)
    first.loc[:, "value"] = -1.0
    again = observations(snapshot, filters)
    assert not (again["value"] == -1.0).all()
    assert len(again) == len(first)


def hits(snapshot) -> int:
    return snapshot.cache.stats()["process"]["hits"]


def test_the_period_pickers_ask_duckdb_once_per_series(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    filters = Filters(regions=("440000", "CN"), indicator="production", product="automobiles", industry="C36",
                      scope="", measures=("level",), period_kinds=("ytd",))
    first = period_ends(snapshot, filters)
    before = hits(snapshot)
    again = period_ends(snapshot, Filters(**{**filters.__dict__, "regions": ("CN", "440000")}))
    assert again == first and len(first) > 3
    assert first == sorted(first)
    assert hits(snapshot) == before + 1  # the same question in another order: answered from the memo


def test_target_progress_is_remembered_per_region_and_series(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    first = target_progress(snapshot, "440000", "production", "automobiles")
    before = hits(snapshot)
    again = target_progress(snapshot, "440000", "production", "automobiles")
    assert hits(snapshot) == before + 1
    assert again.equals(first) and not first.empty
    assert target_progress(snapshot, "310000", "production", "automobiles")["region_code"].isin(["310000"]).all()
