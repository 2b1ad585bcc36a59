"""The bundled NBS annual exports (data/raw/nbs/) give every province's figures, cited to the NBS."""

from __future__ import annotations

import pandas as pd
import pytest

PROVINCES = 31


@pytest.fixture(scope="module")
def snapshot(default_warehouse):
    return default_warehouse / "current"


@pytest.fixture(scope="module")
def nbs(snapshot):
    observations = pd.read_parquet(snapshot / "observations.parquet")
    return observations.loc[observations["source_id"].str.startswith("nbs-")]


def test_industry_value_added_2024_of_guangdong_is_the_printed_47682_6_yi_yuan(nbs):
    row = nbs.loc[(nbs["region_code"] == "440000") & (nbs["indicator"] == "value_added")
                  & (nbs["industry_code"] == "BCD") & (pd.to_datetime(nbs["period_end"]) == "2024-12-31")]
    assert len(row) == 1
    assert row["value"].iloc[0] == 47682.6e8
    assert row["unit"].iloc[0] == "CNY"
    assert row["period_kind"].iloc[0] == "year"
    assert bool(row["is_default"].iloc[0])


@pytest.mark.parametrize("year", range(2019, 2025))
def test_every_province_has_gdp_and_industry_value_added_for_every_year(nbs, year):
    of_year = nbs.loc[pd.to_datetime(nbs["period_end"]).dt.year == year]
    for indicator, industry in (("gdp", "X-ALL"), ("value_added", "BCD")):
        rows = of_year.loc[(of_year["indicator"] == indicator) & (of_year["industry_code"] == industry)]
        assert rows["region_code"].nunique() == PROVINCES, (year, indicator)
        assert rows["region_code"].str.fullmatch(r"\d{2}0000").all()


def test_every_nbs_figure_cites_the_bureau_and_its_portal(snapshot, nbs):
    sources = pd.read_parquet(snapshot / "sources.parquet").set_index("source_id")
    cited = sources.loc[sorted(set(nbs["source_id"]))]
    assert len(cited) == 7
    assert cited["publisher"].str.contains("National Bureau of Statistics").all()
    assert cited["url"].str.startswith("https://data.stats.gov.cn/").all()
    assert (cited["authority"] == "official").all()


def test_the_same_figure_in_two_exports_is_shown_once(nbs):
    secondary = nbs.loc[(nbs["indicator"] == "value_added") & (nbs["industry_code"] == "X-SECONDARY")
                        & (nbs["region_code"] == "110000") & (pd.to_datetime(nbs["period_end"]) == "2023-12-31")]
    assert len(secondary) == 2
    assert secondary["value"].nunique() == 1
    assert secondary["is_default"].sum() == 1
