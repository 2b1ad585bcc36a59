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
"""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa

from etl.derive.common import as_timestamps, usable_levels

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


def _years(later: pd.Timestamp, earlier: pd.Timestamp) -> float:
    return round((later - earlier).days / DAYS_PER_YEAR, 2)


def _cagr(start: float, end: float, years: float) -> float:
    if start <= 0 or end <= 0 or years <= 0:
        return math.nan
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def _progress(target: pd.Series, levels: pd.DataFrame) -> dict[str, object]:
    """The progress row of one target, given the levels of its series."""
    row: dict[str, object] = {c: target[c] for c in TARGET_SERIES}
    row.update(
        target_period_start=target["period_start"],
        target_period_end=target["period_end"],
        target_period_kind=target["period_kind"],
        target_value=target["value"],
        target_qualifier=target["qualifier"],
        target_source_id=target["source_id"],
        target_vintage=target["vintage"],
        level_value=math.nan,
        level_period_start=pd.NaT,
        level_period_end=pd.NaT,
        level_period_kind="",
        level_source_id="",
        level_status="",
        progress_pct=math.nan,
        years_remaining=math.nan,
        required_cagr_pct=math.nan,
        historical_cagr_pct=math.nan,
        on_track=pd.NA,
        reason="",
    )
    if pd.isna(target["value"]) or target["value"] <= 0:
        row["reason"] = "the target has no positive value"
        return row
    candidates = levels.loc[levels["period_end"] <= target["period_end"]]
    if candidates.empty:
        row["reason"] = (
            "no level of this series (region, industry, indicator, product, scope, unit) in the data up to the target's end"
        )
        return row
    annual = candidates.loc[candidates["period_kind"] == "year"]
    pool = annual if not annual.empty else candidates
    latest = pool.sort_values(["period_end", "period_start", "vintage"], kind="stable").iloc[-1]
    years = _years(target["period_end"], latest["period_end"])
    row.update(
        level_value=latest["value"],
        level_period_start=latest["period_start"],
        level_period_end=latest["period_end"],
        level_period_kind=latest["period_kind"],
        level_source_id=latest["source_id"],
        level_status=latest["status"],
        progress_pct=latest["value"] / target["value"] * 100.0,
        years_remaining=years,
    )
    reasons = []
    if annual.empty:
        reasons.append(f"latest level is a partial-year ({latest['period_kind']}) figure: no growth rate computed")
    elif years <= 0:
        row["on_track"] = bool(latest["value"] >= target["value"])
        reasons.append("the target's period has ended: on_track says whether it was met")
    else:
        row["required_cagr_pct"] = _cagr(latest["value"], target["value"], years)
        if latest["value"] >= target["value"]:
            reasons.append("the latest level already reaches the target")
        first = annual.sort_values("period_end", kind="stable").iloc[0]
        span = _years(latest["period_end"], first["period_end"])
        if span >= 1:
            row["historical_cagr_pct"] = _cagr(first["value"], latest["value"], span)
            row["on_track"] = bool(row["historical_cagr_pct"] >= row["required_cagr_pct"])
        else:
            reasons.append("only one annual level: no trend to judge on_track")
    row["reason"] = "; ".join(reasons)
    return row


def target_progress(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per default-view target: latest level, progress and the growth still needed."""
    o = as_timestamps(observations)
    targets = o.loc[o["is_default"].astype("bool") & (o["measure"] == "target")]
    levels = usable_levels(o)
    by_series = dict(iter(levels.groupby(list(TARGET_SERIES), dropna=False, sort=False)))
    empty = levels.iloc[0:0]
    rows = [_progress(t, by_series.get(tuple(t[c] for c in TARGET_SERIES), empty)) for _, t in targets.iterrows()]
    table = pd.DataFrame(rows, columns=list(TARGET_PROGRESS_COLUMNS))
    table["on_track"] = table["on_track"].astype("boolean")
    for column in _NUMBERS:
        table[column] = table[column].astype("float64")
    for column in _DATES:
        table[column] = pd.to_datetime(table[column]).astype("datetime64[ns]")
    return table.sort_values(["region_code", "indicator", "target_period_end"], kind="stable").reset_index(drop=True)
