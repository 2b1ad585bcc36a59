"""The warehouse built from the bundled dataset (data/raw) carries the semantics stage's output."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from etl.derive.reconcile import VERDICTS


@pytest.fixture(scope="module")
def snapshot(default_warehouse):
    return default_warehouse / "current"


@pytest.fixture(scope="module")
def observations(snapshot):
    return pd.read_parquet(snapshot / "observations.parquet")


@pytest.fixture(scope="module")
def reconciliation(snapshot):
    return pd.read_parquet(snapshot / "reconciliation.parquet")


def test_the_snapshot_holds_reconciliation_and_target_progress_tables(snapshot):
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["row_counts"]["reconciliation"] > 0
    assert manifest["row_counts"]["target_progress"] > 0
    sources = pd.read_parquet(snapshot / "sources.parquet")
    assert "derived" in set(sources["source_id"])


def test_derived_rows_of_every_kind_are_in_the_warehouse(observations):
    derived = observations.loc[observations["status"] == "derived"]
    assert set(derived["source_id"]) == {"derived"}
    assert {"level", "yoy_pct", "share_pct", "rank"} <= set(derived["measure"])
    july = derived.loc[
        (derived["region_code"] == "440000")
        & (derived["product"] == "automobiles")
        & (derived["measure"] == "level")
        & (derived["period_start"] == date(2024, 7, 1))
    ]
    # 1-7月 2728600 − 上半年 2292000 (Guangdong, 2024)
    assert july["value"].tolist() == [436600.0]
    assert july["period_kind"].tolist() == ["month"]


def test_no_derived_month_splits_january_february(observations):
    derived = observations.loc[(observations["status"] == "derived") & (observations["measure"] == "level")]
    starts = pd.to_datetime(derived["period_start"])
    assert not ((starts.dt.month == 1) | (starts.dt.month == 2)).any()


def test_guangdongs_reported_share_of_national_production_jan_jul_2023(observations, reconciliation):
    """17.8 % of the nation's automobiles (the seed press release) is checked wherever the
    national output of the same period is in the data; this dataset has no national figure
    for 2023-01..07 in either reporting system, so the honest result is no check at all."""
    period = (date(2023, 1, 1), date(2023, 7, 31))
    share = observations.loc[
        (observations["region_code"] == "440000")
        & (observations["measure"] == "share_pct")
        & (observations["status"] == "reported")
        & (observations["period_start"] == period[0])
        & (observations["period_end"] == period[1])
    ]
    assert share["value"].tolist() == [17.8]
    national = observations.loc[
        (observations["region_code"] == "CN")
        & (observations["product"] == "automobiles")
        & (observations["measure"] == "level")
        & (observations["period_start"] == period[0])
        & (observations["period_end"] == period[1])
    ]
    checks = reconciliation.loc[
        (reconciliation["check"] == "share")
        & (reconciliation["region_code"] == "440000")
        & (reconciliation["period_start"] == period[0])
        & (reconciliation["period_end"] == period[1])
    ]
    if national.empty:
        assert checks["verdict"].tolist() == []
    else:
        assert len(checks) == 1 and checks.iloc[0]["verdict"] in VERDICTS
        assert checks.iloc[0]["reported_value"] == 17.8


def test_reconciliation_finds_agreements_disagreements_and_incomparable_pairs(reconciliation):
    assert set(reconciliation["verdict"]) == set(VERDICTS)
    not_comparable = reconciliation.loc[reconciliation["verdict"] == "not_comparable"]
    assert (not_comparable["note"] != "").all()
    gd_2023 = reconciliation.loc[
        (reconciliation["check"] == "share")
        & (reconciliation["region_code"] == "440000")
        & (reconciliation["product"] == "automobiles")
        & (reconciliation["period_end"] == date(2023, 12, 31))
    ]
    # Guangdong 17.2 % of 2023: the only national total in the data is CAAM's.
    assert gd_2023["verdict"].tolist() == ["not_comparable"]


def test_qingyuans_100_billion_target_has_a_progress_row(snapshot):
    progress = pd.read_parquet(snapshot / "target_progress.parquet")
    qingyuan = progress.loc[(progress["region_code"] == "441800") & (progress["target_value"] == 1e11)]
    assert len(qingyuan) == 1
    row = qingyuan.iloc[0]
    assert (row["indicator"], row["target_qualifier"], row["target_period_end"]) == (
        "industry_scale",
        "at_least",
        date(2025, 12, 31),
    )
    # The chain's "industry scale" is not a series the statistics publish: no level, a reason.
    assert pd.isna(row["progress_pct"])
    assert row["reason"].startswith("no level of this series")
    investment = progress.loc[(progress["region_code"] == "441800") & (progress["indicator"] == "investment")].iloc[0]
    assert investment["progress_pct"] == pytest.approx(46.91, abs=0.01)  # the page printed 46.9 %
