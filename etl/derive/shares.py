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
"""

from __future__ import annotations

import pandas as pd

from etl.derive.common import (
    as_timestamps,
    derived_frame,
    describe,
    empty_derived,
    latest_vintage,
    one_per_period,
    usable_levels,
)

#: What must match between a region's level and its parent's (besides the dates).
FIGURE_DIMENSIONS = ("industry_code", "indicator", "product", "scope", "price_basis", "unit")


#: Regions outside the national statistics: the bureau's national totals (全国) cover the 31
#: mainland provinces; Taiwan, Hong Kong and Macao publish their own. They are not siblings a
#: provincial figure is ranked among, nor parts of a national total.
OUTSIDE_NATIONAL_STATISTICS = frozenset({"710000", "810000", "820000"})


def current_regions(regions: pd.DataFrame) -> pd.DataFrame:
    """Regions still valid (no ``valid_to``) and inside their parent's statistics: the siblings
    a rank is taken among and the parts a total is the sum of."""
    keep = ~regions["code"].isin(OUTSIDE_NATIONAL_STATISTICS)
    if "valid_to" in regions:
        keep &= regions["valid_to"].fillna("").astype("str") == ""
    return regions.loc[keep]


def _levels_with_parent(observations: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    levels = one_per_period(usable_levels(as_timestamps(observations)))
    parents = current_regions(regions).set_index("code")["parent_code"].fillna("")
    levels = levels.assign(parent_code=levels["region_code"].map(parents).fillna(""))
    return levels.loc[levels["period_kind"] != "span"]


def shares_of_parent(observations: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Derived ``share_pct`` rows: region level / parent level × 100, same figure, same dates."""
    levels = _levels_with_parent(observations, regions)
    children = levels.loc[levels["parent_code"] != ""]
    on = [*FIGURE_DIMENSIONS, "period_start", "period_end"]
    parent_levels = levels.drop(columns="parent_code").rename(columns={"region_code": "parent_code"})
    pairs = children.merge(parent_levels, on=[*on, "parent_code"], suffixes=("", "_parent"))
    pairs = pairs.loc[pairs["value_parent"] > 0]
    if pairs.empty:
        return empty_derived()
    labels = [f"derived: {describe(row)} / {describe(_parent(row))}" for _, row in pairs.iterrows()]
    rows = pd.DataFrame(
        {
            **{c: pairs[c] for c in ("region_code", *FIGURE_DIMENSIONS) if c not in ("unit", "price_basis")},
            "period_start": pairs["period_start"],
            "period_end": pairs["period_end"],
            "period_kind": pairs["period_kind"],
            "measure": "share_pct",
            "value": pairs["value"] / pairs["value_parent"] * 100.0,
            "unit": "percent",
            "unit_published": "%",
            "label_published": labels,
            "vintage": latest_vintage(pairs["vintage"], pairs["vintage_parent"]),
        }
    )
    return derived_frame(rows)


def _parent(row: pd.Series) -> dict[str, object]:
    return {
        "region_code": row["parent_code"],
        "period_kind": row["period_kind_parent"],
        "period_start": row["period_start"],
        "period_end": row["period_end"],
        "value": row["value_parent"],
        "source_id": row["source_id_parent"],
    }


def ranks_among_siblings(observations: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Derived ``rank`` rows (1 = largest) among regions with the same parent and figure."""
    levels = _levels_with_parent(observations, regions)
    levels = levels.loc[levels["parent_code"] != ""]
    group = ["parent_code", *FIGURE_DIMENSIONS, "period_start", "period_end"]
    if levels.empty:
        return empty_derived()
    counts = levels.groupby(group, dropna=False)["value"].transform("size")
    levels = levels.loc[counts >= 2]
    if levels.empty:
        return empty_derived()
    ranked = levels.groupby(group, dropna=False)["value"].rank(ascending=False, method="min")
    present = levels.groupby(group, dropna=False)["value"].transform("size")
    siblings = levels["parent_code"].map(current_regions(regions)["parent_code"].value_counts()).fillna(0)
    complete = present >= siblings
    labels = [
        f"derived: rank among {p} of {int(s)} regions under {parent} with this figure"
        for p, s, parent in zip(present, siblings, levels["parent_code"], strict=True)
    ]
    rows = pd.DataFrame(
        {
            **{c: levels[c] for c in ("region_code", *FIGURE_DIMENSIONS) if c not in ("unit", "price_basis")},
            "period_start": levels["period_start"],
            "period_end": levels["period_end"],
            "period_kind": levels["period_kind"],
            "measure": "rank",
            "value": ranked,
            "unit": "rank",
            "unit_published": "rank",
            "qualifier": complete.map({True: "exact", False: "at_least"}),
            "label_published": labels,
            "vintage": levels.groupby(group, dropna=False)["vintage"].transform("max"),
        }
    )
    return derived_frame(rows)
