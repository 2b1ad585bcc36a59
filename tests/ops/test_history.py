"""Run history: appended per run, readable after a crash mid-line, shown by ``python -m etl history``."""

from __future__ import annotations

from pathlib import Path

from etl.history import MAX_ERROR_LINES, append_run, error_lines, format_table, history_path, read_runs
from tests.ops.conftest import path_args, run_etl


def test_append_and_read_skip_a_cut_line(tmp_path: Path):
    append_run(tmp_path, {"outcome": "ok", "snapshot_id": "s1"})
    with open(history_path(tmp_path), "a") as handle:
        handle.write('{"outcome": "fai')  # a crash mid-write
    append_run(tmp_path, {"outcome": "unchanged", "snapshot_id": "s1"})
    assert [r["outcome"] for r in read_runs(tmp_path)] == ["ok", "unchanged"]  # the cut line alone is lost
    append_run(tmp_path, {"outcome": "failed", "snapshot_id": None})
    assert [r["outcome"] for r in read_runs(tmp_path)][-1] == "failed"
    assert len(read_runs(tmp_path, limit=1)) == 1


def test_error_lines_keep_the_first_fifty():
    shown, count = error_lines(f"f.csv:{i}:value: bad" for i in range(120))
    assert len(shown) == MAX_ERROR_LINES == 50 and count == 120
    assert shown[0] == "f.csv:0:value: bad"


def test_format_table_shows_outcomes_and_first_error():
    table = format_table([
        {"started_at": "2026-01-01T06:00:00+00:00", "duration_s": 1.5, "outcome": "ok", "snapshot_id": "S1",
         "rows": {"observations": 685}},
        {"started_at": "2026-01-02T06:00:00+00:00", "duration_s": 0.2, "outcome": "failed", "snapshot_id": None,
         "errors": ["raw/a.csv:3:value: not a number"], "error_count": 7},
    ])
    lines = table.splitlines()
    assert lines[0].startswith("started (UTC)")
    assert "ok" in lines[1] and "S1" in lines[1] and "685" in lines[1]
    assert "failed" in lines[2] and "7 error(s): raw/a.csv:3:value: not a number" in lines[2]


def test_history_command_prints_every_run(paths):
    run_etl("run", *path_args(paths))
    run_etl("run", *path_args(paths))
    result = run_etl("history", "--warehouse", str(paths["warehouse"]), "--limit", "5")
    assert result.returncode == 0
    rows = result.stdout.strip().splitlines()
    assert len(rows) == 3
    assert " ok " in rows[1] and " unchanged " in rows[2]
    records = read_runs(paths["warehouse"])
    assert {"started_at", "finished_at", "outcome", "inputs", "rows", "snapshot_id", "errors", "messages"} <= set(records[0])
