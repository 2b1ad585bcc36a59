"""The map figure: regions coloured from committed boundaries, offline (no tiles)."""

from __future__ import annotations

from dashboard.figures.map import features_of, map_figure
from dashboard.geo import boundaries
from tests.dashboard.frames import result


def test_provinces_are_coloured_from_real_boundaries():
    provinces = boundaries("province")
    assert len(provinces["features"]) >= 34
    data = result([{"region_code": "440000", "value": 2_738_100.0}, {"region_code": "310000", "value": 1_000_000.0}])
    figure = map_figure(data, provinces, "en", highlight=("440000",), names={"110000": "Beijing"})
    no_data, _marks, values = figure.data
    assert no_data.type == values.type == "choropleth"
    assert len(no_data.locations) == len(provinces["features"]) - 2  # every region without a figure
    assert "440000" not in no_data.locations
    assert "Beijing: No figure" in no_data.hovertext
    assert list(values.locations) == ["440000", "310000"]
    assert list(values.z) == [2.7381, 1.0]
    assert values.featureidkey == "properties.code"
    assert figure.layout.geo.fitbounds == "locations"
    widths = list(values.marker.line.width)
    assert widths[0] > widths[1]
    assert "A source" in values.hovertext[0]


def test_no_data_is_a_pattern_outside_the_scale_with_its_own_legend_entry():
    provinces = boundaries("province")
    figure = map_figure(result([{"region_code": "440000", "value": 2.0}]), provinces, "zh")
    no_data, marks, values = figure.data
    assert no_data.colorscale[0][1] == no_data.colorscale[-1][1] == "#e9e4da"  # one flat fill, not a shade of blue
    assert values.colorscale[0][1] != "#e9e4da"
    assert marks.type == "scattergeo" and marks.showlegend and marks.name == "无数据"
    assert len(marks.lon) == len(no_data.locations) and marks.marker.symbol == "x-thin-open"
    assert not values.showlegend


def test_a_provinces_cities_only():
    cities = features_of(boundaries("city"), parent="440000")
    codes = {f["properties"]["code"] for f in cities["features"]}
    assert "441800" in codes and "440300" in codes
    assert all(code.startswith("44") for code in codes)
    assert len(codes) == 21


def test_regions_without_a_boundary_are_not_drawn_and_none_says_so():
    figure = map_figure(result([{"region_code": "US-26", "value": 1.0}]), boundaries("province"), "en")
    assert figure.data == ()
    assert "No figures" in figure.layout.annotations[0].text


def test_unknown_level_has_no_boundaries():
    assert boundaries("county")["features"] == []
