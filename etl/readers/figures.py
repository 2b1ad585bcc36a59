"""The reported-figures format: figures typed in by hand as published (docs/input-format.md).

``*.figures.csv`` / ``*.figures.xlsx`` hold figures, ``*.sources.csv`` the sources they cite.
Column names are checked strictly: a misspelt column is an error, not a silently empty field.
Rows are read strictly too (etl/csvtable.py): a short, long, cut or swallowed row is an
error at its line. A sidecar (``<file>.meta.yaml``) may declare the decimal mark
(``decimal: ","``), the separator (``delimiter: ";"``), the encoding, and values for columns
the file leaves out or empty (``unit: 万辆``).

XLSX cells are read as Excel shows them: a number is its shortest exact decimal (145.98,
never 145.97999999999999), and a cell formatted as a percentage (stored 0.178, shown 17.8 %)
is the percent shown, 17.8 — a share typed in Excel must not become 0.178 %.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd

from etl.csvtable import Table, read_table
from etl.problems import Problem
from etl.readers.base import (
    FIGURE_FIELDS,
    LOCATION_FIELDS,
    SOURCE_FIELDS,
    ReadResult,
    empty_figures,
    empty_sources,
    sources_frame,
)
from etl.readers.sidecar import FIGURE_KEYS, Sidecar, load_sidecar
from etl.readers.textfile import decode_file

FIGURE_REQUIRED = ("region", "indicator", "period", "value", "unit", "source_id")
#: Columns of a candidates file (``python -m etl extract``, the review page): read, never published.
#: With a ``review`` column only the rows marked ``accepted`` are figures.
REVIEW_COLUMNS = ("review", "excerpt", "confidence")
REVIEW_VALUES = ("candidate", "accepted", "rejected")
FIGURE_OPTIONAL = (*(c for c in FIGURE_FIELDS if c not in FIGURE_REQUIRED), "note", "year", *REVIEW_COLUMNS)
SOURCE_REQUIRED = ("source_id", "title", "publisher")

FIGURE_SUFFIXES = (".figures.csv", ".figures.xlsx")
SOURCE_SUFFIXES = (".sources.csv", ".sources.xlsx")
#: Sidecar keys a figures file may use besides the figure fields.
FILE_KEYS_USED = ("decimal", "delimiter", "encoding", "format")


def can_read(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    return name.endswith(FIGURE_SUFFIXES) or name.endswith(SOURCE_SUFFIXES)


def _excel_text(value: object, number_format: str) -> str:
    """A workbook cell as the text Excel shows (numbers exactly; percentages as percent)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            number *= 100
        text = format(number.normalize(), "f")
        return text
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _load_workbook(path: Path, rel: str, problems: list[Problem]) -> Table | None:
    """The first sheet of a workbook as a table (every cell as Excel shows it)."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken workbook
        problems.append(Problem(rel, None, None, f"cannot read workbook: {type(error).__name__}: {error}"))
        return None
    try:
        sheet = book.worksheets[0]
        rows = [[_excel_text(c.value, getattr(c, "number_format", "")) for c in row] for row in sheet.iter_rows()]
    finally:
        book.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        problems.append(Problem(rel, None, None, "empty workbook"))
        return None
    header = [h.strip() for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    kept, lines = [], []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[width:]):
            problems.append(Problem(rel, line, None, f"a cell right of the last named column (the header has {width})"))
            continue
        kept.append([c.strip() for c in (cells + [""] * width)[:width]])
        lines.append(line)
    columns = list(zip(*kept, strict=True)) if kept else [()] * width
    frame = pd.DataFrame({h: pd.Series(columns[i], dtype="str") for i, h in enumerate(header)})
    frame["_row"] = pd.Series(lines, dtype="int64")
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 1, None, "a column name appears twice in the header"))
        return None
    return Table(header, frame)


def _load_table(path: Path, rel: str, sidecar: Sidecar, problems: list[Problem]) -> Table | None:
    """The header and the rows (stripped strings, each row's line in ``_row``)."""
    if path.suffix.lower() == ".xlsx":
        return _load_workbook(path, rel, problems)
    text, decode_problems = decode_file(path, rel, sidecar.get("encoding"))
    problems.extend(decode_problems)
    if text is None:
        return None
    delimiter = sidecar.get("delimiter") or _delimiter(text)
    return read_table(text, rel, problems, delimiter=delimiter, number_columns=("value",))


def _delimiter(text: str) -> str:
    """``,`` unless the header has none and is separated by ``;`` or tabs (European Excel)."""
    header = text.split("\n", 1)[0]
    if "," in header:
        return ","
    for candidate in (";", "\t"):
        if candidate in header:
            return candidate
    return ","


def _check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...], rel: str,
                  problems: list[Problem], given: dict[str, str] | None = None) -> bool:
    ok = True
    for column in required:
        if column not in header and not (given or {}).get(column):
            problems.append(Problem(rel, 1, column, "required column is missing"))
            ok = False
    for column in header:
        if column not in required and column not in optional and column:
            problems.append(Problem(rel, 1, column, f"unknown column (expected some of {', '.join(required + optional)})"))
            ok = False
    if "" in header:
        problems.append(Problem(rel, 1, f"column {header.index('') + 1}", "a column without a name"))
        ok = False
    return ok


def _sidecar_problems(sidecar: Sidecar, problems: list[Problem]) -> None:
    for key in sidecar.file:
        if key not in FILE_KEYS_USED or (key == "format" and sidecar.file[key] != "figures"):
            problems.append(Problem(sidecar.name, sidecar.lines.get(key), key,
                                    f"{key!r} does not apply to a figures file"))


def read(path: Path, raw_root: Path) -> ReadResult:
    rel = path.relative_to(raw_root).as_posix()
    sidecar, problems = load_sidecar(path, rel)
    _sidecar_problems(sidecar, problems)
    table = _load_table(path, rel, sidecar, problems)
    if table is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    header, frame = table.header, table.frame
    if path.name.lower().endswith(SOURCE_SUFFIXES):
        return _sources(rel, header, frame, problems)
    if not _check_header(header, FIGURE_REQUIRED, FIGURE_OPTIONAL, rel, problems, sidecar.fields):
        return ReadResult(empty_figures(), empty_sources(), problems)
    if "review" in frame:
        frame = _accepted(frame, rel, problems)
    if frame.empty:
        return ReadResult(empty_figures(), empty_sources(), problems)
    figures = pd.DataFrame(index=frame.index)
    for column in FIGURE_FIELDS:
        cells = frame[column] if column in frame else pd.Series("", index=frame.index, dtype="str")
        given = sidecar.get(column) if column in FIGURE_KEYS else ""
        figures[column] = cells.where(cells != "", given) if given else cells
    figures["_period_published"] = figures["period"]
    if "year" in frame:
        # A period without its year ("1-7月") takes the year column's.
        with_year = [
            f"{year}年{period}" if year and period and not period.lstrip().startswith(year) else period
            for year, period in zip(frame["year"], figures["period"], strict=True)
        ]
        figures["period"] = pd.Series(with_year, index=frame.index, dtype="str")
    figures["_file"] = rel
    figures["_column"] = "value"
    figures = figures.astype("str")
    figures["_row"] = frame["_row"].astype("int64")
    figures["_decimal"] = sidecar.get("decimal") or "."
    columns = [*FIGURE_FIELDS, *LOCATION_FIELDS, "_period_published", "_decimal"]
    return ReadResult(figures[columns].reset_index(drop=True), empty_sources(), problems)


def _sources(rel: str, header: list[str], frame: pd.DataFrame, problems: list[Problem]) -> ReadResult:
    if not _check_header(header, SOURCE_REQUIRED, tuple(c for c in SOURCE_FIELDS if c not in SOURCE_REQUIRED), rel, problems):
        return ReadResult(empty_figures(), empty_sources(), problems)
    records = frame.to_dict("records")
    for record in records:
        for column in SOURCE_REQUIRED:
            if not record.get(column):
                problems.append(Problem(rel, int(record["_row"]), column, f"empty {column}"))
    sources = sources_frame([{k: v for k, v in r.items() if k in SOURCE_FIELDS} for r in records])
    sources["_file"] = rel
    sources["_row"] = [int(r["_row"]) for r in records]
    return ReadResult(empty_figures(), sources, problems)


def _accepted(table: pd.DataFrame, rel: str, problems: list[Problem]) -> pd.DataFrame:
    """The rows a reviewer accepted; a review cell that is none of the three words is an error
    (an empty cell too: a row nobody decided on is neither published nor silently dropped)."""
    review = table["review"].str.lower()
    for index in table.index[~review.isin(REVIEW_VALUES)]:
        problems.append(Problem(rel, int(table.at[index, "_row"]), "review",
                                f"review is {table.at[index, 'review']!r}: write accepted, rejected or candidate"))
    return table.loc[review == "accepted"].reset_index(drop=True)
