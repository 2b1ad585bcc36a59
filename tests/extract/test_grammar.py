"""The grammar of statistical releases, one rule per test, on sentences written for these tests
in the releases' style (the releases themselves are never copied into the project)."""

from __future__ import annotations

from datetime import date

import pytest

from etl.extract import Hints, extract
from tests.readers.helpers import reference

NBS = Hints(date=date(2019, 8, 14), publisher="国家统计局")


def rows(text: str, hints: Hints = NBS) -> list[tuple[str, ...]]:
    """(region, industry, indicator, product, scope, period, measure, value, unit) of every candidate."""
    return [
        (c.region, c.industry, c.indicator, c.product, c.scope, c.period, c.measure, c.value, c.unit)
        for c in extract(text, reference(), hints).candidates
    ]


def one(text: str, hints: Hints = NBS):
    found = extract(text, reference(), hints).candidates
    assert len(found) == 1, [(c.value, c.measure) for c in found]
    return found[0]


# ---------------------------------------------------------------- signs
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7月份,汽车制造业下降4.4%。", "-4.4"),
        ("7月份,汽车制造业增加值同比降2.1%。", "-2.1"),
        ("7月份,纺织业减少0.8%。", "-0.8"),
        ("7月份,纺织业增长0.8%。", "0.8"),
        ("In July, the added value of the textile industry decreased 0.6 percent year on year.", "-0.6"),
        ("In July, the added value of the textile industry fell by 1.3 percent.", "-1.3"),
        ("In July, the added value of the textile industry was up 2.2 percent.", "2.2"),
    ],
)
def test_the_direction_word_gives_the_sign(text: str, value: str) -> None:
    candidate = one(text)
    assert (candidate.measure, candidate.value) == ("yoy_pct", value)


def test_a_decline_after_a_level_is_a_signed_growth_not_a_level() -> None:
    assert rows("7月份,汽车185.4万辆,下降11.5%。") == [
        ("CN", "C36", "production", "automobiles", "", "2019-07", "level", "185.4", "万辆"),
        ("CN", "C36", "production", "automobiles", "", "2019-07", "yoy_pct", "-11.5", "%"),
    ]


def test_a_printed_minus_stays() -> None:
    assert one("1-6月份,黑色金属冶炼和压延加工业利润总额-35.6亿元。").value == "-35.6"


# ---------------------------------------------------------------- percentage points and contributions
def test_percentage_points_are_a_signed_change_never_a_level() -> None:
    found = extract("1-7月份,规模以上工业增加值同比增长5.8%,增速比1-6月份回落0.2个百分点。", reference(), NBS).candidates
    growth, change = found
    assert (growth.measure, growth.value, growth.period) == ("yoy_pct", "5.8", "2019-01/2019-07")
    assert (change.measure, change.value, change.unit, change.period) == ("pp_change_prev", "-0.2", "个百分点",
                                                                          "2019-01/2019-07")
    assert change.price_basis == "comparable"


def test_a_rate_and_its_change_on_a_year_earlier() -> None:
    rate, change = extract("7月份,工业企业产品销售率为97.9%,同比提高0.3个百分点。", reference(), NBS).candidates
    assert (rate.indicator, rate.measure, rate.value, rate.unit) == ("sales_ratio", "level", "97.9", "%")
    assert (change.indicator, change.measure, change.value) == ("sales_ratio", "pp_change", "0.3")


def test_a_contribution_is_in_points() -> None:
    candidate = one("7月份,汽车制造业拉动全部规模以上工业增长1.4个百分点。")
    assert (candidate.industry, candidate.measure, candidate.value, candidate.unit) == (
        "C36", "contribution_pp", "1.4", "个百分点",
    )


def test_english_percentage_points() -> None:
    found = extract("In July, the product sales rate was 97.9 percent, down 0.2 percentage points year on year.",
                    reference(), Hints(date=date(2019, 8, 14), region="CN")).candidates
    assert [(c.measure, c.value, c.unit) for c in found] == [("level", "97.9", "%"),
                                                               ("pp_change", "-0.2", "percentage points")]


def test_flat_is_a_change_of_zero() -> None:
    flat = one("7月份,电子产业同比持平。")
    assert (flat.industry, flat.measure, flat.value, flat.excerpt[flat.start:flat.end]) == (
        "X-CQ-ELECTRONICS", "yoy_pct", "0", "持平",
    )


# ---------------------------------------------------------------- comparisons and price bases
def test_month_on_month_year_to_date_and_nominal() -> None:
    text = ("从环比看,7月份,规模以上工业增加值比上月增长0.31%。1-7月份,规模以上工业增加值同比增长5.8%。"
            "7月份,工业企业实现出口交货值10839亿元,同比名义增长0.7%。")
    found = extract(text, reference(), NBS).candidates
    assert [(c.measure, c.period, c.price_basis) for c in found] == [
        ("mom_pct", "2019-07", "comparable"),
        ("yoy_pct", "2019-01/2019-07", "comparable"),
        ("level", "2019-07", ""),
        ("yoy_pct", "2019-07", "current"),
    ]


def test_growth_over_another_base_is_left_out_with_its_reason() -> None:
    result = extract("8月份,规模以上工业增加值同比增长5.3%,比2019年同期增长11.2%,两年平均增长5.4%。", reference(),
                     Hints(date=date(2021, 9, 15), publisher="国家统计局"))
    assert [c.value for c in result.candidates] == ["5.3"]
    assert [s.sentence[s.start:s.end] for s in result.skipped] == ["11.2%", "5.4%"]
    assert all("base" in s.reason for s in result.skipped)


def test_an_absolute_change_is_not_a_level() -> None:
    result = extract("7月份,汽车产量增加2.3万辆。", reference(), NBS)
    assert result.candidates == [] and "absolute change" in result.skipped[0].reason


# ---------------------------------------------------------------- subjects: one per clause
def test_each_industry_in_a_list_gets_its_own_figure() -> None:
    text = ("分行业看,7月份,41个大类行业中有33个行业增加值保持同比增长。农副食品加工业增长1.7%,纺织业增长1.2%,"
            "化学原料和化学制品制造业增长7.3%,汽车制造业下降4.4%,电力、热力生产和供应业增长6.9%。")
    assert [(c[1], c[2], c[7]) for c in rows(text)] == [
        ("C13", "value_added", "1.7"), ("C17", "value_added", "1.2"), ("C26", "value_added", "7.3"),
        ("C36", "value_added", "-4.4"), ("D44", "value_added", "6.9"),
    ]


def test_respectively_pairs_a_list_with_its_numbers() -> None:
    text = "1-7月份,规模以上采矿业、制造业、电力热力燃气及水生产和供应业增加值分别增长3.1%、4.5%、7.2%。"
    assert [(c[1], c[7]) for c in rows(text)] == [("B", "3.1"), ("C", "4.5"), ("D", "7.2")]


def test_english_production_and_sales_respectively() -> None:
    text = ("In the first half of 2008, production and sales of motor vehicles reached 5,199,600 vehicles and "
            "5,181,700 vehicles, up 16.2 percent and 16.8 percent year on year respectively.")
    found = extract(text, reference(), Hints(publisher="China Association of Automobile Manufacturers")).candidates
    assert [(c.indicator, c.measure, c.value, c.unit, c.period, c.scope) for c in found] == [
        ("production", "level", "5199600", "vehicles", "2008 H1", "caam"),
        ("sales_volume", "level", "5181700", "vehicles", "2008 H1", "caam"),
        ("production", "yoy_pct", "16.2", "%", "2008 H1", "caam"),
        ("sales_volume", "yoy_pct", "16.8", "%", "2008 H1", "caam"),
    ]


def test_products_with_their_units_and_industries() -> None:
    text = "分产品看,7月份,钢材10529万吨,同比增长9.6%;发电量6236亿千瓦时,增长0.3%;原油加工量5667万吨,增长6.1%。"
    assert [(c[1], c[2], c[3], c[6], c[7], c[8]) for c in rows(text)] == [
        ("C31", "production", "steel_products", "level", "10529", "万吨"),
        ("C31", "production", "steel_products", "yoy_pct", "9.6", "%"),
        ("D44", "production", "electricity", "level", "6236", "亿千瓦时"),
        ("D44", "production", "electricity", "yoy_pct", "0.3", "%"),
        ("C25", "production", "crude_oil_processed", "level", "5667", "万吨"),
        ("C25", "production", "crude_oil_processed", "yoy_pct", "6.1", "%"),
    ]


def test_ownership_types_are_a_scope_never_a_region() -> None:
    text = ("In July, the added value of state-owned holding enterprises grew 4.5 percent; that of enterprises funded "
            "by foreign investors and investors from Hong Kong, Macao and Taiwan grew 1.2 percent.")
    found = extract(text, reference(), Hints(date=date(2019, 8, 14), region="CN")).candidates
    assert [(c.region, c.industry, c.scope, c.value) for c in found] == [
        ("CN", "", "state-holding", "4.5"), ("CN", "", "foreign-hmt-invested", "1.2"),
    ]


def test_macro_regions_are_their_own_regions() -> None:
    found = rows("7月份,规模以上工业增加值同比增长4.8%。分地区看,7月份,东部地区增加值同比增长3.9%,西部地区增长7.0%。")
    assert [(c[0], c[1], c[7]) for c in found] == [("CN", "BCD", "4.8"), ("CN-EAST", "BCD", "3.9"),
                                                   ("CN-WEST", "BCD", "7.0")]


def test_a_share_names_its_parent() -> None:
    text = "上半年,全省高技术制造业增加值增长6.1%,占全省规模以上工业增加值比重31.2%。"
    _growth, share = extract(text, reference(), Hints(date=date(2019, 7, 20), region="440000")).candidates
    assert (share.industry, share.measure, share.share_of, share.period) == ("X-HIGH-TECH-MFG", "share_pct",
                                                                            "industry:BCD", "2019 H1")
    nev = one("Sales of new energy vehicles accounted for 4.8 percent of total new vehicle sales in the first "
              "half of 2019.", Hints(region="CN"))
    assert (nev.product, nev.indicator, nev.share_of) == ("nev", "sales_volume",
                                                          "indicator:sales_volume/product:automobiles")


def test_money_with_its_currency() -> None:
    candidate = one("In the first eight months of 2015, China's auto exports reached USD13.287 billion.")
    assert (candidate.region, candidate.indicator, candidate.value, candidate.unit, candidate.period) == (
        "CN", "exports_value", "13.287", "USD billion", "2015-01/2015-08",
    )


# ---------------------------------------------------------------- periods
@pytest.mark.parametrize(
    ("words", "period", "kind"),
    [
        ("7月份", "2019-07", "month"),
        ("1-7月份", "2019-01/2019-07", "ytd"),
        ("1—7月份", "2019-01/2019-07", "ytd"),
        ("上半年", "2019 H1", "half"),
        ("一季度", "2019Q1", "quarter"),
        ("前三季度", "2018-01/2018-09", "ytd"),  # not over by 2019-08-14: last year's
        ("全年", "2018", "year"),
        ("2018年", "2018", "year"),
    ],
)
def test_chinese_periods_resolve_against_the_release_date(words: str, period: str, kind: str) -> None:
    candidate = one(f"{words},规模以上工业增加值同比增长5.1%。")
    assert (candidate.period, candidate.period_kind) == (period, kind)


@pytest.mark.parametrize(
    ("words", "period", "kind"),
    [
        ("In August 2015", "2015-08", "month"),
        ("In the first eight months of 2015", "2015-01/2015-08", "ytd"),
        ("In the first half of 2008", "2008 H1", "half"),
        ("In the January-May period this year", "2019-01/2019-05", "ytd"),
        ("In the first quarter", "2019Q1", "quarter"),
    ],
)
def test_english_periods(words: str, period: str, kind: str) -> None:
    candidate = one(f"{words}, the added value of industries above designated size increased by 6.1 percent.")
    assert (candidate.period, candidate.period_kind) == (period, kind)


def test_a_period_after_bi_is_the_comparison_base_not_the_period() -> None:
    found = extract("12月份,规模以上工业增加值同比增长6.9%,增速较11月份加快0.7个百分点。", reference(),
                    Hints(date=date(2020, 1, 17), publisher="国家统计局")).candidates
    assert {c.period for c in found} == {"2019-12"}


# ---------------------------------------------------------------- what is not a figure
def test_counts_of_industries_and_products_are_not_figures() -> None:
    assert rows("7月份,41个大类行业中有33个行业增加值保持同比增长,612种产品中有365种产品同比增长。") == []


def test_notes_are_not_read() -> None:
    text = "1-7月份,规模以上工业增加值同比增长5.8%。\n附注\n统计范围:年主营业务收入2000万元及以上的工业法人企业。"
    assert [c[7] for c in rows(text)] == ["5.8"]
