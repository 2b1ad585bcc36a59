"""The ranking figure and the choice of the period it compares."""

from __future__ import annotations

from datetime import date

from dashboard.figures.ranking import HIGHLIGHT, comparison_period, ranking_figure
from tests.dashboard.frames import result


def test_bars_sorted_largest_on_top_with_the_selection_highlighted():
    data = result([
        {"region_code": "440000", "value": 2_738_100.0},
        {"region_code": "310000", "value": 1_200_000.0},
        {"region_code": "340000", "value": 1_500_000.0},
    ])
    figure = ranking_figure(data, "en", highlight=("440000",))
    bar = figure.data[0]
    assert list(bar.y) == ["Shanghai", "Anhui", "Guangdong"]  # plotly draws the last bar on top
    colours = list(bar.marker.color)
    assert colours[-1] == HIGHLIGHT
    assert colours[0] != HIGHLIGHT
    assert "Jan–Jul 2023" in figure.layout.title.text
    assert "million vehicles" in figure.layout.xaxis.title.text


def test_rank_one_is_on_top_and_derived_bars_are_hollow():
    data = result([
        {"region_code": "440000", "value": 1.0, "measure": "rank", "unit": "rank"},
        {"region_code": "310000", "value": 3.0, "measure": "rank", "unit": "rank", "status": "derived"},
    ])
    bar = ranking_figure(data, "zh").data[0]
    assert list(bar.y) == ["上海市", "广东省"]
    assert bar.marker.color[0] == "#ffffff"


def test_hover_carries_the_source():
    hover = ranking_figure(result([{"value": 5.0}]), "en").data[0].hovertext[0]
    assert "A source" in hover and "2023-08-25" in hover and "reported" in hover


def test_comparison_period_follows_the_focus_region_else_the_most_regions():
    data = result([
        {"region_code": "440000", "period_end": date(2023, 7, 31), "value": 1.0},
        {"region_code": "310000", "period_end": date(2023, 7, 31), "value": 2.0},
        {"region_code": "340000", "period_end": date(2024, 7, 31), "period_start": date(2024, 1, 1), "value": 3.0},
    ])
    assert set(comparison_period(data, "440000")["region_code"]) == {"440000", "310000"}
    assert set(comparison_period(data, "340000")["region_code"]) == {"340000"}
    assert set(comparison_period(data, "441800")["region_code"]) == {"440000", "310000"}


def test_empty_selection_says_so():
    figure = ranking_figure(result([{"value": None}]), "en")
    assert figure.data == ()
    assert "No figures" in figure.layout.annotations[0].text


def test_a_lone_region_gets_a_bar_not_the_whole_plot():
    figure = ranking_figure(result([{"value": 17.8, "measure": "share_pct", "unit": "percent"}]), "en")
    low, high = figure.layout.yaxis.range
    assert high - low >= 8
    assert figure.layout.xaxis.title.text == "Share of parent region (%)"
