"""Eurostat bulk TSV and SDMX-CSV: the real excerpt in ../shared/data/eurostat and hand-made files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl.readers import eurostat_tsv, sdmx_csv
from tests.readers.helpers import TEST_DATA, observations, read


@pytest.fixture(scope="module")
def sample(shared_data: Path):
    return read(shared_data / "eurostat" / "nama_10r_3empers-sample.tsv")


def test_sample_reads_every_cell(sample) -> None:
    assert sample.problems == []
    assert len(sample.figures) == 99 * 28
    assert set(sample.figures["flags"]) == {"", "p", "b"}


def test_provisional_value_keeps_its_flag(sample) -> None:
    figures = sample.figures
    row = figures[(figures["region"] == "NUTS-DE234") & (figures["period"] == "2020")]
    assert row[["value", "flags", "status", "industry"]].values.tolist() == [["3.16", "p", "provisional", "NACE-F"]]


def test_missing_colon_is_not_available_never_zero(sample) -> None:
    figures = sample.figures
    row = figures[(figures["region"] == "NUTS-DE234") & (figures["period"] == "1995")]
    assert row[["value", "status"]].values.tolist() == [["", "not_available"]]


def test_sample_normalises_to_persons_with_nuts_and_nace_codes(sample) -> None:
    obs, problems = observations(sample)
    assert problems == []
    assert set(obs["unit"]) == {"persons"}
    row = obs[(obs["region_code"] == "NUTS-DE234") & (obs["period_start"] == date(2020, 1, 1))]
    assert row["value"].tolist() == [pytest.approx(3160.0)]
    assert row["status"].tolist() == ["provisional"]
    assert row["flags"].tolist() == ["p"]
    assert row["scope"].tolist() == ["employees"]  # wstatus SAL
    missing = obs[obs["status"] == "not_available"]
    assert missing["value"].isna().all()
    breaks = obs[obs["flags"] == "b"]
    assert len(breaks) == 21 and set(breaks["status"]) == {"reported"}


def test_quirks_file() -> None:
    result = read(TEST_DATA / "eurostat_quirks.tsv")
    assert sorted(str(p) for p in result.problems) == [
        "eurostat_quirks.tsv:4:: truncated row: 3 cells, the header has 4",
        "eurostat_quirks.tsv:5:2022: not a value and flags: 'abc'",
    ]
    by_key = {(r.region, r.period): (r.value, r.status, r.flags) for r in result.figures.itertuples()}
    assert by_key[("NUTS-DE", "2021")] == ("", "suppressed", "c")
    assert by_key[("NUTS-DE", "2022")] == ("1.5", "estimated", "e")
    assert by_key[("NUTS-DE", "2023")] == ("2.0", "", "b")


def test_bad_period_header() -> None:
    result = read(TEST_DATA / "eurostat_bad_period.tsv")
    assert [str(p) for p in result.problems] == ["eurostat_bad_period.tsv:1:2022x: cannot parse period header '2022x'"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3.16 p", ("3.16", "provisional", "p")),
        (": ", ("", "not_available", "")),
        (": c", ("", "suppressed", "c")),
        ("12 bp", ("12", "provisional", "bp")),
        ("7 u", ("7", "", "u")),
    ],
)
def test_cells(cell: str, expected: tuple[str, str, str]) -> None:
    assert eurostat_tsv.parse_cell(cell) == expected


@pytest.mark.parametrize(("label", "period"), [("2022", "2022"), ("2022-Q3", "2022Q3"), ("2022M07", "2022-07")])
def test_period_headers(label: str, period: str) -> None:
    assert eurostat_tsv.period_text(label) == period


def test_sdmx_csv_file() -> None:
    path = TEST_DATA / "sdmx_employment.csv"
    assert sdmx_csv.can_read(path, path.read_bytes())
    result = read(path)
    assert sorted(str(p) for p in result.problems) == [
        "sdmx_employment.csv:6:TIME_PERIOD: cannot parse period '2023-13'",
        "sdmx_employment.csv:7:: truncated row: 6 cells, the header has 11",
    ]
    obs, problems = observations(result)
    assert problems == []
    by_region = {(r.region_code, r.period_start.year): r for r in obs.itertuples()}
    assert by_region[("NUTS-DE12", 2022)].value == pytest.approx(618900.0)
    assert by_region[("NUTS-DE12", 2022)].flags == "p"
    assert by_region[("NUTS-DE12", 2022)].status == "provisional"
    # UNIT_MULT 3: 1.5331 thousand thousands = 1533.1 thousand persons.
    assert by_region[("NUTS-DE1", 2022)].value == pytest.approx(1533100.0)
    confidential = by_region[("NUTS-DE", 2022)]
    assert confidential.status == "suppressed" and confidential.flags == "c"
    assert confidential.value != confidential.value  # NaN: no value, not zero
    assert set(obs["industry_code"]) == {"NACE-C", "NACE-TOTAL"}
    assert result.sources.iloc[0]["publisher"] == "Eurostat"


def test_unknown_unit_code_is_reported_with_its_location(tmp_path: Path) -> None:
    path = tmp_path / "nama_10r_3empers.tsv"
    path.write_text("freq,unit,wstatus,nace_r2,geo\\TIME_PERIOD\t2021\nA,XYZ,EMP,C,DE12\t612.5 \n", encoding="utf-8")
    _, problems = observations(read(path))
    assert problems == ["nama_10r_3empers.tsv:2:unit: unknown unit 'XYZ' (not in data/reference/units*.csv)"]
