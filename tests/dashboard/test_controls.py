"""Normalising a requested selection against the data: only choices that lead to figures."""

from __future__ import annotations

import pytest

from dashboard.controls import normalise
from dashboard.query import Warehouse, dimension_options, reference_table, region_counts


@pytest.fixture(scope="module")
def tables(default_warehouse):
    snapshot = Warehouse(default_warehouse).snapshot()
    return (dimension_options(snapshot), reference_table(snapshot, "regions"), region_counts(snapshot),
            reference_table(snapshot, "industries"), reference_table(snapshot, "indicators"))


def test_defaults_are_the_richest_series_for_guangdong(tables):
    result = normalise({}, *tables, lang="en")
    state = result.state
    assert (state["indicator"], state["product"], state["industry"], state["scope"]) == (
        "production", "automobiles", "C36", "")
    assert state["measure"] == "level"
    assert state["region"] == ["440000"]
    assert state["view"] == "timeseries"
    assert result.notes == []


def test_the_cascade_offers_only_choices_with_data(tables):
    result = normalise({"indicator": "value_added", "product": "automobiles", "measure": "share_pct"}, *tables,
                       lang="en", strict=True)
    assert result.state["product"] == ""  # value added has no product
    assert {o["value"] for o in result.options["industry"]} >= {"BCD", "C36"}
    assert all(o["value"] != "automobiles" for o in result.options["product"])
    assert "product=automobiles" in result.notes


def test_unknown_region_is_noted_and_a_share_question_is_answerable(tables):
    result = normalise({"region": ["440000", "999999"], "measure": "share_pct", "period_kind": "ytd"}, *tables,
                       lang="zh", strict=True)
    assert result.state["region"] == ["440000"]
    assert result.notes == ["region=999999"]
    assert result.state["measure"] == "share_pct" and result.state["period_kind"] == "ytd"


def test_region_options_are_hierarchical_and_scoped_by_province(tables):
    everything = normalise({}, *tables, lang="en").options["region"]
    labels = [o["label"] for o in everything]
    assert labels[0] == "China 中国"
    guangdong = labels.index("Guangdong 广东省")
    assert labels[guangdong + 1].startswith("\u3000")  # its cities follow, indented
    scoped = normalise({"within": "440000", "region": ["441800"]}, *tables, lang="en")
    codes = {o["value"] for o in scoped.options["region"]}
    assert "441800" in codes and "440000" in codes and "CN" in codes
    assert "310000" not in codes
    assert {o["value"] for o in scoped.options["within"]} >= {"", "440000"}


def test_industry_hierarchy_is_indented(tables):
    options = normalise({"indicator": "enterprises"}, *tables, lang="en").options["industry"]
    by_code = {o["value"]: o["label"] for o in options}
    assert by_code["C367"].startswith("\u3000") and not by_code["C36"].startswith("\u3000\u3000")


def test_options_narrow_to_the_selected_regions(default_warehouse, tables):
    from dashboard.query import region_dimensions

    snapshot = Warehouse(default_warehouse).snapshot()
    result = normalise({"region": ["441800"]}, *tables, lang="en",
                       dims_for=lambda regions: region_dimensions(snapshot, regions), lead="441800")
    have = set(region_dimensions(snapshot, ("441800",))["indicator"])
    assert {o["value"] for o in result.options["indicator"]} == have  # only what Qingyuan has
    assert "production" not in have
    assert result.state["indicator"] in have  # the view jumps to Qingyuan's first series


def test_adding_a_region_without_the_series_jumps_to_its_first_series(default_warehouse, tables):
    from dashboard.query import region_dimensions

    snapshot = Warehouse(default_warehouse).snapshot()
    requested = {"region": ["440000", "441800"], "indicator": "production", "product": "automobiles",
                 "industry": "C36", "measure": "level", "period_kind": "ytd"}
    jumped = normalise(requested, *tables, lang="en", dims_for=lambda r: region_dimensions(snapshot, r), lead="441800")
    assert jumped.state["indicator"] != "production"
    assert jumped.state["region"] == ["440000", "441800"]
    kept = normalise(requested, *tables, lang="en", dims_for=lambda r: region_dimensions(snapshot, r), lead="310000")
    assert kept.state["indicator"] == "production"  # Shanghai has the series: nothing moves


def test_regions_are_found_by_chinese_english_pinyin_initials_and_code(tables):
    result = normalise({}, *tables, lang="zh")
    qingyuan = next(o for o in result.options["region"] if o["value"] == "441800")
    for query in ("清远", "Qingyuan", "qy", "qingyuan", "441800"):
        assert query in qingyuan["search"].lower() or query in qingyuan["search"]
