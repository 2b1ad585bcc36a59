"""Run history: one JSON line per run in ``<warehouse>/runs.jsonl``.

It lives outside the snapshots so a failed run — which publishes nothing — is recorded too.
Each record is appended with a single ``write`` on an ``O_APPEND`` descriptor and fsynced, so
records from concurrent writers never interleave and a record survives a crash right after
the run; a line cut short by a crash mid-write is skipped when reading.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

HISTORY_NAME = "runs.jsonl"
#: A failed run keeps this many error lines (the rest are counted).
MAX_ERROR_LINES = 50
OUTCOMES = ("ok", "unchanged", "failed")


def history_path(warehouse: Path) -> Path:
    return warehouse / HISTORY_NAME


def append_run(warehouse: Path, record: dict) -> None:
    """Append one run record durably."""
    warehouse.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, default=str, sort_keys=False) + "\n").encode()
    fd = os.open(history_path(warehouse), os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a record cut by a crash: end it, so this one stays whole
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_runs(warehouse: Path, *, limit: int | None = None) -> list[dict]:
    """The recorded runs, oldest first (the last ``limit`` of them); damaged lines skipped."""
    path = history_path(warehouse)
    if not path.exists():
        return []
    with open(path, encoding="utf-8", errors="replace") as handle:
        runs = parse_runs(handle)
    return runs[-limit:] if limit else runs


def parse_runs(lines: Iterable[str]) -> list[dict]:
    """Run records from JSON lines; a damaged or cut line is skipped (a crash mid-write)."""
    runs = []
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            runs.append(record)
    return runs


def error_lines(lines: Iterable[str]) -> tuple[list[str], int]:
    """The first :data:`MAX_ERROR_LINES` error lines and how many there were in all."""
    collected = [str(line) for line in lines]
    return collected[:MAX_ERROR_LINES], len(collected)


def format_table(runs: list[dict]) -> str:
    """Runs as a fixed-width table for the terminal, newest last."""
    header = ("started (UTC)", "seconds", "outcome", "snapshot", "observations", "detail")
    rows = [header]
    for run in runs:
        detail = ""
        if run.get("outcome") == "failed":
            errors = run.get("errors") or []
            detail = f"{run.get('error_count', len(errors))} error(s): {errors[0] if errors else ''}"
        elif run.get("messages") and run.get("outcome") != "unchanged":
            detail = "; ".join(run["messages"])[:80]
        rows.append(
            (
                str(run.get("started_at", ""))[:19].replace("T", " "),
                f"{run.get('duration_s', 0):.2f}",
                str(run.get("outcome", "")),
                str(run.get("snapshot_id") or "-"),
                str((run.get("rows") or {}).get("observations", "-")),
                detail[:100],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
        for row in rows
    )
