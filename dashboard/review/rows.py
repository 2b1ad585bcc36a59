"""The review grid's rows: candidates → grid rows, and the browser's edited rows checked back.

The grid's rows come back from the browser with every edit the reviewer made, so they are
untrusted input like any other callback value. :func:`rows_from_browser` takes only the known
columns, as bounded text, and refuses the whole batch with a reason when anything is off (a
missing column, an unknown review word, a number that is no number, a cell a spreadsheet would
run as a formula). What a cell *means* (a region code, a unit that fits the indicator) is left
to the ETL's own checks, which run on the file before it is published (:mod:`.publish`), so the
page and ``python -m etl run`` can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl import numbers
from etl.extract.candidates import CANDIDATE_COLUMNS, Candidate
from etl.readers.figures import REVIEW_VALUES

#: Most rows one review may publish (a long NBS release yields about 150 candidates).
MAX_ROWS = 500
#: Longest cell of a figure's field; the excerpt (a sentence) and the note may be longer.
MAX_CELL = 200
MAX_TEXT_CELL = 2000
TEXT_COLUMNS = ("excerpt", "note")
#: A cell a spreadsheet would read as a formula (OWASP's list). ``value`` may start with ``-``/``+``:
#: it must be a number as the ETL reads one (:mod:`etl.numbers`) anyway.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RowsError(ValueError):
    """The grid's rows cannot be taken as they are; the message names the row and the column."""


@dataclass(frozen=True)
class GridRow:
    """A candidate as the grid shows it: the file's columns plus its position and highlight."""

    row_id: int
    values: dict[str, str]
    start: int
    end: int

    def as_data(self) -> dict[str, object]:
        return {"row_id": self.row_id, **self.values, "start": self.start, "end": self.end}


def grid_rows(candidates: list[Candidate]) -> list[dict[str, object]]:
    """The grid's ``rowData``: one dict per candidate, numbered from 1 in the release's order."""
    return [
        GridRow(number, candidate.row(), candidate.start, candidate.end).as_data()
        for number, candidate in enumerate(candidates, start=1)
    ]


def _cell(row: dict, column: str, number: int) -> str:
    value = row.get(column, "")
    if value is None:
        value = ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = format(value, "g") if column != "value" else repr(value)
    if not isinstance(value, str):
        raise RowsError(f"row {number}, {column}: not text")
    value = value.strip()
    limit = MAX_TEXT_CELL if column in TEXT_COLUMNS else MAX_CELL
    if len(value) > limit:
        raise RowsError(f"row {number}, {column}: longer than {limit} characters")
    if column == "value":
        if value and numbers.canonical(value) is None:
            raise RowsError(f"row {number}, value: {numbers.reason(value[:40])}")
    elif column not in TEXT_COLUMNS and value.startswith(FORMULA_START) and column != "confidence":
        raise RowsError(f"row {number}, {column}: {value[:40]!r} cannot start with {value[0]!r}")
    return value


def rows_from_browser(data: object, source_id: str) -> list[dict[str, str]]:
    """The edited grid rows as rows of the candidates file (every column, ``source_id`` set).

    Free text (excerpt, note) that a spreadsheet would run as a formula gets a leading
    apostrophe, as the CSV downloads do; every other cell is refused instead, since no code,
    period or unit starts with ``=``.
    """
    if not isinstance(data, list) or not data:
        raise RowsError("there are no candidates to publish: extract a release first")
    if len(data) > MAX_ROWS:
        raise RowsError(f"at most {MAX_ROWS} rows can be published at once")
    rows: list[dict[str, str]] = []
    for number, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise RowsError(f"row {number}: not a row of the grid")
        out = {column: _cell(row, column, number) for column in CANDIDATE_COLUMNS if column != "source_id"}
        review = out["review"].lower()
        if review not in REVIEW_VALUES:
            raise RowsError(f"row {number}, review: {out['review'][:40]!r} — choose accepted, rejected or candidate")
        out["review"] = review
        for column in TEXT_COLUMNS:
            if out[column].startswith(FORMULA_START):
                out[column] = "'" + out[column]
        out["source_id"] = source_id
        rows.append({column: out[column] for column in CANDIDATE_COLUMNS})
    if not any(r["review"] == "accepted" for r in rows):
        raise RowsError("no row is accepted: accept the figures to publish (the others stay in the file as reviewed)")
    return rows


def set_review(data: list[dict], row_ids: set[int] | None, decision: str) -> list[dict]:
    """``data`` with ``review`` set to ``decision`` on the rows in ``row_ids`` (all rows when None)."""
    if decision not in REVIEW_VALUES:
        raise RowsError(f"not a review decision: {decision!r}")
    return [dict(row, review=decision) if row_ids is None or row.get("row_id") in row_ids else row for row in data]
