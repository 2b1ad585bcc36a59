"""The ETL end to end: publish a snapshot atomically, or publish nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.pipeline import run
from etl.problems import InputError
from etl.publish import current_snapshot
from tests.conftest import REFERENCE, REPO
from tests.etl.helpers import SEED_FIGURES, write_raw


def test_a_run_publishes_a_snapshot_with_manifest_and_points_current_at_it(tmp_path):
    raw = write_raw(tmp_path / "raw", SEED_FIGURES)
    warehouse = tmp_path / "wh"
    result = run(raw, warehouse, REFERENCE)
    current = warehouse / "current"
    assert current.is_symlink()
    assert current.resolve() == (warehouse / "snapshots" / result.snapshot_id).resolve()
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["snapshot_id"] == result.snapshot_id
    assert manifest["row_counts"]["observations"] == 4
    assert set(manifest["inputs"]) >= {"test.figures.csv", "test.sources.csv", "reference/regions.csv"}
    assert all(len(h) == 64 for h in manifest["inputs"].values())
    for table in ("observations", "sources", "regions", "industries", "indicators", "units"):
        assert (current / f"{table}.parquet").exists()


def test_a_failed_run_leaves_the_previous_snapshot_current_and_untouched(tmp_path):
    raw = write_raw(tmp_path / "raw", SEED_FIGURES)
    warehouse = tmp_path / "wh"
    first = run(raw, warehouse, REFERENCE)
    before = sorted(p.name for p in (warehouse / "snapshots").iterdir())
    write_raw(raw, [*SEED_FIGURES, "火星省,汽车制造业,汽车产量,2023年1-7月,,level,10,万辆,seed"])
    with pytest.raises(InputError):
        run(raw, warehouse, REFERENCE)
    assert current_snapshot(warehouse).name == first.snapshot_id
    assert sorted(p.name for p in (warehouse / "snapshots").iterdir()) == before
    assert len(pd.read_parquet(warehouse / "current" / "observations.parquet")) == 4


def test_leftovers_of_an_interrupted_run_do_not_break_the_next(tmp_path):
    raw = write_raw(tmp_path / "raw", SEED_FIGURES)
    warehouse = tmp_path / "wh"
    run(raw, warehouse, REFERENCE)
    (warehouse / "snapshots" / ".tmp-interrupted").mkdir()
    (warehouse / "snapshots" / ".tmp-interrupted" / "observations.parquet").write_bytes(b"half")
    os.symlink("snapshots/nowhere", warehouse / ".current-123-x")
    second = run(raw, warehouse, REFERENCE)
    assert current_snapshot(warehouse).name == second.snapshot_id
    assert not list((warehouse / "snapshots").glob(".tmp-*"))


def test_the_command_line_prints_every_problem_and_exits_non_zero(tmp_path):
    raw = write_raw(tmp_path / "raw", ["火星省,汽车制造业,汽车产量,2023年1-13月,,level,x,万辆,seed"])
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "run",
            "--raw",
            str(raw),
            "--warehouse",
            str(tmp_path / "wh"),
            "--reference",
            str(REFERENCE),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert completed.returncode == 1
    lines = [line.strip() for line in completed.stderr.splitlines()]  # grouped by kind, each line indented
    assert "error: 1 × unknown region …" in lines
    assert (
        "test.figures.csv:2:region: unknown region '火星省' (not a code, name or alias in data/reference/regions*.csv)"
        in lines
    )
    assert any(line.startswith("test.figures.csv:2:period: month 13") for line in lines)
    assert any(line.startswith("test.figures.csv:2:value: not a number") for line in lines)
    assert not (tmp_path / "wh" / "current").exists()


def test_a_file_no_reader_recognises_is_an_error(tmp_path):
    raw = write_raw(tmp_path / "raw", SEED_FIGURES)
    (raw / "mystery.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError) as caught:
        run(raw, tmp_path / "wh", REFERENCE)
    assert [str(p) for p in caught.value.problems] == [
        "mystery.csv::: no reader recognises this file (see docs/input-format.md)"
    ]


@pytest.fixture(scope="module")
def observations(default_warehouse: Path) -> pd.DataFrame:
    return pd.read_parquet(default_warehouse / "current" / "observations.parquet")


@pytest.fixture(scope="module")
def sources(default_warehouse: Path) -> pd.DataFrame:
    return pd.read_parquet(default_warehouse / "current" / "sources.parquet")


class TestDefaultDataset:
    """The bundled real dataset builds cleanly and holds the seed release's figures."""

    def test_guangdong_value_added_jan_jul_2023_is_145_98_billion_yuan(self, observations, sources):
        rows = observations[
            (observations["region_code"] == "440000")
            & (observations["industry_code"] == "C36")
            & (observations["indicator"] == "value_added")
            & (observations["measure"] == "level")
            & (observations["period_kind"] == "ytd")
            & (observations["period_start"] == date(2023, 1, 1))
            & (observations["period_end"] == date(2023, 7, 31))
        ]
        assert 145_980_000_000.0 in rows["value"].tolist()
        row = rows[rows["value"] == 145_980_000_000.0].iloc[0]
        assert row["unit"] == "CNY"
        source = sources.set_index("source_id").loc[row["source_id"]]
        assert "Qingyuan" in source["title"] or "清远" in source["title"]
        assert str(source["published_date"]) == "2023-08-25"

    def test_guangdong_share_of_national_vehicles_is_17_8_percent(self, observations):
        rows = observations[
            (observations["region_code"] == "440000")
            & (observations["indicator"] == "production")
            & (observations["product"] == "automobiles")
            & (observations["measure"] == "share_pct")
            & (observations["period_end"] == date(2023, 7, 31))
        ]
        assert rows["value"].tolist() == [17.8]
        assert rows["unit"].tolist() == ["percent"]

    def test_qingyuan_target_of_100_billion_yuan_by_2025(self, observations):
        rows = observations[(observations["region_code"] == "441800") & (observations["measure"] == "target")]
        assert 100e9 in rows["value"].tolist()
        assert date(2025, 12, 31) in rows["period_end"].tolist()

    def test_every_observation_has_a_known_source(self, observations, sources):
        assert observations["source_id"].isin(sources["source_id"]).all()
        assert (observations["source_id"] != "").all()

    def test_every_figure_key_has_exactly_one_default_row(self, observations):
        from etl.model import FIGURE_KEY

        defaults = observations[observations["is_default"]].groupby(list(FIGURE_KEY), dropna=False).size()
        assert (defaults == 1).all()
        assert len(defaults) == observations.groupby(list(FIGURE_KEY), dropna=False).ngroups
