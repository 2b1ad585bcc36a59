"""Numbers as printed → canonical decimal text, strictly, for every reader.

Publishers print ``1,310.3``, ``１３１０．３`` (full-width), ``−3.2`` (a Unicode minus), and in
European files ``1.234,5``. A number is read only when its form is unambiguous:

* thousands separators only in valid positions: ``1,310.3`` and ``12,345`` are numbers,
  ``12,34`` and ``1,2345`` are not (the comma is neither a thousands separator nor, unless
  declared, a decimal comma);
* a decimal comma only where the file's sidecar declares it (``decimal: ","``); then the
  thousands separator is ``.`` or a space (``1.234,5``, ``1 234,5``);
* full-width digits, signs and separators are the ASCII ones;
* ``inf``, ``nan`` and anything else are not numbers, and a number too large for a double
  (``1e999``) is out of range — checked after conversion (:func:`finite`).

Every reader passes the cell text through unchanged and :mod:`etl.normalize` calls
:func:`parse` once for all figures (vectorised: RE2 over Arrow arrays; Python only for the
rare cells with non-ASCII characters and for the reason a cell is rejected).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: The decimal marks a sidecar may declare.
DECIMAL_MARKS = (".", ",")
#: Full-width and typographic characters → ASCII (digits, signs, separators; spaces that group digits).
_WIDE = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "．": ".",
        "，": ",",
        "－": "-",
        "\u2212": "-",  # minus sign
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash used as a minus
        "＋": "+",
        "ｅ": "e",
        "Ｅ": "E",
        "\u00a0": " ",  # no-break space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\u3000": " ",  # ideographic space
    }
)
_EXPONENT = r"(?:[eE][+-]?\d+)?"
#: Decimal point: plain (``1310.3``, ``.5``, ``1e6``) or grouped by commas (``1,310.3``).
_POINT_PLAIN = rf"[+-]?(?:\d+(?:\.\d*)?|\.\d+){_EXPONENT}"
_POINT_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
#: Decimal comma: plain (``1310,3``) or grouped by points or spaces (``1.310,3``, ``1 310,3``).
_COMMA_PLAIN = rf"[+-]?(?:\d+(?:,\d*)?|,\d+){_EXPONENT}"
_COMMA_GROUPED = r"[+-]?\d{1,3}(?:(?:\.\d{3})+|(?: \d{3})+)(?:,\d*)?"


def _full(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _matches(array: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(array, _full(pattern)).to_numpy(zero_copy_only=False).astype(bool)


def _translate(text: pd.Series) -> pd.Series:
    """Trimmed text with full-width characters made ASCII (Python only where a cell is not ASCII)."""
    array = pc.utf8_trim_whitespace(pa.array(text.to_numpy(dtype=object), type=pa.string()))
    wide = pc.match_substring_regex(array, r"[^\x00-\x7f]").to_numpy(zero_copy_only=False).astype(bool)
    out = pd.Series(array.to_numpy(zero_copy_only=False), index=text.index, dtype=object)
    if wide.any():
        out[wide] = [str(cell).translate(_WIDE).strip() for cell in out[wide]]
    return out


def parse(text: pd.Series, decimal: pd.Series | str = ".") -> tuple[pd.Series, pd.Series]:
    """``(canonical, ok)`` for every cell: canonical is ASCII decimal text (``1310.3``) where
    ``ok``, "" elsewhere. Empty cells are not ok (the caller decides whether empty is allowed)."""
    cells = _translate(text)
    comma = (
        pd.Series(False, index=text.index)
        if isinstance(decimal, str) and decimal == "."
        else (pd.Series(decimal, index=text.index) == ",")
    )
    canonical = pd.Series("", index=text.index, dtype=object)
    ok = np.zeros(len(cells), dtype=bool)
    comma_array = comma.to_numpy(dtype=bool)
    for is_comma in (False, True):
        rows = np.flatnonzero(comma_array == is_comma)
        if not len(rows):
            continue
        part = cells.iloc[rows]
        array = pa.array(part.to_numpy(dtype=object), type=pa.string())
        plain, grouped = (_COMMA_PLAIN, _COMMA_GROUPED) if is_comma else (_POINT_PLAIN, _POINT_GROUPED)
        is_plain = _matches(array, plain)
        is_grouped = _matches(array, grouped) & ~is_plain
        if is_comma:
            cleaned = pc.replace_substring(pc.replace_substring(pc.replace_substring(array, ".", ""), " ", ""), ",", ".")
        else:
            cleaned = pc.if_else(pa.array(is_grouped), pc.replace_substring(array, ",", ""), array)
        good = is_plain | is_grouped
        values = np.asarray(cleaned.to_numpy(zero_copy_only=False), dtype=object)
        canonical.iloc[rows[good]] = values[good]
        ok[rows[good]] = True
    return canonical, pd.Series(ok, index=text.index)


def canonical(text: str, decimal: str = ".") -> str | None:
    """:func:`parse` for one cell: the canonical text, or None when it is not a number."""
    value, ok = parse(pd.Series([text], dtype=object), decimal)
    return str(value.iloc[0]) if bool(ok.iloc[0]) else None


def reason(text: str, decimal: str = ".") -> str:
    """Why a cell is not a number, in words a person can act on (called for rejected cells only)."""
    shown = repr(text)
    cell = str(text).translate(_WIDE).strip()
    if not cell:
        return "missing value"
    if re.fullmatch(r"[+-]?(inf(inity)?|nan)", cell, re.I):
        return f"not a finite number: {shown}"
    if decimal == "." and re.fullmatch(_COMMA_PLAIN + "|" + _COMMA_GROUPED, cell) and "," in cell:
        return (f"not a number: {shown} has a comma where no thousands separator can be "
                "(a decimal comma? declare it with `decimal: \",\"` in the file's sidecar)")
    if decimal == "," and re.fullmatch(_POINT_GROUPED, cell):
        return f"not a number: {shown} (the sidecar declares a decimal comma, and this reads as a decimal point)"
    if re.fullmatch(r"[+-]?[\d.,]+\s*(万亿|万|亿|千|百|%|％)", cell):
        return f"not a number: {shown} (write the scale or % in the unit column, the number alone in the value)"
    return f"not a number: {shown}"


def finite(values: np.ndarray) -> np.ndarray:
    """Whether each converted value is a finite double (``1e999`` converts to inf: out of range)."""
    return np.isfinite(values)
