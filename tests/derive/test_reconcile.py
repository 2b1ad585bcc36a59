"""Reconciliation: reported figures against what other reported figures imply."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from etl.derive.reconcile import printed_decimals, published_interval, reconcile, summarise, verdict
from tests.derive.frames import frame, obs
from tests.derive.test_shares import REGIONS

GD_SHARE = obs(
    "2023-01..2023-07",
    17.8,
    measure="share_pct",
    unit="percent",
    unit_published="%",
    unit_mult_published=1.0,
    source_id="qingyuan",
)
GD_LEVEL = obs("2023-01..2023-07", 2738100, unit_published="万辆", unit_mult_published=1e4)


def national(value: float, **kw: object) -> dict[str, object]:
    return obs("2023-01..2023-07", value, region_code="CN", source_id="nbs", **kw)


def one(table: pd.DataFrame) -> pd.Series:
    assert len(table) == 1, table
    return table.iloc[0]


# Intervals from printed decimals ----------------------------------------------------------


def test_printed_decimals_are_read_back_in_the_published_scale():
    assert [printed_decimals(x) for x in (17.8, 273.81, 410.0, 0.05, 2.7381)] == [1, 2, 0, 2, 4]


def test_a_printed_number_stands_for_its_rounding_interval():
    assert published_interval(17.8, 1.0, "exact") == pytest.approx((17.75, 17.85))
    assert published_interval(2738100.0, 1e4, "exact") == pytest.approx(
        (2738050.0, 2738150.0)
    )  # 273.81 万辆 ± 0.005 万
    assert published_interval(2738100.0, 1e6, "exact") == pytest.approx((2738050.0, 2738150.0))  # 2.7381 million
    low, high = published_interval(4100000.0, 1e4, "at_least")
    assert (low, high) == (4095000.0, math.inf)  # 超过410万辆: ± 0.5 万 below, no upper bound
    assert published_interval(100.0, 1.0, "about") == pytest.approx((95.0, 105.0))


def test_overlapping_intervals_are_consistent_and_disjoint_ones_are_not():
    assert verdict((17.75, 17.85), (17.84, 17.9)) == "consistent"
    assert verdict((17.75, 17.85), (17.86, 17.9)) == "inconsistent"


# Shares ------------------------------------------------------------------------------------


def test_the_reported_share_agrees_with_levels_within_rounding():
    row = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(15382000)), REGIONS))
    assert (row["check"], row.region_code, row.verdict) == ("share", "440000", "consistent")
    assert row.reported_value == 17.8 and row.implied_value == pytest.approx(17.8007, abs=1e-4)
    assert row.reported_low == pytest.approx(17.75) and row.reported_high == pytest.approx(17.85)
    assert row.input_source_ids == "qingyuan+src+nbs"
    assert "CN ytd 2023-01..2023-07 = 15382000 [nbs]" in row.inputs


def test_a_share_that_disagrees_is_reported_inconsistent_and_left_as_published():
    observations = frame(GD_SHARE, GD_LEVEL, national(14000000))
    row = one(reconcile(observations, REGIONS))
    assert row.verdict == "inconsistent"
    assert row.implied_value == pytest.approx(19.5579, abs=1e-4)
    assert row.difference == pytest.approx(17.8 - 19.5579, abs=1e-4)
    assert observations.loc[observations["measure"] == "share_pct", "value"].tolist() == [17.8]


def test_a_share_with_a_mismatched_period_is_not_checkable_and_says_what_is_missing():
    row = one(reconcile(frame(GD_SHARE, GD_LEVEL, obs("2023-01..2023-06", 13103000, region_code="CN")), REGIONS))
    assert (row["check"], row.verdict, row.reported_value) == ("share", "not_checkable", 17.8)
    assert row.note == "no China (CN) production/automobiles level for 2023-01..2023-07: add it to check 17.8%"
    assert row.note_zh.startswith("数据中没有中国（CN） 2023-01..2023-07")
    assert math.isnan(row.implied_value) and pd.isna(row.within_rounding)


def test_a_share_without_its_numerator_is_not_checkable_and_names_the_region_s_level():
    row = one(reconcile(frame(GD_SHARE, national(15382000)), REGIONS))
    assert row.verdict == "not_checkable"
    assert row.note == "no Guangdong (440000) production/automobiles level for 2023-01..2023-07: add it to check 17.8%"


def test_a_growth_without_the_level_a_year_earlier_is_not_checkable():
    growth = obs("2023", 11.6, period_kind="year", measure="yoy_pct", unit="percent", unit_mult_published=1.0, region_code="CN")
    row = one(reconcile(frame(growth, obs("2023", 30161000, period_kind="year", region_code="CN")), REGIONS))
    assert (row["check"], row.verdict) == ("growth", "not_checkable")
    assert row.note == "no China (CN) production/automobiles level for 2022-01..2022-12: add it to check 11.6%"


def test_within_rounding_says_whether_the_intervals_meet_even_when_the_verdict_cannot():
    """Against another reporting system's total, the verdict is ``not_comparable``; whether the
    printed share is within rounding of the ratio is still stated, in a column and the note."""
    far = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(15650000, scope="caam")), REGIONS))
    assert (far.verdict, far.within_rounding) == ("not_comparable", False)
    assert far.note.endswith("17.50% [17.49, 17.50], outside the rounding of the printed 17.8% [17.75, 17.85]")
    near = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(15382000, scope="caam")), REGIONS))
    assert (near.verdict, near.within_rounding) == ("not_comparable", True)
    assert "within the rounding" in near.note
    agreed = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(15382000)), REGIONS))
    assert (agreed.verdict, agreed.within_rounding) == ("consistent", True)


def test_a_share_whose_only_denominator_is_another_reporting_system_is_not_comparable():
    row = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(15382000, scope="caam")), REGIONS))
    assert row.verdict == "not_comparable"
    assert "caam" in row.note


def test_a_share_of_another_product_in_the_same_region():
    nev_share = obs(
        "2023",
        26.8,
        period_kind="year",
        product="nev",
        measure="share_pct",
        unit="percent",
        unit_mult_published=1.0,
        share_of="indicator:production/product:automobiles",
    )
    row = one(
        reconcile(
            frame(
                nev_share,
                obs("2023", 1391000, product="nev", period_kind="year"),
                obs("2023", 5190000, period_kind="year"),
            ),
            REGIONS,
        )
    )
    assert row.verdict == "consistent" and row.implied_value == pytest.approx(26.80, abs=0.01)


# Growth ------------------------------------------------------------------------------------


def test_a_reported_growth_matching_its_levels_is_consistent():
    growth = obs(
        "2023", 11.6, period_kind="year", measure="yoy_pct", unit="percent", unit_mult_published=1.0, region_code="CN"
    )
    levels = [obs(y, v, period_kind="year", region_code="CN") for y, v in (("2022", 27021000), ("2023", 30161000))]
    row = one(reconcile(frame(growth, *levels), REGIONS))
    assert (row["check"], row.verdict) == ("growth", "consistent")
    assert row.implied_value == pytest.approx(11.6206, abs=1e-4)


def test_a_growth_on_a_revised_base_is_inconsistent_with_the_published_levels():
    growth = obs(
        "2022", 3.4, period_kind="year", measure="yoy_pct", unit="percent", unit_mult_published=1.0, region_code="CN"
    )
    levels = [obs(y, v, period_kind="year", region_code="CN") for y, v in (("2021", 26082000), ("2022", 27021000))]
    row = one(reconcile(frame(growth, *levels), REGIONS))
    assert row.verdict == "inconsistent" and "revised" in row.note


def test_comparable_price_growth_is_not_comparable_with_current_price_levels():
    money = {"indicator": "value_added", "product": "", "unit": "CNY", "unit_mult_published": 1e8}
    growth = obs(
        "2023-01..2023-07",
        2.6,
        measure="yoy_pct",
        unit="percent",
        unit_mult_published=1.0,
        indicator="value_added",
        product="",
        price_basis="comparable",
    )
    levels = [obs("2022-01..2022-07", 2.2e12, **money), obs("2023-01..2023-07", 2.26e12, **money)]
    row = one(reconcile(frame(growth, *levels), REGIONS))
    assert row.verdict == "not_comparable"
    assert row.implied_value == pytest.approx(2.7273, abs=1e-4)


# Totals ------------------------------------------------------------------------------------

CITIES = pd.DataFrame(
    {
        "code": ["P", "A", "B"],
        "parent_code": ["", "P", "P"],
        "level": ["province", "city", "city"],
        "name_zh": ["省", "甲", "乙"],
        "name_en": ["P", "A", "B"],
        "valid_to": ["", "", ""],
    }
)


def test_a_total_whose_parts_round_differently_is_consistent():
    # 1.24 + 1.24 = 2.48 万辆, printed as 2.5 万辆: naive equality fails, the intervals overlap.
    parts = [obs("2023", 12400, period_kind="year", region_code=c) for c in ("A", "B")]
    total = obs("2023", 25000, period_kind="year", region_code="P")
    row = one(reconcile(frame(total, *parts), CITIES))
    assert (row["check"], row.region_code, row.verdict) == ("total", "P", "consistent")
    assert row.implied_value == 24800.0
    assert (row.implied_low, row.implied_high) == pytest.approx((24700.0, 24900.0))


def test_a_total_far_from_its_parts_is_inconsistent_and_an_incomplete_set_is_not_checked():
    parts = [obs("2023", 12400, period_kind="year", region_code=c) for c in ("A", "B")]
    assert (
        one(reconcile(frame(obs("2023", 26000, period_kind="year", region_code="P"), *parts), CITIES)).verdict
        == "inconsistent"
    )
    assert reconcile(frame(obs("2023", 26000, period_kind="year", region_code="P"), parts[0]), CITIES).empty


# Monthly -----------------------------------------------------------------------------------


def test_a_reported_month_is_checked_against_the_cumulative_difference():
    month = obs("2020-12..2020-12", 2840000, period_kind="month", scope="caam")
    cumulative = [
        obs("2020-01..2020-11", 22372000, scope="caam"),
        obs("2020", 25225000, period_kind="year", scope="caam"),
    ]
    row = one(reconcile(frame(month, *cumulative), REGIONS))
    assert (row["check"], row.verdict, row.implied_value) == ("monthly", "inconsistent", 2853000.0)


# Suppressed values, summary --------------------------------------------------------------------


def test_suppressed_figures_are_never_checked():
    """A suppressed denominator is no value: the share cannot be checked; a suppressed share
    has no value to check, so it has no row."""
    row = one(reconcile(frame(GD_SHARE, GD_LEVEL, national(None, status="suppressed", flags="(D)")), REGIONS))
    assert (row.verdict, row.note) == (
        "not_checkable",
        "no China (CN) production/automobiles level for 2023-01..2023-07: add it to check 17.8%",
    )
    assert reconcile(
        frame({**GD_SHARE, "value": math.nan, "status": "not_available"}, GD_LEVEL, national(15382000)), REGIONS
    ).empty


def test_the_summary_counts_verdicts_and_names_the_disagreements():
    table = reconcile(frame(GD_SHARE, GD_LEVEL, national(14000000)), REGIONS)
    text = summarise(table)
    assert text.splitlines()[:2] == ["Reconciliation: 1 check(s).", "  share: 1 inconsistent"]
    assert "440000 production/automobiles 2023-01..2023-07: reported 17.8 [qingyuan], implied 19.5579" in text
    assert summarise(table.iloc[0:0]) == "Reconciliation: no reported figure could be checked against others."


def test_the_summary_reads_the_same_from_arrow_as_from_pandas():
    """A run summarises the table as it is published (Arrow), without a pandas copy of it."""
    from etl.derive.engine import Workspace
    from etl.derive.reconcile import reconcile_table

    observations = frame(GD_SHARE, GD_LEVEL, national(14000000), obs("2023-01..2023-06", 13103000, region_code="CN"))
    workspace = Workspace(observations, REGIONS)
    try:
        table = reconcile_table(workspace)
    finally:
        workspace.close()
    assert summarise(table) == summarise(reconcile(observations, REGIONS))
    assert summarise(table, limit=0).splitlines()[-1] == "  ... and 1 more inconsistent (see reconciliation.parquet)"
