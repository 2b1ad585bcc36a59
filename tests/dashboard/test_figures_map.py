"""The map figure: regions coloured from committed boundaries, offline (no tiles)."""

from __future__ import annotations

import json

import brotli

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.figures.map import features_of, map_figure
from dashboard.geo import boundaries, boundaries_url, layer_digest
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


def test_by_url_the_figure_names_the_layer_and_carries_no_shapes():
    cities = boundaries("city")
    codes = sorted(f["properties"]["code"] for f in cities["features"])
    data = result([{"region_code": c, "value": float(i + 1)} for i, c in enumerate(codes)])
    url = boundaries_url("city")
    figure = map_figure(data, cities, "en", highlight=("440300",), geojson_url=url)
    (values,) = figure.data  # every city has a figure: no "no data" layer
    assert values.geojson == url
    assert len(values.locations) == len(codes)
    assert "A source" in values.hovertext[0]
    embedded = len(map_figure(data, cities, "en").to_json())
    by_url = len(figure.to_json())
    assert by_url * 8 < embedded  # every city with a value: codes, values and hover texts only
    assert '"coordinates"' not in figure.to_json()


def test_a_provinces_cities_by_url_draw_only_that_province():
    shapes = features_of(boundaries("city"), parent="440000")
    figure = map_figure(result([{"region_code": "440300", "value": 3.0}]), shapes, "en", geojson_url=boundaries_url("city"))
    no_data, marks, values = figure.data
    assert no_data.geojson == values.geojson == boundaries_url("city")  # the no-data layer names the URL too
    assert len(no_data.locations) == 20 and all(c.startswith("44") for c in no_data.locations)
    assert len(marks.lon) == 20
    assert list(values.locations) == ["440300"]


def test_the_layer_is_served_once_at_a_fingerprinted_address(default_warehouse):
    client = create_app(Config(warehouse=default_warehouse)).server.test_client()
    url = "/" + boundaries_url("city")
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Content-Encoding"] == "br"
    assert response.cache_control.max_age == 365 * 24 * 3600 and response.cache_control.immutable
    assert json.loads(brotli.decompress(response.get_data())) == boundaries("city")
    assert len(response.get_data()) < len(json.dumps(boundaries("city"))) / 2
    assert client.get("/geo/city.000000000000.geojson").status_code == 404  # an old or made-up fingerprint
    assert client.get("/geo/county." + layer_digest("city") + ".geojson").status_code == 404
    assert boundaries_url("county") is None
