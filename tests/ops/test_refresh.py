"""Incremental refresh: unchanged inputs publish nothing; any change (or --force) rebuilds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl import pipeline
from etl.history import read_runs
from etl.publish import current_snapshot
from etl.refresh import is_up_to_date, refresh
from etl.retention import published_snapshots
from tests.ops.conftest import REPO, path_args, run_etl


def _refresh(paths: dict[str, Path], **options):
    return refresh(paths["raw"], paths["warehouse"], paths["reference"], **options)


def test_input_hashes_equal_the_manifest_inputs(paths):
    """The fast pre-check hashes exactly the files a full build records (else nothing would ever be 'unchanged')."""
    first = _refresh(paths)
    manifest = json.loads((current_snapshot(paths["warehouse"]) / "manifest.json").read_text())
    assert first.outcome == "ok"
    assert pipeline.input_hashes(paths["raw"], paths["reference"]) == manifest["inputs"]
    assert any(key.startswith("reference/") for key in manifest["inputs"])


def test_unchanged_inputs_publish_nothing(paths):
    first = _refresh(paths)
    second = _refresh(paths)
    assert second.outcome == "unchanged"
    assert second.snapshot_id == first.snapshot_id
    assert second.messages == [f"unchanged: snapshot {first.snapshot_id} is up to date"]
    assert [p.name for p in published_snapshots(paths["warehouse"])] == [first.snapshot_id]
    assert [r["outcome"] for r in read_runs(paths["warehouse"])] == ["ok", "unchanged"]


def test_unchanged_run_from_the_command_line_says_so(paths):
    assert run_etl("run", *path_args(paths)).returncode == 0
    result = run_etl("run", *path_args(paths))
    assert result.returncode == 0, result.stderr
    assert "unchanged: snapshot" in result.stdout and "is up to date" in result.stdout
    assert len(published_snapshots(paths["warehouse"])) == 1


@pytest.mark.parametrize("change", ["raw", "reference", "added_doc"])
def test_a_changed_input_rebuilds(paths, change):
    first = _refresh(paths)
    if change == "raw":
        target = next(paths["raw"].glob("*.figures.csv"))
        target.write_bytes(target.read_bytes() + b"\n")
    elif change == "reference":
        target = paths["reference"] / "units.csv"
        target.write_bytes(target.read_bytes() + b"\n")
    else:
        (paths["raw"] / "NOTES.md").write_text("documentation is not an input\n")
    second = _refresh(paths)
    if change == "added_doc":
        assert second.outcome == "unchanged"
    else:
        assert second.outcome == "ok"
        assert second.snapshot_id != first.snapshot_id
        assert current_snapshot(paths["warehouse"]).name == second.snapshot_id


def test_force_rebuilds_anyway(paths):
    first = _refresh(paths)
    second = _refresh(paths, force=True)
    assert second.outcome == "ok" and second.snapshot_id != first.snapshot_id


def test_a_new_code_version_rebuilds(paths, monkeypatch):
    first = _refresh(paths)
    monkeypatch.setattr("etl.refresh.code_version", lambda: "a-different-version")
    second = _refresh(paths)
    assert second.outcome == "ok" and second.snapshot_id != first.snapshot_id


def test_up_to_date_needs_the_same_input_set():
    manifest = {"inputs": {"a.csv": "1", "reference/r.csv": "2"}, "code_version": "v"}
    assert is_up_to_date(manifest, {"a.csv": "1", "reference/r.csv": "2"}, "v")
    assert not is_up_to_date(manifest, {"a.csv": "1"}, "v")  # a removed file
    assert not is_up_to_date(manifest, {"a.csv": "1", "reference/r.csv": "2", "b.csv": "3"}, "v")  # an added one
    assert not is_up_to_date(manifest, {"a.csv": "1", "reference/r.csv": "2"}, "w")
    assert not is_up_to_date(None, {}, "v")


def test_a_failed_run_is_recorded_and_publishes_nothing(paths):
    first = _refresh(paths)
    target = next(paths["raw"].glob("*.figures.csv"))
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    broken = [header, ["not-a-number" if name == "value" else "" for name in header]]
    target.write_text("\n".join(",".join(row) for row in broken) + "\n", encoding="utf-8")
    result = run_etl("run", *path_args(paths))
    assert result.returncode == 1
    assert "nothing published" in result.stderr
    assert current_snapshot(paths["warehouse"]).name == first.snapshot_id
    last = read_runs(paths["warehouse"])[-1]
    assert last["outcome"] == "failed"
    assert last["snapshot_id"] is None
    assert last["errors"] and last["error_count"] >= len(last["errors"])
    assert last["inputs"]  # what the failed run saw, for the post-mortem


def test_an_unchanged_run_imports_neither_pandas_pyarrow_nor_duckdb(paths):
    """Checking that nothing changed is hashing files: the command that does it loads none of
    the data libraries (their import alone would take most of a second)."""
    assert run_etl("run", *path_args(paths)).returncode == 0
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['etl', 'run', *{path_args(paths)!r}]\n"
        "try:\n"
        "    runpy.run_module('etl', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'numpy', 'yaml') if m in sys.modules))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.strip().splitlines()
    assert lines[0].startswith("unchanged: snapshot ")
    assert lines[-1] == "[]"
