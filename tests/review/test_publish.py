"""Publishing a review (dashboard/review/publish.py, rows.py): what is written, published or refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.review.publish import SourceInfo, check_source, publish
from dashboard.review.rows import MAX_ROWS, RowsError, grid_rows, rows_from_browser, set_review
from etl.extract import Hints, extract
from etl.pipeline import run
from etl.reference import load_reference
from tests.conftest import RAW, REFERENCE

RELEASE = (
    "2019-08-14\n\n"
    "7月份,规模以上工业增加值同比实际增长4.8%。分产品看,7月份,汽车185.4万辆,下降11.5%;"
    "发电量6236亿千瓦时,增长0.3%。\n"
)
SOURCE = SourceInfo(
    source_id="nbs-2019-07",
    title="2019年7月份规模以上工业增加值增长4.8%",
    publisher="国家统计局",
    url="https://www.stats.gov.cn/sj/zxfb/201908/t20190814.html",
    published_date="2019-08-14",
    authority="official",
)


@pytest.fixture(scope="module")
def browser_rows() -> list[dict]:
    """The grid's rows as the browser sends them back: the extractor's candidates, numbered."""
    reference, _ = load_reference(REFERENCE)
    return grid_rows(extract(RELEASE, reference, Hints(publisher="国家统计局")).candidates)


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the bundled raw data and a warehouse published from it."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse, REFERENCE)
    return raw, warehouse


def _snapshots(warehouse: Path) -> list[str]:
    return sorted(p.name for p in (warehouse / "snapshots").iterdir())


def _runs(warehouse: Path) -> list[dict]:
    path = warehouse / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_accepted_rows_are_written_to_the_inbox_with_their_source_and_published(browser_rows, site) -> None:
    raw, warehouse = site
    data = set_review(browser_rows, {1, 2}, "accepted")
    data = set_review(data, {3}, "rejected")
    outcome = publish(
        rows_from_browser(data, SOURCE.source_id), SOURCE, raw=raw, warehouse=warehouse, reference=REFERENCE
    )
    assert (outcome.status, outcome.accepted, outcome.figures_file) == ("published", 2, "inbox/nbs-2019-07.figures.csv")
    written = pd.read_csv(
        raw / "inbox" / "nbs-2019-07.figures.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert written["review"].tolist() == ["accepted", "accepted", "rejected", "candidate", "candidate"]
    assert set(written["source_id"]) == {"nbs-2019-07"}
    sources = pd.read_csv(
        raw / "inbox" / "nbs-2019-07.sources.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert sources[["source_id", "title", "publisher", "published_date", "authority"]].values.tolist() == [
        ["nbs-2019-07", SOURCE.title, "国家统计局", "2019-08-14", "official"]
    ]
    current = warehouse / "current"
    assert current.resolve().name == outcome.snapshot_id
    published = pd.read_parquet(current / "observations.parquet")
    ours = published[(published["source_id"] == "nbs-2019-07") & (published["status"] != "derived")]
    assert sorted(zip(ours["indicator"], ours["measure"], ours["value"], strict=True)) == [
        ("production", "level", 1_854_000.0),
        ("value_added", "yoy_pct", 4.8),
    ]
    titles = pd.read_parquet(current / "sources.parquet").set_index("source_id")["title"]
    assert titles["nbs-2019-07"] == SOURCE.title


def test_publishing_the_same_review_again_changes_nothing(browser_rows, site) -> None:
    raw, warehouse = site
    rows = rows_from_browser(set_review(browser_rows, {1}, "accepted"), SOURCE.source_id)
    first = publish(rows, SOURCE, raw=raw, warehouse=warehouse, reference=REFERENCE)
    again = publish(rows, SOURCE, raw=raw, warehouse=warehouse, reference=REFERENCE)
    assert (first.status, again.status, again.snapshot_id) == ("published", "unchanged", first.snapshot_id)


def test_a_careless_edit_is_refused_with_its_grid_row_and_column_and_nothing_changes(browser_rows, site) -> None:
    raw, warehouse = site
    careless = [dict(row) for row in set_review(browser_rows, None, "accepted")]
    careless[1].update(indicator="value_added", measure="level", value="1.5", unit="个")
    before, runs = _snapshots(warehouse), _runs(warehouse)
    outcome = publish(
        rows_from_browser(careless, SOURCE.source_id), SOURCE, raw=raw, warehouse=warehouse, reference=REFERENCE
    )
    assert outcome.status == "refused"
    assert outcome.problems == [
        "row 2, unit: unit '个' is a counting word, but value_added measures money (base unit CNY): the unit does not "
        "fit the indicator (inbox/nbs-2019-07.figures.csv:3:unit)",
    ]
    assert list((raw / "inbox").glob("*.csv")) == []
    assert _snapshots(warehouse) == before
    assert _runs(warehouse) == runs  # no failed run recorded: the dashboard's run status stays as it was


def test_when_the_refresh_fails_the_inbox_is_put_back_and_nothing_is_published(browser_rows, site) -> None:
    raw, warehouse = site
    broken = raw / "broken.figures.csv"
    broken.write_text(
        "region,indicator,period,value,unit,source_id\n广东省,value_added,2023,12,万吨,nowhere\n", encoding="utf-8"
    )
    current = (warehouse / "current").resolve()
    rows = rows_from_browser(set_review(browser_rows, {1}, "accepted"), SOURCE.source_id)
    outcome = publish(rows, SOURCE, raw=raw, warehouse=warehouse, reference=REFERENCE)
    assert outcome.status == "failed"
    assert any(line.startswith("broken.figures.csv:2:") for line in outcome.problems), outcome.problems
    assert list((raw / "inbox").glob("*.csv")) == []
    assert (warehouse / "current").resolve() == current


def test_a_source_id_used_by_another_file_is_refused(browser_rows, site) -> None:
    raw, warehouse = site
    taken = SourceInfo(**{**SOURCE.__dict__, "source_id": "qingyuan-gov-2023-08-25-1"})
    rows = rows_from_browser(set_review(browser_rows, {1}, "accepted"), taken.source_id)
    outcome = publish(rows, taken, raw=raw, warehouse=warehouse, reference=REFERENCE)
    assert outcome.status == "refused"
    assert outcome.problems == [
        "source id: 'qingyuan-gov-2023-08-25-1' is already used in auto-industry.sources.csv; choose another"
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"source_id": "../../etc/passwd"}, "source id: letters, digits"),
        ({"source_id": ""}, "source id: letters, digits"),
        ({"title": " "}, "title: required"),
        ({"publisher": ""}, "publisher: required"),
        ({"url": "javascript:alert(1)"}, "address: an http:// or https:// address"),
        ({"published_date": "2019-13-01"}, "release date: a date YYYY-MM-DD"),
        ({"authority": "blog"}, "kind of source:"),
    ],
)
def test_a_bad_source_row_is_refused_before_anything_is_written(change, problem) -> None:
    assert [p for p in check_source(SourceInfo(**{**SOURCE.__dict__, **change})) if p.startswith(problem)]
    assert check_source(SOURCE) == []


def test_rows_from_the_browser_keep_the_file_columns_and_neutralise_formulas_in_free_text(browser_rows) -> None:
    data = set_review(browser_rows, {1}, "accepted")
    data[0] = dict(data[0], excerpt='=HYPERLINK("http://x")', note="@SUM(A1)", start=3, row_id=1, extra="dropped")
    rows = rows_from_browser(data, "nbs-2019-07")
    assert list(rows[0]) == [
        "region",
        "industry",
        "indicator",
        "product",
        "period",
        "period_kind",
        "measure",
        "value",
        "unit",
        "qualifier",
        "status",
        "price_basis",
        "scope",
        "share_of",
        "source_id",
        "note",
        "review",
        "excerpt",
        "confidence",
    ]
    assert (rows[0]["excerpt"], rows[0]["note"]) == ('\'=HYPERLINK("http://x")', "'@SUM(A1)")
    assert rows[0]["source_id"] == "nbs-2019-07"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"region": "=cmd|' /C calc'!A0"}, "row 1, region: \"=cmd|' /C calc'!A0\" cannot start with '='"),
        ({"value": "1.5万"}, "row 1, value: not a number: '1.5万' (write the scale or % in the unit column"),
        ({"value": "=1+2"}, "row 1, value: not a number: '=1+2'"),
        ({"review": "ok"}, "row 1, review: 'ok' — choose accepted, rejected or candidate"),
        ({"unit": "x" * 201}, "row 1, unit: longer than 200 characters"),
        ({"indicator": ["value_added"]}, "row 1, indicator: not text"),
    ],
)
def test_a_bad_cell_from_the_browser_refuses_the_batch_naming_row_and_column(browser_rows, edit, message) -> None:
    data = set_review(browser_rows, None, "accepted")
    data[0] = dict(data[0], **edit)
    with pytest.raises(RowsError) as error:
        rows_from_browser(data, "nbs-2019-07")
    assert str(error.value).startswith(message)


def test_nothing_accepted_or_too_many_rows_is_refused(browser_rows) -> None:
    with pytest.raises(RowsError, match="no row is accepted"):
        rows_from_browser(browser_rows, "nbs-2019-07")
    with pytest.raises(RowsError, match="no candidates"):
        rows_from_browser([], "nbs-2019-07")
    with pytest.raises(RowsError, match=f"at most {MAX_ROWS} rows"):
        rows_from_browser(set_review(browser_rows, None, "accepted") * 200, "nbs-2019-07")
