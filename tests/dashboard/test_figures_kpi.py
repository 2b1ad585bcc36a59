"""KPI cards: level, growth, share and rank of ONE period; targets against a comparable level."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.figures.kpi import kpi_cards, kpi_period, kpi_specs, target_sentence
from tests.dashboard.frames import result

JUL = {"period_start": date(2023, 1, 1), "period_end": date(2023, 7, 31)}
FEB = {"period_start": date(2025, 1, 1), "period_end": date(2025, 2, 28)}


def test_every_card_describes_the_latest_period_and_never_borrows_another():
    data = result([
        {"measure": "level", "value": 2_738_100.0, **JUL},
        {"measure": "share_pct", "unit": "percent", "value": 17.8, **JUL},
        {"measure": "rank", "unit": "rank", "value": 1.0, **JUL},
        {"measure": "level", "value": 376_500.0, **FEB},
        {"measure": "share_pct", "unit": "percent", "value": 25.0, "status": "target",
         "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31)},
    ])
    specs = {s["key"]: s for s in kpi_specs(data, "en", measure="level")}
    assert specs["level"]["value"] == "376.5 thousand vehicles"
    assert {s["period"] for s in specs.values()} == {"Jan–Feb 2025"}
    assert specs["share_pct"]["value"] == "not published"
    assert specs["share_pct"]["detail"] == "not published for Jan–Feb 2025"  # not the 17.8% of Jan–Jul 2023
    assert specs["rank"]["detail"] == "not published for Jan–Feb 2025"


def test_a_chosen_period_shows_its_figures_with_publisher_and_date():
    data = result([
        {"measure": "level", "value": 2_738_100.0, **JUL},
        {"measure": "share_pct", "unit": "percent", "value": 17.8, **JUL},
        {"measure": "rank", "unit": "rank", "value": 1.0, **JUL},
        {"measure": "level", "value": 376_500.0, **FEB},
    ])
    period = (JUL["period_start"], JUL["period_end"])
    specs = {s["key"]: s for s in kpi_specs(data, "zh", period=period, share_title="占全国比重")}
    assert specs["level"]["value"] == "273.81万辆"
    assert specs["share_pct"]["title"] == "占全国比重"
    assert specs["share_pct"]["value"] == "17.8%"
    assert specs["share_pct"]["detail"] == "广东省 · 2023年1-7月"
    assert specs["share_pct"]["source"] == "A bureau · 2023-08-25"
    assert specs["rank"]["value"] == "第1位"
    assert specs["yoy_pct"]["detail"] == "2023年1-7月未公布"
    assert "A source" in specs["level"]["hover"]
    assert "target" not in specs


def test_the_period_is_the_latest_of_the_selected_measure():
    data = result([
        {"measure": "level", "value": 1.0, **FEB},
        {"measure": "share_pct", "unit": "percent", "value": 17.8, **JUL},
    ])
    assert kpi_period(data, "share_pct") == (JUL["period_start"], JUL["period_end"])
    assert kpi_period(data, "level") == (FEB["period_start"], FEB["period_end"])
    assert kpi_period(data.iloc[0:0], "level") is None


def target_row(**changes) -> pd.Series:
    row = {"region_code": "440000", "indicator": "production", "product": "automobiles", "industry_code": "C36",
           "scope": "", "unit": "vehicles", "target_value": 5_300_000.0, "target_period_kind": "year",
           "target_period_start": date(2025, 1, 1), "target_period_end": date(2025, 12, 31),
           "level_value": 5_707_400.0, "level_period_kind": "year", "level_period_start": date(2024, 1, 1),
           "level_period_end": date(2024, 12, 31), "progress_pct": 107.69}
    row.update(changes)
    return pd.Series(row)


def test_progress_names_the_level_it_used():
    assert target_sentence(target_row(), "en") == (
        "107.7%", "2024: 5.7074 million vehicles = 107.7% of the target 5.3 million vehicles for 2025")
    assert target_sentence(target_row(), "zh") == ("107.7%", "2024年：570.74万辆，为2025年目标 530万辆的107.7%")


def test_a_partial_year_is_never_progress_towards_a_full_year_target():
    row = target_row(unit="CNY", target_value=2.8e11, level_value=1.4598e11, level_period_kind="ytd",
                     level_period_start=date(2023, 1, 1), level_period_end=date(2023, 7, 31), progress_pct=52.1)
    value, sentence = target_sentence(row, "en")
    assert value == "—"
    assert "52.1" not in sentence
    assert sentence.startswith("Target 280 billion yuan for 2025; progress unknown: the latest level, Jan–Jul 2023")


def test_a_target_without_any_level_says_why_progress_is_unknown():
    row = target_row(unit="CNY", target_value=1e11, target_period_kind="span", target_period_start=date(2021, 1, 1),
                     level_value=float("nan"), level_period_kind=None, level_period_start=None, level_period_end=None)
    assert target_sentence(row, "en") == (
        "—", "Target 100 billion yuan by 2025 (2021–2025); progress unknown: no level of this series is published")
    assert "1000亿元" in target_sentence(row, "zh")[1]


def test_the_target_card_lists_the_selected_series_first_then_the_regions_others():
    own = target_row()
    other = target_row(indicator="revenue", product="", unit="CNY", target_value=1.35e12, level_value=float("nan"),
                       level_period_kind=None)
    progress = pd.DataFrame([other, own])
    names = {("revenue", "C36", ""): "Revenue · Automobile manufacturing"}
    specs = kpi_specs(result([{"value": 5.0}]), "en", progress=progress,
                      series={"indicator": "production", "product": "automobiles", "industry_code": "C36", "scope": ""},
                      names=names)
    card = specs[-1]
    assert card["key"] == "target" and card["value"] == "107.7%"
    first, second = card["detail"].split("\n")
    assert first.startswith("2024: 5.7074 million vehicles")
    assert second.startswith("Revenue · Automobile manufacturing: Target 1.35 trillion yuan for 2025")
    assert [c.id for c in kpi_cards(specs)][-1] == "kpi-target"
