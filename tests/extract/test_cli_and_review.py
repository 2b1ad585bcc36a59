"""``python -m etl extract`` and what the ETL does with a reviewed candidates file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from etl.cli import main
from etl.pipeline import run
from etl.problems import InputError, errors
from tests.readers.helpers import REFERENCE_DIR

RELEASE = (
    "2019-08-14\n\n"
    "7月份,规模以上工业增加值同比实际增长4.8%。分产品看,7月份,汽车185.4万辆,下降11.5%;"
    "发电量6236亿千瓦时,增长0.3%。7月份,工业企业产品销售率为97.9%,同比下降0.3个百分点。\n"
)


def _cli(tmp_path: Path, *hints: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    release = tmp_path / "release.txt"
    release.write_text(RELEASE, encoding="utf-8")
    out = tmp_path / "inbox" / "nbs-2019-07.figures.csv"
    out.parent.mkdir(exist_ok=True)
    args = ["extract", str(release), "--out", str(out), "--reference", str(REFERENCE_DIR), *hints]
    assert main(args) == 0
    figures = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    sources = list(csv.DictReader(io.StringIO(out.with_name("nbs-2019-07.sources.csv").read_text(encoding="utf-8-sig"))))
    return figures, sources


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_cli_writes_candidates_with_review_columns_and_their_source(tmp_path: Path) -> None:
    figures, sources = _cli(tmp_path, "--publisher", "国家统计局", "--title", "7月份规模以上工业生产",
                            "--source-url", "https://example.org/2019-07")
    assert list(figures[0])[-3:] == ["review", "excerpt", "confidence"]
    assert [(r["measure"], r["value"], r["unit"]) for r in figures] == [
        ("yoy_pct", "4.8", "%"), ("level", "185.4", "万辆"), ("yoy_pct", "-11.5", "%"),
        ("level", "6236", "亿千瓦时"), ("yoy_pct", "0.3", "%"), ("level", "97.9", "%"), ("pp_change", "-0.3", "个百分点"),
    ]
    assert {r["review"] for r in figures} == {"candidate"}
    assert all(r["source_id"] == "release" and r["excerpt"] for r in figures)
    assert [(s["source_id"], s["title"], s["publisher"], s["url"], s["published_date"]) for s in sources] == [
        ("release", "7月份规模以上工业生产", "国家统计局", "https://example.org/2019-07", "2019-08-14"),
    ]


def test_hints_set_the_date_and_the_region(tmp_path: Path) -> None:
    release = tmp_path / "bulletin.txt"
    release.write_text("7月份,全市规模以上工业增加值同比增长6.2%。\n", encoding="utf-8")
    out = tmp_path / "bulletin.figures.csv"
    assert main(["extract", str(release), "--out", str(out), "--reference", str(REFERENCE_DIR),
                 "--date", "2019-08-20", "--region", "441800", "--publisher", "清远市统计局"]) == 0
    row = next(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert (row["region"], row["period"], row["period_kind"]) == ("441800", "2019-07", "month")


def test_a_bad_hint_is_refused(tmp_path: Path, capsys) -> None:
    release = tmp_path / "r.txt"
    release.write_text("x", encoding="utf-8")
    assert main(["extract", str(release), "--region", "999999", "--reference", str(REFERENCE_DIR)]) == 2
    with pytest.raises(SystemExit):
        main(["extract", str(release), "--date", "2019-13-01"])


def test_only_accepted_rows_are_published(tmp_path: Path) -> None:
    figures, _ = _cli(tmp_path, "--publisher", "国家统计局", "--title", "7月份规模以上工业生产")
    figures[0]["review"] = "accepted"
    figures[1]["review"] = "accepted"
    figures[2]["review"] = "rejected"
    _write(tmp_path / "inbox" / "nbs-2019-07.figures.csv", figures)
    outcome = run(tmp_path / "inbox", tmp_path / "warehouse", REFERENCE_DIR)
    import pandas as pd

    published = pd.read_parquet(tmp_path / "warehouse" / "current" / "observations.parquet")
    reported = published[published["status"] != "derived"]
    assert sorted(reported["value"].tolist()) == [4.8, 1_854_000.0]
    assert outcome.observations == len(published)


def test_a_review_cell_that_is_no_decision_is_an_error_with_its_location(tmp_path: Path) -> None:
    figures, _ = _cli(tmp_path, "--publisher", "国家统计局", "--title", "7月份规模以上工业生产")
    figures[0]["review"] = "accepted"
    figures[3]["review"] = "ok"
    _write(tmp_path / "inbox" / "nbs-2019-07.figures.csv", figures)
    with pytest.raises(InputError) as error:
        run(tmp_path / "inbox", tmp_path / "warehouse", REFERENCE_DIR)
    assert [str(p) for p in error.value.problems] == [
        "nbs-2019-07.figures.csv:5:review: review is 'ok': write accepted, rejected or candidate",
    ]


def test_a_careless_review_of_a_unit_that_does_not_fit_is_rejected_with_its_location(tmp_path: Path) -> None:
    figures, _ = _cli(tmp_path, "--publisher", "国家统计局", "--title", "7月份规模以上工业生产")
    careless = dict(figures[0], indicator="value_added", measure="level", value="1.5", unit="个", review="accepted")
    _write(tmp_path / "inbox" / "nbs-2019-07.figures.csv", [careless])
    with pytest.raises(InputError) as error:
        run(tmp_path / "inbox", tmp_path / "warehouse", REFERENCE_DIR)
    assert [str(p) for p in error.value.problems] == [
        "nbs-2019-07.figures.csv:2:unit: unit '个' is a counting word, but value_added measures money (base unit CNY): "
        "the unit does not fit the indicator",
    ]
    assert not (tmp_path / "warehouse" / "current").exists()


def test_a_careless_review_dropped_among_the_bundled_data_is_rejected_with_its_location(tmp_path: Path,
                                                                                       raw_copy: Path) -> None:
    """With files whose sidecars place their own problems (data/raw/nbs/), a review file's are still file:row:column."""
    figures, sources = _cli(tmp_path, "--publisher", "国家统计局", "--title", "7月份规模以上工业生产")
    careless = dict(figures[0], indicator="value_added", measure="level", value="1.5", unit="个", review="accepted")
    (raw_copy / "inbox").mkdir()
    _write(raw_copy / "inbox" / "nbs-2019-07.figures.csv", [careless])
    _write(raw_copy / "inbox" / "nbs-2019-07.sources.csv", sources)
    with pytest.raises(InputError) as error:
        run(raw_copy, tmp_path / "warehouse", REFERENCE_DIR)
    assert [str(p) for p in errors(error.value.problems)] == [
        "inbox/nbs-2019-07.figures.csv:2:unit: unit '个' is a counting word, but value_added measures money "
        "(base unit CNY): the unit does not fit the indicator",
    ]
