"""Dashboard configuration, passed to the app factory (nothing read at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    warehouse: Path = Path("data/warehouse")
    default_lang: str = "en"
    #: Focus region shown on first load (Guangdong), if it has data.
    default_regions: tuple[str, ...] = ("440000",)
    #: Longest one query of a request may run (seconds) before DuckDB is interrupted; None: no limit.
    query_time_limit_s: float | None = 10.0
