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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl.derive.breaks import BREAK_FLAG_PATTERN, SERIES_BREAKS_SCHEMA, flagged_rows_sql
from etl.derive.common import COLUMNS, DATE_COLUMNS, DERIVED_SOURCE, SERIES, with_derived_source
from etl.derive.engine import Workspace, to_frame
from etl.derive.growth import growth_sql
from etl.derive.monthly import monthly_sql
from etl.derive.reconcile import RECONCILIATION_SCHEMA, reconcile_table, summarise
from etl.derive.reconcile import as_frame as reconciliation_frame
from etl.derive.shares import ranks_sql, shares_sql
from etl.derive.targets import TARGET_PROGRESS_SCHEMA, target_progress
from etl.model import FIGURE_KEY, OBSERVATION_KEY, OBSERVATIONS_SCHEMA

__all__ = [
    "RECONCILIATION_SCHEMA",
    "SERIES_BREAKS_SCHEMA",
    "TARGET_PROGRESS_SCHEMA",
    "DeriveResult",
    "derive_all",
    "run_messages",
    "summarise",
    "with_derived_source",
]

#: Derived rows are counted by these names, in this order.
DERIVATIONS = ("monthly", "growth", "share", "rank")


class Observations:
    """Every observation (published, then derived) as the workspace's query: written to Parquet
    by DuckDB straight from the query (parallel, streaming, no Arrow copy of the rows), or
    fetched as Arrow / pandas. ``len()`` is its row count."""

    def __init__(self, workspace: Workspace, sql: str, rows: int, dates_as_objects: bool):
        self.workspace, self.sql, self.rows, self.dates_as_objects = workspace, sql, rows, dates_as_objects

    def __len__(self) -> int:
        return self.rows

    def write_parquet(self, path: Path, row_group_size: int) -> None:
        target = str(path).replace("'", "''")
        self.workspace.con.execute(
            f"COPY ({self.sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {int(row_group_size)})"
        )

    def table(self) -> pa.Table:
        return self.workspace.arrow(self.sql).cast(OBSERVATIONS_SCHEMA)

    def frame(self) -> pd.DataFrame:
        return to_frame(self.table(), dates_as_timestamps=not self.dates_as_objects)


@dataclass
class DeriveResult:
    """The stage's outputs. ``output`` is every observation (published, then derived, or in the
    order asked for); ``observations`` is the same as pandas, dates as the input had them. The
    workspace stays open until :meth:`close` (the pipeline writes the Parquet from it)."""

    output: Observations
    #: The ``reconciliation`` table as Arrow, as it is published (``reconciliation``: as pandas).
    reconciliation_table: pa.Table
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
    def reconciliation(self) -> pd.DataFrame:
        return reconciliation_frame(self.reconciliation_table)

    def messages(self) -> list[str]:
        """Lines for the end of a run."""
        return run_messages(self.derived_counts, self.reconciliation_table, self.target_progress)

    def close(self) -> None:
        self.output.workspace.close()

    def __enter__(self) -> DeriveResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_messages(
    derived_counts: dict[str, int], reconciliation: pd.DataFrame | pa.Table, progress: pd.DataFrame
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
    """The derived rows of every derivation, each with ``is_default`` (unless a publisher printed
    the same figure) and a ``_rid`` after the published rows': derivation k's row computed for
    input row i is ``n·(k+1) + i`` (each derivation makes at most one row per input row), so the
    order is stable without sorting."""
    parts = " UNION ALL ".join(
        f"SELECT *, {i} AS _kind FROM ({sql})"
        for i, sql in enumerate((monthly_sql(), growth_sql(), shares_sql(), ranks_sql()))
    )
    key = " AND ".join(f"p.{c} = d.{c}" for c in FIGURE_KEY)
    columns = ", ".join(f"NOT EXISTS (SELECT 1 FROM obs p WHERE {key}) AS is_default" if c == "is_default" else f"d.{c}" for c in COLUMNS)
    return f"""
    SELECT {columns}, d._kind, {n} * (d._kind + 1) + d._from AS _rid
    FROM ({parts}) d
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


def _output_sql(order_by: Sequence[str] | None) -> str:
    """Published rows (``b`` added to ``flags`` on the first observation after a break), then
    derived ones; in ``order_by`` when given (ties: published first, in input order)."""
    columns = ", ".join(COLUMNS)
    rows = f"SELECT _rid AS _ord, {', '.join(SERIES)}, period_kind, period_start, period_end FROM obs"
    rows += f" UNION ALL SELECT _rid, {', '.join(SERIES)}, period_kind, period_start, period_end FROM derived"
    flags = (
        f"CASE WHEN f._ord IS NULL OR regexp_matches(x.flags, '{BREAK_FLAG_PATTERN}') THEN x.flags"
        " WHEN x.flags = '' THEN 'b' WHEN regexp_matches(x.flags, '^[a-z]+$') THEN x.flags || 'b'"
        " ELSE x.flags || ' b' END AS flags"
    )
    select = ", ".join(flags if c == "flags" else f"x.{c}" for c in COLUMNS)
    order = ", ".join((*(order_by or ()), "_rid"))
    return f"""
    SELECT {select} FROM (
        SELECT {columns}, _rid FROM obs UNION ALL SELECT {columns}, _rid FROM derived
    ) x
    LEFT JOIN ({flagged_rows_sql(rows)}) f ON f._ord = x._rid
    ORDER BY {order}
    """


def derive_all(
    observations: pd.DataFrame | pa.Table,
    regions: pd.DataFrame,
    breaks: pd.DataFrame | None = None,
    *,
    order_by: Sequence[str] | None = None,
) -> DeriveResult:
    """Add derived observations; build the reconciliation, target-progress and breaks tables.

    ``breaks`` is the reference table of break rules (``series_breaks.csv``); the publishers'
    ``b`` flags are read from the observations. ``order_by`` sorts the output table (the
    warehouse's order); without it, published rows keep their order and derived rows follow.
    """
    dates_as_objects = isinstance(observations, pd.DataFrame) and not pd.api.types.is_datetime64_any_dtype(
        observations[DATE_COLUMNS[0]]
    )
    workspace = Workspace(observations, regions, breaks)
    try:
        workspace.con.execute(f"CREATE TEMP TABLE derived AS {_derived_table_sql(workspace.n)}")
        _assert_unique_key(workspace)
        counts = dict(workspace.sql("SELECT _kind, count(*) FROM derived GROUP BY _kind").fetchall())
        derived_counts = {name: int(counts.get(i, 0)) for i, name in enumerate(DERIVATIONS)}
        breaks_table = workspace.arrow(
            "SELECT region_code, industry_code, indicator, product, scope, break_date, origin, note_en, note_zh"
            " FROM brk ORDER BY ALL"
        ).cast(SERIES_BREAKS_SCHEMA)
        rows = workspace.n + sum(derived_counts.values())
        return DeriveResult(
            output=Observations(workspace, _output_sql(order_by), rows, dates_as_objects),
            reconciliation_table=reconcile_table(workspace),
            target_progress=target_progress(workspace=workspace),
            series_breaks=breaks_table,
            derived_counts=derived_counts,
            published=workspace.n,
        )
    except BaseException:
        workspace.close()
        raise
