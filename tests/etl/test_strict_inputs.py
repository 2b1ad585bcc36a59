"""Nothing silently wrong: one strict number parser, encodings told apart, a readable problem report,
and every unexpected exception a located problem."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from etl import numbers
from etl.cli import main
from etl.encoding import DecodeError, decode_bytes
from etl.pipeline import build
from etl.problems import MAX_LINE, InputError, Problem, kind_of
from etl.report import sample, summarise, summary_lines, write_problems
from tests.conftest import REFERENCE
from tests.etl.helpers import write_raw

# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "decimal", "canonical"),
    [
        ("1,310.3", ".", "1310.3"),
        ("12,345", ".", "12345"),
        ("１３１０．３", ".", "1310.3"),
        ("−3.2", ".", "-3.2"),
        ("+5", ".", "+5"),
        ("1e3", ".", "1e3"),
        ("1.234,5", ",", "1234.5"),
        ("1 234,5", ",", "1234.5"),
        ("12,34", ",", "12.34"),
        ("1.234", ",", "1234"),
    ],
)
def test_numbers_in_an_unambiguous_form_are_read(text, decimal, canonical):
    assert numbers.canonical(text, decimal) == canonical


@pytest.mark.parametrize(
    ("text", "decimal", "reason"),
    [
        ("12,34", ".", "has a comma where no thousands separator can be"),
        ("1.234,5", ".", "declare it with `decimal: \",\"`"),
        ("1,2345", ".", "has a comma where no thousands separator can be"),
        ("1,234.5", ",", "the sidecar declares a decimal comma"),
        ("inf", ".", "not a finite number"),
        ("nan", ".", "not a finite number"),
        ("17.8%", ".", "write the scale or % in the unit column"),
        ("273.81万", ".", "write the scale or % in the unit column"),
        ("١٢", ".", "not a number"),
        ("(1.2)", ".", "not a number"),
    ],
)
def test_ambiguous_or_non_numbers_are_rejected_with_a_reason(text, decimal, reason):
    assert numbers.canonical(text, decimal) is None
    assert reason in numbers.reason(text, decimal)


def test_one_parser_serves_rows_of_different_decimal_marks_at_once():
    canonical, ok = numbers.parse(pd.Series(["1,5", "1,500", "2.5"]), pd.Series([",", ".", "."]))
    assert canonical.tolist() == ["1.5", "1500", "2.5"] and ok.all()


# --------------------------------------------------------------------------- encodings


def test_latin1_is_decoded_as_latin1_never_as_cjk_mojibake():
    text, encoding = decode_bytes("Müller Straße Köln,Société".encode("latin-1"))
    assert (text, encoding) == ("Müller Straße Köln,Société", "cp1252")


def test_gbk_chinese_is_still_gbk():
    assert decode_bytes("广东省,汽车产量,萬輛".encode("gbk")) == ("广东省,汽车产量,萬輛", "gbk")


def test_a_bom_file_with_a_gbk_row_is_an_error_at_that_line():
    data = "\ufeffa,b\n广东,1\n".encode() + "清远,2\n".encode("gbk")
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data)
    assert caught.value.line == 3 and "BOM" in str(caught.value)


def test_a_declared_encoding_is_used_strictly():
    assert decode_bytes("臺灣".encode("big5"), "big5")[0] == "臺灣"
    with pytest.raises(DecodeError, match="the sidecar declares utf-8"):
        decode_bytes("广东".encode("gbk"), "utf-8")


def test_a_latin1_sidecar_declared_file_reads(tmp_path):
    raw = write_raw(tmp_path, ["广东省,汽车制造业,汽车产量,2023年1-7月,,level,273.81,万辆,seed"])
    sources = raw / "test.sources.csv"
    sources.write_bytes(sources.read_text(encoding="utf-8").replace("Qingyuan Municipal People's Government", "Stadt Köln").encode("latin-1"))
    tables, _ = build(raw, REFERENCE)
    assert "Stadt Köln" in set(tables["sources"][0]["publisher"])


# --------------------------------------------------------------------------- the report


def test_a_problem_line_stays_short_whatever_the_cell_held():
    problem = Problem("a.csv", 2, "x" * 10_000, f"unknown region {'广' * 10_000_000!r} (not a code)")
    assert len(str(problem)) <= MAX_LINE and "…" in str(problem)


def test_problems_of_one_kind_group_whatever_their_values():
    assert kind_of("not a number: '12,34'") == kind_of("not a number: 'x'") == "not a number: …"
    assert kind_of("unknown region '火星' (not a code)") == "unknown region …"


def test_twenty_thousand_problems_of_one_kind_do_not_hide_the_others():
    problems = [Problem("big.csv", row, "2023年", "not a number: 'x'") for row in range(2, 20_002)]
    problems += [Problem("big.csv", 5, "unit", "unknown unit '万吨辆'"), Problem("big.csv", 9, "region", "unknown region '火星'")]
    summary = summarise(problems)
    assert [(e["kind"], e["count"]) for e in summary] == [("not a number: …", 20_000), ("unknown region …", 1), ("unknown unit …", 1)]
    assert summary[0]["first"] == [f"big.csv:{row}:2023年" for row in range(2, 7)]
    kept = sample(problems, 50)
    assert len(kept) == 50 and any("万吨辆" in line for line in kept) and any("火星" in line for line in kept)
    lines = summary_lines(summary, problems)
    assert lines[0] == "error: 20000 × not a number: …" and "    ... and 19997 more like it" in lines


def test_an_unexpected_exception_in_a_reader_is_one_located_problem(tmp_path, monkeypatch):
    raw = write_raw(tmp_path, ["广东省,汽车制造业,汽车产量,2023年1-7月,,level,273.81,万辆,seed"])
    import etl.readers.figures as figures

    def explode(path: Path, raw_root: Path):
        if path.name.endswith(".figures.csv"):
            raise KeyError("boom")
        return original(path, raw_root)

    original = figures.read
    monkeypatch.setattr(figures, "read", explode)
    with pytest.raises(InputError) as caught:
        build(raw, REFERENCE)
    assert [str(p) for p in caught.value.problems] == [
        "test.figures.csv::: unexpected error while reading it (figures reader): KeyError: 'boom'"
    ]


def test_the_command_line_prints_problems_grouped_with_the_full_list_on_disk(tmp_path, capsys):
    rows = [f"广东省,汽车制造业,汽车产量,2023年{m}月,,level,x{m},万辆,seed" for m in range(1, 13)]
    rows.append("火星,汽车制造业,汽车产量,2023年1-7月,,level,3,万辆,seed")
    raw = write_raw(tmp_path / "raw", rows)
    warehouse = tmp_path / "warehouse"
    code = main(["run", "--raw", str(raw), "--warehouse", str(warehouse), "--reference", str(REFERENCE)])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: 12 × not a number: …" in err and "error: 1 × unknown region …" in err
    assert "    ... and 9 more like it" in err
    files = list((warehouse / "runs").glob("*.problems.csv"))
    assert len(files) == 1 and len(files[0].read_text(encoding="utf-8-sig").splitlines()) == 14
    assert f"every problem, one line per cell: {files[0]}" in err
    assert not (warehouse / "current").exists()


def test_a_cell_that_would_be_a_formula_is_neutralised_in_the_problems_file(tmp_path):
    path = write_problems(tmp_path, "run", [Problem("=cmd|' /C calc'!A0.csv", 2, "+SUM(A1)", "unknown region 'x'")])
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][2:5] == ["'=cmd|' /C calc'!A0.csv", "2", "'+SUM(A1)"]
