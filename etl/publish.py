"""Publishing a snapshot atomically.

A snapshot is written into a hidden temporary directory, flushed to disk, renamed to
``snapshots/<id>`` (a rename within one filesystem is atomic), and only then does the
``current`` symlink switch to it — by renaming a new symlink over the old one, which is
atomic too. The manifest and every table are fsynced, and so are the directories that hold
them. Until the switch the snapshot carries an :data:`UNPUBLISHED` marker, so one whose switch
failed is recognised as an orphan and removed by retention. A reader that resolves ``current`` sees either the old snapshot or the new
one, never a half-written directory; a run that dies at any point leaves ``current``
where it was, and at worst a ``.tmp-*`` directory that the next run removes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where tables are written: checking a warehouse needs neither
    import pandas as pd
    import pyarrow as pa

from etl import SCHEMA_VERSION

SNAPSHOTS = "snapshots"
CURRENT = "current"
#: Present in a snapshot directory from staging until ``current`` has switched to it: a snapshot
#: that still has it and is not current was never served (its switch failed) — an orphan that
#: retention removes once it is older than the grace.
UNPUBLISHED = ".unpublished"
#: Row groups of this size let DuckDB skip most of a large table using min/max statistics.
ROW_GROUP_SIZE = 100_000


def current_snapshot(warehouse: Path) -> Path | None:
    """The published snapshot directory, or None before the first publication."""
    link = warehouse / CURRENT
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    return target if target.is_dir() else None


def new_snapshot_id(inputs: dict[str, str], now: datetime) -> str:
    """A sortable, unique id: UTC time plus a short hash of the inputs."""
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:8]
    return f"{now:%Y%m%dT%H%M%S%fZ}-{digest}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _write_table(frame: pd.DataFrame | pa.Table, path: Path, schema: pa.Schema | None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if hasattr(frame, "write_parquet"):  # a query that writes itself (the derive stage's observations)
        frame.write_parquet(path, ROW_GROUP_SIZE)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        return
    if isinstance(frame, pa.Table):
        table = frame.cast(schema) if schema is not None and frame.schema != schema else frame
    else:
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    pq.write_table(table, path, row_group_size=ROW_GROUP_SIZE, compression="zstd")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def clean_temporaries(warehouse: Path) -> None:
    """Remove what an interrupted run left behind (never a published snapshot)."""
    snapshots = warehouse / SNAPSHOTS
    if snapshots.is_dir():
        for leftover in snapshots.glob(".tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in warehouse.glob(".current-*"):
        leftover.unlink(missing_ok=True)


#: Tests set this to a number of seconds to hold a run between staging and the rename (to SIGKILL it there).
PAUSE_ENV = "ETL_TEST_PUBLISH_PAUSE"


def _test_pause() -> None:
    pause = os.environ.get(PAUSE_ENV)
    if pause:
        time.sleep(float(pause))


def manifest_document(snapshot_id: str, now: datetime, manifest: dict[str, object],
                      tables: dict[str, tuple[pd.DataFrame | pa.Table, pa.Schema | None]]) -> dict[str, object]:
    """The ``manifest.json`` of a snapshot (the same for a local and an object-storage warehouse)."""
    return {
        "snapshot_id": snapshot_id,
        "created_at": now.isoformat(),
        "schema_version": SCHEMA_VERSION,
        **manifest,
        "row_counts": {name: len(frame) for name, (frame, _) in tables.items()},  # len() of a Table is its rows
    }


def publish(
    warehouse: Path,
    tables: dict[str, tuple[pd.DataFrame | pa.Table, pa.Schema | None]],
    manifest: dict[str, object],
    *,
    now: datetime | None = None,
) -> str:
    """Write ``tables`` as a new snapshot and point ``current`` at it; return the snapshot id."""
    now = now or datetime.now(UTC)
    warehouse.mkdir(parents=True, exist_ok=True)
    clean_temporaries(warehouse)
    snapshots = warehouse / SNAPSHOTS
    snapshots.mkdir(exist_ok=True)
    inputs = manifest.get("inputs", {})
    snapshot_id = new_snapshot_id(inputs if isinstance(inputs, dict) else {}, now)
    staging = snapshots / f".tmp-{snapshot_id}"
    staging.mkdir()
    for name, (frame, schema) in tables.items():
        _write_table(frame, staging / f"{name}.parquet", schema)
    full_manifest = manifest_document(snapshot_id, now, manifest, tables)
    _write_durably(staging / "manifest.json", json.dumps(full_manifest, indent=2, ensure_ascii=False, default=str))
    _write_durably(staging / UNPUBLISHED, "")
    _fsync_dir(staging)
    _test_pause()
    final = snapshots / snapshot_id
    os.rename(staging, final)
    _fsync_dir(snapshots)
    link_tmp = warehouse / f".current-{os.getpid()}-{snapshot_id}"
    os.symlink(Path(SNAPSHOTS) / snapshot_id, link_tmp)
    os.replace(link_tmp, warehouse / CURRENT)
    _fsync_dir(warehouse)
    (final / UNPUBLISHED).unlink()
    _fsync_dir(final)
    return snapshot_id
