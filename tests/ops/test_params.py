"""URL parameters → Filters: strict codes and dates, unknown names rejected, nothing else let through."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from dashboard.params import parse_choice, parse_limit, parse_params


def parse(**kwargs):
    return parse_params(MultiDict(kwargs), extra={"lang", "limit"})


def test_codes_split_on_commas_and_repeat():
    filters, errors = parse_params(MultiDict([("region", "440000, 310000"), ("region", "CN")]))
    assert errors == []
    assert filters.regions == ("440000", "310000", "CN")


def test_every_dimension_maps_to_a_filter_field():
    filters, errors = parse(region="440000", industry="C36", indicator="production,value_added", product="nev",
                            measure="yoy_pct", period_kind="ytd", status="reported", source="all")
    assert errors == []
    assert filters.industries == ("C36",) and filters.indicators == ("production", "value_added")
    assert filters.products == ("nev",) and filters.measures == ("yoy_pct",) and filters.period_kinds == ("ytd",)
    assert filters.statuses == ("reported",) and filters.all_sources is True


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-07-15", date(2023, 7, 15), date(2023, 7, 15)),
])
def test_dates_widen_to_their_period(text, start, end):
    filters, errors = parse(**{"from": text, "to": text})
    assert errors == []
    assert (filters.date_from, filters.date_to) == (start, end)


@pytest.mark.parametrize(("name", "value"), [
    ("region", "44;DROP TABLE observations"),
    ("region", "' OR 1=1 --"),
    ("region", ""),
    ("region", "440000,,310000"),
    ("industry", "x" * 33),
    ("region", ",".join(["1"] * 201)),
    ("measure", "bogus"),
    ("status", "REPORTED"),
    ("period_kind", "week"),
    ("from", "2023-13"),
    ("to", "2023-02-30"),
    ("from", "23"),
    ("to", "2023/01"),
    ("source", "some"),
    ("regions", "440000"),
])
def test_bad_values_are_errors_naming_the_parameter(name, value):
    _, errors = parse(**{name: value})
    assert [e.parameter for e in errors] == [name]
    assert errors[0].error


def test_from_after_to_is_an_error():
    _, errors = parse(**{"from": "2024", "to": "2023"})
    assert [e.parameter for e in errors] == ["from"]


def test_extra_names_are_left_to_the_caller():
    _, errors = parse_params(MultiDict({"lang": "zh"}))
    assert [e.parameter for e in errors] == ["lang"]
    errors = []
    assert parse_choice(MultiDict({"lang": "zh"}), "lang", ("en", "zh"), "en", errors) == "zh"
    assert parse_choice(MultiDict({"lang": "fr"}), "lang", ("en", "zh"), "en", errors) == "en"
    assert parse_limit(MultiDict({"limit": "-1"}), "limit", 100, errors) is None
    assert parse_limit(MultiDict({"limit": "5"}), "limit", 100, errors) == 5
    assert [e.parameter for e in errors] == ["lang", "limit"]


def test_a_plain_dict_works_too():
    filters, errors = parse_params({"region": "440000", "from": "2020"})
    assert errors == [] and filters.regions == ("440000",) and filters.date_from == date(2020, 1, 1)
