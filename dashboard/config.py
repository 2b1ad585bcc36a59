"""Dashboard configuration, passed to the app factory (nothing read at import time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    #: A directory, or ``s3://bucket/prefix`` (configured by the usual ``AWS_*`` variables: :mod:`etl.s3`).
    warehouse: Path | str = Path("data/warehouse")
    default_lang: str = "en"
    #: Focus region shown on first load (Guangdong), if it has data.
    default_regions: tuple[str, ...] = ("440000",)
    #: Longest one query of a request may run (seconds) before DuckDB is interrupted; None: no limit.
    query_time_limit_s: float | None = 10.0
    #: Shared result cache (``redis://host:6379/0``, ``rediss://`` for TLS); None: one cache per process.
    redis_url: str | None = None
    #: Prefix of every cache key: deployments sharing one Redis each need their own.
    cache_namespace: str = "ris"
    #: The review page (/review/: press release → reviewed figures → published); off unless ``--allow-edit``.
    allow_edit: bool = False
    #: Required on the review page when set (``?token=`` once, then a cookie); None: loopback requests only.
    edit_token: str | None = None
    #: Where the review page writes (``<raw>/inbox/``) and what the ETL run it starts reads.
    raw: Path = Path("data/raw")
    reference: Path = Path("data/reference")
    #: Seconds an entry lives (it is keyed by snapshot id, so it can only ever be right or unused).
    cache_timeout_s: int = 24 * 3600
    #: Whole responses kept per process for repeated requests (:mod:`dashboard.responsecache`); 0: off.
    response_cache_mb: int = 64
