"""Rows cut from per-region series slices are exactly the rows the SQL query returns."""

from __future__ import annotations

import itertools
from datetime import date

import pandas as pd
import pytest

from dashboard.query import Filters, Warehouse, _observations, dimension_options, observations


@pytest.fixture(scope="module")
def snapshot(default_warehouse):
    return Warehouse(default_warehouse).snapshot()


def direct(snapshot, filters: Filters) -> pd.DataFrame:
    return _observations(snapshot, filters, None)


def selections(snapshot):
    series = dimension_options(snapshot)[["indicator", "product", "industry_code", "scope"]].drop_duplicates().head(8)
    region_sets = [("440000",), ("CN", "440000"), ("310000", "440000", "340000"), ("441800",), ("999999",)]
    narrowing = [
        {},
        {"measures": ("level",), "period_kinds": ("ytd",)},
        {"measures": ("yoy_pct", "share_pct"), "period_kinds": ("year", "ytd")},
        {"measures": ("level",), "date_from": date(2022, 1, 1), "date_to": date(2023, 7, 31)},
        {"statuses": ("reported",), "date_to": date(2023, 12, 31)},
        {"all_sources": True},
    ]
    for row, regions, extra in itertools.product(series.itertuples(), region_sets, narrowing):
        yield Filters(regions=regions, indicator=row.indicator, product=row.product, industry=row.industry_code,
                      scope=row.scope, **extra)


def test_every_selection_matches_the_sql_row_for_row(snapshot):
    compared = nonempty = 0
    for filters in selections(snapshot):
        ours, theirs = observations(snapshot, filters), direct(snapshot, filters)
        assert list(ours.columns) == list(theirs.columns)
        assert len(ours) == len(theirs), filters
        if len(ours):
            nonempty += 1
            # Rows equal on every column; the order is the SQL's ORDER BY (ties among sources aside).
            everything = list(theirs.columns)
            pd.testing.assert_frame_equal(ours.sort_values(everything, na_position="last").reset_index(drop=True),
                                          theirs.sort_values(everything, na_position="last").reset_index(drop=True),
                                          check_dtype=False)
            keys = ["region_code", "period_end", "period_start", "measure"]
            assert ours[keys].equals(theirs[keys]), filters
        compared += 1
    assert compared >= 240 and nonempty >= 60


def test_the_cards_query_after_the_charts_is_answered_without_duckdb(snapshot, monkeypatch):
    import dashboard.query

    chart = Filters(regions=("310000",), indicator="production", product="automobiles", industry="C36", scope="",
                    measures=("level",), period_kinds=("ytd",))
    observations(snapshot, chart)
    cards = Filters(regions=("310000",), indicator="production", product="automobiles", industry="C36", scope="")
    queries = []
    real = dashboard.query._observations
    monkeypatch.setattr(dashboard.query, "_observations", lambda *args: queries.append(args) or real(*args))
    rows = observations(snapshot, cards)
    assert queries == []  # the region's slice, no new query
    assert {"level", "yoy_pct"} <= set(rows["measure"])
    assert len(rows) == len(direct(snapshot, cards))


def test_a_selection_of_many_regions_or_a_whole_level_is_its_own_query(snapshot):
    level = Filters(indicator="production", product="automobiles", industry="C36", scope="", region_level="province",
                    measures=("level",), period_kinds=("year",))
    assert len(observations(snapshot, level)) == len(direct(snapshot, level)) > 3
