"""Statistical semantics, the stage between normalisation and publishing.

``derive_all`` adds what can honestly be computed from the published figures and checks them
against each other, without changing any of them:

- derived observations (``status = derived``, ``source_id = derived``): single-month levels
  from cumulative ones (:mod:`.monthly`), year-on-year growth from levels (:mod:`.growth`),
  shares of the parent region and ranks among siblings (:mod:`.shares`);
- ``reconciliation``: every reported share, growth, total and month compared with what the
  other reported figures imply, allowing for rounding (:mod:`.reconcile`);
- ``target_progress``: each target against the latest level of its series (:mod:`.targets`);
- ``series_breaks``: every break in series found in the data (:mod:`.breaks`); nothing is derived
  across one, and the first observation after it carries ``b`` in ``flags``.

Derivations start from the published figures only (never from each other's results), from the
row the default view shows for each figure. A derived row is shown by default unless a
publisher printed the same figure (same key but source and vintage): the printed one wins and
the two are compared in ``reconciliation``. See docs/semantics.md.

Everything runs as set-based SQL in one DuckDB workspace (:mod:`.engine`) over an Arrow copy
of the published rows: no Python runs per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.derive.breaks import BREAK_FLAG_PATTERN, SERIES_BREAKS_SCHEMA, flagged_rows_sql
from etl.derive.common import COLUMNS, DATE_COLUMNS, DERIVED_SOURCE, SERIES, with_derived_source
from etl.derive.engine import Query, Workspace, release_unused_memory, to_frame
from etl.derive.growth import growth_sql
from etl.derive.monthly import monthly_sql
from etl.derive.reconcile import RECONCILIATION_SCHEMA, reconcile_rows, summarise
from etl.derive.reconcile import as_frame as reconciliation_frame
from etl.derive.shares import ranks_sql, shares_sql
from etl.derive.targets import TARGET_PROGRESS_SCHEMA, target_progress
from etl.model import FIGURE_KEY, OBSERVATION_KEY, OBSERVATIONS_SCHEMA

__all__ = [
    "RECONCILIATION_SCHEMA",
    "SERIES_BREAKS_SCHEMA",
    "TARGET_PROGRESS_SCHEMA",
    "DeriveResult",
    "Query",
    "derive_all",
    "run_messages",
    "summarise",
    "with_derived_source",
]

#: Derived rows are counted by these names, in this order.
DERIVATIONS = ("monthly", "growth", "share", "rank")


class Observations(Query):
    """Every observation (published, then derived) as the workspace's query (:class:`Query`),
    also as pandas with dates as the input had them.

    Sorted (``order_by``), it is written one value of the first sort column at a time (one
    indicator's rows, sorted, then the next's): the sort then needs the memory of one part,
    not of the whole table, and stays within the workspace's memory limit at any size.
    """

    def __init__(self, workspace: Workspace, order_by: Sequence[str] | None, rows: int, dates_as_objects: bool):
        super().__init__(workspace, _output_sql(order_by), rows, OBSERVATIONS_SCHEMA)
        self.order_by, self.dates_as_objects = tuple(order_by or ()), dates_as_objects

    def write_parquet(self, path: Path, row_group_size: int) -> None:
        if not self.order_by:
            super().write_parquet(path, row_group_size)
            return
        import pyarrow.parquet as pq

        first = self.order_by[0]
        parts = [row[0] for row in self.workspace.sql(
            f"SELECT DISTINCT {first} FROM (SELECT {first} FROM obs UNION ALL SELECT {first} FROM derived) ORDER BY ALL"
        ).fetchall()]
        sql = _output_sql(self.order_by, part=first)

        def fetch(value: object) -> pa.Table:
            return self.workspace.con.sql(sql, params=[value]).to_arrow_table().cast(self.schema)

        # DuckDB sorts the next part while Arrow compresses and writes this one: both release the
        # GIL, so the two cores overlap them (one worker: the connection is used by one thread at a time).
        with pq.ParquetWriter(path, self.schema, compression="zstd") as writer, ThreadPoolExecutor(1) as pool:
            pending = pool.submit(fetch, parts[0]) if parts else None
            for index in range(len(parts)):
                part = pending.result()  # type: ignore[union-attr]
                pending = pool.submit(fetch, parts[index + 1]) if index + 1 < len(parts) else None
                writer.write_table(part, row_group_size=row_group_size)
                del part
                release_unused_memory()  # the written part's buffers go back before the next is fetched

    def frame(self) -> pd.DataFrame:
        return to_frame(self.table(), dates_as_timestamps=not self.dates_as_objects)


@dataclass
class DeriveResult:
    """The stage's outputs. ``output`` is every observation (published, then derived, or in the
    order asked for); ``observations`` is the same as pandas, dates as the input had them. The
    workspace stays open until :meth:`close` (the pipeline writes the Parquet from it)."""

    output: Observations
    #: The ``reconciliation`` table, as it is published (a table of the workspace, written by
    #: DuckDB; ``reconciliation_table``: as Arrow, ``reconciliation``: as pandas).
    reconciliation_rows: Query
    target_progress: pd.DataFrame
    series_breaks: pa.Table
    #: Derived rows per derivation (``monthly``, ``growth``, ``share``, ``rank``).
    derived_counts: dict[str, int]
    #: Rows read from the inputs (the table's rows minus the derived ones).
    published: int

    @cached_property
    def observations(self) -> pd.DataFrame:
        return self.output.frame()

    @cached_property
    def reconciliation_table(self) -> pa.Table:
        return self.reconciliation_rows.table()

    @cached_property
    def reconciliation(self) -> pd.DataFrame:
        return reconciliation_frame(self.reconciliation_table)

    def messages(self) -> list[str]:
        """Lines for the end of a run."""
        return run_messages(self.derived_counts, self.reconciliation_rows, self.target_progress)

    def close(self) -> None:
        self.output.workspace.close()

    def __enter__(self) -> DeriveResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_messages(
    derived_counts: dict[str, int], reconciliation: pd.DataFrame | pa.Table | Query, progress: pd.DataFrame
) -> list[str]:
    """What a run prints about this stage: derived rows by kind, targets, reconciliation."""
    counts = ", ".join(f"{derived_counts.get(name, 0)} {name}" for name in DERIVATIONS)
    with_progress = int(progress["progress_pct"].notna().sum())
    return [
        f"Derived {sum(derived_counts.values())} observation(s): {counts}.",
        f"Targets: {len(progress)}, {with_progress} with a level to measure progress against.",
        summarise(reconciliation),
    ]


def _derived_table_sql(n: int) -> str:
    """The derived rows of every derivation, each with a ``_rid`` after the published rows':
    derivation k's row computed for input row i is ``n·(k+1) + i`` (each derivation makes at most
    one row per input row), so the order is stable without sorting. ``is_default`` is true here
    and ``_maybe_printed`` says whether a published row has the same key hash: only those rows
    are compared column by column (:func:`_printed_sql`)."""
    parts = " UNION ALL ".join(
        f"SELECT *, {i} AS _kind FROM ({sql})"
        for i, sql in enumerate((monthly_sql(), growth_sql(), shares_sql(), ranks_sql()))
    )
    key_hash = f"hash({', '.join(FIGURE_KEY)})"
    columns = ", ".join("true AS is_default" if c == "is_default" else f"d.{c}" for c in COLUMNS)
    return f"""
    SELECT {columns}, d._kind, {n} * (d._kind + 1) + d._from AS _rid,
           hash({', '.join(f"d.{c}" for c in FIGURE_KEY)}) IN (SELECT {key_hash} FROM obs) AS _maybe_printed
    FROM ({parts}) d
    """


def _printed_sql() -> str:
    """A derived row is not the default when a publisher printed the same figure (same key, any
    source or vintage): the printed one wins. Equal keys hash equally, so only the rows whose
    hash a published row shares are compared on every key column (``=``, as ever: a missing
    value matches nothing) — a few rows, not a join of every derived row with every published one."""
    key_hash = f"hash({', '.join(FIGURE_KEY)})"
    same = " AND ".join(f"p.{c} = derived.{c}" for c in FIGURE_KEY)
    return f"""
    UPDATE derived SET is_default = false
    FROM (SELECT {', '.join(FIGURE_KEY)} FROM obs
          WHERE {key_hash} IN (SELECT {key_hash} FROM derived WHERE _maybe_printed)) p
    WHERE derived._maybe_printed AND {same}
    """


def _assert_unique_key(workspace: Workspace) -> None:
    """The observation key is unique (a derived row never collides with a published one: the
    published rows were checked by normalisation, so only derived rows and a publisher's own
    ``derived`` source can collide)."""
    key = ", ".join(OBSERVATION_KEY)
    rows = f"SELECT {key} FROM derived UNION ALL SELECT {key} FROM obs WHERE source_id = '{DERIVED_SOURCE}'"
    # Equal keys hash equally, so as many distinct hashes as rows proves every key unique: one
    # BIGINT per row instead of grouping on 13 columns. Only when that fails is the group built.
    total, distinct = workspace.sql(f"SELECT count(*), count(DISTINCT hash({key})) FROM ({rows})").fetchall()[0]
    if total == distinct:
        return
    clash = workspace.sql(
        f"""SELECT {key}, count(*) AS n FROM (
                SELECT {key} FROM derived UNION ALL SELECT {key} FROM obs WHERE source_id = '{DERIVED_SOURCE}')
            GROUP BY ALL HAVING count(*) > 1 LIMIT 5"""
    ).df()
    if len(clash):
        raise ValueError(f"observation key not unique after derivation:\n{clash.to_string()}")


def _flagged_sql() -> str:
    """The ``_rid`` (as ``_ord``) of every row, published or derived, that is the first after a break."""
    rows = f"SELECT _rid AS _ord, {', '.join(SERIES)}, period_kind, period_start, period_end FROM obs"
    rows += f" UNION ALL SELECT _rid, {', '.join(SERIES)}, period_kind, period_start, period_end FROM derived"
    return flagged_rows_sql(rows)


def _output_sql(order_by: Sequence[str] | None, *, part: str | None = None) -> str:
    """Published rows (``b`` added to ``flags`` on the first observation after a break), then
    derived ones; in ``order_by`` when given (ties: published first, in input order). ``flagged``
    holds the rows that are the first after a break (:func:`_flagged_sql`)."""
    columns = ", ".join(COLUMNS)
    flags = (
        f"CASE WHEN f._ord IS NULL OR regexp_matches(x.flags, '{BREAK_FLAG_PATTERN}') THEN x.flags"
        " WHEN x.flags = '' THEN 'b' WHEN regexp_matches(x.flags, '^[a-z]+$') THEN x.flags || 'b'"
        " ELSE x.flags || ' b' END AS flags"
    )
    select = ", ".join(flags if c == "flags" else f"x.{c}" for c in COLUMNS)
    order = ", ".join((*(order_by or ()), "_rid"))
    # One part of the table: the rows whose ``part`` column equals the query's parameter.
    where = f"WHERE {part} IS NOT DISTINCT FROM $1" if part else ""
    return f"""
    SELECT {select} FROM (
        SELECT {columns}, _rid FROM obs {where} UNION ALL SELECT {columns}, _rid FROM derived {where}
    ) x
    LEFT JOIN flagged f ON f._ord = x._rid
    ORDER BY {order}
    """


def derive_all(
    observations: pd.DataFrame | pa.Table,
    regions: pd.DataFrame,
    breaks: pd.DataFrame | None = None,
    *,
    order_by: Sequence[str] | None = None,
    dates_as_objects: bool | None = None,
) -> DeriveResult:
    """Add derived observations; build the reconciliation, target-progress and breaks tables.

    ``breaks`` is the reference table of break rules (``series_breaks.csv``); the publishers'
    ``b`` flags are read from the observations. ``order_by`` sorts the output table (the
    warehouse's order); without it, published rows keep their order and derived rows follow.
    ``dates_as_objects``: whether ``DeriveResult.observations`` has dates as ``datetime.date``
    (default: as the input has them).
    """
    if dates_as_objects is None:
        dates_as_objects = isinstance(observations, pd.DataFrame) and not pd.api.types.is_datetime64_any_dtype(
            observations[DATE_COLUMNS[0]]
        )
    workspace = Workspace(observations, regions, breaks)
    try:
        workspace.con.execute(f"CREATE TEMP TABLE derived AS {_derived_table_sql(workspace.n)}")
        workspace.con.execute(_printed_sql())
        _assert_unique_key(workspace)
        workspace.con.execute(f"CREATE TEMP TABLE flagged AS {_flagged_sql()}")
        counts = dict(workspace.sql("SELECT _kind, count(*) FROM derived GROUP BY _kind").fetchall())
        derived_counts = {name: int(counts.get(i, 0)) for i, name in enumerate(DERIVATIONS)}
        breaks_table = workspace.arrow(
            "SELECT region_code, industry_code, indicator, product, scope, break_date, origin, note_en, note_zh"
            " FROM brk ORDER BY ALL"
        ).cast(SERIES_BREAKS_SCHEMA)
        rows = workspace.n + sum(derived_counts.values())
        return DeriveResult(
            output=Observations(workspace, order_by, rows, dates_as_objects),
            reconciliation_rows=reconcile_rows(workspace),
            target_progress=target_progress(workspace=workspace),
            series_breaks=breaks_table,
            derived_counts=derived_counts,
            published=workspace.n,
        )
    except BaseException:
        workspace.close()
        raise
