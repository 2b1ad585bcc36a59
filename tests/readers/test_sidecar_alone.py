"""Real files readable with a sidecar alone: a headerless NBS monthly export, a new indicator and unit,
periods as printed (docs/sidecars.md)."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import pytest

from etl.pipeline import build
from etl.problems import InputError
from tests.conftest import RAW, REFERENCE, REPO

CPI = "分省月度数据-CPI-2020-gbk.csv"
#: The sidecar docs/sidecars.md shows for a headerless monthly export.
CPI_SIDECAR = """format: nbs
indicator: 居民消费价格指数
unit: 上年同月=100
source:
  id: nbs-cpi-2020-monthly
  title: 分省月度数据：居民消费价格指数(上年同月=100)
  publisher: 国家统计局 National Bureau of Statistics
  url: https://data.stats.gov.cn/easyquery.htm
  published_date: 2020-04-10
"""


def _headerless(shared_data: Path, target: Path) -> Path:
    """The real CPI export with its header lines stripped, as users save them (the file itself is not copied into the repo)."""
    data = (shared_data / "nbs" / CPI).read_bytes()
    lines = data.split(b"\n")
    body = [line for line in lines if not line.decode("gbk").startswith(("数据库：", "指标：", "时间："))]
    target.mkdir(parents=True, exist_ok=True)
    path = target / "cpi-2020.csv"
    path.write_bytes(b"\n".join(body))
    return path


def test_a_headerless_nbs_monthly_export_reads_with_a_sidecar_only(shared_data: Path, tmp_path: Path):
    path = _headerless(shared_data, tmp_path / "raw")
    assert not path.read_bytes().decode("gbk").startswith("数据库")
    path.with_name(path.name + ".meta.yaml").write_text(CPI_SIDECAR, encoding="utf-8")
    tables, _ = build(tmp_path / "raw", REFERENCE)
    obs = tables["observations"][0]
    beijing = obs[(obs["region_code"] == "110000") & (obs["status"] != "derived")].sort_values("period_start")
    assert beijing[["period_start", "period_kind", "period_published", "value", "unit"]].values.tolist() == [
        [date(2020, 1, 1), "month", "2020年1月", 104.5, "index"],
        [date(2020, 2, 1), "month", "2020年2月", 103.6, "index"],
    ]  # March is empty in the export: not a figure
    assert len(obs[obs["status"] != "derived"]) == 62 and obs["region_code"].nunique() == 31


def test_without_the_sidecar_the_headerless_export_is_reported_not_guessed(shared_data: Path, tmp_path: Path):
    _headerless(shared_data, tmp_path / "raw")
    with pytest.raises(InputError) as caught:
        build(tmp_path / "raw", REFERENCE)
    assert [str(p) for p in caught.value.problems] == ["cpi-2020.csv::: no reader recognises this file (see docs/input-format.md)"]


def test_period_kind_ytd_means_january_to_the_month_in_the_header(tmp_path: Path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "production.csv").write_text("地区,2023年4月,2023年3月\n广东省,100.5,75.2\n", encoding="utf-8")
    (raw / "production.csv.meta.yaml").write_text(
        "format: nbs\nindicator: 汽车产量\nunit: 万辆\nperiod_kind: ytd\n"
        "source:\n  id: t\n  title: t\n  publisher: t\n  published_date: 2023-05-20\n", encoding="utf-8")
    tables, _ = build(raw, REFERENCE)
    obs = tables["observations"][0]
    rows = obs[obs["status"] != "derived"].sort_values("period_end")
    assert rows[["period_start", "period_end", "period_kind", "period_published", "value"]].values.tolist() == [
        [date(2023, 1, 1), date(2023, 3, 31), "ytd", "2023年3月", 752000.0],
        [date(2023, 1, 1), date(2023, 4, 30), "ytd", "2023年4月", 1005000.0],
    ]


# --------------------------------------------------------------------------- periods as printed


def test_the_bundled_figures_keep_their_periods_with_their_real_start():
    with open(RAW / "auto-industry.figures.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    spans = {(r["indicator"], r["period"]) for r in rows if r["period_kind"] == "span"}
    assert ("广清产业园累计签约项目数", "2014-06/2022-12") in spans
    assert ("一汽-大众佛山新能源汽车项目计划投资", "2023-03/2027-12") in spans
    assert ("一汽-大众佛山累计固定资产投资", "2011-01/2023-02") in spans
    stocks = [r for r in rows if r["note"].startswith("count at the end of the year")]
    assert len(stocks) == 10 and all(r["period_kind"] == "month" and r["period"].endswith("-12") for r in stocks)
    tables, _ = build(RAW, REFERENCE)
    obs = tables["observations"][0]
    park = obs[(obs["indicator"] == "projects") & (obs["period_published"] == "2014-06/2022-12")]
    assert park[["period_start", "period_end", "period_kind"]].drop_duplicates().values.tolist() == [
        [date(2014, 6, 1), date(2022, 12, 31), "span"]
    ]


def test_the_import_reproduces_the_bundled_figures_exactly(shared_data: Path):
    figures = shared_data.parent / "figures" / "figures.csv"
    if not figures.is_file():
        pytest.skip("../shared/figures/figures.csv is not present")
    sys.path.insert(0, str(REPO / "scripts"))
    import import_shared_figures as script

    with open(figures, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    converted, _ = script.convert(rows)
    kept, _ = script.drop_repeats(converted, rows)
    with open(RAW / "auto-industry.figures.csv", encoding="utf-8", newline="") as handle:
        bundled = list(csv.DictReader(handle))
    assert kept == bundled
    # The only rewriting of a period: a calendar year is written YYYY. Nothing moves to another period.
    rewritten = [r for r in rows if script.period_of(r)[0] != f"{r['period_start']}/{r['period_end']}"]
    assert rewritten and all(
        r["period_start"][:4] == r["period_end"][:4] == script.period_of(r)[0]
        and (r["period_start"][5:], r["period_end"][5:]) == ("01", "12")
        for r in rewritten
    )


def test_the_documented_sidecar_reads_the_headerless_export_as_documented(tmp_path: Path):
    """docs/sidecars.md's example, run as written on the corpus file it shows."""
    doc = (REPO / "docs" / "sidecars.md").read_text(encoding="utf-8")
    section = doc[doc.index("### The NBS monthly cumulative export"):]
    sidecar = section[section.index("```yaml") + len("```yaml\n"):]
    sidecar = sidecar[: sidecar.index("```")]
    raw = tmp_path / "raw"
    raw.mkdir()
    data = REPO / "tests" / "data" / "bad" / "n01-headerless-monthly-cumulative" / "房地产施工面积.csv"
    (raw / data.name).write_bytes(data.read_bytes())
    (raw / (data.name + ".meta.yaml")).write_text(sidecar, encoding="utf-8")
    tables, _ = build(raw, REFERENCE)
    obs = tables["observations"][0]
    beijing = obs[(obs["region_code"] == "110000") & (obs["period_published"] == "2023年10月")]
    assert beijing[["indicator", "period_start", "period_end", "period_kind", "value", "unit", "source_id"]].values.tolist() == [
        ["floor_space_under_construction", date(2023, 1, 1), date(2023, 10, 31), "ytd", 123456000.0, "square_metres",
         "nbs-floor-space-2023-10"]
    ]
