"""CSV downloads that open correctly in Excel on Chinese Windows and cannot carry formulas.

* UTF-8 with a byte-order mark: without it Excel on a Chinese-locale Windows reads the file
  as GBK and shows mojibake for 广东省.
* Spreadsheet formula injection: a *text* cell starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return would run as a formula in Excel; it gets a leading apostrophe
  (OWASP's advice). Numeric columns are left alone, so a growth rate of -3.2 stays a number.
"""

from __future__ import annotations

import io

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
