"""Values in the reader's convention: 亿元 and 万辆 for a Chinese reader, billion yuan and
million vehicles for an English one; one scale per axis; never scientific notation."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.formatting import choose_scale, format_number, format_value, ordinal, unit_label


@pytest.mark.parametrize(
    ("value", "unit", "zh", "en"),
    [
        (1.4598e11, "CNY", "1459.8亿元", "145.98 billion yuan"),  # Guangdong's automobile value added, 1-7月 2023
        (1e11, "CNY", "1000亿元", "100 billion yuan"),  # Qingyuan's target
        (5.3e12, "CNY", "5.3万亿元", "5.3 trillion yuan"),
        (3.2e5, "CNY", "32万元", "320,000 yuan"),
        (2738100, "vehicles", "273.81万辆", "2.7381 million vehicles"),  # as published: 273.81万辆
        (80000, "vehicles", "8万辆", "80 thousand vehicles"),
        (950, "vehicles", "950辆", "950 vehicles"),
        (2.5e9, "USD", "25亿美元", "2.5 billion dollars"),
        (4.2e7, "EUR", "4200万欧元", "42 million euros"),
        (45, "enterprises", "45家", "45 enterprises"),
        (-3.25e8, "CNY", "-3.25亿元", "-325 million yuan"),
    ],
)
def test_levels_in_each_readers_convention(value, unit, zh, en):
    assert format_value(value, unit, "zh") == zh
    assert format_value(value, unit, "en") == en


def test_percent_and_rank():
    assert format_value(17.8, "percent", "zh", measure="share_pct") == "17.8%"
    assert format_value(17.80074, "percent", "en", measure="share_pct") == "17.8%"
    assert format_value(-2.1, "percent", "en", measure="yoy_pct") == "-2.1%"
    assert format_value(145.6, "percent", "en", measure="yoy_pct") == "145.6%"
    assert format_value(24.4591, "percent", "en", measure="yoy_pct") == "24.46%"
    assert format_value(-0.001, "percent", "zh", measure="yoy_pct") == "0%"
    assert format_value(3, "rank", "zh", measure="rank") == "第3位"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "111th",
    ]
    assert format_value(3.0, "rank", "en", measure="rank") == "3rd"


def test_missing_is_a_dash_never_zero():
    for value in (None, math.nan, float("inf")):
        assert format_value(value, "CNY", "zh") == "—"
        assert format_value(value, "percent", "en", measure="yoy_pct") == "—"


def test_precision_keeps_integer_digits_and_drops_trailing_zeros():
    assert format_number(123456.78) == "123457"
    assert format_number(12345.678) == "12346"
    assert format_number(1234.54) == "1234.5"
    assert format_number(1234.4, 4) == "1234"
    assert format_number(17.80) == "17.8"
    assert format_number(0.0000123444) == "0.000012344"
    assert format_number(1234567.0, grouping=True) == "1,234,567"


def test_one_scale_for_a_whole_axis():
    divisor, suffix = choose_scale([5190000, 80000, float("nan")], "vehicles", "zh")
    assert (divisor, suffix) == (1e4, "万辆")
    assert choose_scale([5190000, 80000], "vehicles", "en") == (1e6, "million vehicles")
    assert format_value(80000, "vehicles", "en", scale=(1e6, "million vehicles")) == "0.08 million vehicles"
    assert choose_scale([], "CNY", "zh") == (1.0, "元")


def test_axis_unit_labels():
    assert unit_label("CNY", "zh", 1e8) == "亿元"
    assert unit_label("CNY", "en", 1e9) == "billion yuan"
    assert unit_label("vehicles", "zh", 1e4) == "万辆"
    assert unit_label("percent", "en") == "%"
    assert unit_label("rank", "zh") == "位次"
    assert unit_label("widgets", "en") == "widgets"


@given(st.floats(min_value=-1e18, max_value=1e18, allow_nan=False), st.sampled_from(["zh", "en"]))
def test_never_scientific_notation(value, lang):
    shown = format_value(value, "CNY", lang)
    number = re.fullmatch(
        r"(-?[\d,]+(?:\.\d+)?)\s?(万亿元|亿元|万元|元|trillion yuan|billion yuan|million yuan|yuan)", shown
    )
    assert number is not None, shown
    digits = number.group(1).replace(",", "").lstrip("-").replace(".", "").lstrip("0")
    assert len(digits) <= max(5, len(number.group(1).split(".")[0].replace(",", "").lstrip("-")))
