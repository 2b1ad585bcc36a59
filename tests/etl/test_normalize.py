"""Figures as published come out as observations in base units with codes, or as problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from etl.pipeline import build
from etl.problems import InputError
from tests.conftest import REFERENCE
from tests.etl.helpers import SEED_FIGURES, SEED_SOURCE, write_raw


def observations_of(raw: Path) -> pd.DataFrame:
    tables, _ = build(raw, REFERENCE)
    return tables["observations"][0]


def problems_of(raw: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        build(raw, REFERENCE)
    return [str(p) for p in caught.value.problems]


def test_seed_figures_get_codes_periods_and_base_units(tmp_path):
    obs = observations_of(write_raw(tmp_path, SEED_FIGURES)).set_index(["indicator", "measure"])
    value_added = obs.loc[("value_added", "level")]
    assert value_added["region_code"] == "440000"
    assert value_added["industry_code"] == "C36"
    assert (value_added["period_start"], value_added["period_end"]) == (date(2023, 1, 1), date(2023, 7, 31))
    assert value_added["period_kind"] == "ytd"
    assert value_added["value"] == 145_980_000_000.0
    assert (value_added["unit"], value_added["unit_mult_published"]) == ("CNY", 1e9)
    assert value_added["vintage"] == date(2023, 8, 25)

    production = obs.loc[("production", "level")]
    assert (production["product"], production["value"], production["unit"]) == ("automobiles", 2_738_100.0, "vehicles")
    share = obs.loc[("production", "share_pct")]
    assert (share["value"], share["unit"], share["region_code"]) == (17.8, "percent", "440000")

    target = obs.loc[("industry_scale", "target")]
    assert target["region_code"] == "441800"
    assert (target["value"], target["qualifier"], target["status"]) == (100e9, "at_least", "target")
    assert (target["period_end"], target["period_kind"]) == (date(2025, 12, 31), "span")


def test_regions_by_chinese_name_english_name_or_code_are_the_same_region(tmp_path):
    rows = [
        f"{name},汽车制造业,汽车产量,2023年{m}月,,level,10,万辆,seed"
        for m, name in ((1, "广东省"), (2, "Guangdong"), (3, "440000"), (4, "广东"))
    ]
    obs = observations_of(write_raw(tmp_path, rows))
    assert set(obs["region_code"]) == {"440000"}


def test_numbers_with_thousands_separators_and_traditional_units(tmp_path):
    rows = ['全国,汽车制造业,汽车产量,2023 H1,,level,"1,310.3",萬輛,seed']
    obs = observations_of(write_raw(tmp_path, rows))
    assert obs["value"].tolist() == [13_103_000.0]
    assert obs["region_code"].tolist() == ["CN"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_utf8_bom_and_gbk_files_read_the_same(tmp_path, encoding):
    obs = observations_of(write_raw(tmp_path, SEED_FIGURES, encoding=encoding))
    assert sorted(obs["value"].tolist()) == sorted([100e9, 17.8, 2_738_100.0, 145_980_000_000.0])


def test_xlsx_figures_read_like_csv(tmp_path):
    from tests.etl.helpers import FIGURE_HEADER

    header = FIGURE_HEADER.split(",")
    rows = [r.split(",") for r in SEED_FIGURES]
    pd.DataFrame(rows, columns=header).to_excel(tmp_path / "seed.figures.xlsx", index=False)
    (tmp_path / "seed.sources.csv").write_text(
        "source_id,title,publisher,url,published_date,retrieved_date,authority,note\n" + SEED_SOURCE + "\n"
    )
    obs = observations_of(tmp_path)
    assert 145_980_000_000.0 in obs["value"].tolist()


def test_every_bad_cell_is_reported_with_file_row_column_and_reason(tmp_path):
    rows = [
        "火星省,汽车制造业,汽车产量,2023年1-7月,,level,10,万辆,seed",  # row 2: unknown region
        "广东省,汽车制造业,汽车产量,2023年1-7月,,level,10,万吨辆,seed",  # row 3: unknown unit
        "广东省,汽车制造业,汽车产量,2023年1-7月,,level,ten,万辆,seed",  # row 4: not a number
        "广东省,汽车制造业,汽车产量,2023年1-13月,,level,10,万辆,seed",  # row 5: bad period
        "广东省,汽车制造业,汽车产量,2023年3月,,level,10,万辆,",  # row 6: missing source
        "广东省,汽车制造业,汽车产量,2023年4月,,level,10,万辆,nosuch",  # row 7: unknown source
        "广东省,汽车制造业,汽车造量,2023年5月,,level,10,万辆,seed",  # row 8: unknown indicator
        "广东省,汽车制造业,汽车产量,2023年6月,,share_pct,10,万辆,seed",  # row 9: share not in percent
    ]
    problems = problems_of(write_raw(tmp_path, rows))
    expected = [
        "test.figures.csv:2:region: unknown region '火星省'",
        "test.figures.csv:3:unit: unknown unit '万吨辆'",
        "test.figures.csv:4:value: not a number: 'ten'",
        "test.figures.csv:5:period: month 13 does not exist",
        "test.figures.csv:6:source_id: missing source",
        "test.figures.csv:7:source_id: unknown source 'nosuch'",
        "test.figures.csv:8:indicator: unknown indicator '汽车造量'",
        "test.figures.csv:9:unit: a share_pct figure must be in percent",
    ]
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems), (prefix, problems)


def test_same_figure_same_source_different_values_is_an_error(tmp_path):
    rows = [SEED_FIGURES[2], SEED_FIGURES[2].replace("2.7381", "2.7382")]
    problems = problems_of(write_raw(tmp_path, rows))
    assert problems == [
        "test.figures.csv:3:value: the same figure from the same source has another value at "
        "test.figures.csv:2 (2.7381e+06 vs 2.7382e+06)"
    ]


def test_the_same_figure_typed_twice_is_one_observation(tmp_path):
    obs = observations_of(write_raw(tmp_path, [SEED_FIGURES[2], SEED_FIGURES[2]]))
    assert len(obs) == 1


def test_misspelt_column_is_an_error_not_an_empty_field(tmp_path):
    raw = write_raw(tmp_path, SEED_FIGURES)
    path = raw / "test.figures.csv"
    path.write_text(path.read_text().replace("region,", "regoin,", 1))
    problems = problems_of(raw)
    assert "test.figures.csv:1:region: required column is missing" in problems
    assert any(p.startswith("test.figures.csv:1:regoin: unknown column") for p in problems)


def test_two_sources_disagreeing_are_both_kept_and_the_official_one_is_default(tmp_path):
    rows = [SEED_FIGURES[2], SEED_FIGURES[2].replace("2.7381", "2.74").replace(",seed", ",news")]
    sources = [SEED_SOURCE, "news,A news story,Some News Site,https://example.org/a,2023-08-26,,media,"]
    obs = observations_of(write_raw(tmp_path, rows, sources))
    assert sorted(obs["value"].tolist()) == [2_738_100.0, 2_740_000.0]
    default = obs[obs["is_default"]]
    assert default["source_id"].tolist() == ["seed"]


def test_a_later_revision_from_an_equal_publisher_becomes_the_default(tmp_path):
    rows = [SEED_FIGURES[2], SEED_FIGURES[2].replace("2.7381", "2.7391").replace(",seed", ",revised")]
    sources = [SEED_SOURCE, "revised,Revised release,Qingyuan Municipal People's Government,,2023-09-30,,official,"]
    obs = observations_of(write_raw(tmp_path, rows, sources))
    assert len(obs) == 2
    assert obs.loc[obs["is_default"], "vintage"].tolist() == [date(2023, 9, 30)]


def test_suppressed_figures_keep_no_value_instead_of_zero(tmp_path):
    raw = write_raw(tmp_path, ["广东省,汽车制造业,汽车产量,2023年1-7月,,level,,万辆,seed"])
    assert any("missing value" in p for p in problems_of(raw))
    path = raw / "test.figures.csv"
    path.write_text(
        "region,industry,indicator,period,measure,value,unit,status,source_id\n广东省,汽车制造业,汽车产量,2023年1-7月,level,,万辆,suppressed,seed\n"
    )
    obs = observations_of(raw)
    assert obs["status"].tolist() == ["suppressed"]
    assert obs["value"].isna().all()
