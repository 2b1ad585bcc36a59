"""The query layer follows `current`, filters with bound parameters and joins provenance."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.query import (
    Filters,
    NoSnapshotError,
    Warehouse,
    observations,
    region_options,
    series_options,
    where_clause,
)
from etl.pipeline import run
from tests.conftest import REFERENCE
from tests.etl.helpers import SEED_FIGURES, write_raw


def test_filters_become_placeholders_never_sql_text():
    evil = "440000') OR 1=1 --"
    sql, params = where_clause(Filters(regions=(evil,), indicator="production"))
    assert evil not in sql
    assert params == [evil, "production"]
    assert sql.count("?") == 2


def test_observations_carry_names_and_sources(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    frame = observations(
        snapshot,
        Filters(
            regions=("440000",), indicator="value_added", industry="C36", measures=("level",), period_kinds=("ytd",)
        ),
    )
    row = frame[frame["period_end"] == date(2023, 7, 31)].iloc[0]
    assert (row["region_name_zh"], row["region_name_en"]) == ("广东省", "Guangdong")
    assert row["value"] == 145_980_000_000.0
    assert row["source_title"]
    assert str(row["source_published_date"]) == "2023-08-25"


def test_date_range_limits_period_ends(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    frame = observations(
        snapshot, Filters(indicator="production", date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    )
    assert len(frame) > 0
    assert frame["period_end"].between(date(2023, 1, 1), date(2023, 12, 31)).all()


def test_injection_attempt_matches_nothing(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    assert observations(snapshot, Filters(regions=("x' OR '1'='1",))).empty


def test_options_list_regions_and_series_with_data(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    regions = region_options(snapshot)
    assert {"CN", "440000", "441800"} <= set(regions["code"])
    assert regions["level"].iloc[0] == "country"
    series = series_options(snapshot)
    assert ((series["indicator"] == "production") & (series["product"] == "automobiles")).any()


def test_a_new_snapshot_is_served_on_the_next_call(tmp_path):
    raw = write_raw(tmp_path / "raw", SEED_FIGURES[:2])
    warehouse_dir = tmp_path / "wh"
    first = run(raw, warehouse_dir, REFERENCE)
    warehouse = Warehouse(warehouse_dir)
    assert warehouse.snapshot().snapshot_id == first.snapshot_id
    assert len(observations(warehouse.snapshot(), Filters())) == 2
    write_raw(raw, SEED_FIGURES)
    second = run(raw, warehouse_dir, REFERENCE)
    assert warehouse.snapshot().snapshot_id == second.snapshot_id
    assert len(observations(warehouse.snapshot(), Filters())) == 4


def test_no_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(NoSnapshotError, match="python -m etl run"):
        Warehouse(tmp_path).snapshot()
