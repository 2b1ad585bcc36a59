"""KPI cards: latest value, growth, share, rank of the focus region, each with its period."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.figures.kpi import kpi_cards, kpi_specs
from tests.dashboard.frames import result


def test_each_card_shows_the_latest_actual_figure_of_its_measure():
    data = result([
        {"measure": "level", "value": 2_738_100.0, "period_end": date(2023, 7, 31)},
        {"measure": "level", "value": 1_000_000.0, "period_end": date(2023, 3, 31)},
        {"measure": "share_pct", "unit": "percent", "value": 17.8},
        {"measure": "share_pct", "unit": "percent", "value": 25.0, "status": "target", "period_end": date(2025, 12, 31)},
        {"measure": "rank", "unit": "rank", "value": 1.0},
    ])
    specs = {s["key"]: s for s in kpi_specs(data, "zh")}
    assert specs["level"]["value"] == "273.81万辆"
    assert specs["share_pct"]["value"] == "17.8%"
    assert specs["share_pct"]["detail"] == "广东省 · 2023年1-7月"
    assert specs["rank"]["value"] == "第1位"
    assert specs["yoy_pct"]["value"] == "未公布"
    assert "A source" in specs["level"]["hover"]
    assert "target" not in specs


def test_target_card_only_with_a_progress_table():
    data = result([{"value": 5.0}])
    progress = pd.DataFrame({
        "region_code": ["440000"], "progress_pct": [62.5], "target_value": [5_300_000.0], "unit": ["vehicles"],
        "target_period_end": [date(2025, 12, 31)], "reason": [""],
    })
    specs = kpi_specs(data, "en", progress=progress)
    assert specs[-1] == {"key": "target", "title": "Target progress", "value": "62.5%",
                         "detail": "target 5.3 million vehicles by 2025", "hover": ""}
    assert kpi_specs(data, "zh", progress=progress)[-1]["detail"] == "2025年目标 530万辆"
    cards = kpi_cards(specs)
    assert [card.id for card in cards][-1] == "kpi-target"
