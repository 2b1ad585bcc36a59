"""The URL query string ↔ page state: valid parameters kept, the rest noted, never an error."""

from __future__ import annotations

from datetime import date

from dashboard.urlstate import month_bounds, parse_query, to_query


def test_api_parameter_names_and_comma_separated_codes():
    state, notes = parse_query("?region=440000,310000&indicator=production&product=automobiles&industry=C36"
                               "&measure=share_pct&period_kind=ytd&from=2022&to=2023-07&status=reported,derived"
                               "&view=ranking&lang=zh")
    assert notes == []
    assert state == {
        "region": ["440000", "310000"], "indicator": "production", "product": "automobiles", "industry": "C36",
        "measure": "share_pct", "period_kind": "ytd", "from": "2022", "to": "2023-07",
        "status": ["reported", "derived"], "view": "ranking", "lang": "zh",
    }


def test_invalid_values_are_dropped_and_named():
    state, notes = parse_query("?region=440000,<script>&measure=bogus&to=2023-13&lang=fr&view=x&evil=1&status=nope")
    assert state == {"region": ["440000"]}
    assert set(notes) == {"region=<script>", "measure=bogus", "to=2023-13", "lang=fr", "view=x", "evil=1",
                          "status=nope"}


def test_sql_like_text_is_not_a_code():
    state, notes = parse_query("?indicator=production' OR 1=1 --")
    assert "indicator" not in state
    assert notes


def test_round_trip():
    state = {"view": "map", "lang": "en", "region": ["440000", "CN"], "indicator": "production",
             "product": "", "industry": "BCD", "measure": "level", "period_kind": "year", "to": "2024",
             "status": [], "scope": ""}
    query = to_query(state)
    assert query == "?view=map&lang=en&region=440000,CN&indicator=production&product=&industry=BCD&measure=level&period_kind=year&to=2024"
    parsed, notes = parse_query(query)
    assert notes == []
    assert parsed == {k: v for k, v in state.items() if k not in ("status", "scope")}


def test_month_bounds():
    assert month_bounds("2023", end=False) == date(2023, 1, 1)
    assert month_bounds("2023", end=True) == date(2023, 12, 31)
    assert month_bounds("2024-02", end=True) == date(2024, 2, 29)
    assert month_bounds("2023-12", end=True) == date(2023, 12, 31)
    assert month_bounds(None, end=True) is None
