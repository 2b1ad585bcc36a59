"""Every file of the bad-file corpus (tests/data/bad/) has the outcome its EXPECTED.yaml records.

Each case is a raw directory (a figures CSV, an NBS export or an XLSX workbook, with its
sidecar where it has one; the corpus's common source is added when it brings none). It is
refreshed into a warehouse that already serves a snapshot, and then

* a **rejected** case gives exactly its expected error lines (``file:row:column: reason``),
  leaves ``current`` where it was, and lists every problem in ``runs/<run>.problems.csv``;
* a **published** case publishes exactly its expected rows (value to the last bit), with
  exactly its expected warnings.

No line of the report is longer than a few hundred characters, whatever the input held.
"""

from __future__ import annotations

import csv
import shutil
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from etl.pipeline import run
from etl.problems import MAX_LINE
from etl.publish import current_snapshot
from etl.refresh import refresh
from tests.conftest import REFERENCE

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "EXPECTED.yaml").read_text(encoding="utf-8"))
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
FIELDS = ("region_code", "indicator", "period_start", "period_end", "period_kind", "period_published", "measure",
          "value", "unit", "status", "qualifier")
SEED = "region,industry,indicator,period,value,unit,source_id\n广东省,汽车制造业,汽车产量,2023年1-7月,273.81,万辆,corpus\n"


def test_the_corpus_is_large_and_every_case_has_an_expected_outcome():
    assert set(CASES) == set(EXPECTED)
    data_files = [p for case in CASES for p in (CORPUS / case).iterdir() if not p.name.endswith(".meta.yaml")]
    assert len(data_files) >= 60
    kinds = {p.suffix for p in data_files}
    assert {".csv", ".xlsx"} <= kinds
    assert sum(c.startswith("n") for c in CASES) >= 15 and sum(c.startswith("x") for c in CASES) >= 10
    assert {e["outcome"] for e in EXPECTED.values()} == {"rejected", "published"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse serving one snapshot, copied for each case."""
    root = tmp_path_factory.mktemp("served")
    raw = root / "raw"
    raw.mkdir()
    (raw / "seed.figures.csv").write_text(SEED, encoding="utf-8")
    shutil.copy(CORPUS / "_common" / "corpus.sources.csv", raw)
    run(raw, root / "warehouse", REFERENCE)
    return root / "warehouse"


def _raw(case: str, tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(CORPUS / case, raw)
    if not list(raw.glob("*.sources.csv")):
        shutil.copy(CORPUS / "_common" / "corpus.sources.csv", raw)
    return raw


def _published(warehouse: Path) -> list[dict[str, object]]:
    table = pq.read_table(current_snapshot(warehouse) / "observations.parquet").to_pandas()
    rows = table[table["status"] != "derived"].sort_values(["indicator", "measure", "region_code", "period_start"])
    return [
        {f: (float(getattr(r, f)) if f == "value" else str(getattr(r, f))) for f in FIELDS}
        for r in rows.itertuples()
    ]


@pytest.mark.parametrize("case", CASES)
def test_each_bad_file_has_its_recorded_outcome(case: str, served: Path, tmp_path: Path):
    expected = EXPECTED[case]
    warehouse = tmp_path / "warehouse"
    shutil.copytree(served, warehouse, symlinks=True)
    before = (warehouse / "current").resolve()
    raw = _raw(case, tmp_path)
    result = refresh(raw, warehouse, REFERENCE, force=True, grace=timedelta(days=1))
    lines = [str(p).replace(str(raw), "<raw>") for p in result.problems]
    assert all(len(line) <= MAX_LINE for line in lines), max(lines, key=len)
    errors = sorted(line for line, p in zip(lines, result.problems, strict=True) if p.is_error)
    warnings = [line for line, p in zip(lines, result.problems, strict=True) if not p.is_error]
    assert warnings == expected.get("warnings", [])
    if expected["outcome"] == "rejected":
        assert result.outcome == "failed"
        assert errors == expected["errors"]
        assert (warehouse / "current").resolve() == before, "a rejected run must leave 'current' where it was"
        listed = list(csv.DictReader((warehouse / result.record["problems_file"]).open(encoding="utf-8-sig")))
        assert len(listed) == len(result.problems)
        assert result.record["problems"][0]["count"] >= 1
    else:
        assert result.outcome == "ok", lines
        assert (warehouse / "current").resolve() != before
        assert _published(warehouse) == expected["observations"]
        for source_id, fields in expected.get("sources", {}).items():
            sources = pq.read_table(current_snapshot(warehouse) / "sources.parquet").to_pandas().set_index("source_id")
            assert {k: sources.loc[source_id, k] for k in fields} == fields
