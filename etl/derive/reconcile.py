"""Reported figures checked against each other; disagreements shown, never fixed.

Four checks, each comparing a *reported* figure with what other reported figures imply:

- ``share``: a reported ``share_pct`` vs numerator level / denominator level. The denominator
  is the same figure in the parent region (``share_of`` empty), or what ``share_of`` names
  (``indicator:production/product:automobiles``: NEV as a share of all vehicles of the same
  region; ``industry:BCD``: of all industry; ``measure:target``: of the target for the period).
- ``growth``: a reported ``yoy_pct`` vs the levels of the same period a year apart.
- ``total``: a region's level vs the sum of its children's, when *every* child (regions
  table) has the figure.
- ``monthly``: a reported single-month level vs the difference of the year-to-date levels
  around it (same rules as :mod:`etl.derive.monthly`).

Published figures are rounded, so each is an interval, not a point: a value printed with d
decimals in its printed scale stands for ±0.5·10⁻ᵈ of that scale (``17.8`` → [17.75, 17.85];
``273.81 万辆`` → ±0.005 万辆 = ±50 vehicles). The decimals are read back from the stored value
in the published scale (``value / unit_mult_published``); a trailing zero the page printed
("17.80") cannot be seen and is treated as not printed, which only widens the interval.
Bounds are one-sided (超过 410 → [410, ∞)); approximations (约, 近) are ±5 % (the worst-case error
of a number rounded to two significant digits). Implied intervals come from interval
arithmetic on the inputs' intervals; the verdict is ``consistent`` when the reported and the
implied intervals overlap, ``inconsistent`` when they do not, and ``not_comparable`` when the
two legitimately measure different things (a comparable-price growth vs a ratio of
current-price levels; a share whose only denominator is another reporting system's).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.derive.common import USABLE_STATUSES, as_timestamps, describe, one_per_period
from etl.derive.growth import year_later
from etl.derive.monthly import cumulative_points
from etl.derive.shares import current_regions

#: An approximation (约, 近, 左右) is taken as ±5 %: a number rounded to two significant
#: digits is at most 5 % off (约100 could be 95..105).
ABOUT_RELATIVE = 0.05
#: Interval ends closer than this (relative) are treated as touching: float noise, not data.
EPSILON = 1e-9
#: Indicators whose growth, when no price basis is printed, is by convention at comparable
#: prices (the bureau's growth of value added is real).
REAL_GROWTH_INDICATORS = ("value_added",)
#: Aggregates over "enterprises above designated size": the set of firms changes each year,
#: and the bureau's growth compares the same firms in both years.
FIRM_SET_INDICATORS = ("value_added", "output_value", "revenue", "profit", "enterprises")
CHECKS = ("share", "growth", "total", "monthly")
VERDICTS = ("consistent", "inconsistent", "not_comparable")
IDENTIFIERS = (
    "region_code",
    "industry_code",
    "indicator",
    "product",
    "scope",
    "period_start",
    "period_end",
    "period_kind",
    "measure",
    "share_of",
    "price_basis",
)
RECONCILIATION_COLUMNS = (
    "check",
    *IDENTIFIERS,
    "reported_value",
    "reported_low",
    "reported_high",
    "reported_qualifier",
    "reported_source_id",
    "reported_vintage",
    "implied_value",
    "implied_low",
    "implied_high",
    "difference",
    "verdict",
    "inputs",
    "input_source_ids",
    "note",
)
NUMBER_COLUMNS = (
    "reported_value",
    "reported_low",
    "reported_high",
    "implied_value",
    "implied_low",
    "implied_high",
    "difference",
)
DATE_COLUMNS = ("period_start", "period_end", "reported_vintage")
STRING_COLUMNS = tuple(c for c in RECONCILIATION_COLUMNS if c not in (*NUMBER_COLUMNS, *DATE_COLUMNS))
#: How ``reconciliation.parquet`` is written.
RECONCILIATION_SCHEMA = pa.schema(
    [
        (c, pa.float64() if c in NUMBER_COLUMNS else pa.date32() if c in DATE_COLUMNS else pa.string())
        for c in RECONCILIATION_COLUMNS
    ]
)
#: Dimensions a level must share with the figure it is compared with (besides region and dates).
LEVEL_DIMENSIONS = ("industry_code", "indicator", "product", "scope")


def printed_decimals(printed: float) -> int:
    """Decimals of a number as it was printed (``17.8`` → 1, ``273.81`` → 2, ``410`` → 0)."""
    text = f"{abs(printed):.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def published_interval(value: float, unit_mult: float, qualifier: str) -> tuple[float, float]:
    """The values a published figure stands for, in the base unit."""
    if value is None or math.isnan(value):
        return (math.nan, math.nan)
    mult = unit_mult if unit_mult and not math.isnan(unit_mult) else 1.0
    half = 0.5 * 10.0 ** -printed_decimals(round(value / mult, 10)) * mult
    if qualifier == "about":
        half = max(half, ABOUT_RELATIVE * abs(value))
    low, high = value - half, value + half
    if qualifier == "at_least":
        high = math.inf
    elif qualifier == "at_most":
        low = -math.inf
    return (low, high)


def _interval(row: pd.Series, prefix: str = "") -> tuple[float, float]:
    return published_interval(row[f"{prefix}value"], row[f"{prefix}unit_mult_published"], row[f"{prefix}qualifier"])


def ratio_interval(num: tuple[float, float], den: tuple[float, float]) -> tuple[float, float]:
    """num / den × 100 over intervals, for positive denominators."""
    if den[0] <= 0:
        return (math.nan, math.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (num[0] / den[1] * 100.0, num[1] / den[0] * 100.0)


def verdict(reported: tuple[float, float], implied: tuple[float, float]) -> str:
    """``consistent`` when the intervals overlap (touching counts), else ``inconsistent``."""
    low, high = max(reported[0], implied[0]), min(reported[1], implied[1])
    scale = (
        max(abs(x) for x in (*reported, *implied) if math.isfinite(x))
        if any(math.isfinite(x) for x in (*reported, *implied))
        else 1.0
    )
    return "consistent" if low <= high + EPSILON * max(scale, 1.0) else "inconsistent"


def _row(
    check: str,
    reported: pd.Series,
    implied_value: float,
    implied: tuple[float, float],
    verdict_: str,
    inputs: list[dict[str, object] | pd.Series],
    note: str = "",
) -> dict[str, object]:
    rep = _interval(reported)
    sources = [reported["source_id"], *(str(i["source_id"]) for i in inputs)]
    return {
        "check": check,
        **{c: reported[c] for c in IDENTIFIERS},
        "reported_value": reported["value"],
        "reported_low": rep[0],
        "reported_high": rep[1],
        "reported_qualifier": reported["qualifier"],
        "reported_source_id": reported["source_id"],
        "reported_vintage": reported["vintage"],
        "implied_value": implied_value,
        "implied_low": implied[0],
        "implied_high": implied[1],
        "difference": reported["value"] - implied_value,
        "verdict": verdict_,
        "inputs": "; ".join(describe(i) for i in inputs),
        "input_source_ids": "+".join(dict.fromkeys(sources)),
        "note": note,
    }


def _reported(o: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Every published figure of ``measure`` with a value (first releases too)."""
    return o.loc[(o["measure"] == measure) & o["value"].notna() & o["status"].isin(USABLE_STATUSES)]


def _levels(o: pd.DataFrame) -> pd.DataFrame:
    """Default-view levels, bounds and approximations included (they become intervals)."""
    mask = (
        o["is_default"].astype("bool")
        & (o["measure"] == "level")
        & o["value"].notna()
        & o["status"].isin(USABLE_STATUSES)
    )
    return one_per_period(o.loc[mask], by=("region_code", *LEVEL_DIMENSIONS, "unit"))


def _find(levels: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=levels.index)
    for column, value in where.items():
        mask &= levels[column] == value
    return levels.loc[mask]


def _denominator_filter(share: pd.Series, parents: pd.Series) -> tuple[dict[str, object], str]:
    """What the denominator of a reported share is, from its ``share_of``."""
    where: dict[str, object] = {c: share[c] for c in ("region_code", *LEVEL_DIMENSIONS)}
    if share["share_of"] == "":
        where["region_code"] = parents.get(share["region_code"], "")
        return where, "level"
    measure = "level"
    for part in str(share["share_of"]).split("/"):
        key, _, value = part.partition(":")
        if key == "measure":
            measure = value
        elif key == "industry":
            where["industry_code"] = value
        elif key == "region":
            where["region_code"] = value
        elif key in ("indicator", "product", "scope"):
            where[key] = value
    return where, measure


def check_shares(o: pd.DataFrame, regions: pd.DataFrame) -> list[dict[str, object]]:
    levels = _levels(o)
    targets = o.loc[o["is_default"].astype("bool") & (o["measure"] == "target") & o["value"].notna()]
    parents = current_regions(regions).set_index("code")["parent_code"].fillna("")
    rows = []
    for _, share in _reported(o, "share_pct").iterrows():
        dates = {"period_start": share["period_start"], "period_end": share["period_end"]}
        numerator = _find(levels, **{c: share[c] for c in ("region_code", *LEVEL_DIMENSIONS)}, **dates)
        where, measure = _denominator_filter(share, parents)
        if numerator.empty or not where["region_code"]:
            continue
        num = numerator.iloc[0]
        if measure == "target":
            pool = _find(targets, **where)
            pool = pool.loc[(pool["period_start"] <= share["period_end"]) & (pool["period_end"] >= share["period_end"])]
        else:
            pool = _find(levels, **where, **dates)
        pool = pool.loc[pool["unit"] == num["unit"]]
        note = ""
        if pool.empty and share["share_of"] == "" and share["scope"] == "":
            other = _find(levels, **{**where, "scope": "caam"}, **dates)
            other = other.loc[other["unit"] == num["unit"]]
            if other.empty:
                continue
            den = other.iloc[0]
            implied = ratio_interval(_interval(num), _interval(den))
            rows.append(
                _row(
                    "share",
                    share,
                    num["value"] / den["value"] * 100.0,
                    implied,
                    "not_comparable",
                    [num, den],
                    "the only denominator is another reporting system's (scope caam)",
                )
            )
            continue
        if pool.empty:
            continue
        den = pool.iloc[0]
        if den["value"] <= 0:
            continue
        implied = ratio_interval(_interval(num), _interval(den))
        rows.append(
            _row(
                "share",
                share,
                num["value"] / den["value"] * 100.0,
                implied,
                verdict(_interval(share), implied),
                [num, den],
                note,
            )
        )
    return rows


def check_growth(o: pd.DataFrame) -> list[dict[str, object]]:
    levels = _levels(o)
    later = levels.copy()
    later["period_start"], later["period_end"] = year_later(later["period_start"], later["period_end"])
    key = ["region_code", *LEVEL_DIMENSIONS, "period_start", "period_end"]
    rows = []
    for _, growth in _reported(o, "yoy_pct").iterrows():
        current = _find(levels, **{c: growth[c] for c in key})
        before = _find(later, **{c: growth[c] for c in key})
        if current.empty or before.empty:
            continue
        cur = current.iloc[0]
        prev = levels.loc[before.index[0]]
        if prev["unit"] != cur["unit"] or prev["value"] <= 0:
            continue
        c_int, p_int = _interval(cur), _interval(prev)
        ratio = ratio_interval(c_int, p_int)
        implied = (ratio[0] - 100.0, ratio[1] - 100.0)
        point = (cur["value"] / prev["value"] - 1.0) * 100.0
        money = cur["unit"] in ("CNY", "USD", "EUR")
        real = growth["price_basis"] == "comparable" or (
            growth["price_basis"] == "" and growth["indicator"] in REAL_GROWTH_INDICATORS
        )
        if money and real:
            rows.append(
                _row(
                    "growth",
                    growth,
                    point,
                    implied,
                    "not_comparable",
                    [cur, prev],
                    "growth at comparable prices vs a ratio of current-price levels",
                )
            )
            continue
        found = verdict(_interval(growth), implied)
        note = ""
        if found == "inconsistent":
            note = "the published growth may be on a revised or like-for-like base (revised prior year"
            note += "; the same firms in both years)" if growth["indicator"] in FIRM_SET_INDICATORS else ")"
        rows.append(_row("growth", growth, point, implied, found, [cur, prev], note))
    return rows


def check_totals(o: pd.DataFrame, regions: pd.DataFrame) -> list[dict[str, object]]:
    levels = _levels(o)
    current = current_regions(regions)
    children_of = (
        current.loc[current["parent_code"].fillna("") != ""].groupby("parent_code")["code"].apply(set).to_dict()
    )
    group = [*LEVEL_DIMENSIONS, "unit", "period_start", "period_end"]
    rows = []
    for _, total in levels.loc[levels["region_code"].isin(list(children_of))].iterrows():
        children = set(children_of[total["region_code"]])
        parts = _find(levels, **{c: total[c] for c in group})
        parts = parts.loc[parts["region_code"].isin(children)]
        if set(parts["region_code"]) != children:
            continue
        intervals = [_interval(p) for _, p in parts.iterrows()]
        implied = (sum(i[0] for i in intervals), sum(i[1] for i in intervals))
        inputs = [p for _, p in parts.sort_values("region_code").iterrows()]
        rows.append(
            _row("total", total, float(parts["value"].sum()), implied, verdict(_interval(total), implied), inputs)
        )
    return rows


def check_monthly(o: pd.DataFrame) -> list[dict[str, object]]:
    points = cumulative_points(o)
    by_key = {
        (*(p[c] for c in ("region_code", *LEVEL_DIMENSIONS, "unit")), p["year"], p["end_month"]): p
        for _, p in points.iterrows()
    }
    months = _reported(o, "level")
    months = months.loc[(months["period_kind"] == "month") & (months["period_start"].dt.month > 1)]
    rows = []
    for _, month in months.iterrows():
        key = tuple(month[c] for c in ("region_code", *LEVEL_DIMENSIONS, "unit"))
        year, m = month["period_end"].year, month["period_end"].month
        later, earlier = by_key.get((*key, year, m)), by_key.get((*key, year, m - 1))
        if later is None or earlier is None:
            continue
        a, b = _interval(later), _interval(earlier)
        implied = (a[0] - b[1], a[1] - b[0])
        rows.append(
            _row(
                "monthly",
                month,
                later["value"] - earlier["value"],
                implied,
                verdict(_interval(month), implied),
                [later, earlier],
            )
        )
    return rows


def reconcile(observations: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """The ``reconciliation`` table: one row per comparison made."""
    o = as_timestamps(observations)
    rows = [*check_shares(o, regions), *check_growth(o), *check_totals(o, regions), *check_monthly(o)]
    table = pd.DataFrame(rows, columns=list(RECONCILIATION_COLUMNS))
    for column in NUMBER_COLUMNS:
        table[column] = table[column].astype("float64")
    for column in DATE_COLUMNS:
        table[column] = pd.to_datetime(table[column]).astype("datetime64[ns]")
    for column in STRING_COLUMNS:
        table[column] = table[column].astype("str")
    return table.sort_values(["check", "region_code", "indicator", "period_start"], kind="stable").reset_index(
        drop=True
    )


def summarise(reconciliation: pd.DataFrame, *, limit: int = 10) -> str:
    """A few lines for the end of a run: verdicts per check, then the disagreements."""
    if reconciliation.empty:
        return "Reconciliation: no reported figure could be checked against others."
    counts = Counter(zip(reconciliation["check"], reconciliation["verdict"], strict=True))
    lines = [f"Reconciliation: {len(reconciliation)} check(s)."]
    for check in CHECKS:
        parts = [f"{counts[(check, v)]} {v}" for v in VERDICTS if counts[(check, v)]]
        if parts:
            lines.append(f"  {check}: {', '.join(parts)}")
    bad = reconciliation.loc[reconciliation["verdict"] == "inconsistent"]
    for _, row in bad.head(limit).iterrows():
        lines.append(
            f"  ✗ {row['check']} {row['region_code']} {row['indicator']}/{row['product'] or '-'} "
            f"{row['period_start']:%Y-%m}..{row['period_end']:%Y-%m}: reported {row['reported_value']:.6g} "
            f"[{row['reported_source_id']}], implied {row['implied_value']:.6g}"
        )
    if len(bad) > limit:
        lines.append(f"  ... and {len(bad) - limit} more inconsistent (see reconciliation.parquet)")
    return "\n".join(lines)
