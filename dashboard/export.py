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
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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


#: The same rule as :func:`neutralise_text`, as a regular expression for Arrow string columns.
FORMULA_PATTERN = "^[" + "".join("\\" + p if p in "-\\]^" else p for p in FORMULA_PREFIXES) + "]"


def neutralise_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A record batch whose text columns are neutralised like :func:`safe_frame` (for streamed CSV)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.match_substring_regex(column, FORMULA_PATTERN)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def csv_chunks(batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """CSV bytes (BOM, header once, formula-safe) for each batch of a streamed result."""
    yield BOM.encode()
    first = True
    for batch in batches:
        buffer = io.BytesIO()
        pacsv.write_csv(neutralise_batch(batch), buffer, pacsv.WriteOptions(include_header=first))
        first = False
        yield buffer.getvalue()
