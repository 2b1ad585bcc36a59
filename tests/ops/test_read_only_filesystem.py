"""A warehouse on a read-only file system (EROFS: a remounted disk, a read-only volume): the run
fails with one clear line and exit 1, never a traceback, and is in runs.jsonl wherever that file
can still be written.

The file system really is read-only: each run happens in a private mount namespace
(``unshare -m``) in which the folder is bind-mounted onto itself and remounted ``ro``, so the
kernel answers every write with EROFS. The mount exists only inside that namespace and goes
with it; nothing on the machine changes.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from etl.publish import SNAPSHOTS, current_snapshot
from tests.conftest import REPO
from tests.ops.conftest import cli_env, etl_command, path_args, run_etl

UNSHARE = shutil.which("unshare")


def run_with_read_only(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m etl ARGS`` with ``folder`` mounted read-only for that process alone."""
    if UNSHARE is None:
        pytest.skip("unshare is not installed (util-linux)")
    probe = subprocess.run([UNSHARE, "-m", "--propagation", "private", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a private mount namespace here: {probe.stderr.decode().strip()}")
    target = shlex.quote(str(folder))
    script = (
        f"mount --bind {target} {target} && mount -o remount,bind,ro {target} && exec {shlex.join(etl_command(*args))}"
    )
    result = subprocess.run(
        [UNSHARE, "-m", "--propagation", "private", "sh", "-c", script],
        cwd=REPO,
        env={**cli_env(), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if "mount:" in result.stderr and result.returncode != 1:
        pytest.skip(f"cannot mount here: {result.stderr.strip()[:200]}")
    return result


def test_a_warehouse_on_a_read_only_file_system_is_one_line_and_exit_1(paths):
    assert run_etl("run", *path_args(paths)).returncode == 0
    warehouse = paths["warehouse"]
    before = current_snapshot(warehouse).name
    runs_before = (warehouse / "runs.jsonl").read_text()
    result = run_with_read_only(warehouse, "run", "--force", *path_args(paths))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == (
        f"ETL failed: cannot write to {warehouse / '.etl.lock'}: read-only file system; "
        "nothing published, 'current' unchanged."
    ), lines
    assert any("this run is not in runs.jsonl" in line for line in lines)  # nowhere to write it, and it says so
    assert current_snapshot(warehouse).name == before
    assert (warehouse / "runs.jsonl").read_text() == runs_before


def test_read_only_snapshots_are_a_failed_run_recorded_in_runs_jsonl(paths):
    """The lock and runs.jsonl can be written, the snapshots' file system cannot."""
    assert run_etl("run", *path_args(paths)).returncode == 0
    warehouse = paths["warehouse"]
    before = current_snapshot(warehouse).name
    result = run_with_read_only(warehouse / SNAPSHOTS, "run", "--force", *path_args(paths))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"ETL failed: cannot write to {warehouse / SNAPSHOTS}"), result.stderr
    assert "read-only file system" in result.stderr.splitlines()[0]
    record = json.loads((warehouse / "runs.jsonl").read_text().splitlines()[-1])
    assert record["outcome"] == "failed" and record["failure"] == "operational"
    assert record["errors"][0].startswith(f"cannot write to {warehouse / SNAPSHOTS}")
    assert "read-only file system" in record["errors"][0]
    assert current_snapshot(warehouse).name == before
    history = run_etl("history", "--warehouse", str(warehouse))
    assert "failed" in history.stdout
