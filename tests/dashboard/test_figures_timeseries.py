"""The time-series figure builder, tested on small frames without a server."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.figures.timeseries import timeseries_figure


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["region_code", "period_start", "period_end", "value", "status"]
    base = pd.DataFrame(rows, columns=columns)
    return base.assign(
        region_name_zh=base["region_code"].map({"440000": "广东省", "CN": "全国"}),
        region_name_en=base["region_code"].map({"440000": "Guangdong", "CN": "China"}),
        period_kind=[
            "ytd" if s.month == 1 and e.month != 12 else "year"
            for s, e in zip(base["period_start"], base["period_end"], strict=True)
        ],
        measure="level",
        unit="vehicles",
        qualifier="exact",
        is_default=True,
        source_id="s1",
        source_title="A source",
        source_published_date=date(2023, 8, 25),
    )


def test_one_line_per_region_scaled_to_one_unit():
    data = frame(
        [
            ("440000", date(2022, 1, 1), date(2022, 12, 31), 4_150_000.0, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 12, 31), 5_000_000.0, "reported"),
            ("CN", date(2022, 1, 1), date(2022, 12, 31), 27_000_000.0, "reported"),
            ("CN", date(2023, 1, 1), date(2023, 12, 31), 30_160_000.0, "reported"),
        ]
    )
    figure = timeseries_figure(data, "en")
    assert [trace.name for trace in figure.data] == ["Guangdong", "China"]
    assert list(figure.data[0].y) == [4.15, 5.0]
    assert "million vehicles" in figure.layout.yaxis.title.text
    zh = timeseries_figure(data, "zh")
    assert [trace.name for trace in zh.data] == ["广东省", "全国"]
    assert list(zh.data[0].y) == [415.0, 500.0]
    assert "万辆" in zh.layout.yaxis.title.text


def test_hover_shows_source_date_and_status():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 7, 31), 2_738_100.0, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 7, 31), 2_900_000.0, "reported"),
        ]
    )
    hover = timeseries_figure(data, "en").data[0].hovertext[0]
    assert "A source" in hover and "2023-08-25" in hover and "reported" in hover and "2.7381 million vehicles" in hover


def test_derived_points_are_hollow_and_reported_filled():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 12, 31), 1.0, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 12, 31), 2.0, "derived"),
        ]
    )
    assert list(timeseries_figure(data, "en").data[0].marker.symbol) == ["circle", "circle-open"]


def test_cumulative_values_are_not_joined_across_years():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 7, 31), 2.0e6, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 9, 30), 3.0e6, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 2, 29), 0.5e6, "reported"),
        ]
    )
    y = list(timeseries_figure(data, "en").data[0].y)
    assert y[:2] == [2.0, 3.0]
    assert pd.isna(y[2])
    assert y[3] == 0.5


def test_a_single_period_is_a_bar_chart():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 7, 31), 2.0e6, "reported"),
            ("CN", date(2023, 1, 1), date(2023, 7, 31), 15.0e6, "reported"),
        ]
    )
    figure = timeseries_figure(data, "en")
    assert {trace.type for trace in figure.data} == {"bar"}


def test_an_empty_selection_says_so_instead_of_an_empty_axis():
    figure = timeseries_figure(frame([]), "en")
    assert figure.data == ()
    assert "No figures match" in figure.layout.annotations[0].text
