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
earlier (same months: 1-7月 2023 vs 1-7月 2022; a 上半年 and a 1-6月 are the same dates), both usable
exact levels, the earlier one positive, and no break in series between or inside them.

One SQL statement: each level joined with the level whose dates, a year later, are its own.
"""

from __future__ import annotations

import pandas as pd

from etl.derive.common import MONEY_UNITS, SERIES
from etl.derive.engine import Workspace, derived_rows, quoted, same, select_columns


def growth_sql() -> str:
    """Derived ``yoy_pct`` rows: (level / level a year earlier − 1) × 100."""
    expressions = {c: f"l.{c}" for c in ("region_code", "industry_code", "indicator", "product", "scope")}
    expressions.update(
        period_start="l.period_start",
        period_end="l.period_end",
        period_kind="l.period_kind",
        measure="'yoy_pct'",
        price_basis=f"CASE WHEN l.unit IN ({quoted(MONEY_UNITS)}) THEN 'current' ELSE '' END",
        value="(l.value / p.value - 1.0) * 100.0",
        unit="'percent'",
        unit_published="'%'",
        label_published=(
            "'derived: ' || named_input(l.region_code, l.period_kind, l.period_start, l.period_end, l.value, l.source_id)"
            " || ' / ' || named_input(p.region_code, p.period_kind, p.period_start, p.period_end, p.value, p.source_id)"
            " || ' − 1'"
        ),
        vintage="greatest(l.vintage, p.vintage)",
    )
    return f"""
    SELECT {select_columns(expressions, origin='l._rid')}
    FROM exact_levels l
    JOIN exact_levels p
      ON {same(SERIES, "l", "p")} AND l.period_start = p.start_next AND l.period_end = p.end_next
    WHERE l.period_kind <> 'span' AND p.period_kind <> 'span' AND p.value > 0
      AND NOT l.straddles AND NOT p.straddles AND l.segment = p.segment
    """


def yoy_growth(
    observations: pd.DataFrame, breaks: pd.DataFrame | None = None, *, regions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Derived ``yoy_pct`` rows of ``observations`` (the stage's own function, for one derivation;
    ``regions`` gives the levels a break rule may name)."""
    workspace = Workspace(observations, regions, breaks)
    try:
        return derived_rows(workspace, growth_sql())
    finally:
        workspace.close()
