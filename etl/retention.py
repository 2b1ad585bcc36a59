"""Pruning old snapshots, without pulling one from under a reader.

A snapshot is removed only when it is (1) not the one ``current`` points at, (2) not among
the newest ``keep`` snapshots, and (3) superseded for longer than ``grace`` — measured from
the creation of the snapshot that replaced it, not its own age: a dashboard request that
resolved ``current`` a moment before the switch may still be reading the old files.
A doomed snapshot is first renamed to a ``.tmp-`` name (atomic; the next run's
``clean_temporaries`` finishes a deletion that a crash interrupted) and then deleted.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from etl.publish import SNAPSHOTS, current_snapshot

DEFAULT_KEEP = 5
DEFAULT_GRACE = timedelta(minutes=10)


def _created_at(path: Path) -> datetime:
    """When a snapshot was published: its manifest's ``created_at``, else the directory's mtime."""
    try:
        return datetime.fromisoformat(json.loads((path / "manifest.json").read_text())["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def published_snapshots(warehouse: Path) -> list[Path]:
    """Published snapshot directories, oldest first (ids sort by time)."""
    root = warehouse / SNAPSHOTS
    if not root.is_dir():
        return []
    return sorted((p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)


def doomed_ids(snapshots: list[tuple[str, datetime]], current: str | None, *, keep: int = DEFAULT_KEEP,
               grace: timedelta = DEFAULT_GRACE, now: datetime | None = None) -> list[str]:
    """The rule, apart from any storage: ``snapshots`` are (id, created_at), oldest first.

    Shared by the local directory and the object-storage warehouse (:mod:`etl.s3`), so both
    keep exactly the same snapshots.
    """
    now = now or datetime.now(UTC)
    protected = {name for name, _ in snapshots[-max(keep, 1):]}
    if current is not None:
        protected.add(current)
    return [older for (older, _), (_, newer_created) in pairwise(snapshots)
            if older not in protected and now - newer_created >= grace]


def prune_candidates(warehouse: Path, *, keep: int = DEFAULT_KEEP, grace: timedelta = DEFAULT_GRACE,
                     now: datetime | None = None) -> list[Path]:
    """The snapshots :func:`prune` would remove."""
    snapshots = published_snapshots(warehouse)
    current = current_snapshot(warehouse)
    doomed = set(doomed_ids([(p.name, _created_at(p)) for p in snapshots], current.name if current else None,
                            keep=keep, grace=grace, now=now))
    return [p for p in snapshots if p.name in doomed]


def prune(warehouse: Path, *, keep: int = DEFAULT_KEEP, grace: timedelta = DEFAULT_GRACE,
          now: datetime | None = None) -> list[str]:
    """Remove old snapshots (see the module docstring); return the removed ids. Call under the run lock."""
    removed = []
    for path in prune_candidates(warehouse, keep=keep, grace=grace, now=now):
        trash = path.with_name(f".tmp-prune-{path.name}")
        os.rename(path, trash)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(path.name)
    return removed
