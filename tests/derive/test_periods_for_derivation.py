"""What the derivations rely on from the period parser (etl/periods.py, main's), and one gap."""

from __future__ import annotations

from datetime import date

import pytest

from etl.periods import PeriodError, parse_period


def test_january_february_cannot_be_declared_a_month():
    with pytest.raises(PeriodError, match="cannot be of kind 'month'"):
        parse_period("2024年1-2月", "month")


def test_january_to_december_is_a_year_and_may_be_declared_a_ytd_with_the_same_dates():
    year, ytd = parse_period("2023年1-12月"), parse_period("2023年1-12月", "ytd")
    assert (year.kind, ytd.kind) == ("year", "ytd")
    assert (year.start, year.end) == (ytd.start, ytd.end) == (date(2023, 1, 1), date(2023, 12, 31))


def test_a_single_january_is_a_month_and_a_cumulative_point():
    period = parse_period("2023年1-1月")
    assert (period.start, period.end, period.kind) == (date(2023, 1, 1), date(2023, 1, 31), "month")


def test_year_to_date_with_month_after_each_number():
    """Bureau releases also print 2023年1月-7月 (月 after both months)."""
    period = parse_period("2023年1月-7月")
    assert (period.start, period.end, period.kind) == (date(2023, 1, 1), date(2023, 7, 31), "ytd")
