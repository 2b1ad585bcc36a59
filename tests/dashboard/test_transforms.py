"""Chart transformations: growth, index and share, published figures first, like with like only."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.figures.transforms import index_first_100, share_of_parent, year_on_year
from tests.dashboard.frames import result


def levels() -> pd.DataFrame:
    return result([
        {"period_start": date(2022, 1, 1), "period_end": date(2022, 7, 31), "value": 2_000_000.0},
        {"period_start": date(2023, 1, 1), "period_end": date(2023, 7, 31), "value": 2_500_000.0},
        {"period_start": date(2023, 1, 1), "period_end": date(2023, 6, 30), "value": 2_100_000.0},
        {"period_start": date(2024, 1, 1), "period_end": date(2024, 7, 31), "value": 2_600_000.0},
    ])


def test_growth_compares_the_same_months_a_year_earlier_and_prefers_the_published_rate():
    published = result([{"period_start": date(2024, 1, 1), "period_end": date(2024, 7, 31), "measure": "yoy_pct",
                         "unit": "percent", "value": 3.9, "source_id": "bureau"}])
    rows, extra = year_on_year(levels(), published, "en")
    by_end = {r["period_end"]: r for r in rows.to_dict("records")}
    assert round(by_end[date(2023, 7, 31)]["value"], 6) == 25.0  # Jan–Jul 2023 over Jan–Jul 2022
    assert by_end[date(2023, 7, 31)]["status"] == "derived"
    assert by_end[date(2024, 7, 31)]["value"] == 3.9 and by_end[date(2024, 7, 31)]["source_id"] == "bureau"
    assert date(2023, 6, 30) not in by_end  # no Jan–Jun 2022: never compared with another length
    computed = next(i for i, r in enumerate(rows.to_dict("records")) if r["status"] == "derived")
    assert extra[computed].startswith("computed: (Jan–Jul 2023 2.5 million vehicles ÷ Jan–Jul 2022 2 million vehicles − 1)")


def test_nothing_is_computed_across_a_break_in_series():
    breaks = pd.DataFrame({"region_code": ["440000"], "break_date": [date(2023, 1, 1)]})
    rows, _ = year_on_year(levels(), levels().iloc[0:0], "en", breaks=breaks)
    assert {r["period_end"] for r in rows.to_dict("records")} == {date(2024, 7, 31)}
    index, _ = index_first_100(levels(), "en", breaks=breaks)
    assert date(2024, 7, 31) not in set(index["period_end"])  # the base (Jan–Jul 2022) is before the break


def test_index_starts_at_100_for_each_run_of_the_same_months():
    rows, extra = index_first_100(levels(), "zh")
    values = {r["period_end"]: round(r["value"], 6) for r in rows.to_dict("records")}
    assert values[date(2022, 7, 31)] == 100.0 and values[date(2023, 7, 31)] == 125.0 and values[date(2024, 7, 31)] == 130.0
    assert values[date(2023, 6, 30)] == 100.0  # Jan–Jun has its own base
    assert "÷" in extra[1] and "计算值" in extra[1]


def test_share_of_the_parent_region_of_the_same_period():
    parents = result([{"region_code": "CN", "period_start": date(2023, 1, 1), "period_end": date(2023, 7, 31),
                       "value": 15_382_000.0}])
    rows, extra = share_of_parent(levels(), parents, {"440000": "CN"}, levels().iloc[0:0], "en",
                                  parent_names={"CN": "China"})
    assert len(rows) == 1 and round(rows["value"].iloc[0], 2) == 16.25
    assert rows["unit"].iloc[0] == "percent" and extra[0] == "computed: Jan–Jul 2023 this region ÷ China × 100"
