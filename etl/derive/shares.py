"""Shares of the parent region and ranks among siblings, computed from levels.

A share needs a consistent parent (DESIGN §3.4): numerator and denominator are the same
indicator, product, industry, scope, price basis and unit, over the *same dates*. The parent
is the region's ``parent_code`` in the regions table (Guangdong → the nation). A computed
share is its own observation (``status = derived``); where a publisher printed the share, the
printed one stays the default view and the two are compared in reconciliation, not merged.

A rank computed here is a rank among the siblings *that have the figure in the data*, which
is not the published rank among all provinces. When some siblings are missing, the true rank
can only be the same or worse (a larger number), so the row's qualifier is ``at_least``; it is
``exact`` only when every sibling in the regions table has the figure. At least two siblings
must have it, or there is nothing to rank.

A level whose period contains a break in series is neither a numerator, a denominator nor
ranked. Each is one SQL statement (a join with the parent's level; a window over siblings).
"""

from __future__ import annotations

import pandas as pd

from etl.derive.engine import OUTSIDE_NATIONAL_STATISTICS, Workspace, same, select_columns, to_frame

#: What must match between a region's level and its parent's (besides the dates).
FIGURE_DIMENSIONS = ("industry_code", "indicator", "product", "scope", "price_basis", "unit")

__all__ = ["FIGURE_DIMENSIONS", "OUTSIDE_NATIONAL_STATISTICS", "ranks_among_siblings", "ranks_sql", "shares_of_parent", "shares_sql"]

#: Levels that can be a part of a share or rank: not a span, no break inside the period.
_LEVELS = "(SELECT * FROM exact_levels WHERE period_kind <> 'span' AND NOT straddles)"


def shares_sql() -> str:
    """Derived ``share_pct`` rows: region level / parent level × 100, same figure, same dates."""
    expressions = {c: f"c.{c}" for c in ("region_code", "industry_code", "indicator", "product", "scope")}
    expressions.update(
        period_start="c.period_start",
        period_end="c.period_end",
        period_kind="c.period_kind",
        measure="'share_pct'",
        value="c.value / p.value * 100.0",
        unit="'percent'",
        unit_published="'%'",
        label_published=(
            "'derived: ' || named_input(c.region_code, c.period_kind, c.period_start, c.period_end, c.value, c.source_id)"
            " || ' / ' || named_input(p.region_code, p.period_kind, p.period_start, p.period_end, p.value, p.source_id)"
        ),
        vintage="greatest(c.vintage, p.vintage)",
    )
    return f"""
    SELECT {select_columns(expressions)}
    FROM {_LEVELS} c
    JOIN {_LEVELS} p
      ON p.region_code = c.parent_code AND {same(FIGURE_DIMENSIONS, "c", "p")}
     AND p.period_start = c.period_start AND p.period_end = c.period_end
    WHERE c.parent_code <> '' AND p.value > 0
    """


def ranks_sql() -> str:
    """Derived ``rank`` rows (1 = largest) among regions with the same parent and figure."""
    group = ", ".join(("parent_code", *FIGURE_DIMENSIONS, "period_start", "period_end"))
    expressions = {c: c for c in ("region_code", "industry_code", "indicator", "product", "scope")}
    expressions.update(
        period_start="period_start",
        period_end="period_end",
        period_kind="period_kind",
        measure="'rank'",
        value="rank_",
        unit="'rank'",
        unit_published="'rank'",
        qualifier="CASE WHEN present >= siblings THEN 'exact' ELSE 'at_least' END",
        label_published=(
            "'derived: rank among ' || present::VARCHAR || ' of ' || siblings::VARCHAR || ' regions under ' || parent_code"
            " || ' with this figure'"
        ),
        vintage="group_vintage",
    )
    return f"""
    SELECT {select_columns(expressions)}
    FROM (
        SELECT l.*, coalesce(s.siblings, 0) AS siblings,
               rank() OVER r AS rank_, count(*) OVER g AS present, max(l.vintage) OVER g AS group_vintage
        FROM {_LEVELS} l
        LEFT JOIN (SELECT DISTINCT parent_code, siblings FROM current_regions) s USING (parent_code)
        WHERE l.parent_code <> ''
        WINDOW g AS (PARTITION BY {group}), r AS (PARTITION BY {group} ORDER BY l.value DESC)
    )
    WHERE present >= 2
    """


def shares_of_parent(observations: pd.DataFrame, regions: pd.DataFrame, breaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Derived ``share_pct`` rows of ``observations`` (the stage's own function, for one derivation)."""
    workspace = Workspace(observations, regions, breaks)
    try:
        return to_frame(workspace.arrow(shares_sql() + " ORDER BY region_code, period_end"))
    finally:
        workspace.close()


def ranks_among_siblings(observations: pd.DataFrame, regions: pd.DataFrame, breaks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Derived ``rank`` rows of ``observations`` (the stage's own function, for one derivation)."""
    workspace = Workspace(observations, regions, breaks)
    try:
        return to_frame(workspace.arrow(ranks_sql() + " ORDER BY region_code, period_end"))
    finally:
        workspace.close()
