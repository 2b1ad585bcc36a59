"""What one request did, for its response headers: the snapshot it read and where its time went.

The query layer notes the snapshot it pinned (:func:`note_snapshot`) and times its queries
(:func:`span`); an ``after_request`` hook turns that into ``X-Snapshot-Id`` and a
``Server-Timing`` header (``query;dur=12.3, app;dur=48.0``), which the browser's DevTools and
the benchmarks read. The record lives in ``flask.g`` — one per request, nothing shared — and
outside a request (tests, the benchmarks' in-process calls) every function here does nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, g, has_request_context

#: Order and description of the spans a response reports (others follow in the order seen).
SPANS = {"query": "DuckDB queries", "figure": "figure building", "serialise": "JSON encoding"}


def note_snapshot(snapshot_id: str) -> None:
    """Record the snapshot this request reads (the first one noted wins: a request pins one)."""
    if has_request_context() and "snapshot_id" not in g:
        g.snapshot_id = snapshot_id


def noted_snapshot() -> str | None:
    return g.get("snapshot_id") if has_request_context() else None


@contextmanager
def span(name: str) -> Iterator[None]:
    """Add the time of the block to the request's ``name`` span (spans of one name add up)."""
    if not has_request_context():
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        spans = g.setdefault("spans", {})
        spans[name] = spans.get(name, 0.0) + (time.perf_counter() - start)


def spent(name: str) -> float:
    """Seconds the request's ``name`` span holds so far (0 outside a request)."""
    return g.get("spans", {}).get(name, 0.0) if has_request_context() else 0.0


def add_span(name: str, seconds: float) -> None:
    """Add ``seconds`` to the request's ``name`` span (for time measured around nested spans)."""
    if has_request_context() and seconds > 0:
        spans = g.setdefault("spans", {})
        spans[name] = spans.get(name, 0.0) + seconds


def server_timing(spans: dict[str, float], total: float | None) -> str:
    """The ``Server-Timing`` header value: each span, then ``app`` (the whole request until headers)."""
    names = [n for n in SPANS if n in spans] + [n for n in spans if n not in SPANS]
    parts = [f"{name};dur={spans[name] * 1000:.1f}" for name in names]
    if total is not None:
        parts.append(f"app;dur={total * 1000:.1f}")
    return ", ".join(parts)


def install_request_timing(server: Flask, current_snapshot_id: Callable[[], str | None]) -> None:
    """``X-Snapshot-Id`` and ``Server-Timing`` on every response of ``server``.

    A response whose request pinned no snapshot (an asset, a page, ``/healthz`` before it asks)
    names the snapshot ``current`` points at when the response leaves, from
    ``current_snapshot_id`` (a symlink read, no DuckDB).
    """

    @server.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @server.after_request
    def _timing_headers(response: Response) -> Response:
        snapshot_id = noted_snapshot() or current_snapshot_id()
        if snapshot_id and "X-Snapshot-Id" not in response.headers:
            response.headers["X-Snapshot-Id"] = snapshot_id
        started = g.get("request_started")
        total = time.perf_counter() - started if started is not None else None
        response.headers["Server-Timing"] = server_timing(g.get("spans", {}), total)
        return response
