"""The share-of-parent figure: reported and derived shares told apart."""

from __future__ import annotations

from datetime import date

from dashboard.figures.share import share_figure
from tests.dashboard.frames import result


def test_reported_filled_derived_hollow_on_one_line_per_region():
    data = result([
        {"measure": "share_pct", "unit": "percent", "value": 17.8, "period_end": date(2023, 7, 31)},
        {"measure": "share_pct", "unit": "percent", "value": 17.1, "period_end": date(2023, 12, 31),
         "period_start": date(2023, 1, 1), "status": "derived"},
        {"measure": "share_pct", "unit": "percent", "value": 9.0, "region_code": "310000"},
        {"measure": "share_pct", "unit": "percent", "value": 8.0, "region_code": "310000",
         "period_end": date(2023, 12, 31)},
    ])
    figure = share_figure(data, "en")
    assert [trace.name for trace in figure.data] == ["Guangdong", "Shanghai"]
    assert list(figure.data[0].marker.symbol) == ["circle", "circle-open"]
    assert list(figure.data[0].y) == [17.8, 17.1]


def test_shares_of_something_else_than_the_parent_are_left_out():
    data = result([
        {"measure": "share_pct", "unit": "percent", "value": 40.0, "share_of": "indicator:production/product:automobiles"},
    ])
    figure = share_figure(data, "zh")
    assert figure.data == ()
    assert "占上级地区比重" in figure.layout.annotations[0].text


def test_one_period_is_bars_with_the_period_in_the_title():
    data = result([{"measure": "share_pct", "unit": "percent", "value": 17.8}])
    figure = share_figure(data, "en")
    assert figure.data[0].type == "bar"
    assert "Jan–Jul 2023" in figure.layout.title.text


def test_annual_shares_sit_at_their_year_not_at_next_januarys_tick():
    data = result([
        {"measure": "share_pct", "unit": "percent", "value": 12.2, "period_kind": "year",
         "period_start": date(2019, 1, 1), "period_end": date(2019, 12, 31)},
        {"measure": "share_pct", "unit": "percent", "value": 17.2, "period_kind": "year",
         "period_start": date(2023, 1, 1), "period_end": date(2023, 12, 31)},
    ])
    figure = share_figure(data, "en")
    assert list(figure.data[0].x) == [2019, 2023]
    assert figure.layout.xaxis.dtick == 1
