"""Real exports through the whole ETL: read, normalise, publish, read back from ``current``."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.pipeline import run
from etl.problems import InputError
from tests.readers.helpers import REFERENCE_DIR, TEST_DATA


def test_nbs_files_round_trip_into_the_published_snapshot(shared_data: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "nbs"
    raw.mkdir(parents=True)
    shutil.copy(shared_data / "nbs" / "分省年度数据2024.csv", raw)
    shutil.copy(shared_data / "nbs" / "第二产业.csv", raw)
    (raw / "第二产业.csv.meta.yaml").write_text(
        "indicator: 第二产业增加值\nunit: 亿元\nsource:\n  id: nbs-secondary-2021-2025\n  retrieved_date: 2026-05-20\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "warehouse"
    result = run(tmp_path / "raw", warehouse, REFERENCE_DIR)
    assert result.observations == 31 * 14 + 31 * 4
    obs = pd.read_parquet(warehouse / "current" / "observations.parquet")
    obs = obs[obs["status"] != "derived"]  # the published figures (the semantics stage adds derived rows)
    guangdong = obs[(obs["region_code"] == "440000") & (obs["industry_code"] == "BCD")]
    assert guangdong["value"].tolist() == [pytest.approx(4.76826e12)]
    assert guangdong["input_file"].tolist() == ["nbs/分省年度数据2024.csv"]
    secondary_2024 = obs[
        (obs["region_code"] == "440000")
        & (obs["industry_code"] == "X-SECONDARY")
        & (obs["period_start"] == date(2024, 1, 1))
    ]
    # Two sources, same figure: the 2024 file and the one-indicator file agree.
    assert sorted(secondary_2024["source_id"].str[:4]) == ["nbs-", "nbs-"]
    assert secondary_2024["value"].nunique() == 1
    assert secondary_2024["is_default"].sum() == 1
    sources = pd.read_parquet(warehouse / "current" / "sources.parquet")
    assert "nbs-secondary-2021-2025" in set(sources["source_id"])


def test_a_broken_export_publishes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(TEST_DATA / "nbs_truncated.csv", raw)
    shutil.copy(TEST_DATA / "nbs_unknown_unit.csv", raw)
    warehouse = tmp_path / "warehouse"
    with pytest.raises(InputError) as error:
        run(raw, warehouse, REFERENCE_DIR)
    messages = [str(p) for p in error.value.problems]
    assert "nbs_truncated.csv:6:: truncated row: 2 cells, the header has 3" in messages
    assert any(m.startswith("nbs_unknown_unit.csv:2:指标: unknown unit '万吨辆'") for m in messages)
    assert not (warehouse / "current").exists()


def test_editing_a_sidecar_triggers_a_refresh(tmp_path: Path) -> None:
    from etl.refresh import refresh

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(TEST_DATA / "nbs_quarterly.csv", raw)
    warehouse = tmp_path / "warehouse"
    assert refresh(raw, warehouse, REFERENCE_DIR).outcome == "ok"
    assert refresh(raw, warehouse, REFERENCE_DIR).outcome == "unchanged"
    (raw / "nbs_quarterly.csv.meta.yaml").write_text("source:\n  published_date: 2023-07-17\n", encoding="utf-8")
    assert refresh(raw, warehouse, REFERENCE_DIR).outcome == "ok"
    obs = pd.read_parquet(warehouse / "current" / "observations.parquet")
    assert {str(v)[:10] for v in obs["vintage"]} == {"2023-07-17"}
