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
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.derive.common import USABLE_STATUSES, as_timestamps, describe, one_per_period
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


Record = dict[str, object]
#: How levels are looked up: region, figure dimensions, dates.
LEVEL_KEY = ("region_code", *LEVEL_DIMENSIONS, "period_start", "period_end")


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


def _interval(row: Mapping[str, Any], prefix: str = "") -> tuple[float, float]:
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
    reported: Mapping[str, Any],
    implied_value: float,
    implied: tuple[float, float],
    verdict_: str,
    inputs: list[Mapping[str, Any]],
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


def _reported(o: pd.DataFrame, measure: str) -> list[Record]:
    """Every published figure of ``measure`` with a value (first releases too)."""
    mask = (o["measure"] == measure) & o["value"].notna() & o["status"].isin(USABLE_STATUSES)
    return o.loc[mask].to_dict("records")


def _levels(o: pd.DataFrame) -> pd.DataFrame:
    """Default-view levels, bounds and approximations included (they become intervals)."""
    mask = (
        o["is_default"].astype("bool")
        & (o["measure"] == "level")
        & o["value"].notna()
        & o["status"].isin(USABLE_STATUSES)
    )
    return one_per_period(o.loc[mask], by=("region_code", *LEVEL_DIMENSIONS, "unit"))


def _index(frame: pd.DataFrame, key: tuple[str, ...] = LEVEL_KEY) -> dict[tuple[object, ...], list[Record]]:
    """Records grouped by ``key``: one dictionary lookup per comparison instead of a scan."""
    index: dict[tuple[object, ...], list[Record]] = {}
    for record in frame.to_dict("records"):
        index.setdefault(tuple(record[c] for c in key), []).append(record)
    return index


def _same_unit(candidates: list[Record], unit: object) -> Record | None:
    return next((c for c in candidates if c["unit"] == unit), None)


def _denominator_filter(share: Record, parents: dict[str, str]) -> tuple[dict[str, object], str]:
    """What the denominator of a reported share is, from its ``share_of``."""
    where: dict[str, object] = {c: share[c] for c in ("region_code", *LEVEL_DIMENSIONS)}
    if share["share_of"] == "":
        where["region_code"] = parents.get(str(share["region_code"]), "")
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


def _key(where: dict[str, object], start: object, end: object) -> tuple[object, ...]:
    return (*(where[c] for c in ("region_code", *LEVEL_DIMENSIONS)), start, end)


def check_shares(o: pd.DataFrame, regions: pd.DataFrame) -> list[Record]:
    levels = _index(_levels(o))
    targets = o.loc[o["is_default"].astype("bool") & (o["measure"] == "target") & o["value"].notna()].to_dict("records")
    parents = current_regions(regions).set_index("code")["parent_code"].fillna("").astype("str").to_dict()
    rows = []
    for share in _reported(o, "share_pct"):
        start, end = share["period_start"], share["period_end"]
        numerators = levels.get(tuple(share[c] for c in LEVEL_KEY), [])
        where, measure = _denominator_filter(share, parents)
        if not numerators or not where["region_code"]:
            continue
        num = numerators[0]
        if measure == "target":
            pool = [
                t
                for t in targets
                if all(t[c] == v for c, v in where.items()) and t["period_start"] <= end <= t["period_end"]
            ]
            den = _same_unit(pool, num["unit"])
        else:
            den = _same_unit(levels.get(_key(where, start, end), []), num["unit"])
        verdict_, note = None, ""
        if den is None and share["share_of"] == "" and share["scope"] == "":
            den = _same_unit(levels.get(_key({**where, "scope": "caam"}, start, end), []), num["unit"])
            verdict_, note = "not_comparable", "the only denominator is another reporting system's (scope caam)"
        if den is None or float(den["value"]) <= 0:
            continue
        implied = ratio_interval(_interval(num), _interval(den))
        verdict_ = verdict_ or verdict(_interval(share), implied)
        point = float(num["value"]) / float(den["value"]) * 100.0
        rows.append(_row("share", share, point, implied, verdict_, [num, den], note))
    return rows


def check_growth(o: pd.DataFrame) -> list[Record]:
    levels = _index(_levels(o))
    rows = []
    for growth in _reported(o, "yoy_pct"):
        start, end = growth["period_start"], growth["period_end"]
        before = (start - pd.DateOffset(years=1), end - pd.DateOffset(years=1) + pd.offsets.MonthEnd(0))
        dims = tuple(growth[c] for c in ("region_code", *LEVEL_DIMENSIONS))
        current = levels.get((*dims, start, end), [])
        if not current:
            continue
        cur = current[0]
        prev = _same_unit(levels.get((*dims, *before), []), cur["unit"])
        if prev is None or float(prev["value"]) <= 0:
            continue
        ratio = ratio_interval(_interval(cur), _interval(prev))
        implied = (ratio[0] - 100.0, ratio[1] - 100.0)
        point = (float(cur["value"]) / float(prev["value"]) - 1.0) * 100.0
        money = cur["unit"] in ("CNY", "USD", "EUR")
        real = growth["price_basis"] == "comparable" or (
            growth["price_basis"] == "" and growth["indicator"] in REAL_GROWTH_INDICATORS
        )
        if money and real:
            note = "growth at comparable prices vs a ratio of current-price levels"
            rows.append(_row("growth", growth, point, implied, "not_comparable", [cur, prev], note))
            continue
        found = verdict(_interval(growth), implied)
        note = ""
        if found == "inconsistent":
            note = "the published growth may be on a revised or like-for-like base (revised prior year"
            note += "; the same firms in both years)" if growth["indicator"] in FIRM_SET_INDICATORS else ")"
        rows.append(_row("growth", growth, point, implied, found, [cur, prev], note))
    return rows


def check_totals(o: pd.DataFrame, regions: pd.DataFrame) -> list[Record]:
    levels = _levels(o)
    current = current_regions(regions)
    with_parent = current.loc[current["parent_code"].fillna("") != ""]
    children_of = with_parent.groupby("parent_code")["code"].apply(set).to_dict()
    group = (*LEVEL_DIMENSIONS, "unit", "period_start", "period_end")
    by_figure = _index(levels, group)
    rows = []
    for total in levels.loc[levels["region_code"].isin(list(children_of))].to_dict("records"):
        children = children_of[total["region_code"]]
        parts = {
            p["region_code"]: p
            for p in by_figure.get(tuple(total[c] for c in group), [])
            if p["region_code"] in children
        }
        if set(parts) != children:
            continue
        inputs = [parts[code] for code in sorted(parts)]
        intervals = [_interval(p) for p in inputs]
        implied = (sum(i[0] for i in intervals), sum(i[1] for i in intervals))
        point = float(sum(float(p["value"]) for p in inputs))
        rows.append(_row("total", total, point, implied, verdict(_interval(total), implied), inputs))
    return rows


def check_monthly(o: pd.DataFrame) -> list[Record]:
    points = cumulative_points(o)
    by_key = {
        (*(p[c] for c in ("region_code", *LEVEL_DIMENSIONS, "unit")), p["year"], p["end_month"]): p
        for p in points.to_dict("records")
    }
    months = [m for m in _reported(o, "level") if m["period_kind"] == "month" and m["period_start"].month > 1]
    rows = []
    for month in months:
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
