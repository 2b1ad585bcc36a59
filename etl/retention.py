"""Pruning old snapshots, without pulling one from under a reader.

A snapshot is removed only when it is (1) not the one ``current`` points at, (2) not among
the newest ``keep`` snapshots, and (3) superseded for longer than ``grace`` — measured from
the creation of the snapshot that replaced it, not its own age: a dashboard request that
resolved ``current`` a moment before the switch may still be reading the old files.
A doomed snapshot is first renamed to a ``.tmp-`` name (atomic; the next run's
``clean_temporaries`` finishes a deletion that a crash interrupted) and then deleted.

Two more rules keep readers and disk safe whatever ``--keep`` and ``--grace`` say:

* **A snapshot being read is never removed.** The dashboard holds a shared ``flock`` on the
  ``manifest.json`` of every snapshot it has open (:class:`dashboard.query.Warehouse`); prune
  takes an exclusive one, without waiting, before the rename, and skips the snapshot if it
  cannot. So even ``--keep 1 --grace 0`` never pulls files from under a request; the snapshot
  goes at a later run, once no reader has it open.
* **Orphans go.** A snapshot that still carries the ``.unpublished`` marker and is not current
  was never served (its ``current`` switch failed); it is removed once older than ``grace``,
  and it does not count among the newest ``keep``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from etl.publish import SNAPSHOTS, UNPUBLISHED, current_snapshot

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
    """Rules (1)–(3) apart from any storage: ``snapshots`` are (id, created_at) of served snapshots, oldest first.

    Shared by the local directory and the object-storage warehouse (:mod:`etl.s3`), so both keep
    exactly the same snapshots.
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
    now = now or datetime.now(UTC)
    current = current_snapshot(warehouse)
    current_name = current.name if current is not None else None
    every = published_snapshots(warehouse)
    orphans = [p for p in every if p.name != current_name and (p / UNPUBLISHED).exists()]
    doomed = [p for p in orphans if now - _created_at(p) >= grace]
    snapshots = [p for p in every if p not in orphans]
    names = set(doomed_ids([(p.name, _created_at(p)) for p in snapshots], current_name, keep=keep, grace=grace, now=now))
    return doomed + [p for p in snapshots if p.name in names]


def prune(warehouse: Path, *, keep: int = DEFAULT_KEEP, grace: timedelta = DEFAULT_GRACE,
          now: datetime | None = None) -> list[str]:
    """Remove old snapshots (see the module docstring); return the removed ids. Call under the run lock."""
    return remove_snapshots(prune_candidates(warehouse, keep=keep, grace=grace, now=now))


def remove_snapshots(paths: list[Path]) -> list[str]:
    """Remove each snapshot no reader holds open (see the module docstring); return the removed ids."""
    removed = []
    for path in paths:
        try:
            fd = os.open(path / "manifest.json", os.O_RDONLY)
        except FileNotFoundError:
            fd = None  # no manifest: nothing can have opened it as a snapshot
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader has it open: a later run removes it
            trash = path.with_name(f".tmp-prune-{path.name}")
            try:
                os.rename(path, trash)
            except OSError:
                continue  # cannot be removed now (permissions, a busy mount): a later run tries again
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(path.name)
        finally:
            if fd is not None:
                os.close(fd)
    return removed
