"""The map figure: regions coloured from committed boundaries, offline (no tiles)."""

from __future__ import annotations

from dashboard.figures.map import features_of, map_figure
from dashboard.geo import boundaries
from tests.dashboard.frames import result


def test_provinces_are_coloured_from_real_boundaries():
    provinces = boundaries("province")
    assert len(provinces["features"]) >= 34
    data = result([{"region_code": "440000", "value": 2_738_100.0}, {"region_code": "310000", "value": 1_000_000.0}])
    figure = map_figure(data, provinces, "en", highlight=("440000",))
    background, values = figure.data
    assert background.type == values.type == "choropleth"
    assert len(background.locations) == len(provinces["features"])
    assert list(values.locations) == ["440000", "310000"]
    assert list(values.z) == [2.7381, 1.0]
    assert values.featureidkey == "properties.code"
    assert figure.layout.geo.fitbounds == "locations"
    widths = list(values.marker.line.width)
    assert widths[0] > widths[1]
    assert "A source" in values.hovertext[0]


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
