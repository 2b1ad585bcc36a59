"""The time-series figure builder, tested on small frames without a server."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.figures.timeseries import shade, timeseries_figure


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
    hover = next(tr for tr in timeseries_figure(data, "en").data if tr.name == "2023").hovertext[0]
    assert "A source" in hover and "2023-08-25" in hover and "reported" in hover and "2.7381 million vehicles" in hover


def test_derived_points_are_hollow_and_reported_filled():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 12, 31), 1.0, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 12, 31), 2.0, "derived"),
        ]
    )
    assert list(timeseries_figure(data, "en").data[0].marker.symbol) == ["circle", "circle-open"]


def test_year_to_date_is_one_line_per_year_over_the_months():
    data = frame(
        [
            ("440000", date(2022, 1, 1), date(2022, 7, 31), 1.9e6, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 7, 31), 2.0e6, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 9, 30), 3.0e6, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 2, 29), 0.5e6, "reported"),
        ]
    )
    figure = timeseries_figure(data, "en")
    lines = {trace.name: (list(trace.x), list(trace.y)) for trace in figure.data}
    assert lines == {"2024": ([2], [0.5]), "2023": ([7, 9], [2.0, 3.0]), "2022": ([7], [1.9])}
    # Jan–Jul 2023 sits straight above Jan–Jul 2022; no trace runs from Jan–Sep 2023 to Jan–Feb 2024
    ticks = dict(zip(figure.layout.xaxis.tickvals, figure.layout.xaxis.ticktext, strict=True))
    assert ticks[2] == "Jan–Feb" and ticks[7] == "Jan–Jul"
    zh = timeseries_figure(data, "zh").layout.xaxis
    assert dict(zip(zh.tickvals, zh.ticktext, strict=True))[7] == "1-7月"


def test_every_trace_joins_periods_of_one_year_and_one_kind_only():
    data = frame(
        [
            ("440000", date(2023, 1, 1), date(2023, 7, 31), 2.0e6, "reported"),
            ("440000", date(2024, 1, 1), date(2024, 7, 31), 2.1e6, "reported"),
            ("CN", date(2023, 1, 1), date(2023, 7, 31), 15.0e6, "reported"),
            ("CN", date(2024, 1, 1), date(2024, 2, 29), 4.0e6, "reported"),
        ]
    )
    figure = timeseries_figure(data, "en", colours={"440000": "#0072B2", "CN": "#E69F00"})
    assert sorted(trace.name for trace in figure.data) == ["China 2023", "China 2024", "Guangdong 2023", "Guangdong 2024"]
    for trace in figure.data:
        assert {trace.meta["year"]} == {int(trace.name[-4:])}
    colours = {trace.name: trace.line.color for trace in figure.data}
    assert colours["Guangdong 2024"] == "#0072B2" and colours["China 2024"] == "#E69F00"
    assert colours["Guangdong 2023"] == shade("#0072B2", 1) != "#0072B2"  # an older year: a lighter shade


def test_periods_of_different_lengths_never_share_a_line():
    data = frame(
        [
            ("440000", date(2021, 1, 1), date(2025, 12, 31), 5.0, "reported"),
            ("440000", date(2016, 1, 1), date(2020, 12, 31), 4.0, "reported"),
            ("440000", date(2023, 1, 1), date(2025, 12, 31), 3.0, "reported"),
        ]
    ).assign(period_kind="span")
    figure = timeseries_figure(data, "en")
    assert sorted(len(trace.x) for trace in figure.data) == [1, 2]
    assert {trace.meta["months"] for trace in figure.data} == {60, 36}


def test_colours_follow_the_given_regions_whatever_else_is_drawn():
    data = frame(
        [
            ("440000", date(2022, 1, 1), date(2022, 12, 31), 4.0e6, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 12, 31), 5.0e6, "reported"),
            ("CN", date(2022, 1, 1), date(2022, 12, 31), 27.0e6, "reported"),
            ("CN", date(2023, 1, 1), date(2023, 12, 31), 30.0e6, "reported"),
        ]
    )
    alone = timeseries_figure(data[data["region_code"] == "440000"], "en", colours={"440000": "#0072B2"})
    both = timeseries_figure(data, "en", colours={"440000": "#0072B2", "CN": "#E69F00"})
    assert alone.data[0].line.color == both.data[0].line.color == "#0072B2"
    assert both.data[1].line.color == "#E69F00"


def test_a_log_axis_only_for_positive_levels():
    data = frame(
        [
            ("440000", date(2022, 1, 1), date(2022, 12, 31), 4.0e6, "reported"),
            ("440000", date(2023, 1, 1), date(2023, 12, 31), 5.0e6, "reported"),
        ]
    )
    assert timeseries_figure(data, "en", log_axis=True).layout.yaxis.type == "log"
    assert timeseries_figure(data, "en").layout.yaxis.type is None


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
