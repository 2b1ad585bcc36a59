"""Compressed responses and browser caching: what makes the first page a few MB, not 8.

Every text response (the page, Dash's scripts, callback JSON, the API's JSON, the map
boundaries) goes out brotli- or gzip-compressed when the browser accepts it (Flask-Compress).
Static files are compressed once per process and kept (:class:`StaticCompressed`): Plotly's
4.8 MB bundle costs a fraction of a second to compress, which no user should wait for twice.
Streamed responses (the CSV/NDJSON downloads) are left as they are: they run at the pace of
the query, and compressing them would put a second CPU-bound stage on a 2-core host.

Cache lifetimes (:func:`cache_headers`):

* fingerprinted URLs — Dash's component bundles (``.v4_4_1m123.js``), the app's own assets
  with their ``?m=<mtime>`` and the map boundaries (``/geo/<level>.<hash>.geojson``) — are
  immutable for a year: their address changes whenever their content does;
* Dash's lazily loaded chunks (``async-graph.js``, ``plotly.min.js``), whose address carries
  no version, are stored but revalidated (``no-cache`` with their ETag: a 304, no body), so a
  package upgrade can never leave a browser running an old chunk against a new bundle.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Request, Response, request
from flask_compress import Compress

#: Responses compressed (besides Flask-Compress's defaults): the map's boundaries.
EXTRA_MIMETYPES = ("application/geo+json",)
#: Compressed static files kept per process (Dash's bundles compress to ~2 MB in all).
STATIC_CACHE_BYTES = 32 * 2**20
YEAR_S = 365 * 24 * 3600
#: A cache key that means "do not keep" (dynamic responses: callbacks, API answers, the page).
NOT_KEPT = "-"
STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/", "/geo/")


def static_key(req: Request) -> str:
    """The compressed-response cache key: the full path of a static GET, else :data:`NOT_KEPT`.

    A static file's bytes are fixed for the life of the process at a given path and query
    (fingerprint or ``?m=`` included), so its compressed form can be reused; anything else
    (a POSTed callback shares one URL for every answer) must be compressed afresh.
    """
    if req.method == "GET" and req.path.startswith(STATIC_PREFIXES):
        return req.full_path
    return NOT_KEPT


class StaticCompressed:
    """Flask-Compress's cache backend: compressed static files, least recently used out first."""

    def __init__(self, limit_bytes: int = STATIC_CACHE_BYTES) -> None:
        self.limit = limit_bytes
        self.size = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _kept(key: str) -> bool:
        return not key.endswith(";" + NOT_KEPT)  # Flask-Compress keys are "<algorithm>;<our key>"

    def get(self, key: str) -> bytes | None:
        if not self._kept(key):
            return None
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if not self._kept(key) or len(value) > self.limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._entries[key] = value
            self.size += len(value)
            while self.size > self.limit:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped)


def cache_headers(response: Response) -> Response:
    """Long lifetimes for fingerprinted static files, revalidation for unversioned chunks."""
    path = request.path
    if request.method != "GET" or response.status_code != 200 or not path.startswith(STATIC_PREFIXES):
        return response
    fingerprinted = (
        (path.startswith("/assets/") and "m" in request.args)
        or path.startswith("/geo/")
        or (path.startswith("/_dash-component-suites/") and response.cache_control.max_age)
    )
    if fingerprinted:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_S
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
        if not response.get_etag()[0] and not response.is_streamed:
            response.add_etag()
            response.make_conditional(request)
    return response


def install_compression(server: Flask) -> Compress:
    """Brotli/gzip for ``server``'s responses, static ones compressed once; cache lifetimes."""
    server.after_request(cache_headers)  # after_request runs last-registered first: this runs after compression
    compress = Compress()
    server.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    server.config.setdefault("COMPRESS_BR_LEVEL", 5)
    server.config.setdefault("COMPRESS_LEVEL", 6)
    server.config.setdefault("COMPRESS_STREAMS", False)
    server.config.setdefault("COMPRESS_CACHE_KEY", static_key)
    server.config.setdefault("COMPRESS_CACHE_BACKEND", StaticCompressed)
    compress.init_app(server)
    compress.compress_mimetypes_set |= set(EXTRA_MIMETYPES)
    return compress
