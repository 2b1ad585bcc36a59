"""Strict CSV reading, shared by the figures and sources files, the reference tables and the
publishers' formats: every row has the header's width, every quote is closed, line numbers
are the lines a person sees in an editor.

The pitfalls it closes, each a figure published silently wrong before:

* an unterminated ``"`` makes the rest of the file one cell (rows 4–5 swallowed into row 3's
  note): an error at the row where the quote opens;
* a row with fewer cells than the header (cut after ``source_id``) is an error, never padded
  with empty values; a row with more (an unquoted comma in a name) is an error, never shifted;
* a file that ends without a line break may have been cut mid-row: a short last row is an
  error, and so is a complete one whose last cell is a number (``145.98`` cut to ``14`` looks
  complete); otherwise it is a warning;
* a quoted cell that spans lines is a line of its own in the numbering, so the rows after it
  keep their true line numbers.

Well-formed files take the fast path (Arrow's multi-threaded CSV parser, no Python per row);
anything unusual — a quote spanning lines, a row of the wrong width — is re-read by Python's
``csv`` module, row by row, to say exactly where it went wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.problems import Problem


@dataclass
class Table:
    """A CSV file's header and rows: ``frame`` has one stripped-string column per header name and
    ``_row``, the line each row starts on (the header is line 1)."""

    header: list[str]
    frame: pd.DataFrame


def records(text: str, rel: str, *, delimiter: str = ",", skipinitialspace: bool = False) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """``(line, cells)`` for every CSV record (cells as written, not stripped), and a problem
    where the quoting is broken (reading stops there: what follows cannot be placed)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=skipinitialspace)
    out: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            out.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error) or "EOF" in str(error):
            reason = 'a quote (") opened in this row is never closed: the rest of the file would be one cell'
        else:
            reason = f"malformed quoting: {error} (a cell with {delimiter!r} or a quote must be quoted, with quotes doubled)"
        return out, [Problem(rel, start, None, reason)]
    return out, []


def swallowed_rows(line: int, cells: list[str], width: int, delimiter: str = ",") -> str | None:
    """The reason a record looks like rows swallowed by an unclosed quote, or None.

    A quoted cell may hold a line break (a note typed in Excel), but a line inside it that
    holds nearly a whole row's separators is a row that a missing closing quote took in.
    """
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        inner = cell.splitlines()[1:]
        if width >= 3 and any(part.count(delimiter) >= width - 2 for part in inner):
            last = line + cell.count("\n")
            return (f'a quote (") opened in this row is closed only on line {last}: '
                    f"lines {line + 1}–{last} would be one cell (close the quote where the cell ends)")
    return None


def _width_reason(count: int, width: int) -> str:
    if count < width:
        return f"truncated row: {count} cells, the header has {width}"
    return f"{count} cells, more than the header's {width} (an unquoted {'separator'} in a cell?)"


def _fast(text: str, header: list[str], delimiter: str) -> pd.DataFrame | None:
    """The body parsed by Arrow when every record is one line of the header's width; None otherwise."""
    width = len(header)
    invalid: list[int] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row.number or 0)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                            invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if invalid:
        return None
    columns = {}
    for name, label in zip(names, header, strict=True):
        column = table.column(name)
        if pc.any(pc.match_substring_regex(column, "[\r\n]")).as_py():
            return None  # a cell spans lines: the slow path numbers the lines
        columns[label] = pc.utf8_trim_whitespace(column)
    frame = pa.table(columns).to_pandas() if columns else pd.DataFrame(index=range(table.num_rows))
    frame["_row"] = np.arange(2, table.num_rows + 2, dtype="int64")
    return frame


def read_table(
    text: str, rel: str, problems: list[Problem], *, delimiter: str = ",", number_columns: tuple[str, ...] = ()
) -> Table | None:
    """The header and rows of a CSV file, or None (with problems) when it cannot be read at all.

    Bad rows are reported and left out; the caller decides whether any problem stops the run
    (it does, for every input). ``number_columns`` are cut silently when a file ends mid-row.
    """
    if not text.strip():
        problems.append(Problem(rel, None, None, "empty file"))
        return None
    head_records, head_problems = records(text.split("\n", 1)[0] if "\n" in text else text, rel, delimiter=delimiter)
    header = [h.strip() for h in head_records[0][1]] if head_records and not head_problems else None
    frame = None
    if header is not None and len(set(header)) == len(header) and text.count('"') % 2 == 0:
        frame = _fast(text, header, delimiter)
    if frame is None:
        table = _slow(text, rel, problems, delimiter)
        if table is None:
            return None
        header, frame = table.header, table.frame
    blank = (frame[header] == "").all(axis=1) if header else pd.Series(True, index=frame.index)
    frame = frame.loc[~blank].reset_index(drop=True)
    if not text.endswith(("\n", "\r")) and len(frame):
        _last_line(text, rel, header, frame, problems, number_columns)
    return Table(header, frame)


def _last_line(text: str, rel: str, header: list[str], frame: pd.DataFrame, problems: list[Problem], number_columns: tuple[str, ...]) -> None:
    """A complete last row without a line break after it: an error where its last cell is a number."""
    line = int(frame["_row"].iloc[-1])
    if int(text.count("\n")) + 1 != line + sum(cell.count("\n") for cell in frame[header].iloc[-1]):
        return  # the last line is not a row (a cut row was reported as truncated)
    if header[-1] in number_columns:
        problems.append(Problem(rel, line, header[-1],
                                "the file ends in this row without a line break: its last cell may have been cut "
                                "(a cut number looks complete); end the file with a line break if it is complete"))
    else:
        problems.append(Problem(rel, line, None,
                                "the file does not end with a line break: check that its last row is complete",
                                severity="warning"))


def _slow(text: str, rel: str, problems: list[Problem], delimiter: str) -> Table | None:
    """Row-by-row reading that reports every malformed row with its line."""
    rows, quoting = records(text, rel, delimiter=delimiter)
    problems.extend(quoting)
    if not rows:
        if not quoting:
            problems.append(Problem(rel, None, None, "empty file"))
        return None
    header = [h.strip() for h in rows[0][1]]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(rel, 1, name, f"column {name!r} appears twice in the header"))
            return None
        seen.add(name)
    width = len(header)
    kept: list[list[str]] = []
    lines: list[int] = []
    ends_clean = text.endswith(("\n", "\r"))
    for index, (line, cells) in enumerate(rows[1:], start=1):
        if not "".join(cells).strip():
            continue
        swallowed = swallowed_rows(line, cells, width, delimiter)
        if swallowed:
            problems.append(Problem(rel, line, None, swallowed))
            continue
        if len(cells) != width:
            reason = _width_reason(len(cells), width)
            if index == len(rows) - 1 and not ends_clean and not quoting and len(cells) < width:
                reason = f"the last line is cut: {len(cells)} cells, the header has {width} (the file ends without a line break)"
            problems.append(Problem(rel, line, None, reason))
            continue
        kept.append(cells)
        lines.append(line)
    columns = list(zip(*kept, strict=True)) if kept else [()] * width
    frame = pd.DataFrame({h: pd.Series(columns[i], dtype="str").str.strip() for i, h in enumerate(header)})
    frame["_row"] = pd.Series(lines, dtype="int64")
    return Table(header, frame)
