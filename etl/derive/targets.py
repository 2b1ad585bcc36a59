"""Targets against the trajectory: how far a series has come, and the growth still needed.

For each target (``measure = target``, default-view row) the latest level of the *same series*
— region, industry, indicator, product, scope, price basis, unit — whose period ends no later
than the target's is the starting point:

- ``progress_pct`` = latest level / target × 100.
- ``years_remaining`` = years from the end of the level's period to the end of the target's.
- ``required_cagr_pct`` = the compound annual growth from the latest level that reaches the
  target in ``years_remaining`` years: ((target / level) ** (1 / years) − 1) × 100. Only from a
  full-year level: growing a year-to-date figure to an annual target is not a growth rate.
- ``historical_cagr_pct``: the compound annual growth between the earliest and the latest
  annual levels of the series (at least a year apart); ``on_track`` = it is at least the
  required rate. When the target's period has ended, ``on_track`` says whether it was met.

Annual levels are preferred as the latest level (a target is a yearly scale); a partial-year
level is used only when there is no annual one, and the row says so. Forecasts (预计), bounds
and approximations are not progress. A target with no level in the data (an "industry scale"
the statistics do not publish) still gets its row, with the progress empty and ``reason``
saying why. Nothing here is written back into ``observations``: this is its own table.

One SQL statement: each target joined with the levels of its series, the latest and the earliest
annual one picked by window functions.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from etl.derive.engine import Workspace, to_frame

#: A target and its level must agree on all of these.
TARGET_SERIES = ("region_code", "industry_code", "indicator", "product", "scope", "price_basis", "unit")
DAYS_PER_YEAR = 365.25

TARGET_PROGRESS_COLUMNS = (
    *TARGET_SERIES,
    "target_period_start",
    "target_period_end",
    "target_period_kind",
    "target_value",
    "target_qualifier",
    "target_source_id",
    "target_vintage",
    "level_value",
    "level_period_start",
    "level_period_end",
    "level_period_kind",
    "level_source_id",
    "level_status",
    "progress_pct",
    "years_remaining",
    "required_cagr_pct",
    "historical_cagr_pct",
    "on_track",
    "reason",
)

_NUMBERS = (
    "target_value",
    "level_value",
    "progress_pct",
    "years_remaining",
    "required_cagr_pct",
    "historical_cagr_pct",
)
_DATES = ("target_period_start", "target_period_end", "target_vintage", "level_period_start", "level_period_end")
#: How ``target_progress.parquet`` is written.
TARGET_PROGRESS_SCHEMA = pa.schema(
    [
        (
            c,
            pa.float64()
            if c in _NUMBERS
            else pa.date32()
            if c in _DATES
            else pa.bool_()
            if c == "on_track"
            else pa.string(),
        )
        for c in TARGET_PROGRESS_COLUMNS
    ]
)


def _cagr_sql(start: str, end: str, years: str) -> str:
    """Compound annual growth in percent; NULL where it is not defined (a non-positive level or span)."""
    return (
        f"CASE WHEN {start} <= 0 OR {end} <= 0 OR {years} <= 0 THEN NULL "
        f"ELSE (pow({end} / {start}, 1.0 / {years}) - 1.0) * 100.0 END"
    )


def target_progress_sql() -> str:
    """One row per default-view target: latest level, progress and the growth still needed."""
    on = " AND ".join(f"l.{c} = t.{c}" for c in TARGET_SERIES)
    series = ", ".join(f"t.{c}" for c in TARGET_SERIES)
    no_level = "no level of this series (region, industry, indicator, product, scope, unit) in the data up to the target's end"
    return f"""
    WITH t AS (SELECT * FROM obs WHERE is_default AND measure = 'target'),
    candidates AS (
        SELECT t._rid AS trid, l.*
        FROM t JOIN (SELECT * FROM usable WHERE qualifier = 'exact') l ON {on} AND l.period_end <= t.period_end
        WHERE t.value > 0
    ),
    ranked AS (
        SELECT *,
               bool_or(period_kind = 'year') OVER (PARTITION BY trid) AS has_annual,
               row_number() OVER (PARTITION BY trid ORDER BY (period_kind = 'year') DESC, period_end DESC,
                                  period_start DESC, vintage DESC NULLS FIRST, _rid DESC) AS latest_n,
               row_number() OVER (PARTITION BY trid ORDER BY (period_kind = 'year') DESC, period_end, _rid) AS first_n
        FROM candidates
    ),
    latest AS (SELECT * FROM ranked WHERE latest_n = 1),
    first_annual AS (SELECT trid, period_end AS first_end, value AS first_value FROM ranked
                     WHERE first_n = 1 AND period_kind = 'year'),
    joined AS (
        SELECT t.*, t._rid AS trid, l.value AS level_value, l.period_start AS level_period_start,
               l.period_end AS level_period_end, l.period_kind AS level_period_kind, l.source_id AS level_source_id,
               l.status AS level_status, coalesce(l.has_annual, false) AS has_annual, l.trid IS NOT NULL AS has_level,
               round(datediff('day', l.period_end, t.period_end) / {DAYS_PER_YEAR}, 2) AS years,
               f.first_value, round(datediff('day', f.first_end, l.period_end) / {DAYS_PER_YEAR}, 2) AS span
        FROM t LEFT JOIN latest l ON l.trid = t._rid LEFT JOIN first_annual f ON f.trid = t._rid
    ),
    computed AS (
        SELECT *,
               CASE WHEN has_annual AND years > 0 THEN {_cagr_sql("level_value", "value", "years")} END AS required,
               CASE WHEN has_annual AND years > 0 AND span >= 1 THEN {_cagr_sql("first_value", "level_value", "span")} END
                   AS historical
        FROM joined
    )
    SELECT {series},
           period_start AS target_period_start, period_end AS target_period_end, period_kind AS target_period_kind,
           value AS target_value, qualifier AS target_qualifier, source_id AS target_source_id, vintage AS target_vintage,
           level_value, level_period_start, level_period_end,
           coalesce(level_period_kind, '') AS level_period_kind, coalesce(level_source_id, '') AS level_source_id,
           coalesce(level_status, '') AS level_status,
           CASE WHEN has_level THEN level_value / value * 100.0 END AS progress_pct,
           CASE WHEN has_level THEN years END AS years_remaining,
           required AS required_cagr_pct, historical AS historical_cagr_pct,
           CASE WHEN NOT has_level OR NOT has_annual THEN NULL
                WHEN years <= 0 THEN level_value >= value
                WHEN span >= 1 THEN coalesce(historical >= required, false)
                ELSE NULL END AS on_track,
           CASE WHEN value IS NULL OR isnan(value) OR value <= 0 THEN 'the target has no positive value'
                WHEN NOT has_level THEN '{no_level.replace("'", "''")}'
                WHEN NOT has_annual THEN 'latest level is a partial-year (' || level_period_kind
                     || ') figure: no growth rate computed'
                WHEN years <= 0 THEN 'the target''s period has ended: on_track says whether it was met'
                ELSE concat_ws('; ',
                     CASE WHEN level_value >= value THEN 'the latest level already reaches the target' END,
                     CASE WHEN NOT (span >= 1) OR span IS NULL THEN 'only one annual level: no trend to judge on_track' END)
           END AS reason
    FROM computed t
    ORDER BY region_code, indicator, target_period_end, trid
    """


def target_progress(observations: pd.DataFrame | None = None, *, workspace: Workspace | None = None) -> pd.DataFrame:
    """The ``target_progress`` table (from ``observations``, or an open :class:`Workspace`)."""
    own = workspace is None
    workspace = workspace or Workspace(observations)
    try:
        table = to_frame(workspace.arrow(target_progress_sql()))
    finally:
        if own:
            workspace.close()
    table = table[list(TARGET_PROGRESS_COLUMNS)]
    table["on_track"] = table["on_track"].astype("boolean")
    for column in _NUMBERS:
        table[column] = table[column].astype("float64")
    for column in _DATES:
        table[column] = pd.to_datetime(table[column]).astype("datetime64[ns]")
    for column in TARGET_PROGRESS_COLUMNS:
        if column not in (*_NUMBERS, *_DATES, "on_track"):
            table[column] = table[column].astype("str")
    return table.reset_index(drop=True)
