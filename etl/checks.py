"""Plausibility: values that cannot be true are errors, values that are unlikely are warnings.

The rules are data, in the reference tables, not code:

* ``indicators.csv`` ``min_level``: the lowest possible level (0 for production, GDP,
  enterprises; empty for profit, which can be negative);
* ``measures.csv`` ``min``/``max``: a share lies within 0–100 %, growth cannot be below
  −100 %, a rank is at least 1;
* ``measures.csv`` and ``statuses.csv`` ``future_periods``: a period that starts after its
  source was published is impossible, except for a target (measure or status ``target``)
  or a forecast (status ``estimated``). A period that has begun may be published before it
  ends (a count "as of today" is for the current month or year);
* ``measures.csv`` ``improbable_ratio``: a level more than that many times its series' median
  (or less than its median divided by it) is improbable — a warning, since a real jump or a
  typo in the scale (万 for 亿) look the same to a machine, and a person should look.

A figure with no publication date is checked against the day of the run. Everything is
vectorised; Python builds a message only for a figure already known to fail.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from etl.model import VALUELESS_STATUSES
from etl.problems import Problem
from etl.reference import Reference

#: A series for the improbability check: what identifies a figure except its period and provenance.
SERIES = ("region_code", "industry_code", "indicator", "product", "scope", "measure", "share_of", "price_basis",
          "unit", "period_kind")
#: Fewest values of a series before its median means anything.
MIN_SERIES = 3


def _per_value(series: pd.Series, mapping: dict, default: object, dtype: str) -> np.ndarray:
    """``mapping[value]`` (``default`` where absent) for every row, one lookup per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    table = np.array([mapping.get(u, default) for u in uniques], dtype=dtype)
    return table[codes] if len(table) else np.empty(len(series), dtype=dtype)


def _bound(series: pd.Series, mapping: dict[str, float | None]) -> np.ndarray:
    return _per_value(series, {k: (np.nan if v is None else v) for k, v in mapping.items()}, np.nan, "float64")


def _problems(observations: pd.DataFrame, cells: pd.DataFrame, mask: np.ndarray, reason, severity: str = "error",
              field: str = "value") -> list[Problem]:
    """A problem per masked figure, at its cell: the value's column (``field`` for the figures
    format, whose value is in a ``value`` column and whose period is in ``period``)."""
    out = []
    for index in np.flatnonzero(mask):
        row = observations.iloc[index]
        column = str(cells["column"].iloc[index])
        out.append(Problem(str(row["input_file"]), int(row["input_row"]), field if column == "value" else column,
                           reason(row, str(cells["value_text"].iloc[index])), severity=severity))
    return out


def plausibility(observations: pd.DataFrame, sources: pd.DataFrame, reference: Reference, *,
                 cells: pd.DataFrame | None = None, today: date | None = None) -> list[Problem]:
    """Every impossible value (error) and improbable level (warning) among the published figures."""
    if observations.empty:
        return []
    o = observations.reset_index(drop=True)
    cells = (cells if cells is not None else pd.DataFrame({"column": "value", "value_text": o["value"].astype("str")}, index=o.index)).reset_index(drop=True)
    value = o["value"].to_numpy(dtype="float64")
    flagged = cells["flagged"].to_numpy(dtype=bool) if "flagged" in cells else np.zeros(len(o), dtype=bool)
    has_value = ~np.isnan(value) & ~o["status"].isin(VALUELESS_STATUSES).to_numpy() & ~flagged
    rules = reference.measure_rules
    is_target = ((o["measure"] == "target") | (o["status"] == "target")).to_numpy()
    measure_min = _bound(o["measure"], {m: r.min for m, r in rules.items()})
    measure_max = _bound(o["measure"], {m: r.max for m, r in rules.items()})
    level_min = _bound(o["indicator"], {c: d.min_level for c, d in reference.indicator_defs.items()})
    own_unit = _per_value(o["measure"], {m: r.base_unit or "" for m, r in rules.items()}, "", "object")
    lowest = np.where(own_unit == "", level_min, measure_min)  # a level or target: the indicator's floor
    problems: list[Problem] = []

    with np.errstate(invalid="ignore"):
        below = has_value & ~np.isnan(lowest) & (value < lowest)
        above = has_value & ~np.isnan(measure_max) & (value > measure_max) & (own_unit != "")
    problems += _problems(o, cells, below, lambda r, text: (
        f"impossible value: below the lowest possible "
        f"{'level of ' + r['indicator'] if r['measure'] in ('level', 'target') else r['measure']} "
        f"({text!r} {r['unit_published']}; {_lowest(r, reference)})"))
    problems += _problems(o, cells, above, lambda r, text: (
        f"impossible value: above the highest possible {r['measure']} "
        f"({text!r} {r['unit_published']}; measures.csv max {rules[r['measure']].max:g})"))

    # A period after the source's publication: only targets and forecasts may look ahead.
    future_ok = (
        _per_value(o["measure"], {m: r.future_periods is True for m, r in rules.items()}, False, "bool")
        | _per_value(o["status"], {k: v is True for k, v in reference.future_statuses.items()}, False, "bool")
    )
    published = pd.to_datetime(o["vintage"]).fillna(pd.Timestamp(today or date.today()))
    starts = pd.to_datetime(o["period_start"])
    late = (starts > published).to_numpy() & ~future_ok & ~flagged
    problems += _problems(o, cells, late, lambda r, text: (
        f"impossible period: it starts after its source was published ({r['period_published']!r}, published "
        f"{r['vintage'] if r['vintage'] is not None and not pd.isna(r['vintage']) else 'when? no date, so checked against today'}; "
        "only a target (status target) or a forecast (status estimated) may look ahead)"), field="period")

    problems += _improbable(o, cells, value, has_value & ~is_target, reference)
    return problems


def _lowest(row: pd.Series, reference: Reference) -> str:
    if row["measure"] in ("level", "target"):
        found = reference.indicator_defs.get(row["indicator"])
        return f"indicators.csv min_level {found.min_level:g}" if found and found.min_level is not None else "its floor"
    return f"measures.csv min {reference.measure_rules[row['measure']].min:g}"


def _improbable(o: pd.DataFrame, cells: pd.DataFrame, value: np.ndarray, usable: np.ndarray, reference: Reference) -> list[Problem]:
    """Levels more than ``improbable_ratio`` times their series' median, or less than its median divided by it."""
    ratio = _bound(o["measure"], {m: r.improbable_ratio for m, r in reference.measure_rules.items()})
    candidates = usable & ~np.isnan(ratio) & (value > 0)
    if not candidates.any():
        return []
    subset = o.loc[candidates, list(SERIES)].astype("str")
    values = pd.Series(value[candidates], index=subset.index)
    grouped = values.groupby([subset[c] for c in SERIES], sort=False)
    median = grouped.transform("median").to_numpy()
    count = grouped.transform("size").to_numpy()
    r = ratio[candidates]
    odd = (count >= MIN_SERIES) & ((values.to_numpy() > median * r) | (values.to_numpy() < median / r))
    mask = np.zeros(len(o), dtype=bool)
    mask[np.flatnonzero(candidates)[odd]] = True
    medians = dict(zip(np.flatnonzero(candidates)[odd], median[odd], strict=True))

    def reason(row: pd.Series, text: str) -> str:
        m = medians[row.name]
        times = row["value"] / m
        return (f"improbable value: far from the median of its series ({text!r} {row['unit_published']} is "
                f"{times:.3g}× the median {m:.6g} {row['unit']}: a wrong scale, 万 for 亿? check it)")

    return _problems(o, cells, mask, reason, severity="warning")
