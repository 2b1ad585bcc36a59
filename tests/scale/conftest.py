"""Fixtures: one real S3-protocol server and one real redis-server per test session (each test
gets its own bucket or key namespace), skipped locally when absent, required in CI."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scale.servers import RedisServer, S3Server, redis_server, s3_server

_buckets = itertools.count()


@pytest.fixture(scope="session")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with s3_server(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture(scope="session")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def bucket(s3: S3Server) -> str:
    """A fresh, empty bucket for this test."""
    return s3.create_bucket(f"test-{os.getpid()}-{next(_buckets)}")


@pytest.fixture
def s3_env(s3: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The test process itself configured like any S3 client (and a private ETL state folder)."""
    env = {**s3.env(), "ETL_STATE_DIR": str(tmp_path / "etl-state")}
    for name in ("AWS_ENDPOINT_URL_S3", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
