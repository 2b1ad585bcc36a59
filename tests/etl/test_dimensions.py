"""A unit must measure what its indicator measures: every indicator declares a dimension and base unit.

The rules are data (``indicators.csv``: dimension, default_unit; ``units*.csv``: dimension;
``dimensions.csv``: which dimensions counting words fit; ``measures.csv``: the unit a growth,
share or rank needs), so these tests also check that the reference tables state them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.pipeline import build
from etl.problems import InputError
from etl.reference import load_reference
from tests.conftest import REFERENCE
from tests.etl.helpers import write_raw


def problems_of(raw: Path, reference: Path = REFERENCE) -> list[str]:
    with pytest.raises(InputError) as caught:
        build(raw, reference)
    return [str(p) for p in caught.value.problems]


def observations_of(raw: Path):
    tables, _ = build(raw, REFERENCE)
    return tables["observations"][0]


def test_value_added_counted_in_ge_is_an_error_naming_file_row_and_column(tmp_path):
    problems = problems_of(write_raw(tmp_path, ["广东省,汽车制造业,汽车制造业增加值,2023年1-7月,,level,145.98,个,seed"]))
    assert problems == [
        "test.figures.csv:2:unit: unit '个' is a counting word, but value_added measures money (base unit CNY): "
        "the unit does not fit the indicator"
    ]


@pytest.mark.parametrize(
    ("indicator", "unit", "dimension"),
    [
        ("汽车制造业增加值", "万辆", "vehicles"),  # money in vehicles
        ("汽车产量", "亿元", "money"),  # vehicles in money
        ("汽车制造业增加值", "%", "dimensionless"),  # a level in percent
        ("企业数", "万辆", "vehicles"),  # a count of enterprises in vehicles
    ],
)
def test_a_unit_of_another_dimension_is_an_error(tmp_path, indicator, unit, dimension):
    row = f"广东省,汽车制造业,{indicator},2023年1-7月,,level,10,{unit},seed"
    problems = problems_of(write_raw(tmp_path, [row]))
    assert len(problems) == 1 and problems[0].startswith(f"test.figures.csv:2:unit: unit '{unit}' measures {dimension}, but "), problems


@pytest.mark.parametrize(
    ("indicator", "unit", "base_unit", "value"),
    [
        ("汽车产量", "万台", "vehicles", 2.5e5),  # a counting word fits vehicles
        ("汽车产量", "units", "vehicles", 25.0),
        ("企业数", "个", "enterprises", 25.0),  # and counts
        ("汽车制造业增加值", "万", "CNY", 2.5e5),  # a bare scale fits anything
        ("汽车产量", "million", "vehicles", 2.5e7),
    ],
)
def test_counting_words_fit_counted_dimensions_and_bare_scales_fit_any(tmp_path, indicator, unit, base_unit, value):
    obs = observations_of(write_raw(tmp_path, [f"广东省,汽车制造业,{indicator},2023年1-7月,,level,25,{unit},seed"]))
    published = obs[obs["status"] != "derived"]
    assert published[["unit", "value"]].values.tolist() == [[base_unit, value]]


@pytest.mark.parametrize(
    ("measure", "unit", "needed"),
    [("share_pct", "万辆", "percent"), ("yoy_pct", "亿元", "percent"), ("rank", "万", "rank"), ("rank", "%", "rank")],
)
def test_growth_and_shares_need_percent_and_ranks_need_rank(tmp_path, measure, unit, needed):
    row = f"广东省,汽车制造业,汽车产量,2023年1-7月,,{measure},5,{unit},seed"
    assert problems_of(write_raw(tmp_path, [row])) == [
        f"test.figures.csv:2:unit: a {measure} figure must be in {needed}, not '{unit}'"
    ]


def test_the_reference_tables_declare_a_dimension_and_base_unit_for_every_indicator():
    reference, problems = load_reference(REFERENCE)
    assert problems == []
    assert set(reference.indicator_defs) == set(reference.indicators["code"])
    assert reference.dimension("value_added") == "money" and reference.default_unit("value_added") == "CNY"
    assert reference.dimension("production") == "vehicles" and reference.dimensions["vehicles"] is True
    assert reference.dimensions["money"] is False


def _broken_reference(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("indicators.csv", "value_added,增加值,Value added,CNY,money", "value_added,增加值,Value added,CNY,",
         "indicators.csv:4:dimension: indicator 'value_added' needs a dimension from dimensions.csv, not ''"),
        ("indicators.csv", "value_added,增加值,Value added,CNY,money", "value_added,增加值,Value added,vehicles,money",
         "indicators.csv:4:default_unit: base unit 'vehicles' measures vehicles, not the indicator's dimension money"),
        ("units.csv", "万元,CNY,1e4,money", "万元,CNY,1e4,mass",
         "units.csv:4:dimension: base unit 'CNY' is money at reference/units.csv:2, not mass"),
        ("units.csv", "万元,CNY,1e4,money", "万元,CNY,1e4,weight",
         "units.csv:4:dimension: unknown dimension 'weight' (not in dimensions.csv)"),
        ("units.csv", "万元,CNY,1e4,money", "万元,CNY,1e4,",
         "units.csv:4:dimension: unit '万元' has base unit 'CNY' but no dimension"),
        ("units.csv", "个,,1,count", "个,,1,money",
         "dimension: a unit without a base unit is a bare scale (no dimension) or a counting word (a counted dimension), not 'money'"),
    ],
)
def test_a_reference_table_that_breaks_the_dimension_rules_stops_the_run(tmp_path, file, old, new, expected):
    reference = _broken_reference(tmp_path, file, old, new)
    _, problems = load_reference(reference)
    assert any(str(p).endswith(expected) for p in problems), [str(p) for p in problems]
