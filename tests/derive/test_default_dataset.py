"""The warehouse built from the bundled dataset (data/raw) carries the semantics stage's output."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from etl.derive.reconcile import NOT_CHECKABLE, VERDICTS


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
    """17.8 % of the nation's automobiles (the seed press release) is checked against the one
    national total for 2023-01..07 in the data: CAAM's 15.65 million (Xinhua, 2023-08-12,
    data/raw/caam-national.figures.csv). 2.7381 million / 15.65 million = 17.50 %, outside the
    rounding of 17.8 % ([17.75, 17.85]); the association counts another way than the bureau, so
    the verdict is ``not_comparable`` and the note says the share is outside the rounding."""
    period = (date(2023, 1, 1), date(2023, 7, 31))
    share = observations.loc[
        (observations["region_code"] == "440000")
        & (observations["measure"] == "share_pct")
        & (observations["status"] == "reported")
        & (observations["period_start"] == period[0])
        & (observations["period_end"] == period[1])
    ]
    assert share["value"].tolist() == [17.8]
    checks = reconciliation.loc[
        (reconciliation["check"] == "share")
        & (reconciliation["region_code"] == "440000")
        & (reconciliation["period_start"] == period[0])
        & (reconciliation["period_end"] == period[1])
    ]
    assert len(checks) == 1
    row = checks.iloc[0]
    assert (row["reported_value"], row["verdict"], row["within_rounding"]) == (17.8, "not_comparable", False)
    assert row["implied_value"] == pytest.approx(2738100 / 15650000 * 100)
    assert (row["implied_low"], row["implied_high"]) == pytest.approx((273.805 / 1565.5 * 100, 273.815 / 1564.5 * 100))
    assert "CN ytd 2023-01..2023-07 = 15650000 [en-people-cn-2023-08-12-1]" in row["inputs"]
    assert "17.50% [17.49, 17.50], outside the rounding of the printed 17.8% [17.75, 17.85]" in row["note"]


def test_every_reported_share_and_growth_has_a_reconciliation_row(observations, reconciliation):
    """41 reported shares and 237 reported growths in the bundled data: each is a row, with a
    verdict from figures or ``not_checkable`` and a note saying what would make it checkable."""
    reported = observations.loc[
        observations["status"].isin(["reported", "provisional", "revised"]) & observations["value"].notna()
    ]
    for measure, check in (("share_pct", "share"), ("yoy_pct", "growth")):
        figures = reported.loc[reported["measure"] == measure]
        rows = reconciliation.loc[reconciliation["check"] == check]
        assert len(rows) == len(figures) > 0
        key = ["region_code", "indicator", "product", "period_start", "period_end", "source_id", "value"]
        printed = figures[key].astype(str).value_counts().sort_index()
        checked = (
            rows.rename(columns={"reported_source_id": "source_id", "reported_value": "value"})[key]
            .astype(str)
            .value_counts()
            .sort_index()
        )
        assert printed.equals(checked)
        unchecked = rows.loc[rows["verdict"] == "not_checkable"]
        assert unchecked["note"].str.contains(": add it to check ").all()
        assert unchecked["note_zh"].str.contains("补充后可核对").all()
        assert unchecked["implied_value"].isna().all() and unchecked["within_rounding"].isna().all()


def test_reconciliation_finds_agreements_disagreements_and_incomparable_pairs(reconciliation):
    assert set(reconciliation["verdict"]) == {*VERDICTS, NOT_CHECKABLE}
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
