"""The derive stage's working set: the published observations in DuckDB, and the views every
derivation starts from.

Every derivation and check is one set-based SQL statement (joins and window functions) over
the same few views, so a million figures cost a few scans, not a million Python calls:

- ``obs``: the published observations as the stage received them (an Arrow table, scanned in
  place), with ``_rid``, the row's position, which breaks ties the way the input order does;
- ``current_regions``: regions still valid and inside their parent's statistics, with
  ``siblings``, how many current regions share the parent;
- ``brk``: breaks in series, one row per series and date (:mod:`etl.derive.breaks`);
- ``usable``: default-view levels a derivation may start from, each with ``segment`` (how many
  breaks of its series lie at or before its start) and ``straddles`` (a break falls inside its
  period);
- ``exact_levels``: usable levels that are exact, one per series and dates (a ``ytd`` and a
  ``half`` Jan–Jun are one figure), with the same dates a year later for growth;
- ``rec_levels``: usable levels including bounds and approximations, one per region, figure,
  unit and dates, with their rounding intervals (reconciliation).

Two figures are combined only when neither straddles a break and both are in the same segment:
that is how "never across a break in series" reads in SQL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl.derive.common import (
    COLUMNS,
    DATE_COLUMNS,
    KIND_PRIORITY,
    SERIES,
    USABLE_STATUSES,
)
from etl.model import OBSERVATIONS_SCHEMA

#: The dimensions a break in series is declared on (every measure of the series breaks with it).
BREAK_KEY = ("region_code", "industry_code", "indicator", "product", "scope")
#: Regions outside the national statistics: the bureau's national totals (全国) cover the 31
#: mainland provinces; Taiwan, Hong Kong and Macao publish their own.
OUTSIDE_NATIONAL_STATISTICS = ("710000", "810000", "820000")
#: DuckDB's memory for the derive stage: beyond it, joins, sorts and the temporary tables spill
#: to a private temporary directory instead of growing the process (issue 15: a run of a million
#: reported rows within 2 GB). DuckDB's sort of one part of the output needs memory in proportion
#: to the part (1 GB failed on 2.3 M rows in one sort), so larger inputs get more, in proportion,
#: up to half the machine's memory.
MEMORY_LIMIT_MIN = 1 << 30
MEMORY_PER_ROW = 1024


def memory_limit(rows: int) -> int:
    """Bytes of memory DuckDB may use for a workspace of ``rows`` published observations."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 8 << 30
    return max(MEMORY_LIMIT_MIN, min(rows * MEMORY_PER_ROW, physical // 2))
#: An approximation (约, 近) is taken as ±5 %: a number rounded to two significant digits is at
#: most 5 % off.
ABOUT_RELATIVE = 0.05


def quoted(values: Iterable[str]) -> str:
    """``'a', 'b'``: constants of this module in SQL (never user input)."""
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def cols(names: Iterable[str], alias: str = "", prefix: str = "") -> str:
    """``a.x AS px, a.y AS py``-style column lists."""
    dot = f"{alias}." if alias else ""
    return ", ".join(f"{dot}{n}" + (f" AS {prefix}{n}" if prefix else "") for n in names)


def same(names: Iterable[str], left: str, right: str) -> str:
    """``l.x = r.x AND l.y = r.y``."""
    return " AND ".join(f"{left}.{n} = {right}.{n}" for n in names)


KIND_RANK_SQL = "CASE period_kind " + " ".join(f"WHEN '{k}' THEN {r}" for k, r in KIND_PRIORITY.items()) + " ELSE 9 END"

#: SQL macros shared by the derivations: how an input is named, and the rounding interval of a
#: printed figure (docs/semantics.md, "Tolerance").
MACROS = f"""
CREATE OR REPLACE TEMP MACRO named_input(region, kind, s, e, v, src) AS
    region || ' ' || kind || ' ' || strftime(s, '%Y-%m') || '..' || strftime(e, '%Y-%m')
    || ' = ' || printf('%.10g', v) || ' [' || src || ']';
CREATE OR REPLACE TEMP MACRO scale_of(m) AS
    CASE WHEN m IS NULL OR isnan(m) OR m = 0 THEN 1.0 ELSE m END;
CREATE OR REPLACE TEMP MACRO printed_decimals(x) AS
    CASE WHEN x = round(x, 0) THEN 0 WHEN x = round(x, 1) THEN 1 WHEN x = round(x, 2) THEN 2 WHEN x = round(x, 3) THEN 3 WHEN x = round(x, 4) THEN 4 WHEN x = round(x, 5) THEN 5 WHEN x = round(x, 6) THEN 6 WHEN x = round(x, 7) THEN 7 WHEN x = round(x, 8) THEN 8 WHEN x = round(x, 9) THEN 9 ELSE 10 END;
CREATE OR REPLACE TEMP MACRO half_width(v, m, q) AS
    greatest(0.5 * pow(10.0, -printed_decimals(v / scale_of(m))) * scale_of(m),
             CASE WHEN q = 'about' THEN {ABOUT_RELATIVE} * abs(v) ELSE 0.0 END);
CREATE OR REPLACE TEMP MACRO low_of(v, m, q) AS
    CASE WHEN q = 'at_most' THEN '-inf'::DOUBLE ELSE v - half_width(v, m, q) END;
CREATE OR REPLACE TEMP MACRO high_of(v, m, q) AS
    CASE WHEN q = 'at_least' THEN 'inf'::DOUBLE ELSE v + half_width(v, m, q) END;
CREATE OR REPLACE TEMP MACRO finite_or(x, d) AS CASE WHEN isinf(x) THEN d ELSE abs(x) END;
CREATE OR REPLACE TEMP MACRO intervals_meet(rl, rh, il, ih) AS
    greatest(rl, il) <= least(rh, ih) + 1e-9 * greatest(
        finite_or(rl, 0), finite_or(rh, 0), finite_or(il, 0), finite_or(ih, 0), 1.0);
CREATE OR REPLACE TEMP MACRO verdict_of(rl, rh, il, ih) AS
    CASE WHEN intervals_meet(rl, rh, il, ih) THEN 'consistent' ELSE 'inconsistent' END;
CREATE OR REPLACE TEMP MACRO ids(l) AS
    array_to_string(list_filter(l, lambda x, i: x IS NOT NULL AND list_position(l, x) = i), '+');
CREATE OR REPLACE TEMP MACRO period_text(s, e) AS strftime(s, '%Y-%m') || '..' || strftime(e, '%Y-%m');
"""


def to_arrow(observations: pd.DataFrame | pa.Table) -> pa.Table:
    """The observations in the warehouse's types (dates as ``date32``), plus ``_rid``."""
    if isinstance(observations, pa.Table):
        table = observations.select(list(COLUMNS)).cast(OBSERVATIONS_SCHEMA)
    else:
        frame = observations[list(COLUMNS)]
        arrays = []
        for field in OBSERVATIONS_SCHEMA:
            column = frame[field.name]
            if field.name in DATE_COLUMNS and pd.api.types.is_datetime64_any_dtype(column):
                arrays.append(pa.array(column.dt.normalize(), type=pa.timestamp("ns")).cast(pa.date32()))
            else:
                arrays.append(pa.array(column, type=field.type, from_pandas=True))
        table = pa.Table.from_arrays(arrays, schema=OBSERVATIONS_SCHEMA)
    return table.append_column("_rid", pa.array(np.arange(table.num_rows, dtype="int64")))


def release_unused_memory() -> None:
    """Give the memory of freed Arrow buffers back to the system now, not after the allocator's
    decay: the derive stage's DuckDB allocates from its own heap, so memory pandas and Arrow
    no longer use would otherwise still count in the run's peak."""
    pa.default_memory_pool().release_unused()


def regions_arrow(regions: pd.DataFrame) -> pa.Table:
    """The columns of the regions table the derivations read, as text."""
    frame = pd.DataFrame(
        {
            c: (regions[c] if c in regions else pd.Series([""] * len(regions), index=regions.index))
            .fillna("")
            .astype("str")
            for c in ("code", "parent_code", "level", "name_en", "name_zh", "valid_to")
        }
    )
    return pa.Table.from_pandas(frame, preserve_index=False)


class Workspace:
    """One DuckDB connection holding the published observations and the shared views."""

    def __init__(
        self,
        observations: pd.DataFrame | pa.Table,
        regions: pd.DataFrame | None = None,
        breaks: pd.DataFrame | None = None,
    ):
        #: Where DuckDB spills beyond :func:`memory_limit`; removed by :meth:`close`.
        self.spill = tempfile.mkdtemp(prefix="etl-derive-")
        self.con = duckdb.connect(":memory:", config={"memory_limit": f"{MEMORY_LIMIT_MIN}B", "temp_directory": self.spill})
        try:
            self._build(observations, regions, breaks)
        except BaseException:
            self.close()
            raise

    def _build(self, observations: pd.DataFrame | pa.Table, regions: pd.DataFrame | None,
               breaks: pd.DataFrame | None) -> None:
        from etl.derive.breaks import break_rows_sql, rules_arrow

        self.obs = to_arrow(observations)
        self.n = self.obs.num_rows
        self.con.execute(f"SET memory_limit = '{int(memory_limit(self.n))}B'")
        self.con.register("obs", self.obs)
        self.con.register("region_ref", regions_arrow(regions if regions is not None else empty_regions()))
        self.con.register("break_rules", rules_arrow(breaks))
        self.con.execute(MACROS)
        self.con.execute(
            f"""
            CREATE TEMP TABLE current_regions AS
            SELECT code, parent_code, level, name_en, name_zh,
                   count(*) OVER (PARTITION BY parent_code) AS siblings
            FROM region_ref
            WHERE code NOT IN ({quoted(OUTSIDE_NATIONAL_STATISTICS)}) AND valid_to = ''
            """
        )
        self.con.execute(f"CREATE TEMP TABLE brk AS {break_rows_sql()}")
        key = ", ".join(BREAK_KEY)
        self.con.execute(
            f"""
            CREATE TEMP TABLE obs_brk AS
            SELECT o._rid,
                   count(*) FILTER (WHERE b.break_date <= o.period_start) AS segment,
                   coalesce(bool_or(o.period_start < b.break_date AND b.break_date <= o.period_end), false) AS straddles,
                   string_agg(DISTINCT b.note, '; ') FILTER (WHERE o.period_start < b.break_date) AS break_note
            FROM obs o JOIN brk b USING ({key})
            GROUP BY o._rid
            """
        )
        self.con.execute(
            f"""
            CREATE TEMP VIEW usable AS
            SELECT o.*, coalesce(ob.segment, 0) AS segment, coalesce(ob.straddles, false) AS straddles,
                   coalesce(ob.break_note, '') AS break_note,
                   coalesce(cr.parent_code, '') AS parent_code,
                   {KIND_RANK_SQL} AS kind_rank
            FROM obs o
            LEFT JOIN obs_brk ob USING (_rid)
            LEFT JOIN current_regions cr ON cr.code = o.region_code
            WHERE o.is_default AND o.measure = 'level' AND o.value IS NOT NULL
              AND o.status IN ({quoted(USABLE_STATUSES)})
            """
        )
        series = ", ".join(SERIES)
        self.con.execute(
            f"""
            CREATE TEMP TABLE exact_levels AS
            SELECT {series}, period_start, period_end, period_kind, value, unit_published, unit_mult_published,
                   vintage, source_id, _rid, segment, straddles, break_note, parent_code,
                   CAST(period_start + INTERVAL 1 YEAR AS DATE) AS start_next,
                   last_day(CAST(period_end + INTERVAL 1 YEAR AS DATE)) AS end_next
            FROM usable
            WHERE qualifier = 'exact'
            QUALIFY row_number() OVER (PARTITION BY {series}, period_start, period_end ORDER BY kind_rank, _rid) = 1
            """
        )
        level_key = "region_code, industry_code, indicator, product, scope, unit"
        self.con.execute(
            f"""
            CREATE TEMP TABLE rec_levels AS
            SELECT {level_key}, period_start, period_end, period_kind, measure, share_of, price_basis,
                   value, unit_mult_published, qualifier,
                   vintage, source_id, _rid, segment, straddles, break_note, parent_code,
                   low_of(value, unit_mult_published, qualifier) AS low,
                   high_of(value, unit_mult_published, qualifier) AS high
            FROM usable
            QUALIFY row_number() OVER (PARTITION BY {level_key}, period_start, period_end ORDER BY kind_rank, _rid) = 1
            """
        )

    def sql(self, query: str) -> duckdb.DuckDBPyRelation:
        return self.con.sql(query)

    def arrow(self, query: str) -> pa.Table:
        return self.con.sql(query).to_arrow_table()

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.spill, ignore_errors=True)


class Query:
    """A table of the workspace as the query that makes it: written to Parquet by DuckDB straight
    from the query (parallel, streaming, no Arrow copy of the rows in Python), or fetched as
    Arrow when a caller asks. ``len()`` is its row count."""

    def __init__(self, workspace: Workspace, sql: str, rows: int, schema: pa.Schema):
        self.workspace, self.sql, self.rows, self.schema = workspace, sql, rows, schema

    def __len__(self) -> int:
        return self.rows

    def write_parquet(self, path: Path, row_group_size: int) -> None:
        target = str(path).replace("'", "''")
        self.workspace.con.execute(
            f"COPY ({self.sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {int(row_group_size)})"
        )

    def table(self, *, where: str = "", limit: int | None = None) -> pa.Table:
        """The rows as Arrow, in the query's order; ``where`` (SQL of this module's callers, never
        user input) and ``limit`` narrow them."""
        sql = self.sql
        if where or limit is not None:
            sql = f"SELECT * FROM ({self.sql}) q" + (f" WHERE {where}" if where else "")
            sql += f" LIMIT {int(limit)}" if limit is not None else ""
        return self.workspace.arrow(sql).cast(self.schema)

    def counts(self, columns: Sequence[str]) -> dict[tuple, int]:
        """Rows per distinct value of ``columns``."""
        names = ", ".join(f'"{c}"' for c in columns)
        rows = self.workspace.sql(f"SELECT {names}, count(*) FROM ({self.sql}) q GROUP BY ALL").fetchall()
        return {tuple(row[:-1]): int(row[-1]) for row in rows}


def derived_rows(workspace: Workspace, sql: str) -> pd.DataFrame:
    """One derivation's rows as pandas (for the derivation's own function and its tests)."""
    return to_frame(workspace.arrow(f"SELECT * EXCLUDE (_from) FROM ({sql}) ORDER BY region_code, period_end, _from"))


def empty_regions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="str") for c in ("code", "parent_code", "level", "name_en", "name_zh")})


def select_columns(expressions: dict[str, str], columns: Sequence[str] = COLUMNS, *, origin: str | None = None) -> str:
    """A SELECT list of every observation column, in order: the given expressions, else the
    derived row's default (docs/semantics.md, "What a derived row looks like"). ``origin`` is the
    ``_rid`` of the row a derived row is computed for, kept as ``_from`` (a stable order)."""
    defaults = {
        "share_of": "''",
        "price_basis": "''",
        "unit_published": "''",
        "unit_mult_published": "1.0",
        "status": "'derived'",
        "qualifier": "'exact'",
        "flags": "''",
        "label_published": "''",
        "source_id": "'derived'",
        "is_default": "true",
        "input_file": "''",
        "input_row": "0",
    }
    parts = []
    for field in OBSERVATIONS_SCHEMA:
        if field.name not in columns:
            continue
        if field.name in expressions:
            expression = expressions[field.name]
        elif field.name in defaults:
            expression = defaults[field.name]
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            expression = "''"  # a column another stage added: empty for a derived row
        else:
            expression = "NULL"
        parts.append(f"CAST({expression} AS {duck_type(field.type)}) AS {field.name}")
    if origin is not None:
        parts.append(f"{origin} AS _from")
    return ",\n       ".join(parts)


def duck_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    if pa.types.is_date(arrow_type):
        return "DATE"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_int32(arrow_type):
        return "INTEGER"
    if pa.types.is_integer(arrow_type):
        return "BIGINT"
    raise TypeError(f"no SQL type for {arrow_type}")


def to_frame(table: pa.Table, *, dates_as_timestamps: bool = True) -> pd.DataFrame:
    """An Arrow result as pandas; dates as ``datetime64[ns]`` (or ``datetime.date`` objects)."""
    frame = table.to_pandas(date_as_object=not dates_as_timestamps)
    if dates_as_timestamps:
        for name, typ in zip(table.column_names, table.schema.types, strict=True):
            if pa.types.is_date(typ) or pa.types.is_timestamp(typ):
                frame[name] = frame[name].astype("datetime64[ns]")
    return frame
