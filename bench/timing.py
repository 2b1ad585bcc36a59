"""Small timing and memory helpers shared by the benchmark steps."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable

import psutil


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 / p95 / min / max in milliseconds, rounded for reading."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "min_ms": round(ordered[0], 2),
        "max_ms": round(ordered[-1], 2),
        "runs": len(ordered),
    }


def time_runs(function: Callable[[int], object], runs: int, warmup: int = 2) -> list[float]:
    """Call ``function(i)`` ``warmup`` + ``runs`` times; milliseconds of the timed calls."""
    for i in range(warmup):
        function(i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        function(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


class PeakRss:
    """Samples a process's resident memory (with its children) in a thread; ``peak_mb`` when stopped."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss(self) -> int:
        try:
            total = self.process.memory_info().rss
            for child in self.process.children(recursive=True):
                total += child.memory_info().rss
            return total
        except psutil.Error:
            return 0

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self.baseline = self._rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def baseline_mb(self) -> float:
        return round(self.baseline / 2**20, 1)
