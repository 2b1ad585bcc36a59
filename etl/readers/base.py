"""The contract every reader fulfils.

A reader turns one file, as its publisher made it, into *figures as published*: a
DataFrame of strings in the columns of :data:`FIGURE_FIELDS` (names or codes, the period
and unit as printed), plus the location of each figure (``_file``, ``_row``, ``_column``),
and the sources it cites. Normalisation (names → codes, units → base units, period text →
dates) is the same for every reader and happens afterwards in :mod:`etl.normalize`, so a
reader stays a small parser of one format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from etl.problems import Problem

#: Columns of a figures-as-published frame, all strings ("" when absent).
FIGURE_FIELDS: tuple[str, ...] = (
    "region",
    "industry",
    "indicator",
    "product",
    "period",
    "period_kind",
    "measure",
    "value",
    "unit",
    "qualifier",
    "status",
    "price_basis",
    "scope",
    "share_of",
    "flags",
    "label_published",
    "source_id",
)
#: Location columns: file (relative to the raw directory), 1-based line, column header of the value.
LOCATION_FIELDS: tuple[str, ...] = ("_file", "_row", "_column")

#: Columns of a sources frame, all strings.
SOURCE_FIELDS: tuple[str, ...] = (
    "source_id",
    "title",
    "publisher",
    "url",
    "published_date",
    "retrieved_date",
    "authority",
    "note",
)


@dataclass
class ReadResult:
    """What a reader returns: figures, sources and the problems it met (it never raises for bad input)."""

    figures: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


class Reader(Protocol):
    """A reader module exposes these two functions."""

    def can_read(self, path: Path, head: bytes) -> bool:  # pragma: no cover - protocol
        """True if this reader recognises the file (by name and/or its first bytes)."""

    def read(self, path: Path, raw_root: Path) -> ReadResult:  # pragma: no cover - protocol
        """Parse the file; report problems as values with a location."""


def empty_figures() -> pd.DataFrame:
    """An empty figures frame with the contract's columns."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in FIGURE_FIELDS}).assign(
        _file=pd.Series([], dtype="str"),
        _row=pd.Series([], dtype="int64"),
        _column=pd.Series([], dtype="str"),
    )


def empty_sources() -> pd.DataFrame:
    """An empty sources frame with the contract's columns."""
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in SOURCE_FIELDS})


def figures_frame(records: list[dict[str, object]]) -> pd.DataFrame:
    """Build a figures frame from dicts, filling absent fields with "" and fixing dtypes."""
    if not records:
        return empty_figures()
    frame = pd.DataFrame.from_records(records)
    for column in (*FIGURE_FIELDS, "_file", "_column"):
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].fillna("").astype("str")
    frame["_row"] = frame["_row"].astype("int64")
    hidden = [c for c in frame.columns if c.startswith("_") and c not in LOCATION_FIELDS]
    for column in hidden:  # _decimal, _period_published, _at_<field>: see etl/normalize.py
        frame[column] = frame[column].fillna("").astype("str")
    return frame[[*FIGURE_FIELDS, *LOCATION_FIELDS, *hidden]]


def sources_frame(records: list[dict[str, object]]) -> pd.DataFrame:
    """Build a sources frame from dicts, filling absent fields with ""."""
    if not records:
        return empty_sources()
    frame = pd.DataFrame.from_records(records)
    for column in SOURCE_FIELDS:
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].fillna("").astype("str")
    return frame[list(SOURCE_FIELDS)]


def row_width_problem(file: str, line: int, cells: list[str], header: list[str]) -> Problem | None:
    """A problem when a data row has not as many cells as the header (a truncated or overlong row)."""
    if len(cells) == len(header):
        return None
    reason = (
        f"truncated row: {len(cells)} cells, the header has {len(header)}"
        if len(cells) < len(header)
        else f"{len(cells)} cells, more than the header's {len(header)}"
    )
    return Problem(file, line, None, reason)
