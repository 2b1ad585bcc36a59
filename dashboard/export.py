"""CSV downloads that open correctly in Excel on Chinese Windows and cannot carry formulas.

* UTF-8 with a byte-order mark: without it Excel on a Chinese-locale Windows reads the file
  as GBK and shows mojibake for 广东省.
* Spreadsheet formula injection: a *text* cell starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return would run as a formula in Excel; it gets a leading apostrophe
  (OWASP's advice). Numeric columns are left alone, so a growth rate of -3.2 stays a number.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pandas as pd

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(value: object) -> object:
    """Prefix a text value that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns are neutralised; numeric and date columns unchanged."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_string_dtype(out[column]) or out[column].dtype == object:
            out[column] = out[column].map(neutralise_text)
    return out


def to_csv_text(frame: pd.DataFrame) -> str:
    """The CSV text (with BOM) of ``frame``: every row, formula-safe, ISO dates."""
    buffer = io.StringIO()
    buffer.write(BOM)
    safe_frame(frame).to_csv(buffer, index=False, lineterminator="\n", float_format="%.15g")
    return buffer.getvalue()


def csv_chunks(batches: Iterable[pd.DataFrame], columns: list[str]) -> Iterator[bytes]:
    """The same CSV as :func:`to_csv_text`, as UTF-8 chunks, one per batch: a download of any size
    streams in the memory of one batch. The header comes with the first batch (alone if none)."""
    header = True
    for batch in batches:
        buffer = io.StringIO()
        if header:
            buffer.write(BOM)
        safe_frame(batch).to_csv(buffer, index=False, header=header, lineterminator="\n", float_format="%.15g")
        header = False
        yield buffer.getvalue().encode("utf-8")
    if header:
        yield (BOM + ",".join(columns) + "\n").encode("utf-8")
