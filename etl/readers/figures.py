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
    LOCATION_FIELDS,
    SOURCE_FIELDS,
    ReadResult,
    empty_figures,
    empty_sources,
    sources_frame,
)

FIGURE_REQUIRED = ("region", "indicator", "period", "value", "unit", "source_id")
#: Columns of a candidates file (``python -m etl extract``, the review page): read, never published.
#: With a ``review`` column only the rows marked ``accepted`` are figures.
REVIEW_COLUMNS = ("review", "excerpt", "confidence")
REVIEW_VALUES = ("candidate", "accepted", "rejected")
FIGURE_OPTIONAL = (*(c for c in FIGURE_FIELDS if c not in FIGURE_REQUIRED), "note", "year", *REVIEW_COLUMNS)
SOURCE_REQUIRED = ("source_id", "title", "publisher")

FIGURE_SUFFIXES = (".figures.csv", ".figures.xlsx")
SOURCE_SUFFIXES = (".sources.csv", ".sources.xlsx")


def can_read(path: Path, head: bytes) -> bool:
    name = path.name.lower()
    return name.endswith(FIGURE_SUFFIXES) or name.endswith(SOURCE_SUFFIXES)


def _load_table(path: Path, rel: str, problems: list[Problem]) -> tuple[list[str], pd.DataFrame] | None:
    """The header and the rows (a frame of stripped strings, one column per header name, with
    each row's line in ``_row``). Built column-wise: a million rows are no million dicts.

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
        fast = _parse_csv_fast(text)
        if fast is not None:
            return fast
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
    kept: list[list[str]] = []
    numbers: list[int] = []
    width = len(header)
    for number, cells in enumerate(rows, start=2):
        if not "".join(map(str, cells)).strip():  # blank line (every cell empty or spaces)
            continue
        if len(cells) != width:
            if len(cells) > width:
                problems.append(Problem(rel, number, None, f"{len(cells)} cells but the header has {width} columns"))
                continue
            cells = list(cells) + [""] * (width - len(cells))
        kept.append(cells)
        numbers.append(number)
    # A repeated header name keeps its last column, as a dict of the row would.
    last = {h: i for i, h in enumerate(header)}
    columns = list(zip(*kept, strict=True)) if kept else [()] * width
    frame = pd.DataFrame({h: pd.Series(columns[i], dtype="str").str.strip() for h, i in last.items()})
    frame["_row"] = pd.Series(numbers, dtype="int64")
    return header, frame


def _parse_csv_fast(text: str) -> tuple[list[str], pd.DataFrame] | None:
    """The same header and frame as the general path, parsed by pandas' C reader — for the usual
    well-formed file. None (use the general path, which reports each bad line) when any line has
    more cells than the header, the file is empty, or a header name repeats."""
    try:
        raw = pd.read_csv(io.StringIO(text, newline=""), header=None, dtype="str", na_filter=False,
                          skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if raw.empty:
        return None
    header = [str(h).strip() for h in raw.iloc[0]]
    if len(set(header)) != len(header):
        return None
    body = raw.iloc[1:]
    stripped = pd.DataFrame({h: body[i].str.strip() for i, h in enumerate(header)})
    blank = (stripped == "").all(axis=1) if len(header) else pd.Series(True, index=body.index)
    frame = stripped.loc[~blank].reset_index(drop=False).rename(columns={"index": "_row"})
    # Line numbers as the general path counts them: the header is line 1, each record one line.
    frame["_row"] = (frame.pop("_row") + 1).astype("int64")
    return header, frame[[*header, "_row"]]


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
    header, table = loaded
    if path.name.lower().endswith(SOURCE_SUFFIXES):
        records = table.to_dict("records")
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
    if "review" in table:
        table = _accepted(table, rel, problems)
    if table.empty:
        return ReadResult(empty_figures(), empty_sources(), problems)
    figures = pd.DataFrame({c: table.get(c, "") for c in FIGURE_FIELDS}, index=table.index)
    if "year" in table:
        # A period without its year ("1-7月") takes the year column's.
        with_year = [
            f"{year}年{period}" if year and period and not period.lstrip().startswith(year) else period
            for year, period in zip(table["year"], figures["period"], strict=True)
        ]
        figures["period"] = pd.Series(with_year, index=table.index, dtype="str")
    figures["_file"] = rel
    figures["_column"] = "value"
    figures = figures.astype("str")
    figures["_row"] = table["_row"].astype("int64")
    return ReadResult(figures[[*FIGURE_FIELDS, *LOCATION_FIELDS]].reset_index(drop=True), empty_sources(), problems)


def _accepted(table: pd.DataFrame, rel: str, problems: list[Problem]) -> pd.DataFrame:
    """The rows a reviewer accepted; a review cell that is none of the three words is an error
    (an empty cell too: a row nobody decided on is neither published nor silently dropped)."""
    review = table["review"].str.lower()
    for index in table.index[~review.isin(REVIEW_VALUES)]:
        problems.append(Problem(rel, int(table.at[index, "_row"]), "review",
                                f"review is {table.at[index, 'review']!r}: write accepted, rejected or candidate"))
    return table.loc[review == "accepted"].reset_index(drop=True)
