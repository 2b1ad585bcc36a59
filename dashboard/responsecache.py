"""Whole responses kept per snapshot: a repeated request is answered without running the app.

Why: under load most requests repeat one another — the page, its layout and dependencies, the
chart callback for a popular state, an API read of a popular series. Measured with one client
(bench/RESULTS-serving.md before this module) they cost 4–36 ms each, of which the query is the
least: the figure's JSON encoding, its compression and Dash's dispatch make up the rest, and
the result cache (:mod:`dashboard.cache`, :mod:`dashboard.viewcache`) only saves the query and the
figure. Here the final bytes — compressed, with every header — are kept, so a repeat costs a
dictionary lookup.

How, in two parts:

* :class:`ResponseCache` wraps the Flask server's WSGI application. It computes the key of a
  candidate request (GET of :data:`GET_PATHS`, POST of a callback) and answers a hit from memory;
  a GET whose ``If-None-Match`` names the kept ``ETag`` gets a 304 without a body.
* :func:`install_response_cache` adds an ``after_request`` hook that decides whether the app's
  answer may be kept (:func:`_storable`): a 200, no cookie set, read from the snapshot the key
  names, and for a callback one of :data:`CALLBACK_OUTPUTS` that did not fail (Dash reports a
  failure, or the guard a refused value, as a ``sideUpdate`` message — never kept, so a timeout
  under load is not replayed for the rest of the snapshot).

**Key** — the result cache's scheme (:meth:`dashboard.cache.ResultCache.key`, kind ``response``):
namespace, code version, *snapshot id* (``current`` read per request: a new snapshot never meets
an old answer) and a digest of the method, path, query string, request body and the request
headers an answer may depend on (:data:`VARY`: the host and scheme the "Get this data" link is
built from, the referrer the page's language is read from, encodings, cookies), plus today's date
(the "Cite this view" text names it).

Memory is bounded (:data:`DEFAULT_BYTES` per process, entries over :data:`MAX_ENTRY_BYTES` are not
kept; a larger response streams through untouched after its first :data:`MAX_ENTRY_BYTES`), and
everything of an older snapshot is dropped when ``current`` moves. Each process keeps its own:
entries are small and quickly recomputed, a shared store would cost a network round trip on every
hit.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flask import Flask, Response, request

from dashboard import ids
from dashboard.cache import ResultCache
from dashboard.timing import noted_snapshot

#: GET paths whose answers are kept: the page and what it loads first, and the API's reads.
GET_PATHS = frozenset({"/", "/_dash-layout", "/_dash-dependencies", "/api/meta.json", "/api/sources.json"})
GET_PREFIXES = ("/api/observations.",)
DISPATCH_PATH = "/_dash-update-component"
#: Callbacks whose answer depends only on the snapshot and the request (an output of each): the
#: view and the page's texts. Others — the run banner polls history that changes without a new
#: snapshot, downloads are one-off — always run.
CALLBACK_OUTPUTS = frozenset({(ids.CHART, "figure"), (ids.TITLE, "children")})
#: Request headers (WSGI names) that are part of the key.
VARY = ("HTTP_HOST", "wsgi.url_scheme", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_REFERER",
        "HTTP_ACCEPT_ENCODING", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE")
#: Largest request body hashed for a key (callback bodies are a few kB; larger ones just run).
MAX_REQUEST_BYTES = 64 * 1024
#: Largest response kept; bytes kept per process.
MAX_ENTRY_BYTES = 2 * 2**20
DEFAULT_BYTES = 64 * 2**20
#: WSGI environ keys between the middleware and the decision hook.
ENV_SNAPSHOT = "dashboard.response_cache.snapshot"
ENV_STORE = "dashboard.response_cache.store"
#: Response headers not kept (recomputed per answer).
NOT_KEPT = frozenset({"server-timing", "content-length", "transfer-encoding", "connection"})


@dataclass(frozen=True)
class Entry:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str | None


class ResponseStore:
    """Entries of the current snapshot, least recently used out first, at most ``limit`` bytes."""

    def __init__(self, limit: int = DEFAULT_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.hits = self.misses = 0
        self._snapshot: str | None = None
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._lock = threading.Lock()

    def _follow(self, snapshot_id: str) -> None:
        if snapshot_id != self._snapshot:  # `current` moved: nothing kept can be asked for again
            self._entries.clear()
            self.size = 0
            self._snapshot = snapshot_id

    def get(self, snapshot_id: str, key: str) -> Entry | None:
        with self._lock:
            self._follow(snapshot_id)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, snapshot_id: str, key: str, entry: Entry) -> None:
        if len(entry.body) > min(self.limit, MAX_ENTRY_BYTES):
            return
        with self._lock:
            if snapshot_id != self._snapshot:
                return  # computed from a snapshot that is no longer current
            old = self._entries.pop(key, None)
            self.size -= len(old.body) if old is not None else 0
            self._entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.limit:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)

    def stats(self) -> dict[str, int]:
        """This process's counts and size (``/api/cache.json``, ``/metrics``)."""
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "entries": len(self._entries), "bytes": self.size,
                    "limit_bytes": self.limit}


def _candidate(environ: dict) -> bool:
    method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO", "")
    if method == "GET":
        return path in GET_PATHS or path.startswith(GET_PREFIXES)
    return method == "POST" and path == DISPATCH_PATH


def _request_body(environ: dict) -> bytes | None:
    """The request body, read and put back for the app; None when it is too large or unsized."""
    if environ.get("REQUEST_METHOD") != "POST":
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if length < 0 or length > MAX_REQUEST_BYTES:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def request_key(cache: ResultCache, snapshot_id: str, environ: dict, body: bytes) -> str:
    """The entry's key: the result cache's scheme over everything the answer may depend on."""
    params = {
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO", ""),
        "query": environ.get("QUERY_STRING", ""),
        "body": hashlib.sha256(body).hexdigest(),
        "vary": [str(environ.get(name, "")) for name in VARY],
        "date": date.today().isoformat(),
    }
    return cache.key(snapshot_id, "response", params)


def _etag_matches(environ: dict, etag: str | None) -> bool:
    wanted = environ.get("HTTP_IF_NONE_MATCH")
    if not wanted or etag is None:
        return False
    return wanted.strip() == "*" or etag in {tag.strip().removeprefix("W/") for tag in wanted.split(",")}


class ResponseCache:
    """WSGI middleware: answers kept requests from a :class:`ResponseStore`, keeps new answers."""

    def __init__(self, app: Callable, cache: ResultCache, current_id: Callable[[], str | None],
                 store: ResponseStore) -> None:
        self.app = app
        self.cache = cache
        self.current_id = current_id
        self.store = store

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not _candidate(environ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        body = _request_body(environ)
        snapshot_id = self._current_id() if body is not None else None
        if snapshot_id is None:
            return self.app(environ, start_response)
        key = request_key(self.cache, snapshot_id, environ, body)
        entry = self.store.get(snapshot_id, key)
        if entry is not None:
            return self._answer(environ, start_response, entry, started)
        environ[ENV_SNAPSHOT] = snapshot_id
        return self._run(environ, start_response, snapshot_id, key)

    def _current_id(self) -> str | None:
        """The snapshot ``current`` names, or None — also when the store cannot say (object storage
        down): the request then runs as if there were no cache, and the app answers with its own error."""
        try:
            return self.current_id()
        except Exception:
            return None

    @staticmethod
    def _answer(environ: dict, start_response: Callable, entry: Entry, started: float) -> list[bytes]:
        timing = ("Server-Timing", f'cache;desc="hit";dur={(time.perf_counter() - started) * 1000:.2f}')
        if environ.get("REQUEST_METHOD") == "GET" and _etag_matches(environ, entry.etag):
            kept = [(n, v) for n, v in entry.headers if n.lower() not in ("content-type", "content-encoding")]
            start_response("304 Not Modified", [*kept, timing])
            return []
        start_response(entry.status, [*entry.headers, ("Content-Length", str(len(entry.body))), timing])
        return [entry.body]

    def _run(self, environ: dict, start_response: Callable, snapshot_id: str, key: str) -> Iterable[bytes]:
        captured: list = []

        def capture(status: str, headers: list, exc_info=None):
            captured[:] = [status, headers, exc_info]
            return lambda data: None  # the legacy write() callable: not used by Flask

        result = self.app(environ, capture)
        if not captured:  # an app that starts its response lazily: pass it through
            return self._relay(result, start_response, captured, [])
        status, headers, exc_info = captured
        if not environ.get(ENV_STORE):
            start_response(status, headers, exc_info)
            return result
        parts: list[bytes] = []
        size = 0
        iterator = iter(result)
        try:
            for part in iterator:
                parts.append(part)
                size += len(part)
                if size > MAX_ENTRY_BYTES:  # too large to keep: send what came and stream the rest
                    start_response(status, headers, exc_info)
                    return self._rest(parts, iterator, result)
        except BaseException:
            _close(result)
            raise
        _close(result)
        body = b"".join(parts)
        return self._keep(environ, start_response, snapshot_id, key, status, headers, body)

    def _keep(self, environ: dict, start_response: Callable, snapshot_id: str, key: str, status: str,
              headers: list, body: bytes) -> list[bytes]:
        kept = [(n, v) for n, v in headers if n.lower() not in NOT_KEPT]
        timing = [(n, v) for n, v in headers if n.lower() == "server-timing"]
        etag = next((v for n, v in kept if n.lower() == "etag"), None)
        if environ.get("REQUEST_METHOD") == "GET":
            if etag is None:
                etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
                kept.append(("ETag", etag))
            if not any(n.lower() == "cache-control" for n, _ in kept):
                kept.append(("Cache-Control", "no-cache"))  # keep it, but ask again (a 304 when unchanged)
        entry = Entry(status, tuple(kept), body, etag)
        self.store.put(snapshot_id, key, entry)
        if environ.get("REQUEST_METHOD") == "GET" and _etag_matches(environ, etag):
            start_response("304 Not Modified", [(n, v) for n, v in kept if n.lower() != "content-type"] + timing)
            return []
        start_response(status, [*kept, ("Content-Length", str(len(body))), *timing])
        return [body]

    @staticmethod
    def _rest(parts: list[bytes], iterator: Iterator[bytes], result: Iterable[bytes]) -> Iterator[bytes]:
        try:
            yield from parts
            parts.clear()
            yield from iterator
        finally:
            _close(result)

    @staticmethod
    def _relay(result: Iterable[bytes], start_response: Callable, captured: list, _parts: list) -> Iterator[bytes]:
        try:
            for part in result:
                if captured:
                    start_response(*captured)
                    captured.clear()
                yield part
        finally:
            _close(result)


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _callback_outputs(body: bytes) -> set[tuple[str, str]]:
    try:
        output = json.loads(body).get("output")
    except (ValueError, AttributeError, RecursionError):
        return set()
    if not isinstance(output, str) or "{" in output:
        return set()
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    return {tuple(part.rsplit(".", 1)) for part in parts if "." in part}  # type: ignore[misc]


def _storable(response: Response) -> bool:
    """Whether the app's answer to this request may be kept (see the module docstring)."""
    environ = request.environ
    snapshot_id = environ.get(ENV_SNAPSHOT)
    if snapshot_id is None or response.status_code != 200 or "Set-Cookie" in response.headers:
        return False
    if noted_snapshot() not in (None, snapshot_id):
        return False  # drawn from another snapshot (a pinned one, or `current` moved meanwhile)
    if request.method == "GET":
        return True
    if not CALLBACK_OUTPUTS & _callback_outputs(request.get_data(cache=True)):
        return False
    if response.is_streamed:
        return False
    return b'"sideUpdate"' not in response.get_data()


def install_response_cache(server: Flask, cache: ResultCache, current_id: Callable[[], str | None],
                           limit_bytes: int = DEFAULT_BYTES) -> ResponseStore | None:
    """Put a :class:`ResponseCache` in front of ``server`` (nothing when ``limit_bytes`` is 0).

    Call it after every other ``after_request`` hook is registered: its hook then runs first,
    on the app's own answer, before compression and the other hooks add to it.
    """
    if limit_bytes <= 0:
        return None
    store = ResponseStore(limit_bytes)

    @server.after_request
    def _decide(response: Response) -> Response:
        if _storable(response):
            request.environ[ENV_STORE] = True
        return response

    server.wsgi_app = ResponseCache(server.wsgi_app, cache, current_id, store)  # type: ignore[method-assign]
    server.extensions["response_cache"] = store  # its counters, for dashboard.cache.register_metrics
    return store
