"""Records that survive a kill, orphans that go, readers that keep their snapshot, and operational
errors that are one clear line."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import etl.publish as publish
import etl.retention as retention
from dashboard.query import Warehouse
from etl.history import read_runs
from etl.publish import SNAPSHOTS, UNPUBLISHED, current_snapshot
from etl.refresh import RECORD_PAUSE_ENV, refresh
from etl.retention import prune, published_snapshots
from tests.conftest import REPO
from tests.ops.conftest import cli_env, etl_command, path_args, run_etl


def test_a_run_killed_between_publishing_and_recording_is_recorded_by_the_next(paths):
    assert run_etl("run", *path_args(paths)).returncode == 0
    warehouse = paths["warehouse"]
    old = current_snapshot(warehouse).name
    proc = subprocess.Popen(etl_command("run", "--force", *path_args(paths)), cwd=REPO,
                            env=cli_env(**{RECORD_PAUSE_ENV: "60"}), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while current_snapshot(warehouse).name == old:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    new = current_snapshot(warehouse).name
    assert new != old
    assert [r["snapshot_id"] for r in read_runs(warehouse)] == [old]  # the kill really cut the record

    after = run_etl("run", *path_args(paths))
    assert after.returncode == 0, after.stderr
    runs = read_runs(warehouse)
    assert [(r["outcome"], r["snapshot_id"]) for r in runs] == [("ok", old), ("ok", new), ("unchanged", new)]
    assert runs[1]["recovered"] is True and runs[1]["rows"]["observations"] > 0
    history = run_etl("history", "--warehouse", str(warehouse))
    assert new in history.stdout


def test_the_run_is_recorded_before_pruning(paths, monkeypatch):
    for _ in range(3):
        refresh(paths["raw"], paths["warehouse"], paths["reference"], force=True)
    kept = [p.name for p in published_snapshots(paths["warehouse"])]

    def killed(_paths):
        raise KeyboardInterrupt  # stopped while deleting old snapshots

    monkeypatch.setattr(retention, "remove_snapshots", killed)
    with pytest.raises(KeyboardInterrupt):
        refresh(paths["raw"], paths["warehouse"], paths["reference"], force=True, keep=1, grace=timedelta(0))
    last = read_runs(paths["warehouse"])[-1]
    assert last["outcome"] == "ok" and last["snapshot_id"] not in kept
    assert sorted(last["pruned"]) == sorted(kept)  # what it was about to prune; the next run finishes it
    monkeypatch.undo()
    result = refresh(paths["raw"], paths["warehouse"], paths["reference"], keep=1, grace=timedelta(0))
    assert result.outcome == "unchanged"
    assert [p.name for p in published_snapshots(paths["warehouse"])] == [last["snapshot_id"]]


def test_a_failed_switch_leaves_an_orphan_that_retention_removes(paths, monkeypatch):
    warehouse = paths["warehouse"]
    refresh(paths["raw"], warehouse, paths["reference"])
    good = current_snapshot(warehouse).name
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst).name == "current":
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", failing_replace)
    failed = refresh(paths["raw"], warehouse, paths["reference"], force=True)
    monkeypatch.undo()
    assert failed.outcome == "failed" and failed.failure == "operational"
    assert failed.errors == [f"cannot write to {warehouse / 'current'}: no space left on device"]
    orphans = [p for p in published_snapshots(warehouse) if (p / UNPUBLISHED).exists()]
    assert len(orphans) == 1 and current_snapshot(warehouse).name == good
    assert not (current_snapshot(warehouse) / UNPUBLISHED).exists()

    assert prune(warehouse, keep=5, grace=timedelta(minutes=10)) == []  # younger than the grace: kept
    later = datetime.now(UTC) + timedelta(minutes=11)
    assert prune(warehouse, keep=5, grace=timedelta(minutes=10), now=later) == [orphans[0].name]
    assert [p.name for p in published_snapshots(warehouse)] == [good]


def test_a_snapshot_open_in_the_dashboard_is_never_pruned(paths):
    warehouse = paths["warehouse"]
    refresh(paths["raw"], warehouse, paths["reference"])
    reader = Warehouse(warehouse)
    reading = reader.snapshot()
    refresh(paths["raw"], warehouse, paths["reference"], force=True, keep=1, grace=timedelta(0))
    result = refresh(paths["raw"], warehouse, paths["reference"], force=True, keep=1, grace=timedelta(0))
    assert reading.snapshot_id not in result.pruned
    assert any("still open in the dashboard" in m for m in result.messages)
    assert reading.sql("SELECT count(*) AS n FROM observations")["n"].iloc[0] > 0  # files still there

    del reader, reading  # the dashboard moved on: the lease goes with the last reference
    result = refresh(paths["raw"], warehouse, paths["reference"], force=True, keep=1, grace=timedelta(0))
    assert len(published_snapshots(warehouse)) == 1


def test_a_pruned_snapshot_is_never_opened_halfway(paths):
    """``current`` resolved just before the snapshot was renamed away: the reader resolves again."""
    warehouse = paths["warehouse"]
    refresh(paths["raw"], warehouse, paths["reference"])
    gone = current_snapshot(warehouse)
    refresh(paths["raw"], warehouse, paths["reference"], force=True)
    reader = Warehouse(warehouse)
    shutil.rmtree(gone)
    assert reader.snapshot().snapshot_id == current_snapshot(warehouse).name


# --- a warehouse this user cannot write ---------------------------------------------------------
#
# Root ignores permission bits, so as root the ETL runs without the capabilities that let it
# (``setpriv`` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH): it then meets a read-only folder
# exactly as a service account would.

SETPRIV = shutil.which("setpriv")


def _run_without_override(*args: str) -> subprocess.CompletedProcess:
    command = etl_command(*args)
    if os.geteuid() == 0:
        if SETPRIV is None:
            pytest.skip("running as root without setpriv: cannot drop the permission override")
        command = [SETPRIV, "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    return subprocess.run(command, cwd=REPO, env={**cli_env(), "PYTHONDONTWRITEBYTECODE": "1"},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def restore_permissions(tmp_path: Path):
    yield
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(stat.S_IRWXU)


def test_a_read_only_warehouse_is_one_clear_line_and_exit_1(paths, restore_permissions):
    warehouse = paths["warehouse"]
    warehouse.mkdir()
    warehouse.chmod(0o555)
    result = _run_without_override("run", *path_args(paths))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (f"ETL failed: cannot write to {warehouse / '.etl.lock'}: permission denied; "
                        "nothing published, 'current' unchanged.")
    assert any("this run is not in runs.jsonl" in line for line in lines)  # nowhere to record it, and it says so


def test_a_warehouse_whose_parent_cannot_be_made_is_one_clear_line(paths, tmp_path, restore_permissions):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    paths = {**paths, "warehouse": parent / "missing" / "warehouse"}
    result = _run_without_override("run", *path_args(paths))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"ETL failed: cannot write to {parent / 'missing'}: permission denied;")


def test_a_read_only_snapshot_folder_is_recorded_in_runs_jsonl(paths, restore_permissions):
    """The lock and runs.jsonl can be written, the snapshots cannot: a failed run, recorded."""
    warehouse = paths["warehouse"]
    (warehouse / SNAPSHOTS).mkdir(parents=True)
    (warehouse / SNAPSHOTS).chmod(0o555)
    result = _run_without_override("run", *path_args(paths))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"cannot write to {warehouse / SNAPSHOTS}" in result.stderr and "permission denied" in result.stderr
    record = json.loads((warehouse / "runs.jsonl").read_text().splitlines()[-1])
    assert record["outcome"] == "failed" and record["failure"] == "operational"
    assert record["errors"][0].startswith(f"cannot write to {warehouse / SNAPSHOTS}")
    assert current_snapshot(warehouse) is None
