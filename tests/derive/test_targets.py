"""Targets against the latest level: progress and the growth still needed."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.derive.targets import target_progress
from tests.derive.frames import frame, obs

QINGYUAN_TARGET = obs(
    "2021-01..2025-12",
    1e11,
    region_code="441800",
    industry_code="X-AUTO-CHAIN",
    indicator="industry_scale",
    product="",
    unit="CNY",
    unit_published="billion yuan (breaking through)",
    unit_mult_published=1e9,
    period_kind="span",
    measure="target",
    status="target",
    qualifier="at_least",
    source_id="qingyuan-gov-2023-08-25-1",
)


def scale(year: str, value: float, **kw: object) -> dict[str, object]:
    return {
        **QINGYUAN_TARGET,
        **obs(year, value, period_kind="year"),
        "measure": "level",
        "status": "reported",
        "qualifier": "exact",
        "source_id": f"s{year}",
        "region_code": "441800",
        "industry_code": "X-AUTO-CHAIN",
        "indicator": "industry_scale",
        "product": "",
        "unit": "CNY",
        **kw,
    }


def test_a_target_without_any_level_still_appears_with_a_reason():
    table = target_progress(frame(QINGYUAN_TARGET))
    assert len(table) == 1
    row = table.iloc[0]
    assert (row.region_code, row.target_value, row.target_qualifier) == ("441800", 1e11, "at_least")
    assert pd.isna(row.progress_pct) and pd.isna(row.required_cagr_pct) and pd.isna(row.on_track)
    assert row.reason.startswith("no level of this series")


def test_progress_and_required_growth_from_the_latest_annual_level():
    table = target_progress(frame(QINGYUAN_TARGET, scale("2021", 4e10), scale("2023", 6.4e10)))
    row = table.iloc[0]
    assert row.level_value == 6.4e10 and row.level_source_id == "s2023"
    assert row.progress_pct == pytest.approx(64.0)
    assert row.years_remaining == pytest.approx(2.0, abs=0.01)
    assert row.required_cagr_pct == pytest.approx(25.0, abs=0.05)  # 6.4e10 × 1.25² = 1e11
    assert row.historical_cagr_pct == pytest.approx(26.49, abs=0.05)  # 4e10 → 6.4e10 in two years
    assert bool(row.on_track) is True


def test_not_on_track_when_past_growth_is_slower_than_needed():
    row = target_progress(frame(QINGYUAN_TARGET, scale("2022", 5e10), scale("2023", 5.2e10))).iloc[0]
    assert row.required_cagr_pct == pytest.approx(38.67, abs=0.05)
    assert bool(row.on_track) is False


def test_levels_after_the_target_and_other_series_are_ignored():
    table = target_progress(
        frame(
            QINGYUAN_TARGET,
            scale("2026", 2e11),
            scale("2023", 9e10, scope="caam"),
            scale("2023", 9e10, industry_code="C36"),
        )
    )
    assert pd.isna(table.iloc[0].progress_pct)


def test_a_partial_year_level_gives_progress_but_no_growth_rate():
    target = obs(
        "2023",
        3.287e10,
        region_code="441800",
        industry_code="X-KEY-PROJECTS",
        indicator="investment",
        product="",
        unit="CNY",
        period_kind="year",
        measure="target",
        status="target",
    )
    done = obs(
        "2023-01..2023-05",
        1.542e10,
        region_code="441800",
        industry_code="X-KEY-PROJECTS",
        indicator="investment",
        product="",
        unit="CNY",
    )
    row = target_progress(frame(target, done)).iloc[0]
    assert row.progress_pct == pytest.approx(46.91, abs=0.01)
    assert pd.isna(row.required_cagr_pct) and pd.isna(row.on_track)
    assert "partial-year" in row.reason


def test_a_target_whose_period_has_ended_is_met_or_not():
    row = target_progress(
        frame(
            {
                **QINGYUAN_TARGET,
                "period_start": pd.Timestamp("2023-01-01"),
                "period_end": pd.Timestamp("2023-12-31"),
                "period_kind": "year",
            },
            scale("2023", 1.05e11),
        )
    ).iloc[0]
    assert row.years_remaining == 0 and bool(row.on_track) is True


def test_estimates_and_suppressed_levels_are_not_progress():
    table = target_progress(
        frame(QINGYUAN_TARGET, scale("2023", 9e10, status="estimated"), scale("2024", None, status="suppressed"))
    )
    assert pd.isna(table.iloc[0].level_value)
