"""Turning the page's (normalised) state into query filters.

Kept apart from the callbacks so the one place where user-controlled values become a query is
small and tested on its own (the values themselves are checked in :mod:`dashboard.urlstate` and
:mod:`dashboard.controls`; the query layer binds them as parameters).
"""

from __future__ import annotations

from dataclasses import replace

from dashboard.query import Filters
from dashboard.urlstate import month_bounds


def filters_from_state(state: dict, **override) -> Filters:
    """The query filters for the page's state; ``override`` replaces fields.

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
        all_sources=state.get("source") == "all",
    )
    return replace(filters, **override)
