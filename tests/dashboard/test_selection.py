"""Page state → query filters."""

from __future__ import annotations

from datetime import date

from dashboard.selection import filters_from_state


def test_state_becomes_filters_and_views_override_fields():
    state = {"region": ["440000", "CN"], "indicator": "production", "product": "", "industry": "C36", "scope": "",
             "measure": "share_pct", "period_kind": "ytd", "from": "2022", "to": "2023-07", "status": ["reported"],
             "source": "all"}
    filters = filters_from_state(state)
    assert filters.regions == ("440000", "CN") and filters.product == ""
    assert (filters.date_from, filters.date_to) == (date(2022, 1, 1), date(2023, 7, 31))
    assert filters.statuses == ("reported",) and filters.all_sources
    ranking = filters_from_state(state, regions=(), region_level="province")
    assert ranking.regions == () and ranking.region_level == "province" and ranking.measures == ("share_pct",)
