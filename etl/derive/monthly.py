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
- Only from levels: a growth rate or share is never differenced. Only from usable figures
  (:func:`~etl.derive.common.usable_levels`): default-view rows, exact, with a value.
"""

from __future__ import annotations

import pandas as pd

from etl.derive.common import (
    SERIES,
    as_timestamps,
    derived_frame,
    describe,
    empty_derived,
    latest_vintage,
    one_per_period,
    usable_levels,
)


def cumulative_points(observations: pd.DataFrame) -> pd.DataFrame:
    """Usable levels that are cumulative from 1 January of their year, one per end month.

    Adds ``year`` and ``end_month`` columns.
    """
    levels = usable_levels(as_timestamps(observations))
    start, end = levels["period_start"], levels["period_end"]
    from_january = (start.dt.month == 1) & (start.dt.day == 1) & (start.dt.year == end.dt.year)
    points = one_per_period(levels.loc[from_january & (levels["period_kind"] != "span")])
    return points.assign(year=points["period_end"].dt.year, end_month=points["period_end"].dt.month)


def monthly_from_cumulative(observations: pd.DataFrame) -> pd.DataFrame:
    """Derived ``month`` levels: differences of consecutive cumulative points of one year."""
    points = cumulative_points(observations)
    if points.empty:
        return empty_derived()
    group = [*SERIES, "year"]
    points = points.sort_values([*group, "end_month"], kind="stable").reset_index(drop=True)
    previous = points.shift(1)
    same_series = pd.concat([points[c].eq(previous[c]) for c in group], axis=1).all(axis=1)
    previous.columns = [f"prev_{c}" for c in previous.columns]
    pairs = pd.concat([points, previous], axis=1)
    pairs = pairs.loc[same_series & (pairs["end_month"] - pairs["prev_end_month"] == 1)]
    if pairs.empty:
        return empty_derived()
    month_start = pairs["period_end"].dt.to_period("M").dt.start_time
    labels = [f"derived: {describe(row)} − {describe(row, 'prev_')}" for _, row in pairs.iterrows()]
    rows = pd.DataFrame(
        {
            **{c: pairs[c] for c in SERIES},
            "period_start": month_start,
            "period_end": pairs["period_end"],
            "period_kind": "month",
            "value": pairs["value"] - pairs["prev_value"].astype("float64"),
            "unit_published": pairs["unit_published"],
            "unit_mult_published": pairs["unit_mult_published"],
            "label_published": labels,
            "vintage": latest_vintage(pairs["vintage"], pd.to_datetime(pairs["prev_vintage"])),
        }
    )
    return derived_frame(rows)
