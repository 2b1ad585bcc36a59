"""Reference tables are read as strictly as any input, local rows are added and checked, and
scripts/check_reference.py catches what the ETL would trip on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl.pipeline import build
from etl.problems import InputError
from etl.reference import load_reference, local_directory
from tests.conftest import RAW, REFERENCE, REPO
from tests.etl.helpers import write_raw

CHECK = REPO / "scripts" / "check_reference.py"


def _copy_reference(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE, target, ignore=shutil.ignore_patterns("*.md"))
    return target


def _check(raw: Path, reference: Path, *extra: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, str(CHECK), "--raw", str(raw), "--reference", str(reference), *extra],
                          capture_output=True, text=True, check=False)
    return done.returncode, done.stdout


def test_an_unquoted_comma_in_a_reference_row_is_an_error_not_a_shifted_row(tmp_path):
    reference = _copy_reference(tmp_path)
    regions = reference / "regions.csv"
    text = regions.read_text(encoding="utf-8")
    regions.write_text(text.replace("440000,CN,province,广东省,Guangdong,", "440000,CN,province,广东省,Guangdong, Province,", 1), encoding="utf-8")
    _, problems = load_reference(reference)
    line = text.split("\n").index(next(r for r in text.split("\n") if r.startswith("440000,"))) + 1
    assert f"reference/regions.csv:{line}:: 10 cells, more than the header's 9 (an unquoted separator in a cell?)" in [str(p) for p in problems]
    assert not any(p.column == "name_en" for p in problems)  # nothing was shifted into the next column
    code, out = _check(RAW, reference, "--no-etl")
    assert code == 1 and f"regions.csv:{line}: 10 cells, the header has 9" in out


def test_an_unclosed_quote_and_a_cut_last_line_in_a_reference_table_are_errors(tmp_path):
    reference = _copy_reference(tmp_path)
    (reference / "units.csv").write_text((reference / "units.csv").read_text(encoding="utf-8").rstrip("\n")[:-4], encoding="utf-8")
    with open(reference / "qualifiers.csv", "a", encoding="utf-8") as handle:
        handle.write('"逾越,at_least,\n')
    _, problems = load_reference(reference)
    reasons = [p.reason for p in problems]
    assert any("the last line is cut" in r or "truncated row" in r for r in reasons), reasons
    assert any("never closed" in r for r in reasons), reasons
    code, _ = _check(RAW, reference, "--no-etl")
    assert code == 1


def test_an_unknown_reference_column_is_an_error(tmp_path):
    reference = _copy_reference(tmp_path)
    path = reference / "units.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("symbol,base_unit", "symbol,base_units", 1), encoding="utf-8")
    _, problems = load_reference(reference)
    assert "reference/units.csv:1:base_units: unknown column (expected some of symbol, base_unit, multiplier, dimension)" in [str(p) for p in problems]


def test_local_reference_rows_are_added_and_checked_like_the_projects(tmp_path):
    reference = _copy_reference(tmp_path)
    local = local_directory(reference)
    local.mkdir()
    (local / "units_mine.csv").write_text("symbol,base_unit,multiplier,dimension\n万平方米,square_metres,1e4,area\n", encoding="utf-8")
    (local / "indicators_mine.csv").write_text(
        "code,name_zh,name_en,default_unit,dimension,min_level,definition\n"
        "floor_space,房地产施工面积,Floor space under construction,square_metres,area,0,Floor space of buildings under construction.\n",
        encoding="utf-8")
    raw = write_raw(tmp_path / "raw", ["广东省,房地产业,房地产施工面积,2023年1-7月,,level,68123.4,万平方米,seed"])
    tables, manifest = build(raw, reference)
    obs = tables["observations"][0]
    assert obs.loc[obs["status"] != "derived", ["indicator", "unit", "value"]].values.tolist() == [["floor_space", "square_metres", 681234000.0]]
    assert "reference.local/units_mine.csv" in manifest["inputs"]
    assert "floor_space" in set(tables["indicators"][0]["code"])
    (local / "units_mine.csv").write_text("symbol,base_unit,multiplier,dimension\n万平方米,square_metres,1e4,surface\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(raw, reference)
    assert "reference.local/units_mine.csv:2:dimension: unknown dimension 'surface' (not in dimensions.csv)" in [str(p) for p in caught.value.problems]


def test_check_reference_also_reports_what_only_the_etl_sees(tmp_path):
    """A publisher's export is not parsed by the script itself; its second check runs the ETL's build."""
    raw = write_raw(tmp_path / "raw", ["广东省,汽车制造业,汽车产量,2023年1-7月,,level,273.81,万辆,seed"])
    (raw / "nbs.csv").write_text("数据库：分省年度数据\n指标：汽车产量(万吨辆)\n时间：2023\n地区,2023年\n广东省,515.7\n", encoding="utf-8")
    code, out = _check(raw, REFERENCE)
    assert code == 1
    assert "nbs.csv:2:指标: unknown unit '万吨辆' (not in data/reference/units*.csv) [ETL]" in out


def test_check_reference_passes_on_the_bundled_data():
    code, out = _check(RAW, REFERENCE)
    assert (code, out) == (0, "")
