"""Year-on-year growth computed from levels.

A computed growth is *not* the official growth (DESIGN §3.2): the bureau's growth of value
added is at comparable prices and over the same set of firms in both years, while a ratio of
two published levels is at current prices over whatever firms each year counted. So the
computed growth is its own observation (``status = derived``), next to the reported one,
never replacing it: for money levels its ``price_basis`` is ``current`` and so differs from a
reported ``comparable`` growth; for counts (vehicles, enterprises) price basis does not apply
(empty), and where a publisher printed the same growth the reported row stays the default
view (``derive_all`` turns the derived one off).

Rules: same series (region, industry, indicator, product, scope, unit), the same period a year
earlier (same months: 1-7月 2023 vs 1-7月 2022; a 上半年 and a 1-6月 are the same dates), both usable levels
(:func:`~etl.derive.common.usable_levels`), the earlier one positive.
"""

from __future__ import annotations

import pandas as pd

from etl.derive.common import (
    MONEY_UNITS,
    SERIES,
    as_timestamps,
    derived_frame,
    describe,
    empty_derived,
    latest_vintage,
    one_per_period,
    usable_levels,
)


def year_later(start: pd.Series, end: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The same period one year later; month ends stay month ends (Feb 28 2023 → Feb 29 2024)."""
    return start + pd.DateOffset(years=1), (end + pd.DateOffset(years=1)) + pd.offsets.MonthEnd(0)


def _earlier(row: pd.Series) -> dict[str, object]:
    """The year-earlier input of a merged pair, in the shape :func:`describe` reads."""
    return {
        "region_code": row["region_code"],
        "period_kind": row["period_kind_prev"],
        "period_start": row["period_start"] - pd.DateOffset(years=1),
        "period_end": row["period_end"] - pd.DateOffset(years=1) + pd.offsets.MonthEnd(0),
        "value": row["value_prev"],
        "source_id": row["source_id_prev"],
    }


def yoy_growth(observations: pd.DataFrame) -> pd.DataFrame:
    """Derived ``yoy_pct`` rows: (level / level a year earlier − 1) × 100."""
    levels = one_per_period(usable_levels(as_timestamps(observations)))
    levels = levels.loc[levels["period_kind"] != "span"]
    if levels.empty:
        return empty_derived()
    earlier = levels.copy()
    earlier["period_start"], earlier["period_end"] = year_later(earlier["period_start"], earlier["period_end"])
    # Dates, not kinds: a 上半年 (half) is compared with last year's 1-6月 (ytd).
    on = [*SERIES, "period_start", "period_end"]
    pairs = levels.merge(earlier, on=on, suffixes=("", "_prev"))
    pairs = pairs.loc[pairs["value_prev"] > 0]
    if pairs.empty:
        return empty_derived()
    labels = [f"derived: {describe(row)} / {describe(_earlier(row))} − 1" for _, row in pairs.iterrows()]
    rows = pd.DataFrame(
        {
            **{c: pairs[c] for c in SERIES if c not in ("measure", "unit", "price_basis", "share_of")},
            "period_start": pairs["period_start"],
            "period_end": pairs["period_end"],
            "period_kind": pairs["period_kind"],
            "measure": "yoy_pct",
            "price_basis": pairs["unit"].isin(MONEY_UNITS).map({True: "current", False: ""}),
            "value": (pairs["value"] / pairs["value_prev"] - 1.0) * 100.0,
            "unit": "percent",
            "unit_published": "%",
            "label_published": labels,
            "vintage": latest_vintage(pairs["vintage"], pairs["vintage_prev"]),
        }
    )
    return derived_frame(rows)
