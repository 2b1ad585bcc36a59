"""Printed units become base units and multipliers; bracketed words become qualifiers."""

import pytest

from etl.reference import load_reference
from etl.units import UnitError, parse_unit
from tests.conftest import REFERENCE


@pytest.fixture(scope="module")
def reference():
    reference, problems = load_reference(REFERENCE)
    assert problems == []
    return reference


@pytest.mark.parametrize(
    ("text", "base", "multiplier", "qualifier"),
    [
        ("亿元", "CNY", 1e8, "exact"),
        ("億元", "CNY", 1e8, "exact"),
        ("万亿元", "CNY", 1e12, "exact"),
        ("billion yuan", "CNY", 1e9, "exact"),
        ("万辆", "vehicles", 1e4, "exact"),
        ("萬輛", "vehicles", 1e4, "exact"),
        ("million vehicles", "vehicles", 1e6, "exact"),
        ("%", "percent", 1, "exact"),
        ("亿元(突破)", "CNY", 1e8, "at_least"),
        ("万辆（超过）", "vehicles", 1e4, "at_least"),
        ("%(约)", "percent", 1, "about"),
    ],
)
def test_units_resolve_to_base_unit_and_scale(reference, text, base, multiplier, qualifier):
    parsed = parse_unit(text, reference)
    assert (parsed.base_unit, parsed.multiplier, parsed.qualifier) == (base, multiplier, qualifier)


def test_forecast_word_marks_an_estimate(reference):
    parsed = parse_unit("万辆(预计超过)", reference)
    assert (parsed.qualifier, parsed.status) == ("at_least", "estimated")


def test_a_bare_scale_leaves_the_unit_to_the_indicator(reference):
    assert parse_unit("万", reference).base_unit == ""


@pytest.mark.parametrize("text", ["万吨辆", "", "亿元(随便)"])
def test_unknown_units_and_words_are_errors(reference, text):
    with pytest.raises(UnitError):
        parse_unit(text, reference)
