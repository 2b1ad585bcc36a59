"""Helpers for reader tests: the hand-made quirk files, reading and normalising one file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.normalize import normalise
from etl.readers import reader_for
from etl.readers.base import ReadResult
from etl.reference import Reference, load_reference

REPO = Path(__file__).resolve().parents[2]
TEST_DATA = REPO / "tests" / "data"
REFERENCE_DIR = REPO / "data" / "reference"

_REFERENCE: Reference | None = None


def reference() -> Reference:
    """The repository's reference tables, loaded once (and checked to be clean)."""
    global _REFERENCE
    if _REFERENCE is None:
        loaded, problems = load_reference(REFERENCE_DIR)
        assert problems == [], [str(p) for p in problems]
        _REFERENCE = loaded
    return _REFERENCE


def read(path: Path, raw_root: Path | None = None) -> ReadResult:
    """Read a file with the reader the registry picks for it."""
    module = reader_for(path)
    assert module is not None, f"no reader recognises {path.name}"
    return module.read(path, raw_root or path.parent)


def observations(result: ReadResult) -> tuple[pd.DataFrame, list[str]]:
    """Normalise a reader's output against the repository's reference tables."""
    normalised = normalise(result.figures, result.sources, reference())
    return normalised.observations, [str(p) for p in normalised.problems]
