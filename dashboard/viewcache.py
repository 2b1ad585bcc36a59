"""Rendered views in the shared cache: the figure (as its plotly JSON), rows and KPI cards of a
page state, computed once per snapshot and state for every worker and node.

The figure is stored as the dict ``figure.to_plotly_json()`` gives — what ``dcc.Graph`` takes —
not as a ``go.Figure``: unpickling a figure re-validates it (measured: 0.7 s for the map's
400 kB of shapes, against 20 ms for the dict), which would cost more than drawing it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

from dashboard.query import MEMO_MAX_ROWS, Snapshot
from dashboard.timing import add_span, spent
from dashboard.views import View, build_view

#: State keys that do not change what is drawn (the snapshot id is part of every key already; the
#: options' fingerprint, :data:`dashboard.callbacks.view.OPTIONS_KEY`, says what the page holds).
IGNORED_KEYS = frozenset({"snapshot", "options"})


def cached_view(snapshot: Snapshot, state: dict, build: Callable[[Snapshot, dict], View] = build_view) -> View:
    """``build(snapshot, state)`` through the cache; the view's ``figure`` is a plotly JSON dict."""
    params = {key: value for key, value in state.items() if key not in IGNORED_KEYS}

    def compute() -> View:
        # The ``figure`` span of Server-Timing: building the view less the DuckDB time inside it.
        started, queried = time.perf_counter(), spent("query")
        view = build(snapshot, state)
        figure = view.figure.to_plotly_json() if hasattr(view.figure, "to_plotly_json") else view.figure
        add_span("figure", time.perf_counter() - started - (spent("query") - queried))
        return dataclasses.replace(view, figure=figure)

    return snapshot.cache.get_or_compute(snapshot.snapshot_id, "view", params, compute,
                                         store_if=lambda view: len(view.rows) <= MEMO_MAX_ROWS)
