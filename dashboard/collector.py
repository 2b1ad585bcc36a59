"""Python's cyclic garbage collector set for a long-running server process.

A request allocates tens of thousands of small objects (row dicts, hover strings, the answer's
JSON parts); with the default thresholds (700 allocations) the collector ran about 13 times per
chart callback and rescanned everything the process had built up — the imported libraries and the
per-snapshot catalogue — in its older generations. Measured by ``python -m bench.collector``
(10 M observations, 84 chart callbacks in process, each setting twice in fresh processes,
bench/results-collector.json): by default 1,077 collections taking 400–490 ms in all
(≈ 5 ms a request), the longest pause 163–195 ms; with what is loaded at start-up frozen out of the
collector's scans and a first generation of 20,000 allocations, 8 collections taking 27–37 ms, the
longest 4.5–6.3 ms.

Reference counting still frees almost everything at once; only garbage in reference cycles waits
a little longer, so memory stays flat (the soak test, tests/ops/test_soak.py, watches it).
"""

from __future__ import annotations

import gc

#: Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_THRESHOLD = 20_000
#: Collections of one generation between two of the next (Python's defaults: 10 and 10).
OLDER_THRESHOLDS = (50, 100)


def tune_for_serving() -> None:
    """Freeze what exists now (modules, the app) out of future scans and collect less often.

    Called once per serving process after the app is built, never by the library code or tests.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *OLDER_THRESHOLDS)
