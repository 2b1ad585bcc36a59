"""The result cache: query results and figures, shared by every worker and node through Redis.

Built on Flask-Caching (``RedisCache`` when a Redis URL is configured, else ``SimpleCache``,
one per process) — the arrangement the Dash documentation recommends for several workers.
Everything in it can be recomputed from the snapshot, so losing it (a Redis restart, eviction)
costs time, never correctness; a Redis that fails or times out is bypassed for a few seconds
and the request computes its answer itself.

**Key scheme** (every entry; stable, so other modules can memoise through :meth:`ResultCache.get_or_compute`)::

    <namespace>:<code>:<snapshot_id>:<kind>:<digest>

* ``namespace`` — ``ris`` unless configured (give each deployment sharing one Redis its own);
* ``code`` — 12 hex digits of a hash of the dashboard's own source files: during a rolling
  upgrade, nodes running different code never hand each other results or figures;
* ``snapshot_id`` — the snapshot the value was computed from. A new snapshot therefore never
  meets an old entry (it has other keys); old entries age out by their timeout or Redis' LRU;
* ``kind`` — what the value is: ``observations``, ``view``, ``series_options`` ...;
* ``digest`` — 32 hex digits of SHA-256 over the *canonical* JSON of the parameters:
  dataclasses become objects of their fields, dict keys are sorted, dates are ISO text. Callers
  normalise meaning-preserving differences first (:func:`dashboard.query.observations` sorts
  the members of its ``IN`` filters), so equal questions share one entry.

Values are pickled (Flask-Caching's format), so the Redis must be private to the deployment:
whoever can write to it can make the nodes unpickle what they like (docs/scale-out.md).

Hits, misses and errors are counted per process and — with Redis — also cluster-wide, in
``<namespace>:stats:*`` counters (flushed at most every second); ``/metrics`` shows both.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cachelib import BaseCache, SimpleCache
from flask import Flask, Response

log = logging.getLogger("dashboard.cache")

DEFAULT_NAMESPACE = "ris"
#: A day: snapshots change daily at most, and an entry is keyed by its snapshot anyway.
DEFAULT_TIMEOUT_S = 24 * 3600
#: Entries of the per-process fallback (each at most a few hundred kB).
LOCAL_ENTRIES = 512
#: A Redis that errs is left alone this long before it is tried again (requests compute meanwhile).
BYPASS_AFTER_ERROR_S = 5.0
#: Cluster counters are pushed to Redis at most this often (one pipeline round trip).
STATS_FLUSH_S = 1.0
REDIS_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5, "health_check_interval": 30}
COUNTERS = ("hits", "misses", "errors")


def code_version() -> str:
    """A hash of the dashboard's source: part of every key (see the module docstring)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__type__": type(value).__name__,
                **{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot key a cache entry on a {type(value).__name__}")


def canonical(params: Any) -> str:
    """The canonical JSON text of ``params`` (what the key's digest is computed over)."""
    return json.dumps(_plain(params), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(namespace: str, code: str, snapshot_id: str, kind: str, params: Any) -> str:
    digest = hashlib.sha256(canonical(params).encode()).hexdigest()[:32]
    return f"{namespace}:{code}:{snapshot_id}:{kind}:{digest}"


class ResultCache:
    """A cachelib backend behind the key scheme, with counters and a bypass for a failing Redis."""

    def __init__(self, backend: BaseCache, *, backend_name: str, namespace: str = DEFAULT_NAMESPACE,
                 timeout: int = DEFAULT_TIMEOUT_S, redis_client: Any = None, code: str | None = None):
        self.backend = backend
        self.backend_name = backend_name
        self.namespace = namespace
        self.timeout = timeout
        self.code = code or code_version()
        self._redis = redis_client
        self._lock = threading.Lock()
        self._counts = dict.fromkeys(COUNTERS, 0)
        self._pending = dict.fromkeys(COUNTERS, 0)
        self._flushed_at = time.monotonic()
        self._bypass_until = 0.0

    @property
    def shared(self) -> bool:
        """Whether entries are seen by other processes (Redis) or only this one."""
        return self._redis is not None

    @classmethod
    def local(cls, *, entries: int = LOCAL_ENTRIES, timeout: int = DEFAULT_TIMEOUT_S) -> ResultCache:
        """A per-process cache (no Redis): what a single node, a test or a benchmark uses."""
        return cls(SimpleCache(threshold=entries, default_timeout=timeout), backend_name="simple", timeout=timeout)

    def key(self, snapshot_id: str, kind: str, params: Any) -> str:
        return cache_key(self.namespace, self.code, snapshot_id, kind, params)

    def get_or_compute(self, snapshot_id: str, kind: str, params: Any, compute: Callable[[], Any], *,
                       store_if: Callable[[Any], bool] | None = None) -> Any:
        """The cached value for (snapshot, kind, params), else ``compute()`` — stored when ``store_if`` allows.

        A hit is a fresh copy (values are serialised), so a caller may change what it gets.
        """
        key = self.key(snapshot_id, kind, params)
        value = self._get(key)
        if value is not None:
            self._count("hits")
            return value
        self._count("misses")
        value = compute()
        if value is not None and (store_if is None or store_if(value)):
            self._set(key, value)
        return value

    def get(self, snapshot_id: str, kind: str, params: Any) -> Any:
        """The cached value for (snapshot, kind, params), or None (counted as a hit or a miss)."""
        value = self._get(self.key(snapshot_id, kind, params))
        self._count("hits" if value is not None else "misses")
        return value

    def put(self, snapshot_id: str, kind: str, params: Any, value: Any) -> None:
        """Store ``value`` for (snapshot, kind, params): for callers that compute several entries at once."""
        self._set(self.key(snapshot_id, kind, params), value)

    def _available(self) -> bool:
        return time.monotonic() >= self._bypass_until

    def _failed(self, what: str, error: Exception) -> None:
        self._count("errors")
        with self._lock:
            first = time.monotonic() >= self._bypass_until
            self._bypass_until = time.monotonic() + BYPASS_AFTER_ERROR_S
        if first:
            log.warning("cache %s failed (%s: %s); computing without it for %.0f s",
                        what, type(error).__name__, error, BYPASS_AFTER_ERROR_S)

    def _get(self, key: str) -> Any:
        if not self._available():
            return None
        try:
            return self.backend.get(key)
        except Exception as error:  # any backend failure: the answer is computed instead
            self._failed("read", error)
            return None

    def _set(self, key: str, value: Any) -> None:
        if not self._available():
            return
        try:
            self.backend.set(key, value, timeout=self.timeout)
        except Exception as error:
            self._failed("write", error)

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1
            self._pending[name] += 1
            due = self._redis is not None and time.monotonic() - self._flushed_at >= STATS_FLUSH_S
        if due:
            self.flush_stats()

    def flush_stats(self) -> None:
        """Add this process's new counts to the cluster-wide counters (Redis only)."""
        if self._redis is None:
            return
        with self._lock:
            pending, self._pending = self._pending, dict.fromkeys(COUNTERS, 0)
            self._flushed_at = time.monotonic()
        if not any(pending.values()) or not self._available():
            return
        try:
            pipe = self._redis.pipeline(transaction=False)
            for name, count in pending.items():
                if count:
                    pipe.incrby(f"{self.namespace}:stats:{name}", count)
            pipe.execute()
        except Exception as error:
            self._failed("counter update", error)

    def stats(self) -> dict[str, object]:
        """``{"backend", "shared", "process": {hits, misses, errors, hit_rate}, "cluster": {...} | None}``."""
        with self._lock:
            process = dict(self._counts)
        cluster = None
        if self._redis is not None:
            self.flush_stats()
            try:
                values = self._redis.mget([f"{self.namespace}:stats:{n}" for n in COUNTERS])
                cluster = {n: int(v or 0) for n, v in zip(COUNTERS, values, strict=True)}
            except Exception as error:
                self._failed("counter read", error)
        return {"backend": self.backend_name, "shared": self.shared, "namespace": self.namespace,
                "process": _with_rate(process), "cluster": _with_rate(cluster) if cluster is not None else None}


def _with_rate(counts: dict[str, int]) -> dict[str, object]:
    lookups = counts["hits"] + counts["misses"]
    return {**counts, "hit_rate": round(counts["hits"] / lookups, 4) if lookups else None}


def make_cache(server: Flask | None, redis_url: str | None, *, namespace: str = DEFAULT_NAMESPACE,
               timeout: int = DEFAULT_TIMEOUT_S) -> ResultCache:
    """Flask-Caching on ``server``: ``RedisCache`` at ``redis_url``, else a per-process ``SimpleCache``."""
    if server is None:
        return ResultCache.local(timeout=timeout)
    from flask_caching import Cache

    if not redis_url:
        cache = Cache(server, config={"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": LOCAL_ENTRIES,
                                      "CACHE_DEFAULT_TIMEOUT": timeout})
        return ResultCache(cache.cache, backend_name="simple", namespace=namespace, timeout=timeout)
    cache = Cache(server, config={
        "CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url, "CACHE_DEFAULT_TIMEOUT": timeout,
        "CACHE_KEY_PREFIX": "", "CACHE_OPTIONS": REDIS_OPTIONS,
    })
    backend = cache.cache
    return ResultCache(backend, backend_name="redis", namespace=namespace, timeout=timeout,
                       redis_client=getattr(backend, "_write_client", None))


def metrics_text(stats: dict[str, object], snapshot_id: str | None, responses: dict[str, int] | None = None) -> str:
    """The counters in Prometheus' text format (what a scraper or ``curl`` reads); ``responses``:
    the response cache's (:meth:`dashboard.responsecache.ResponseStore.stats`, this process)."""
    lines = []
    for name, kind in (("hits", "counter"), ("misses", "counter"), ("entries", "gauge"), ("bytes", "gauge")):
        if responses is not None:
            metric = f"dashboard_response_cache_{name}" + ("_total" if kind == "counter" else "")
            lines += [f"# HELP {metric} Response cache {name} (this worker).", f"# TYPE {metric} {kind}",
                      f"{metric} {responses[name]}"]
    for name in COUNTERS:
        metric = f"dashboard_cache_{name}_total"
        lines += [f"# HELP {metric} Result-cache {name} (process: this worker; cluster: every node, via Redis).",
                  f"# TYPE {metric} counter"]
        for scope in ("process", "cluster"):
            counts = stats.get(scope)
            if isinstance(counts, dict):
                lines.append(f'{metric}{{scope="{scope}",backend="{stats["backend"]}"}} {counts[name]}')
    lines += ["# HELP dashboard_snapshot_info The snapshot this node serves.", "# TYPE dashboard_snapshot_info gauge",
              f'dashboard_snapshot_info{{snapshot_id="{snapshot_id or ""}"}} 1']
    return "\n".join(lines) + "\n"


def register_metrics(server: Flask, cache: ResultCache, current_id: Callable[[], str | None]) -> None:
    """``GET /metrics`` (Prometheus text) and ``GET /api/cache.json`` (the same as JSON)."""

    def snapshot_id() -> str | None:
        try:
            return current_id()
        except Exception:  # metrics must answer even when the warehouse does not
            return None

    def responses() -> dict[str, int] | None:
        store = server.extensions.get("response_cache")  # set by dashboard.responsecache when it is on
        return store.stats() if store is not None else None

    @server.get("/metrics")
    def metrics():
        return Response(metrics_text(cache.stats(), snapshot_id(), responses()), mimetype="text/plain; version=0.0.4")

    @server.get("/api/cache.json")
    def cache_json():
        return {**cache.stats(), "snapshot_id": snapshot_id(), "responses": responses()}
