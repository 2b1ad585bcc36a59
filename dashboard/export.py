"""CSV downloads that open correctly in Excel on Chinese Windows and cannot carry formulas.

* UTF-8 with a byte-order mark: without it Excel on a Chinese-locale Windows reads the file
  as GBK and shows mojibake for 广东省.
* Spreadsheet formula injection: a *text* cell starting with ``=``, ``+``, ``-``, ``@``, a
  tab or a carriage return would run as a formula in Excel; it gets a leading apostrophe
  (OWASP's advice). Numeric columns are left alone, so a growth rate of -3.2 stays a number.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

BOM = "\ufeff"
#: A download's file name: these characters only, at most this long (the extension included).
FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")
MAX_FILENAME = 120
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Pool threads that neutralise and write a streamed CSV, and batches in flight at most (see csv_chunks).
CSV_THREADS = 2
CSV_AHEAD = 3


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


def safe_filename(name: str, *, default: str = "download") -> str:
    """``name`` reduced to ``[A-Za-z0-9_.-]``, no leading dot, at most :data:`MAX_FILENAME` characters.

    Parts of a download's name come from the page's state; whatever they hold, the
    ``Content-Disposition`` header stays short and cannot carry quotes, slashes or newlines.
    """
    stem, _, ext = name.rpartition(".") if "." in name else (name, "", "")
    ext = FILENAME_UNSAFE.sub("", ext)[:16]
    stem = FILENAME_UNSAFE.sub("-", stem).strip(".-") or default
    keep = MAX_FILENAME - (len(ext) + 1 if ext else 0)
    return f"{stem[:keep]}.{ext}" if ext else stem[:keep]


def to_csv_text(frame: pd.DataFrame) -> str:
    """The CSV text (with BOM) of ``frame``: every row, formula-safe, ISO dates."""
    buffer = io.StringIO()
    buffer.write(BOM)
    safe_frame(frame).to_csv(buffer, index=False, lineterminator="\n", float_format="%.15g")
    return buffer.getvalue()


#: Byte → whether a text cell starting with it is a formula (every prefix is one ASCII byte, so a
#: cell's first byte decides: a multi-byte UTF-8 character never starts with one).
_RISKY_FIRST_BYTE = np.zeros(256, dtype=bool)
_RISKY_FIRST_BYTE[[ord(prefix) for prefix in FORMULA_PREFIXES]] = True
_OFFSET_TYPES = {pa.string(): np.int32, pa.large_string(): np.int64}


def _may_be_risky(column: pa.Array) -> bool:
    """Whether any cell of a text column may start with a formula prefix: a look at each cell's first
    byte through the Arrow buffers (one NumPy gather, no copy of the text). False only when none does."""
    offset_type = _OFFSET_TYPES[column.type]
    _, offsets_buffer, data_buffer = column.buffers()
    if data_buffer is None or data_buffer.size == 0:
        return False
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type, count=len(column) + 1, offset=column.offset *
                            np.dtype(offset_type).itemsize)
    starts = offsets[:-1][offsets[1:] > offsets[:-1]]  # non-empty cells (a null's slot is empty or ignored below)
    if starts.size == 0:
        return False
    return bool(_RISKY_FIRST_BYTE[np.frombuffer(data_buffer, dtype=np.uint8)[starts]].any())


def neutralise_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A record batch whose text columns are neutralised like :func:`safe_frame` (for streamed CSV).

    Vectorised, in two steps: the first byte of every cell is looked up in a table through the
    column's Arrow buffers (:func:`_may_be_risky`: microseconds a column), and only a column where
    one is risky goes through ``starts_with`` per prefix and is rewritten — most columns of most
    batches have none. Measured on 1 M rows of the API's 17 text columns: 0.08 s for the look,
    against 0.48 s for ``starts_with`` on every column (and 2.3 s with one regular expression).
    """
    columns = []
    for column in batch.columns:
        if (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)) and _may_be_risky(column):
            risky = pc.starts_with(column, FORMULA_PREFIXES[0])
            for prefix in FORMULA_PREFIXES[1:]:
                risky = pc.or_(risky, pc.starts_with(column, prefix))
            if pc.any(risky).as_py():
                column = pc.if_else(risky, pc.binary_join_element_wise(pa.scalar("'", column.type), column, pa.scalar("", column.type)), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def _batch_csv(batch: pa.RecordBatch) -> bytes:
    """One batch as formula-safe CSV rows, no header (runs in a pool thread: pyarrow releases the GIL)."""
    out = pa.BufferOutputStream()
    pacsv.write_csv(neutralise_batch(batch), out, pacsv.WriteOptions(include_header=False))
    return out.getvalue().to_pybytes()


def csv_chunks(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, *, threads: int = CSV_THREADS, ahead: int = CSV_AHEAD
) -> Iterator[bytes]:
    """CSV bytes (BOM, header once — also for no rows —, formula-safe) for each batch of a streamed result.

    Why threads: written one batch after another, the stream costs about what DuckDB's own
    ``COPY`` costs in CPU but takes twice its time, because the query, the neutralisation and the
    CSV writer take turns on one core while ``COPY`` keeps two busy. Here the request's thread
    pulls batches from DuckDB while ``threads`` pool threads neutralise and write the ones before
    (pyarrow's compute and CSV writer release the GIL); at most ``ahead`` batches are in flight,
    so memory stays bounded, and chunks leave in the query's order. The pool lives as long as the
    response (closed when the client goes or the stream ends).
    """
    header = pa.BufferOutputStream()
    pacsv.write_csv(schema.empty_table(), header)
    yield BOM.encode() + header.getvalue().to_pybytes()
    pending: deque[Future[bytes]] = deque()
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="csv") as pool:
        try:
            for batch in batches:
                pending.append(pool.submit(_batch_csv, batch))
                while len(pending) >= ahead or (pending and pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
