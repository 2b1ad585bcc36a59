"""Single-month levels from year-to-date (cumulative, 累计) levels.

Chinese monthly statistics are mostly published as cumulative totals from January ("1-7月").
The level of month M is the cumulative total to M minus the cumulative total to M-1, *of the
same series and the same year*. Rules (docs/semantics.md):

- Every figure that starts on 1 January and ends within the same year is a point of the
  cumulative series: a ``ytd``, the ``month`` January, the ``quarter`` Jan–Mar, the ``half``
  Jan–Jun and the ``year`` are the same cumulative figure under other names.
- Only consecutive points are differenced: 1-7月 − 1-6月 = July. When a month in between is
  missing (1-8月 and 1-6月 only), nothing is derived: a two-month lump is not a month.
- Never across a year boundary: January's level is the ytd to January, never
  "January − December".
- ``1-2月`` (January and February are released together around the Spring Festival) is never
  split. It stays in the warehouse as what it is, a ``ytd`` Jan–Feb figure; the first derived
  month of a year is March (1-3月 − 1-2月). Only when January alone was published is
  February derived (1-2月 − 1月).
- Never across a break in series (:mod:`etl.derive.breaks`): a cumulative point whose
  months contain a break is not differenced.
- Only from levels: a growth rate or share is never differenced. Only from usable figures:
  default-view rows, exact, with a value.

One SQL statement: the cumulative points of each series and year, ordered by end month, each
paired with the one before it (``lag``).
"""

from __future__ import annotations

import pandas as pd

from etl.derive.common import SERIES
from etl.derive.engine import Workspace, derived_rows, select_columns

#: The cumulative points: exact levels from 1 January, ending in the same year (spans aside).
CUMULATIVE_SQL = """
SELECT *, year(period_end) AS year, month(period_end) AS end_month
FROM exact_levels
WHERE month(period_start) = 1 AND day(period_start) = 1 AND year(period_start) = year(period_end)
  AND period_kind <> 'span'
"""


def monthly_sql() -> str:
    """Derived ``month`` levels: differences of consecutive cumulative points of one year."""
    series = ", ".join(SERIES)
    lagged = ", ".join(
        f"lag({c}) OVER w AS prev_{c}"
        for c in ("end_month", "value", "period_kind", "period_start", "period_end", "source_id", "vintage", "straddles", "region_code")
    )
    expressions = {c: c for c in SERIES}
    expressions.update(
        period_start="date_trunc('month', period_end)",
        period_end="period_end",
        period_kind="'month'",
        value="value - prev_value",
        unit_published="unit_published",
        unit_mult_published="unit_mult_published",
        label_published=(
            "'derived: ' || named_input(region_code, period_kind, period_start, period_end, value, source_id)"
            " || ' − ' || named_input(prev_region_code, prev_period_kind, prev_period_start, prev_period_end, prev_value, prev_source_id)"
        ),
        vintage="greatest(vintage, prev_vintage)",
    )
    return f"""
    SELECT {select_columns(expressions, origin='_rid')}
    FROM (
        SELECT *, {lagged}
        FROM ({CUMULATIVE_SQL})
        WINDOW w AS (PARTITION BY {series}, year ORDER BY end_month, _rid)
    )
    WHERE end_month - prev_end_month = 1 AND NOT straddles AND NOT prev_straddles
    """


def monthly_from_cumulative(
    observations: pd.DataFrame, breaks: pd.DataFrame | None = None, *, regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Derived ``month`` levels of ``observations`` (the stage's own function, for one derivation;
    ``regions`` gives the levels a break rule may name)."""
    workspace = Workspace(observations, regions, breaks)
    try:
        return derived_rows(workspace, monthly_sql())
    finally:
        workspace.close()
