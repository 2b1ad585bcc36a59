"""Fixtures for operations tests: a private warehouse per test and the CLI run as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.publish import PAUSE_ENV
from tests.conftest import RAW, REFERENCE, REPO

#: Bound on any one CLI subprocess (not a timing assertion: only so a hang fails instead of blocking).
PROCESS_TIMEOUT = 120


def cli_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != PAUSE_ENV}
    return {**env, "PYTHONPATH": str(REPO), **extra}


def etl_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "etl", *map(str, args)]


def run_etl(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m etl ARGS`` in a fresh process, from the repository root."""
    return subprocess.run(etl_command(*args), cwd=REPO, env=env or cli_env(), capture_output=True, text=True,
                          timeout=PROCESS_TIMEOUT)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target)
    return target


@pytest.fixture
def paths(raw_copy: Path, reference_copy: Path, warehouse: Path) -> dict[str, Path]:
    """Writable raw and reference copies plus an empty warehouse, as CLI-ready keyword paths."""
    return {"raw": raw_copy, "reference": reference_copy, "warehouse": warehouse}


def path_args(paths: dict[str, Path]) -> list[str]:
    return ["--raw", str(paths["raw"]), "--reference", str(paths["reference"]), "--warehouse", str(paths["warehouse"])]


__all__ = ["RAW", "REFERENCE"]
