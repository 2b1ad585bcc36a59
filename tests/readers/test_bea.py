"""BEA regional CSV: the real SAGDP2N file in ../shared/data/bea and a hand-made quirk file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.readers import bea
from tests.readers.helpers import TEST_DATA, observations, read


@pytest.fixture(scope="module")
def sagdp2n(shared_data: Path):
    return read(shared_data / "bea" / "SAGDP2N__ALL_AREAS_1997_2022.csv")


def test_reads_every_area_line_and_year(sagdp2n) -> None:
    assert sagdp2n.problems == []
    assert sagdp2n.figures["region"].nunique() == 1 + 50 + 1 + 8
    periods = sorted(sagdp2n.figures["period"].unique())
    assert (periods[0], periods[-1], len(periods)) == ("1997", "2022", 26)
    flags = sagdp2n.figures["flags"].value_counts().to_dict()
    assert flags == {"": 140244, "(NA)": 3302, "(L)": 58, "(D)": 20}


def test_michigan_motor_vehicles_line_21_in_dollars(sagdp2n) -> None:
    figures = sagdp2n.figures
    michigan = figures[(figures["region"] == "US-26") & (figures["industry"] == "NAICS-3361-3363")]
    assert len(michigan) == 26
    obs, problems = observations(michigan_result(sagdp2n, michigan.index))
    assert problems == []
    row_2021 = obs[obs["period_start"] == date(2021, 1, 1)]
    # The file prints 37537.0 (millions of current dollars) for Michigan, line 21, 2021.
    assert row_2021["value"].tolist() == [pytest.approx(37537.0e6)]
    assert row_2021["unit"].tolist() == ["USD"]
    assert row_2021["unit_mult_published"].tolist() == [1e6]
    assert row_2021["indicator"].tolist() == ["value_added"]
    assert row_2021["price_basis"].tolist() == ["current"]
    row_2022 = obs[obs["period_start"] == date(2022, 1, 1)]
    assert row_2022["status"].tolist() == ["not_available"] and row_2022["value"].isna().all()


def michigan_result(result, index):
    from etl.readers.base import ReadResult

    return ReadResult(result.figures.loc[index], result.sources, [])


def test_suppressed_d_is_kept_without_value(sagdp2n) -> None:
    suppressed = sagdp2n.figures[sagdp2n.figures["flags"] == "(D)"]
    assert set(suppressed["status"]) == {"suppressed"}
    assert set(suppressed["value"]) == {""}


def test_source_from_the_footer(sagdp2n) -> None:
    source = sagdp2n.sources.iloc[0]
    assert source["title"] == "SAGDP2N: Gross domestic product (GDP) by state 1/"
    assert source["published_date"] == "2023-03-31"
    assert source["publisher"] == "U.S. Bureau of Economic Analysis"


def test_every_region_and_industry_of_the_file_is_in_the_reference(sagdp2n) -> None:
    sample = sagdp2n.figures.drop_duplicates(["region", "industry"])
    obs, problems = observations(michigan_result(sagdp2n, sample.index))
    assert problems == []
    assert {"US", "US-26", "US-11", "US-BEA-8"} <= set(obs["region_code"])


def test_quirks_file() -> None:
    result = read(TEST_DATA / "bea_quirks.csv")
    assert [str(p) for p in result.problems] == ["bea_quirks.csv:6:: truncated row: 10 cells, the header has 11"]
    obs, problems = observations(result)
    assert problems == []
    ct = obs[obs["region_code"] == "US-09"].set_index("period_start")
    less_than = ct.loc[date(2021, 1, 1)]
    assert (less_than["value"], less_than["qualifier"], less_than["flags"]) == (50000.0, "at_most", "(L)")
    withheld = ct.loc[date(2022, 1, 1)]
    assert withheld["status"] == "suppressed" and withheld["flags"] == "(D)"
    assert withheld["value"] != withheld["value"]  # NaN
    other = obs[(obs["region_code"] == "US-BEA-3") & (obs["period_start"] == date(2021, 1, 1))]
    assert other[["status", "flags"]].values.tolist() == [["not_available", "(X)"]]
    assert set(obs["industry_code"]) == {"BEA-GDP-L1", "NAICS-3361-3363", "NAICS-211", "NAICS-31-33"}


@pytest.mark.parametrize(
    ("fips", "code"),
    [(' "00000"', "US"), ("26000", "US-26"), ("01000", "US-01"), ("93000", "US-BEA-3"), ("26163", "US-26163")],
)
def test_region_codes(fips: str, code: str) -> None:
    assert bea.region_code(fips) == code


def test_industry_codes() -> None:
    assert bea.industry_code("SAGDP2N", "21", "3361-3363") == "NAICS-3361-3363"
    assert bea.industry_code("SAGDP2N", "59", "54, 55, 56") == "NAICS-54+55+56"
    assert bea.industry_code("CAGDP2", "1", "...") == "BEA-GDP-L1"


def test_unknown_unit_is_reported_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "bea.csv"
    header = "GeoFIPS,GeoName,Region,TableName,LineCode,IndustryClassification,Description,Unit,2021\n"
    path.write_text(header + ' "26000","Michigan",3,SAGDP2N,12,"31-33","Manufacturing","Chained widgets",1.0\n')
    _, problems = observations(read(path))
    assert problems == ["bea.csv:2:unit: unknown unit 'Chained widgets' (not in data/reference/units*.csv)"]
