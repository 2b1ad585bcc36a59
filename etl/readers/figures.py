"""The reported-figures format: figures typed in by hand as published (docs/input-format.md).

``*.figures.csv`` / ``*.figures.xlsx`` hold figures, ``*.sources.csv`` the sources they cite.
Column names are checked strictly: a misspelt column is an error, not a silently empty field.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from etl.encoding import DecodeError, decode_bytes
from etl.problems import Problem
from etl.readers.base import (
    FIGURE_FIELDS,
    SOURCE_FIELDS,
    ReadResult,
    empty_figures,
    empty_sources,
    figures_frame,
    sources_frame,
)

FIGURE_REQUIRED = ("region", "indicator", "period", "value", "unit", "source_id")
FIGURE_OPTIONAL = (*(c for c in FIGURE_FIELDS if c not in FIGURE_REQUIRED), "note", "year")
SOURCE_REQUIRED = ("source_id", "title", "publisher")

FIGURE_SUFFIXES = (".figures.csv", ".figures.xlsx")
SOURCE_SUFFIXES = (".sources.csv", ".sources.xlsx")


def can_read(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    return name.endswith(FIGURE_SUFFIXES) or name.endswith(SOURCE_SUFFIXES)


def _load_table(path: Path, rel: str, problems: list[Problem]) -> tuple[list[str], list[dict[str, str | int]]] | None:
    """The header and the rows (dicts of stripped strings with their line in ``_row``).

    CSV in UTF-8, UTF-8 with a BOM or GBK, or the first sheet of an XLSX workbook.
    """
    if path.suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype="str", keep_default_na=False)
        except Exception as error:  # openpyxl raises many types for a broken workbook
            problems.append(Problem(rel, None, None, f"cannot read workbook: {error}"))
            return None
        header = [str(c).strip() for c in frame.columns]
        rows = frame.astype("str").values.tolist()
    else:
        try:
            text, _ = decode_bytes(path.read_bytes())
        except DecodeError as error:
            problems.append(Problem(rel, None, None, str(error)))
            return None
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            table = list(reader)
        except csv.Error as error:
            problems.append(Problem(rel, reader.line_num, None, f"malformed CSV: {error}"))
            return None
        if not table:
            problems.append(Problem(rel, None, None, "empty file"))
            return None
        header, rows = [h.strip() for h in table[0]], table[1:]
    records: list[dict[str, str | int]] = []
    for number, cells in enumerate(rows, start=2):
        if not any(str(c).strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(Problem(rel, number, None, f"{len(cells)} cells but the header has {len(header)} columns"))
            continue
        cells = list(cells) + [""] * (len(header) - len(cells))
        record: dict[str, str | int] = {h: str(c).strip() for h, c in zip(header, cells, strict=True)}
        record["_row"] = number
        records.append(record)
    return header, records


def _check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...], rel: str, problems: list[Problem]) -> bool:
    ok = True
    for column in required:
        if column not in header:
            problems.append(Problem(rel, 1, column, "required column is missing"))
            ok = False
    for column in header:
        if column not in required and column not in optional and column:
            problems.append(Problem(rel, 1, column, f"unknown column (expected some of {', '.join(required + optional)})"))
            ok = False
    return ok


def read(path: Path, raw_root: Path) -> ReadResult:
    rel = path.relative_to(raw_root).as_posix()
    problems: list[Problem] = []
    loaded = _load_table(path, rel, problems)
    if loaded is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    header, records = loaded
    if path.name.lower().endswith(SOURCE_SUFFIXES):
        if not _check_header(header, SOURCE_REQUIRED, tuple(c for c in SOURCE_FIELDS if c not in SOURCE_REQUIRED), rel, problems):
            return ReadResult(empty_figures(), empty_sources(), problems)
        for record in records:
            for column in SOURCE_REQUIRED:
                if not record.get(column):
                    problems.append(Problem(rel, int(record["_row"]), column, f"empty {column}"))
        sources = sources_frame([{k: v for k, v in r.items() if k in SOURCE_FIELDS} for r in records])
        sources["_file"] = rel
        sources["_row"] = [int(r["_row"]) for r in records]
        return ReadResult(empty_figures(), sources, problems)

    if not _check_header(header, FIGURE_REQUIRED, FIGURE_OPTIONAL, rel, problems):
        return ReadResult(empty_figures(), empty_sources(), problems)
    figures = []
    for record in records:
        period = record.get("period", "")
        year = record.get("year", "")
        if year and period and not period.lstrip().startswith(year):
            period = f"{year}年{period}"
        figure = {c: record.get(c, "") for c in FIGURE_FIELDS}
        figure.update(period=period, _file=rel, _row=int(record["_row"]), _column="value")
        figures.append(figure)
    return ReadResult(figures_frame(figures), empty_sources(), problems)
