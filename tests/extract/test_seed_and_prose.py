"""The seed release and English prose: figures found in running text, regions from context."""

from __future__ import annotations

from datetime import date

import pytest

from etl.extract import Hints, extract
from tests.readers.helpers import REPO, reference

SEED = REPO.parent / "shared" / "seed" / "2023-08-25-qingyuan-automotive-electronics-conference.txt"


@pytest.fixture(scope="module")
def seed_candidates():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present (only in the development workspace)")
    return extract(SEED.read_text(encoding="utf-8"), reference()).candidates


def _by_value(candidates):
    return {c.value: c for c in candidates}


def test_seed_release_figures(seed_candidates) -> None:
    found = _by_value(seed_candidates)
    value_added = found["145.98"]
    assert (value_added.region, value_added.industry, value_added.indicator) == ("440000", "C36", "value_added")
    assert (value_added.unit, value_added.period, value_added.period_kind) == ("billion yuan", "2023-01/2023-07", "ytd")
    vehicles = found["2.7381"]
    assert (vehicles.region, vehicles.indicator, vehicles.product, vehicles.unit) == (
        "440000", "production", "automobiles", "million vehicles",
    )
    assert vehicles.period == "2023-01/2023-07"
    share = found["17.8"]
    assert (share.measure, share.unit, share.indicator, share.product, share.region, share.share_of) == (
        "share_pct", "%", "production", "automobiles", "440000", "",
    )
    target = found["100"]
    assert (target.region, target.industry, target.measure, target.status, target.qualifier) == (
        "441800", "X-AUTO-CHAIN", "target", "target", "at_least",
    )
    assert (target.period, target.unit, target.indicator) == ("2025", "billion", "industry_scale")


def test_seed_release_invents_nothing(seed_candidates) -> None:
    assert len(seed_candidates) == 4
    for candidate in seed_candidates:
        assert candidate.excerpt[candidate.start:candidate.end].startswith(candidate.value)
        assert candidate.review == "candidate"


def test_chinese_release_with_province_reference() -> None:
    text = "广东省工业和信息化厅 2024年8月20日\n\n1-7月，全省汽车制造业增加值1287.6亿元，增长11.4%，汽车产量251.37万辆。\n"
    candidates = extract(text, reference()).candidates
    found = _by_value(candidates)
    assert set(found) == {"1287.6", "11.4", "251.37"}
    assert {c.region for c in candidates} == {"440000"}
    assert {c.period for c in candidates} == {"2024-01/2024-07"}
    assert (found["11.4"].measure, found["11.4"].indicator, found["11.4"].price_basis) == (
        "yoy_pct", "value_added", "comparable",
    )
    assert (found["251.37"].indicator, found["251.37"].product, found["251.37"].unit) == (
        "production", "automobiles", "万辆",
    )


def test_html_release_is_read_as_text() -> None:
    html = "<html><body><p>2023-02-01</p><p>In 2022, Qingyuan produced <b>120,500 vehicles</b>.</p></body></html>"
    candidates = extract(html, reference()).candidates
    assert [(c.value, c.unit, c.region, c.period) for c in candidates] == [("120500", "vehicles", "441800", "2022")]


def test_growth_and_share_in_one_sentence_stay_apart() -> None:
    text = (
        "2024-01-20\n\nGUANGZHOU, January 19 – Guangdong produced 5.2 million vehicles in 2023, up 27.4 percent "
        "year on year, accounting for 17.3% of the national total. The province's new energy vehicle output "
        "reached 2.53 million units.\n\nFoshan aims to build an auto industry cluster worth more than 300 billion "
        "yuan by 2025.\n"
    )
    found = _by_value(extract(text, reference()).candidates)
    assert set(found) == {"5.2", "27.4", "17.3", "2.53", "300"}
    assert found["27.4"].measure == "yoy_pct" and found["17.3"].measure == "share_pct"
    assert {found[v].region for v in ("5.2", "27.4", "17.3", "2.53")} == {"440000"}  # not the GUANGZHOU dateline
    assert found["2.53"].product == "nev"
    target = found["300"]
    assert (target.region, target.measure, target.qualifier, target.period) == ("440600", "target", "at_least", "2025")


def test_a_date_hint_places_a_month_without_its_year() -> None:
    text = "12月份，全市规模以上工业增加值同比增长5.1%。"
    hinted = extract(text, reference(), Hints(date=date(2024, 1, 17), region="441800")).candidates
    assert [(c.region, c.period, c.period_kind, c.value) for c in hinted] == [("441800", "2023-12", "month", "5.1")]
    unhinted = extract(text, reference()).candidates
    assert unhinted[0].period == "" and float(unhinted[0].confidence) < 0.5
