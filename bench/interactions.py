"""The dashboard's typical interactions, as query filters over a warehouse's own dimensions.

Each interaction is a function ``i → Filters`` that varies its selection with ``i`` (another
region, indicator, industry or period each run), so a cache of results cannot answer every
run from memory and the timings are those of a user exploring, not of one repeated click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.query import Filters, Snapshot


@dataclass(frozen=True)
class Dimensions:
    provinces: list[str]
    cities: list[str]
    industries: list[str]
    indicators: list[str]
    period_ends: list[date]


def dimensions(snapshot: Snapshot) -> Dimensions:
    regions = snapshot.sql("SELECT code, level FROM regions WHERE code IN (SELECT DISTINCT region_code FROM observations) ORDER BY code")
    industries = snapshot.sql("SELECT DISTINCT industry_code FROM observations ORDER BY 1")["industry_code"].tolist()
    indicators = snapshot.sql("SELECT DISTINCT indicator FROM observations ORDER BY 1")["indicator"].tolist()
    ends = snapshot.sql("SELECT DISTINCT period_end FROM observations WHERE period_kind = 'ytd' ORDER BY 1")["period_end"]
    return Dimensions(
        provinces=regions.loc[regions["level"] == "province", "code"].tolist(),
        cities=regions.loc[regions["level"] == "city", "code"].tolist(),
        industries=[c for c in industries if c != "BCD"] or industries,
        indicators=[c for c in indicators if c != "enterprises"] or indicators,
        period_ends=[pd.Timestamp(d).date() for d in ends],
    )


def _pick(values: list, i: int) -> object:
    return values[i % len(values)]


def interactions(d: Dimensions) -> dict[str, tuple[str, Callable[[int], Filters]]]:
    """Name → (what the user does, filters for run ``i``)."""
    provinces = tuple(d.provinces)
    return {
        "change_region": (
            "pick another province: one series (value added of one division, level, year to date), every period",
            lambda i: Filters(regions=(_pick(d.provinces, i),), indicator="value_added", product="", industry=_pick(d.industries, i),
                              scope="", measures=("level",), period_kinds=("ytd",)),
        ),
        "change_indicator": (
            "pick another indicator for the focus province (Guangdong), every period",
            lambda i: Filters(regions=("440000",), indicator=_pick(d.indicators, i), product="", industry=_pick(d.industries, 3 * i),
                              scope="", measures=("level",), period_kinds=("ytd",)),
        ),
        "ranking_one_period": (
            "rank all provinces for one period (one indicator and division)",
            lambda i: Filters(regions=provinces, indicator="revenue", product="", industry=_pick(d.industries, i), scope="",
                              measures=("level",), period_kinds=("ytd",), date_from=_pick(d.period_ends, 7 * i), date_to=_pick(d.period_ends, 7 * i)),
        ),
        "map_one_period": (
            "map every prefecture city for one period (one indicator and division)",
            lambda i: Filters(regions=tuple(d.cities), indicator="output_value", product="", industry=_pick(d.industries, i), scope="",
                              measures=("level",), period_kinds=("ytd",), date_from=_pick(d.period_ends, 5 * i), date_to=_pick(d.period_ends, 5 * i)),
        ),
        "share_view": (
            "shares of the national total for five provinces, every period",
            lambda i: Filters(regions=tuple(_pick(d.provinces, i + k) for k in range(5)), indicator="value_added", product="",
                              industry=_pick(d.industries, i), scope="", measures=("share_pct",), period_kinds=("ytd",)),
        ),
    }
