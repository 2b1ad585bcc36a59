"""Year-on-year growth from levels, next to (never instead of) reported growth."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.derive.growth import yoy_growth
from tests.derive.frames import frame, obs


def test_growth_is_the_ratio_of_the_same_period_a_year_apart():
    derived = yoy_growth(frame(obs("2022-01..2022-07", 200), obs("2023-01..2023-07", 250)))
    assert len(derived) == 1
    row = derived.iloc[0]
    assert row.value == pytest.approx(25.0)
    assert (row.measure, row.unit, row.status, row.source_id) == ("yoy_pct", "percent", "derived", "derived")
    assert (row.period_start, row.period_end, row.period_kind) == (
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2023-07-31"),
        "ytd",
    )
    assert row.price_basis == ""  # vehicles: price basis does not apply


def test_growth_of_money_is_at_current_prices():
    rows = [
        obs(y, v, indicator="value_added", unit="CNY", unit_published="亿元", unit_mult_published=1e8)
        for y, v in (("2022", 1e11), ("2023", 1.1e11))
    ]
    derived = yoy_growth(frame(*[{**r, "period_kind": "year"} for r in rows]))
    assert derived.iloc[0].price_basis == "current"
    assert derived.iloc[0].value == pytest.approx(10.0)


def test_january_february_is_compared_with_january_february_of_a_leap_year():
    derived = yoy_growth(frame(obs("2024-01..2024-02", 110), obs("2025-01..2025-02", 121)))
    assert derived.iloc[0].period_end == pd.Timestamp("2025-02-28")
    assert derived.iloc[0].value == pytest.approx(10.0)
    back = yoy_growth(frame(obs("2023-01..2023-02", 100), obs("2024-01..2024-02", 150)))
    assert back.iloc[0].period_end == pd.Timestamp("2024-02-29")


def test_a_half_is_compared_with_the_same_months_published_as_year_to_date():
    derived = yoy_growth(frame(obs("2022-01..2022-06", 100), obs("2023-01..2023-06", 110, period_kind="half")))
    assert derived["value"].round(6).tolist() == [10.0]
    assert derived.iloc[0].period_kind == "half"
    assert "440000 ytd 2022-01..2022-06 = 100" in derived.iloc[0].label_published


def test_periods_of_different_length_or_kind_are_not_compared():
    assert yoy_growth(frame(obs("2022-01..2022-06", 100), obs("2023-01..2023-07", 150))).empty
    assert (
        yoy_growth(
            frame(
                obs("2022-01..2022-06", 100, period_kind="half"),
                obs("2023-01..2023-06", 150, period_kind="half"),
                obs("2021-01..2021-06", 1, scope="caam"),
            )
        ).shape[0]
        == 1
    )


def test_a_reported_growth_is_neither_used_nor_overwritten():
    reported = obs("2023-01..2023-07", 6.5, measure="yoy_pct", unit="percent", price_basis="")
    derived = yoy_growth(frame(obs("2022-01..2022-07", 200), obs("2023-01..2023-07", 250), reported))
    assert list(derived["value"].round(6)) == [25.0]


def test_suppressed_and_zero_levels_give_no_growth():
    assert yoy_growth(
        frame(obs("2022", None, status="suppressed", period_kind="year"), obs("2023", 5, period_kind="year"))
    ).empty
    assert yoy_growth(frame(obs("2022", 0, period_kind="year"), obs("2023", 5, period_kind="year"))).empty


def test_the_default_row_of_a_revised_level_is_used():
    derived = yoy_growth(
        frame(
            obs("2022", 100, period_kind="year"),
            obs("2023", 120, period_kind="year", source_id="first", vintage="2024-01-20", is_default=False),
            obs("2023", 130, period_kind="year", source_id="census", vintage="2024-12-30"),
        )
    )
    assert list(derived["value"].round(6)) == [30.0]
    assert derived.iloc[0].vintage == pd.Timestamp("2024-12-30")
