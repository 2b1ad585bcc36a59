"""The synthetic benchmark generator: deterministic, clearly marked, never in data/raw, and its
direct warehouse equals what the ETL makes of its CSV files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import synth
from etl.pipeline import run
from tests.conftest import RAW


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, synth.Generated]:
    out = tmp_path_factory.mktemp("synth")
    generated = synth.generate(6_000, seed=7)
    synth.write_reference(out)
    synth.write_csv(generated, out / "raw")
    return out, generated


def test_same_seed_same_rows_other_seed_other_rows():
    first, again, other = synth.generate(3_000, seed=1), synth.generate(3_000, seed=1), synth.generate(3_000, seed=2)
    assert first.rows.equals(again.rows)
    assert not first.rows["digits"].equals(other.rows["digits"])
    assert len(first.rows) == 3_000


def test_refuses_to_write_into_data_raw(tmp_path):
    with pytest.raises(synth.SynthError):
        synth.check_output(RAW / "synthetic")
    with pytest.raises(synth.SynthError):
        synth.check_output(tmp_path / "data" / "raw")
    synth.check_output(tmp_path / "bench")  # elsewhere is fine
    with pytest.raises(SystemExit):
        synth.main(["--observations", "100", "--out", str(RAW / "synthetic")])
    assert not (RAW / "synthetic").exists()


def test_every_source_is_marked_synthetic_and_the_output_says_so(tmp_path):
    synth.main(["--observations", "2000", "--out", str(tmp_path)])
    sources = pd.read_csv(tmp_path / "raw" / "synth.sources.csv", dtype="str")
    assert set(sources["title"]) == {synth.SYNTHETIC_TITLE}
    assert "not real" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_shape_real_regions_divisions_revisions_and_flags(small):
    _, generated = small
    rows = generated.rows
    codes = set(generated.universe.region_codes)
    regions = pd.read_csv(RAW.parent / "reference" / "regions.csv", dtype="str", keep_default_na=False)
    assert codes <= set(regions["code"])
    assert len(generated.universe.region_codes) == 1 + 31 + (regions["level"] == "city").sum() - (
        regions[regions["level"] == "city"]["parent_code"] >= "700000").sum()
    assert "C39" in set(generated.universe.industries) and len(generated.universe.industries) >= 40
    assert rows["revision"].sum() == 60 and rows["revised"].sum() == 60
    assert set(rows["measure_i"]) == {0, 1, 2}


def test_direct_warehouse_equals_the_etl_output_of_the_csv_files(small, tmp_path):
    out, generated = small
    run(out / "raw", tmp_path / "via-etl", out / "reference")
    synth.write_warehouse(generated, tmp_path / "direct", out / "reference")
    via_etl = pd.read_parquet(tmp_path / "via-etl" / "current" / "observations.parquet")
    direct = pd.read_parquet(tmp_path / "direct" / "current" / "observations.parquet")
    # The direct warehouse holds the generated (published) rows; the ETL adds its derived rows.
    assert set(via_etl.loc[via_etl["source_id"] == "derived", "status"]) == {"derived"}
    published = via_etl[via_etl["source_id"] != "derived"].reset_index(drop=True)
    pd.testing.assert_frame_equal(published, direct)
    assert (~direct["is_default"]).sum() == 60  # the first releases that a revision replaced
