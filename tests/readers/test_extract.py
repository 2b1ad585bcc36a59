"""Candidate figures from press releases: the seed release and small Chinese/HTML texts."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from etl.cli import main
from etl.extract import extract, find_period, release_date
from tests.readers.helpers import REPO, reference

SEED = REPO.parent / "shared" / "seed" / "2023-08-25-qingyuan-automotive-electronics-conference.txt"


@pytest.fixture(scope="module")
def seed_candidates():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present (only in the development workspace)")
    text = SEED.read_text(encoding="utf-8")
    return extract(text, reference(), source_id="seed", published=release_date(text))


def _by_value(candidates):
    return {c.value: c for c in candidates}


def test_seed_release_figures(seed_candidates) -> None:
    found = _by_value(seed_candidates)
    value_added = found["145.98"]
    assert (value_added.region, value_added.industry, value_added.indicator) == ("440000", "C36", "value_added")
    assert (value_added.unit, value_added.period, value_added.period_kind) == ("billion yuan", "2023-01/2023-07", "ytd")
    vehicles = found["2.7381"]
    assert (vehicles.region, vehicles.indicator, vehicles.product, vehicles.unit) == (
        "440000",
        "production",
        "automobiles",
        "million vehicles",
    )
    assert vehicles.period == "2023-01/2023-07"
    share = found["17.8"]
    assert (share.measure, share.unit, share.indicator, share.region) == ("share_pct", "%", "production", "440000")
    target = found["100"]
    assert (target.region, target.measure, target.status, target.qualifier) == (
        "441800",
        "target",
        "target",
        "at_least",
    )
    assert (target.period, target.unit, target.indicator) == ("2025", "billion", "industry_scale")


def test_seed_release_invents_nothing(seed_candidates) -> None:
    assert len(seed_candidates) == 4
    for candidate in seed_candidates:
        assert candidate.value in candidate.excerpt
        assert candidate.unit.split()[0] in candidate.excerpt


def test_chinese_release_with_province_reference() -> None:
    text = (
        "广东省工业和信息化厅 2024年8月20日\n\n1-7月，全省汽车制造业增加值1459.8亿元，增长12.3%，汽车产量273.81万辆。\n"
    )
    candidates = extract(text, reference(), published=release_date(text))
    found = _by_value(candidates)
    assert set(found) == {"1459.8", "12.3", "273.81"}
    assert {c.region for c in candidates} == {"440000"}
    assert {c.period for c in candidates} == {"2024年1-7月"}
    assert found["12.3"].measure == "yoy_pct" and found["12.3"].indicator == "value_added"
    assert (found["273.81"].indicator, found["273.81"].unit) == ("production", "万辆")
    for candidate in candidates:
        assert candidate.value in candidate.excerpt


def test_html_release_is_read_as_text() -> None:
    html = "<html><body><p>2023-02-01</p><p>In 2022, Qingyuan produced <b>120,500 vehicles</b>.</p></body></html>"
    candidates = extract(html, reference(), published=release_date(html))
    assert [(c.value, c.unit, c.region, c.period) for c in candidates] == [("120,500", "vehicles", "441800", "2022")]


@pytest.mark.parametrize(
    ("sentence", "year", "expected"),
    [
        ("From January to July this year, output rose.", 2023, ("2023-01/2023-07", "ytd")),
        ("上半年产量增长", 2024, ("2024 H1", "half")),
        ("by the end of the 14th Five-Year Plan", 2023, ("2025", "year")),
        ("十四五末突破千亿", 2023, ("2025", "year")),
        ("no period here", 2023, ("", "")),
    ],
)
def test_periods(sentence: str, year: int, expected: tuple[str, str]) -> None:
    assert find_period(sentence, year) == expected


def test_release_date_from_name() -> None:
    assert release_date("no date", "2023-08-25-release.txt") == date(2023, 8, 25)


def test_cli_writes_candidates_with_excerpt(tmp_path: Path) -> None:
    release = tmp_path / "release.txt"
    release.write_text(
        "2024-08-20\n\n1-7月，全省汽车产量273.81万辆。广东省汽车制造业增加值1459.8亿元。\n", encoding="utf-8"
    )
    out = tmp_path / "candidates.csv"
    assert main(["extract", str(release), "--out", str(out), "--reference", str(REPO / "data" / "reference")]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["value"] for r in rows] == ["273.81", "1459.8"]
    assert all(r["value"] in r["excerpt"] for r in rows)
    assert rows[1]["region"] == "440000"


def test_growth_and_share_in_one_sentence_stay_apart() -> None:
    text = (
        "2024-01-20\n\nGUANGZHOU, January 19 – Guangdong produced 5.2 million vehicles in 2023, up 27.4 percent "
        "year on year, accounting for 17.3% of the national total. The province's new energy vehicle output "
        "reached 2.53 million units.\n\nFoshan aims to build an auto industry cluster worth more than 300 billion "
        "yuan by 2025.\n"
    )
    found = _by_value(extract(text, reference(), published=release_date(text)))
    assert set(found) == {"5.2", "27.4", "17.3", "2.53", "300"}
    assert found["27.4"].measure == "yoy_pct" and found["17.3"].measure == "share_pct"
    assert {found[v].region for v in ("5.2", "27.4", "17.3", "2.53")} == {"440000"}  # not the GUANGZHOU dateline
    assert found["2.53"].product == "nev"
    target = found["300"]
    assert (target.region, target.measure, target.qualifier, target.period) == ("440600", "target", "at_least", "2025")
