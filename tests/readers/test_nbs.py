"""NBS easyquery exports: the real files in ../shared/data/nbs and hand-made quirk files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from etl.readers import nbs
from tests.readers.helpers import TEST_DATA, observations, read

ANNUAL = [
    "分省年度数据.2019csv.csv",
    "分省年度数据2020.csv",
    "分省年度数据2021.csv",
    "分省年度数据.2022csv.csv",
    "分省年度数据2023.csv",
    "分省年度数据2024.csv",
]


@pytest.mark.parametrize("name", ANNUAL)
def test_annual_provincial_files_read_cleanly(shared_data: Path, name: str) -> None:
    result = read(shared_data / "nbs" / name)
    assert result.problems == []
    # 31 provinces × 14 indicators, every cell filled.
    assert len(result.figures) == 31 * 14
    assert result.figures["region"].nunique() == 31
    assert set(result.figures["period_kind"]) == {"year"}
    obs, problems = observations(result)
    assert problems == []
    assert set(obs["unit"]) == {"CNY", "CNY_per_person"}


def test_guangdong_2024_industry_value_added_in_base_units(shared_data: Path) -> None:
    obs, problems = observations(read(shared_data / "nbs" / "分省年度数据2024.csv"))
    assert problems == []
    row = obs[(obs["region_code"] == "440000") & (obs["industry_code"] == "BCD") & (obs["indicator"] == "value_added")]
    assert len(row) == 1
    assert row["value"].iloc[0] == pytest.approx(4.76826e12)
    assert row["unit_mult_published"].iloc[0] == 1e8
    assert row["period_start"].iloc[0] == date(2024, 1, 1)
    assert row["period_end"].iloc[0] == date(2024, 12, 31)
    assert row["label_published"].iloc[0] == "工业增加值 (亿元)"


def test_source_row_names_the_bureau_and_database(shared_data: Path) -> None:
    result = read(shared_data / "nbs" / "分省年度数据2024.csv")
    source = result.sources.iloc[0]
    assert source["publisher"].startswith("国家统计局")
    assert source["url"] == "https://data.stats.gov.cn/easyquery.htm"
    assert source["title"] == "分省年度数据：2024年"
    assert source["note"].startswith("注：1. 按照我国国民经济核算数据修订制度")
    assert set(result.figures["source_id"]) == {source["source_id"]}


def test_second_industry_without_sidecar_names_the_missing_unit(shared_data: Path) -> None:
    result = read(shared_data / "nbs" / "第二产业.csv")
    assert result.figures.empty
    assert [str(p) for p in result.problems] == [
        "第二产业.csv::: missing 'unit': the file does not say and there is no 第二产业.csv.meta.yaml"
    ]


def test_second_industry_with_sidecar_reads_years_as_columns(shared_data: Path, tmp_path: Path) -> None:
    shutil.copy(shared_data / "nbs" / "第二产业.csv", tmp_path)
    (tmp_path / "第二产业.csv.meta.yaml").write_text(
        "unit: 亿元\nsource:\n  retrieved_date: 2026-05-20\n", encoding="utf-8"
    )
    result = read(tmp_path / "第二产业.csv")
    assert result.problems == []
    # 2025 is empty for every province: missing, never zero, so no figure at all.
    assert len(result.figures) == 31 * 4
    assert "2025年" not in set(result.figures["period"])
    assert set(result.figures["indicator"]) == {"第二产业"}  # from the file name
    obs, problems = observations(result)
    assert problems == []
    gd_2024 = obs[(obs["region_code"] == "440000") & (obs["period_start"] == date(2024, 1, 1))]
    assert gd_2024["value"].tolist() == [pytest.approx(5.43671e12)]
    assert gd_2024["industry_code"].tolist() == ["X-SECONDARY"]
    assert str(obs["vintage"].iloc[0])[:10] == "2026-05-20"


def test_transposed_one_region_file_takes_its_region_from_the_sidecar(shared_data: Path, tmp_path: Path) -> None:
    name = "archive_分省年度数据_北京_indicators_by_year.csv"
    shutil.copy(shared_data / "nbs" / name, tmp_path)
    without = read(tmp_path / name)
    assert without.figures.empty
    assert "missing 'region'" in str(without.problems[0])

    (tmp_path / f"{name}.meta.yaml").write_text("region: 北京市\n", encoding="utf-8")
    result = read(tmp_path / name)
    assert result.problems == []
    # 14 indicators × 2016–2024; 2025 only has GDP per capita.
    assert len(result.figures) == 14 * 9 + 1
    obs, problems = observations(result)
    assert problems == []
    gdp = obs[(obs["indicator"] == "gdp") & (obs["period_start"] == date(2024, 1, 1))]
    assert gdp["region_code"].tolist() == ["110000"]
    assert gdp["value"].tolist() == [pytest.approx(4.96702e12)]  # equals the 北京市 row of the 2024 file


def test_monthly_gbk_export_with_multiline_note(shared_data: Path) -> None:
    result = read(shared_data / "nbs" / "分省月度数据-CPI-2020-gbk.csv")
    assert result.problems == []
    # 2020年3月 is empty for every province: two months × 31 provinces.
    assert len(result.figures) == 62
    assert set(result.figures["period"]) == {"2020年1月", "2020年2月"}
    assert set(result.figures["period_kind"]) == {"month"}
    assert result.sources.iloc[0]["note"].count("CPI") >= 2  # the quoted multi-line note is kept whole
    assert "数据来源：国家统计局" in result.sources.iloc[0]["note"]
    obs, problems = observations(result)
    assert problems == []
    beijing_jan = obs[(obs["region_code"] == "110000") & (obs["period_start"] == date(2020, 1, 1))]
    assert beijing_jan["value"].tolist() == [104.5]
    assert beijing_jan["unit"].tolist() == ["index"]


def test_cumulative_monthly_series_becomes_year_to_date_without_january(tmp_path: Path) -> None:
    result = read(TEST_DATA / "nbs_monthly_ytd_gbk.csv")
    assert result.problems == []
    gd = result.figures[result.figures["region"] == "广东省"]
    assert gd["period"].tolist() == ["2023年1-4月", "2023年1-3月", "2023年1-2月"]
    assert set(gd["period_kind"]) == {"ytd"}
    assert set(result.figures["indicator"]) == {"汽车产量"}
    obs, problems = observations(result)
    assert problems == []
    jan_feb = obs[(obs["region_code"] == "440000") & (obs["period_end"] == date(2023, 2, 28))]
    assert jan_feb["period_start"].tolist() == [date(2023, 1, 1)]  # one Jan–Feb period, never split
    assert jan_feb["value"].tolist() == [pytest.approx(451000.0)]
    assert not (obs["value"] == 0).any()


def test_bom_tab_comma_national_file_with_growth_rows() -> None:
    result = read(TEST_DATA / "nbs_national_bom_tabcomma.csv")
    assert result.problems == []
    assert set(result.figures["region"]) == {"全国"}
    growth = result.figures[result.figures["measure"] == "yoy_pct"]
    assert growth[["period", "value", "unit"]].values.tolist() == [["2023年", "11.4", "%"]]
    obs, problems = observations(result)
    assert problems == []
    assert set(obs["region_code"]) == {"CN"}
    level_2023 = obs[(obs["measure"] == "level") & (obs["period_start"] == date(2023, 1, 1))]
    assert level_2023["value"].tolist() == [pytest.approx(30113000.0)]


def test_quarterly_cumulative_series_become_year_to_date() -> None:
    result = read(TEST_DATA / "nbs_quarterly.csv")
    assert result.problems == []
    assert result.figures[["period", "period_kind"]].values.tolist() == [["2023年1-6月", "ytd"], ["2023年1-3月", "ytd"]]


def test_truncated_row_is_a_problem_with_its_line() -> None:
    result = read(TEST_DATA / "nbs_truncated.csv")
    assert [str(p) for p in result.problems] == ["nbs_truncated.csv:6:: truncated row: 2 cells, the header has 3"]
    assert set(result.figures["region"]) == {"北京市"}


def test_bad_year_header_is_a_problem_with_its_column() -> None:
    result = read(TEST_DATA / "nbs_bad_year.csv")
    assert [str(p) for p in result.problems] == ["nbs_bad_year.csv:4:20x2年: cannot parse period header '20x2年'"]


def test_unknown_unit_is_reported_once_where_it_is_printed() -> None:
    """The unit is printed once, on the 指标： line, for every figure: one problem, at that line."""
    result = read(TEST_DATA / "nbs_unknown_unit.csv")
    assert result.problems == []
    _, problems = observations(result)
    assert problems == ["nbs_unknown_unit.csv:2:指标: unknown unit '万吨辆' (not in data/reference/units*.csv)"]


def test_indicator_column_without_unit_is_a_problem() -> None:
    result = read(TEST_DATA / "nbs_no_unit_column.csv")
    assert [p.column for p in result.problems] == ["工业增加值"]
    assert result.figures["indicator"].tolist() == ["地区生产总值"]


def test_mixed_encodings_are_a_problem_not_mojibake() -> None:
    result = read(TEST_DATA / "nbs_mixed_encoding.csv")
    assert result.figures.empty
    assert len(result.problems) == 1
    assert result.problems[0].row == 4
    assert "mixed encodings" in result.problems[0].reason


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("2024年", ("2024年", "year")),
        ("2023年4月", ("2023年4月", "month")),
        ("2023年第一季度", ("2023年第一季度", "quarter")),
        ("2023年上半年", ("2023年上半年", "half")),
    ],
)
def test_period_headers(label: str, expected: tuple[str, str]) -> None:
    period = nbs.parse_period_label(label)
    assert isinstance(period, nbs.PeriodLabel)
    assert period.text(None) == expected


def test_cumulative_april_is_january_to_april() -> None:
    period = nbs.parse_period_label("2023年4月")
    assert isinstance(period, nbs.PeriodLabel)
    assert period.text(True) == ("2023年1-4月", "ytd")


@pytest.mark.parametrize("label", ["2023年13月", "20x2年", "1899年", "2023年第五季度"])
def test_bad_period_headers(label: str) -> None:
    assert isinstance(nbs.parse_period_label(label), str)


@pytest.mark.parametrize(
    ("label", "name", "unit", "cumulative", "measure"),
    [
        ("地区生产总值 (亿元)", "地区生产总值", "亿元", None, ""),
        ("汽车产量累计值(万辆)", "汽车产量", "万辆", True, "level"),
        ("汽车产量_当期值(万辆)", "汽车产量", "万辆", False, "level"),
        ("汽车产量累计增长(%)", "汽车产量", "%", True, "yoy_pct"),
        ("汽车产量同比增长(%)", "汽车产量", "%", None, "yoy_pct"),
        ("人均地区生产总值 (元/人)", "人均地区生产总值", "元/人", None, ""),
    ],
)
def test_indicator_labels(label: str, name: str, unit: str, cumulative: bool | None, measure: str) -> None:
    parsed = nbs.parse_indicator_label(label)
    assert (parsed.name, parsed.unit, parsed.cumulative, parsed.measure) == (name, unit, cumulative, measure)


def test_can_read_only_exports() -> None:
    assert nbs.can_read(Path("x.csv"), "数据库：分省年度数据\n".encode("gbk"))
    assert nbs.can_read(Path("x.csv"), "\ufeff数据库：分省年度数据\n".encode())
    assert not nbs.can_read(Path("x.csv"), b"region,industry,indicator\n")


def test_indicators_as_rows_regions_as_columns() -> None:
    result = read(TEST_DATA / "nbs_indicators_by_region.csv")
    assert result.problems == []
    assert result.figures[["region", "indicator", "period", "value"]].values.tolist() == [
        ["北京市", "地区生产总值", "2023年", "47353.7"],
        ["天津市", "地区生产总值", "2023年", "17211.8"],
        ["北京市", "人均地区生产总值", "2023年", "216722"],
    ]
    obs, problems = observations(result)
    assert problems == []
    assert set(obs["region_code"]) == {"110000", "120000"}


def test_national_monthly_current_cumulative_and_growth_rows() -> None:
    result = read(TEST_DATA / "nbs_national_monthly.csv")
    assert result.problems == []
    rows = result.figures[["label_published", "period", "period_kind", "measure", "value"]].values.tolist()
    assert rows == [
        ["汽车产量当期值(万辆)", "2023年3月", "month", "level", "258.4"],
        ["汽车产量当期值(万辆)", "2023年2月", "month", "level", "203.4"],
        ["汽车产量累计值(万辆)", "2023年1-3月", "ytd", "level", "621.0"],
        ["汽车产量累计值(万辆)", "2023年1-2月", "ytd", "level", "362.6"],
        ["汽车产量同比增长(%)", "2023年3月", "month", "yoy_pct", "10.5"],
        ["汽车产量累计增长(%)", "2023年1-3月", "ytd", "yoy_pct", "-2.5"],
        ["汽车产量累计增长(%)", "2023年1-2月", "ytd", "yoy_pct", "-13.4"],
    ]
    obs, problems = observations(result)
    assert problems == []
    assert set(obs["region_code"]) == {"CN"}
    march_ytd = obs[
        (obs["period_kind"] == "ytd") & (obs["measure"] == "level") & (obs["period_end"] == date(2023, 3, 31))
    ]
    assert march_ytd["value"].tolist() == [pytest.approx(6210000.0)]
