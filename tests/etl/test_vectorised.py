"""The vectorised value parsing gives exactly the doubles of the scalar definition."""

from __future__ import annotations

import pandas as pd

from etl import numbers
from etl.normalize import _scale_number, _scale_numbers

TEXTS = ["145.98", "-3.2", "+5", ".5", "5.", "1310.3", "0.1", "1e3", "2.5E-2", "7", "123456789.123"]
MULTIPLIERS = [1e8, 1.0, 1e4, 1e9, 1e12, 1e6, 1e-2, 1e3, 1e8, 2.5, 1e4]


def test_vectorised_scaling_equals_the_scalar_definition():
    text, mult = pd.Series(TEXTS), pd.Series(MULTIPLIERS)
    values = _scale_numbers(text, mult, pd.Series([True] * len(TEXTS)))
    assert values.tolist() == [_scale_number(t, m) for t, m in zip(TEXTS, MULTIPLIERS, strict=True)]
    assert values[0] == 14598000000.0 and values[7] == 1e6  # printed exponents add to the unit's


def test_rows_not_ok_stay_missing():
    values = _scale_numbers(pd.Series(["1", "x"]), pd.Series([1e4, 1e4]), pd.Series([True, False]))
    assert values[0] == 1e4 and pd.isna(values[1])


def test_the_vectorised_parser_agrees_with_the_scalar_one_cell_by_cell():
    text = ["1.5", "-2", "１２", "abc", "", "1e5", "1.2.3", "٣", "1,310.3", "12,34", "inf", "−3.2"]
    canonical, ok = numbers.parse(pd.Series(text))
    assert ok.tolist() == [True, True, True, False, False, True, False, False, True, False, False, True]
    assert [c if o else None for c, o in zip(canonical, ok, strict=True)] == [numbers.canonical(t) for t in text]
