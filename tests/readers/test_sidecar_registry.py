"""Sidecar loading and the reader registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.readers import READER_MODULES, is_data_file, reader_for
from etl.readers.sidecar import load_sidecar, missing, source_record
from tests.readers.helpers import TEST_DATA


def test_sidecar_values_are_strings_and_source_overrides(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    data.write_text("", encoding="utf-8")
    (tmp_path / "x.csv.meta.yaml").write_text(
        "unit: 亿元\nperiod_kind: ytd\nsource:\n  id: my-id\n  published_date: 2024-01-31\n  authority: official\n",
        encoding="utf-8",
    )
    sidecar, problems = load_sidecar(data, "x.csv")
    assert problems == []
    assert sidecar.get("unit") == "亿元" and sidecar.get("period_kind") == "ytd"
    record = source_record({"source_id": "default", "title": "t", "publisher": "p"}, sidecar)
    assert record == {
        "source_id": "my-id",
        "title": "t",
        "publisher": "p",
        "published_date": "2024-01-31",
        "authority": "official",
    }


def test_unknown_sidecar_keys_and_bad_yaml_are_problems(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    (tmp_path / "x.csv.meta.yaml").write_text("units: 亿元\nsource:\n  date: 2024\n", encoding="utf-8")
    _, problems = load_sidecar(data, "x.csv")
    assert [p.column for p in problems] == ["units", "source.date"]
    (tmp_path / "x.csv.meta.yaml").write_text("unit: [亿元\n", encoding="utf-8")
    _, problems = load_sidecar(data, "x.csv")
    assert "not a valid YAML sidecar" in problems[0].reason


def test_missing_names_the_key_and_the_sidecar(tmp_path: Path) -> None:
    assert str(missing("unit", "a/第二产业.csv", tmp_path / "第二产业.csv")) == (
        "a/第二产业.csv::: missing 'unit': the file does not say and there is no 第二产业.csv.meta.yaml"
    )


def test_registry_order() -> None:
    assert READER_MODULES == (
        "etl.readers.figures",
        "etl.readers.nbs",
        "etl.readers.eurostat_tsv",
        "etl.readers.sdmx_csv",
        "etl.readers.bea",
    )


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("nbs_monthly_ytd_gbk.csv", "etl.readers.nbs"),
        ("nbs_national_bom_tabcomma.csv", "etl.readers.nbs"),
        ("eurostat_quirks.tsv", "etl.readers.eurostat_tsv"),
        ("sdmx_employment.csv", "etl.readers.sdmx_csv"),
        ("bea_quirks.csv", "etl.readers.bea"),
    ],
)
def test_each_format_finds_its_reader(name: str, module: str) -> None:
    found = reader_for(TEST_DATA / name)
    assert found is not None and found.__name__ == module


def test_shared_files_find_their_readers(shared_data: Path) -> None:
    expected = {"nbs": "etl.readers.nbs", "eurostat": "etl.readers.eurostat_tsv", "bea": "etl.readers.bea"}
    for folder, module in expected.items():
        for path in (shared_data / folder).iterdir():
            if is_data_file(path):
                found = reader_for(path)
                assert found is not None and found.__name__ == module, path.name


def test_sidecars_are_not_data_files() -> None:
    assert not is_data_file(Path("第二产业.csv.meta.yaml"))
