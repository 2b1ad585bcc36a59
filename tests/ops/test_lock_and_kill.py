"""Concurrency and crashes: one run at a time; a run SIGKILLed mid-publish leaves 'current' good."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from etl.lock import LockBusyError, warehouse_lock
from etl.publish import PAUSE_ENV, current_snapshot
from etl.retention import published_snapshots
from tests.conftest import REPO
from tests.ops.conftest import cli_env, etl_command, path_args, run_etl

EXIT_LOCKED = 75


def test_a_second_run_gives_up_at_once_with_a_clear_message(paths):
    with warehouse_lock(paths["warehouse"]):
        result = run_etl("run", *path_args(paths))
    assert result.returncode == EXIT_LOCKED
    assert "another ETL run holds" in result.stderr
    assert current_snapshot(paths["warehouse"]) is None


def test_a_second_run_waits_for_the_first(paths):
    lock = warehouse_lock(paths["warehouse"])
    lock.__enter__()
    release = threading.Timer(2.0, lock.__exit__, args=(None, None, None))
    release.start()
    try:
        result = run_etl("run", *path_args(paths), "--wait", "60")
    finally:
        release.join()
    assert result.returncode == 0, result.stderr
    assert current_snapshot(paths["warehouse"]) is not None


def test_the_lock_is_exclusive_in_process(tmp_path: Path):
    with warehouse_lock(tmp_path), pytest.raises(LockBusyError), warehouse_lock(tmp_path, wait=0.3):
        pass
    with warehouse_lock(tmp_path):  # released after the block
        pass


def test_two_concurrent_runs_one_publishes_and_one_exits_clearly(paths):
    """Two real processes started together: exactly one holds the lock; the other exits 75 (or finds it unchanged)."""
    env = cli_env(**{PAUSE_ENV: "8"})
    procs = [subprocess.Popen(etl_command("run", "--force", *path_args(paths)), cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, EXIT_LOCKED], outcomes
    assert any("another ETL run holds" in err for _, err in outcomes)
    assert len(published_snapshots(paths["warehouse"])) == 1


def _wait_for_staging(warehouse: Path, proc: subprocess.Popen, limit: float = 90.0) -> Path:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        staged = list((warehouse / "snapshots").glob(".tmp-*/manifest.json")) if (warehouse / "snapshots").is_dir() else []
        if staged:
            return staged[0].parent
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the run never reached the publish step")


def _assert_current_is_good(warehouse: Path, snapshot_id: str) -> None:
    current = current_snapshot(warehouse)
    assert current is not None and current.name == snapshot_id
    manifest = json.loads((current / "manifest.json").read_text())
    assert manifest["snapshot_id"] == snapshot_id
    assert (current / "observations.parquet").stat().st_size > 0


def test_sigkill_mid_publish_leaves_current_on_the_last_good_snapshot(paths):
    assert run_etl("run", *path_args(paths)).returncode == 0
    good = current_snapshot(paths["warehouse"]).name
    proc = subprocess.Popen(etl_command("run", "--force", *path_args(paths)), cwd=REPO,
                            env=cli_env(**{PAUSE_ENV: "60"}), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = _wait_for_staging(paths["warehouse"], proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert staging.exists()  # killed after staging, before the rename: the garbage is really there
    _assert_current_is_good(paths["warehouse"], good)

    after = run_etl("run", "--force", *path_args(paths))
    assert after.returncode == 0, after.stderr
    assert not list((paths["warehouse"] / "snapshots").glob(".tmp-*"))
    assert current_snapshot(paths["warehouse"]).name != good


def test_sigkill_at_random_moments_never_breaks_current(paths):
    assert run_etl("run", *path_args(paths)).returncode == 0
    rng = random.Random(5)
    for _ in range(3):
        good = current_snapshot(paths["warehouse"]).name
        proc = subprocess.Popen(etl_command("run", "--force", *path_args(paths)), cwd=REPO, env=cli_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        current = current_snapshot(paths["warehouse"])
        assert current is not None
        if killed:  # killed before the switch: the old snapshot; after it: the new one, complete
            assert current.name == good or current.name > good
        _assert_current_is_good(paths["warehouse"], current.name)
        assert run_etl("run", "--force", *path_args(paths)).returncode == 0
