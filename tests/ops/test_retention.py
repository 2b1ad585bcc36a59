"""Retention: old snapshots go, but never 'current', the newest N, or one superseded moments ago."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.publish import SNAPSHOTS, clean_temporaries
from etl.refresh import refresh
from etl.retention import prune, published_snapshots

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def make_snapshots(warehouse: Path, ages_minutes: list[int], current_index: int = -1) -> list[str]:
    """Fake published snapshots created ``ages_minutes`` ago (oldest first); ``current`` at one of them."""
    ids = []
    for age in ages_minutes:
        created = NOW - timedelta(minutes=age)
        snapshot_id = f"{created:%Y%m%dT%H%M%S%fZ}-abcd1234"
        path = warehouse / SNAPSHOTS / snapshot_id
        path.mkdir(parents=True)
        (path / "manifest.json").write_text(json.dumps({"snapshot_id": snapshot_id, "created_at": created.isoformat()}))
        ids.append(snapshot_id)
    os.symlink(Path(SNAPSHOTS) / ids[current_index], warehouse / "current")
    return ids


def names(warehouse: Path) -> list[str]:
    return [p.name for p in published_snapshots(warehouse)]


def test_keeps_the_newest_n(tmp_path: Path):
    ids = make_snapshots(tmp_path, [600, 500, 400, 300, 200, 100])
    removed = prune(tmp_path, keep=3, grace=timedelta(minutes=10), now=NOW)
    assert removed == ids[:3]
    assert names(tmp_path) == ids[3:]


def test_never_removes_current_even_when_old(tmp_path: Path):
    ids = make_snapshots(tmp_path, [600, 500, 400, 300], current_index=0)  # rolled back to the oldest
    prune(tmp_path, keep=1, grace=timedelta(minutes=10), now=NOW)
    assert ids[0] in names(tmp_path)
    assert ids[-1] in names(tmp_path)
    assert ids[1] not in names(tmp_path)


def test_grace_counts_from_when_a_snapshot_was_superseded(tmp_path: Path):
    """Snapshot B was created long ago but replaced 5 minutes ago: a request may still be reading it."""
    ids = make_snapshots(tmp_path, [900, 800, 5])
    removed = prune(tmp_path, keep=1, grace=timedelta(minutes=10), now=NOW)
    assert removed == [ids[0]]  # superseded 800 minutes ago
    assert names(tmp_path) == ids[1:]  # ids[1] superseded only 5 minutes ago: kept
    assert prune(tmp_path, keep=1, grace=timedelta(minutes=10), now=NOW + timedelta(minutes=6)) == [ids[1]]


def test_an_interrupted_prune_is_finished_by_the_next_run(tmp_path: Path):
    ids = make_snapshots(tmp_path, [60, 30])
    half_deleted = tmp_path / SNAPSHOTS / f".tmp-prune-{ids[0]}"
    (tmp_path / SNAPSHOTS / ids[0]).rename(half_deleted)
    clean_temporaries(tmp_path)
    assert not half_deleted.exists()
    assert names(tmp_path) == [ids[1]]


def test_refresh_prunes_with_keep(raw_copy: Path, tmp_path: Path):
    from tests.conftest import REFERENCE

    warehouse = tmp_path / "warehouse"
    results = [refresh(raw_copy, warehouse, REFERENCE, force=True, keep=2, grace=timedelta(0)) for _ in range(4)]
    assert names(warehouse) == [r.snapshot_id for r in results[-2:]]
    assert results[-1].pruned == [results[1].snapshot_id]
