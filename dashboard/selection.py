"""Turning the page's control values into query filters, and back into labels.

Kept apart from the callbacks so the parsing (the only place user-controlled values enter)
is small and tested on its own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from dashboard.i18n import PRODUCT_LABELS, label
from dashboard.query import Filters
from dashboard.urlstate import month_bounds

SEP = "|"


def series_value(indicator: str, product: str, industry: str, scope: str) -> str:
    return SEP.join((indicator, product, industry, scope))


def parse_series(value: str | None) -> tuple[str, str, str, str] | None:
    if not value or value.count(SEP) != 3:
        return None
    indicator, product, industry, scope = value.split(SEP)
    return indicator, product, industry, scope


def series_label(row: pd.Series, lang: str) -> str:
    """``Production · automobiles · Automobile manufacturing`` in the reader's language."""
    name = (row["indicator_zh"] if lang == "zh" else row["indicator_en"]) or row["indicator"]
    industry = (row["industry_zh"] if lang == "zh" else row["industry_en"]) or row["industry_code"]
    parts = [name]
    if row["product"]:
        parts.append(label(PRODUCT_LABELS, row["product"], lang))
    parts.append(industry)
    if row["scope"]:
        parts.append(f"[{row['scope']}]")
    return " · ".join(parts)


def build_filters(
    regions: list[str] | None,
    series: str | None,
    measure: str | None,
    period_kind: str | None,
    year_from: int | None,
    year_to: int | None,
    all_sources: list[str] | None,
) -> Filters | None:
    """The filters for a selection, or None when no series is chosen."""
    parsed = parse_series(series)
    if parsed is None:
        return None
    indicator, product, industry, scope = parsed
    return Filters(
        regions=tuple(regions or ()),
        indicator=indicator,
        product=product,
        industry=industry,
        scope=scope,
        measures=(measure,) if measure else (),
        period_kinds=(period_kind,) if period_kind else (),
        date_from=date(int(year_from), 1, 1) if year_from else None,
        date_to=date(int(year_to), 12, 31) if year_to else None,
        all_sources=bool(all_sources),
    )


def filters_from_state(state: dict, **override) -> Filters:
    """The query filters for the page's (normalised) state; ``override`` replaces fields.

    Views compare other regions or measures than the selected ones (a ranking needs every
    sibling region; a share view needs ``share_pct``): they pass those through ``override``.
    """
    filters = Filters(
        regions=tuple(state.get("region") or ()),
        indicator=state.get("indicator") or "",
        product=state.get("product"),
        industry=state.get("industry"),
        scope=state.get("scope"),
        measures=(state["measure"],) if state.get("measure") else (),
        period_kinds=(state["period_kind"],) if state.get("period_kind") else (),
        date_from=month_bounds(state.get("from"), end=False),
        date_to=month_bounds(state.get("to"), end=True),
        statuses=tuple(state.get("status") or ()),
        all_sources=state.get("sources") == "all",
    )
    return replace(filters, **override)
