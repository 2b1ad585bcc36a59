"""Query-layer functions the full dashboard adds, and the views built from them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.query import (
    Filters,
    Warehouse,
    dimension_options,
    iter_observation_batches,
    observations,
    period_ends,
    reference_table,
    target_progress,
    where_clause,
)
from dashboard.views import build_view, comparison_scope

SHARE_QUESTION = {"region": ["440000"], "indicator": "production", "product": "automobiles", "industry": "C36",
                  "scope": "", "measure": "share_pct", "period_kind": "ytd", "to": "2023-07", "status": [],
                  "lang": "en"}


@pytest.fixture(scope="module")
def snapshot(default_warehouse):
    return Warehouse(default_warehouse).snapshot()


def test_region_level_and_parent_are_parameters(snapshot):
    sql, params = where_clause(Filters(region_level="city", region_parent="440000"))
    assert "440000" not in sql and params == ["city", "440000"]
    frame = observations(snapshot, Filters(indicator="production", region_level="city", region_parent="440000"))
    assert len(frame) > 0 and frame["region_code"].str.startswith("44").all()
    assert (frame["region_code"] != "440000").all()


def test_dimension_options_are_memoised_per_snapshot(snapshot):
    first = dimension_options(snapshot)
    assert first is dimension_options(snapshot)
    row = first[(first["indicator"] == "production") & (first["measure"] == "share_pct")]
    assert row["n"].sum() > 0
    assert set(reference_table(snapshot, "regions")["level"]) >= {"country", "province", "city"}


def test_period_ends_of_a_selection(snapshot):
    ends = period_ends(snapshot, Filters(indicator="production", product="automobiles", measures=("share_pct",),
                                         period_kinds=("ytd",)))
    assert date(2023, 7, 31) in ends and ends == sorted(ends)


def test_target_progress_is_empty_without_the_table(snapshot):
    assert target_progress(snapshot, "440000", "production", "automobiles").empty


def test_target_progress_is_read_when_published(tmp_path, default_warehouse):
    import shutil

    source = (default_warehouse / "current").resolve()
    copy = tmp_path / "wh" / "snapshots" / "s2"
    shutil.copytree(source, copy)
    pd.DataFrame({"region_code": ["440000"], "indicator": ["production"], "product": ["automobiles"],
                  "progress_pct": [71.0]}).to_parquet(copy / "target_progress.parquet")
    (tmp_path / "wh" / "current").symlink_to(copy)
    progress = target_progress(Warehouse(tmp_path / "wh").snapshot(), "440000", "production", "automobiles")
    assert list(progress["progress_pct"]) == [71.0]


def test_full_snapshot_batches_cover_every_row(snapshot):
    batches = list(iter_observation_batches(snapshot, batch_rows=100))
    total = snapshot.sql("SELECT count(*) AS n FROM observations")["n"].iloc[0]
    assert len(batches) > 1
    assert sum(len(b) for b in batches) == total
    assert "source_title" in batches[0].columns


def test_the_share_question_has_its_answer_and_source(snapshot):
    view = build_view(snapshot, {**SHARE_QUESTION, "view": "ranking"})
    row = view.rows[view.rows["region_code"] == "440000"].iloc[0]
    assert row["value"] == pytest.approx(17.8)
    assert (row["period_start"], row["period_end"]) == (date(2023, 1, 1), date(2023, 7, 31))
    assert row["source_title"] and str(row["source_published_date"]) == "2023-08-25"
    kpis = {k["key"]: k for k in view.kpis}
    assert kpis["share_pct"]["value"] == "17.8%"


def test_each_view_builds_a_figure(snapshot):
    for view in ("timeseries", "ranking", "share", "map"):
        built = build_view(snapshot, {**SHARE_QUESTION, "view": view, "to": None, "measure": "level"})
        assert len(built.figure.data) > 0, view
    assert comparison_scope(snapshot, {"region": ["441800"]}) == ("city", "440000")
    assert comparison_scope(snapshot, {"region": ["CN"]}) == ("province", None)


def test_selected_regions_without_figures_are_named(snapshot):
    state = {**SHARE_QUESTION, "view": "timeseries", "measure": "level", "period_kind": "year", "to": None,
             "region": ["440000", "CN"]}
    built = build_view(snapshot, state)
    assert set(built.rows["region_code"]) == {"440000"}
    assert built.missing == ("China",)
    assert build_view(snapshot, {**state, "lang": "zh"}).missing == ("中国",)


def test_pinned_keeps_a_views_snapshot_after_a_new_one_is_published(tmp_path, default_warehouse):
    import os
    import shutil

    source = (default_warehouse / "current").resolve()
    root = tmp_path / "wh"
    for name in ("a", "b"):
        shutil.copytree(source, root / "snapshots" / name)
    (root / "current").symlink_to(root / "snapshots" / "a")
    warehouse = Warehouse(root)
    assert warehouse.snapshot().snapshot_id == "a"
    (root / "next").symlink_to(root / "snapshots" / "b")
    os.replace(root / "next", root / "current")
    assert warehouse.snapshot().snapshot_id == "b"
    assert warehouse.pinned("a").snapshot_id == "a"  # still open: the download matches the view
    assert warehouse.pinned("gone").snapshot_id == "b"
    assert warehouse.pinned(None).snapshot_id == "b"
