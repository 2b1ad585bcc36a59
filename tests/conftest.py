"""Shared fixtures: the repository's paths, the shared real-data folder, built warehouses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl.pipeline import run

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
REFERENCE = REPO / "data" / "reference"
#: Real publisher files for tests, beside the checkout (absent in a user's clone).
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared folder of real exports; tests that need it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (only in the development workspace)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def default_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built once from the bundled default dataset."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    run(RAW, warehouse, REFERENCE)
    return warehouse


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the default raw data, for tests that add or break files."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target
