"""Where a warehouse lives: a local directory (the default) or a prefix of an S3-compatible bucket.

Everything that touches the warehouse — publishing, the run lock, retention, the run history,
and the dashboard's reads — goes through a :class:`Store`, so the rest of the code does not
care which kind it is:

* :class:`LocalStore` (``data/warehouse``): snapshots are directories, ``current`` is a
  symlink switched by ``rename``; it delegates to :mod:`etl.publish`, :mod:`etl.retention`,
  :mod:`etl.history` and :mod:`etl.lock`, whose behaviour it does not change.
* :class:`etl.s3.S3Store` (``s3://bucket/prefix``): snapshots are key prefixes, ``current`` is
  a small object replaced by one PUT (see :mod:`etl.s3`).

A location is a :class:`~pathlib.Path` or a string; only strings starting ``s3://`` are remote.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.dataset as ds

#: What :func:`etl.publish.new_snapshot_id` makes: UTC time to the microsecond, then 8 hex digits.
#: Anything that names a snapshot from outside (a browser's state, a pointer object) must match it.
SNAPSHOT_ID = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{8}$")
REMOTE_SCHEMES = ("s3://",)

Tables = dict[str, tuple["pd.DataFrame", "pa.Schema | None"]]


class StorageError(OSError):
    """The warehouse cannot be reached or is not in the expected shape; the message says where and why.

    An ``OSError``, so a refresh treats it like any other I/O failure: one clear line, exit 1, recorded.
    """


def is_remote(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(REMOTE_SCHEMES)


def warehouse_location(text: str) -> str | Path:
    """A command-line ``--warehouse`` value: an ``s3://`` URL stays a string, anything else is a path.

    (``Path("s3://b/p")`` would collapse the double slash, so URLs must never go through ``Path``.)
    """
    return text if is_remote(text) else Path(text)


def is_snapshot_id(value: object) -> bool:
    return isinstance(value, str) and bool(SNAPSHOT_ID.match(value))


class Store(Protocol):
    """The operations the ETL and the dashboard need from a warehouse."""

    #: For messages: the directory or the ``s3://`` URL.
    location: str

    def lock(self, *, wait: float = 0.0) -> AbstractContextManager: ...
    def clean_temporaries(self) -> None: ...
    def current_id(self) -> str | None: ...
    def read_manifest(self, snapshot_id: str) -> dict | None: ...
    def current_manifest(self) -> dict | None: ...
    def publish(self, tables: Tables, manifest: dict[str, object], *, now: datetime | None = None) -> str: ...
    def prune_candidates(self, *, keep: int, grace: timedelta, now: datetime | None = None) -> list[str]: ...
    def remove_snapshots(self, snapshot_ids: list[str]) -> list[str]: ...
    def snapshot_ids(self) -> list[str]: ...
    def has_snapshot(self, snapshot_id: str) -> bool: ...
    def append_run(self, record: dict) -> None: ...
    def read_runs(self, *, limit: int | None = None) -> list[dict]: ...
    def history_tail(self, max_bytes: int) -> bytes: ...
    def put_run_file(self, name: str, data: bytes) -> str: ...
    def table_sources(self, snapshot_id: str, names: tuple[str, ...]) -> dict[str, Path | ds.Dataset]: ...
    def open_table(self, snapshot_id: str, name: str): ...


class LocalStore:
    """A warehouse directory; every method keeps the behaviour the local warehouse always had."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.location = str(self.root)

    def lock(self, *, wait: float = 0.0) -> AbstractContextManager:
        from etl.lock import warehouse_lock

        return warehouse_lock(self.root, wait=wait)

    def clean_temporaries(self) -> None:
        from etl.publish import clean_temporaries

        clean_temporaries(self.root)

    def snapshot_path(self, snapshot_id: str) -> Path:
        from etl.publish import SNAPSHOTS

        return self.root / SNAPSHOTS / snapshot_id

    def current_id(self) -> str | None:
        try:
            path = (self.root / "current").resolve(strict=True)
        except (FileNotFoundError, RuntimeError, NotADirectoryError):
            return None
        return path.name if path.is_dir() else None

    def read_manifest(self, snapshot_id: str) -> dict | None:
        import json

        try:
            return json.loads((self.snapshot_path(snapshot_id) / "manifest.json").read_text())
        except (OSError, ValueError):
            return None

    def current_manifest(self) -> dict | None:
        snapshot_id = self.current_id()
        return None if snapshot_id is None else self.read_manifest(snapshot_id)

    def publish(self, tables: Tables, manifest: dict[str, object], *, now: datetime | None = None) -> str:
        from etl.publish import publish

        return publish(self.root, tables, manifest, now=now)

    def prune_candidates(self, *, keep: int, grace: timedelta, now: datetime | None = None) -> list[str]:
        from etl.retention import prune_candidates

        return [p.name for p in prune_candidates(self.root, keep=keep, grace=grace, now=now)]

    def remove_snapshots(self, snapshot_ids: list[str]) -> list[str]:
        """Remove each one no dashboard holds open (:func:`etl.retention.remove_snapshots`)."""
        from etl.retention import remove_snapshots

        return remove_snapshots([self.snapshot_path(i) for i in snapshot_ids])

    def snapshot_ids(self) -> list[str]:
        from etl.retention import published_snapshots

        return [p.name for p in published_snapshots(self.root)]

    def has_snapshot(self, snapshot_id: str) -> bool:
        return is_snapshot_id(snapshot_id) and self.snapshot_path(snapshot_id).is_dir()

    def append_run(self, record: dict) -> None:
        from etl.history import append_run

        append_run(self.root, record)

    def read_runs(self, *, limit: int | None = None) -> list[dict]:
        from etl.history import read_runs

        return read_runs(self.root, limit=limit)

    def history_tail(self, max_bytes: int) -> bytes:
        """The last ``max_bytes`` of ``runs.jsonl`` (empty if there is none)."""
        from etl.history import history_path

        try:
            with open(history_path(self.root), "rb") as handle:
                handle.seek(0, 2)
                handle.seek(max(0, handle.tell() - max_bytes))
                return handle.read()
        except OSError:
            return b""

    def put_run_file(self, name: str, data: bytes) -> str:
        """A file of a run (its problem list) in ``runs/``; returns its path relative to the warehouse."""
        from etl.report import write_run_file

        return write_run_file(self.root, name, data).relative_to(self.root).as_posix()

    def table_sources(self, snapshot_id: str, names: tuple[str, ...]) -> dict[str, Path | ds.Dataset]:
        """The Parquet file of each table the snapshot has (DuckDB reads local files itself)."""
        base = self.snapshot_path(snapshot_id)
        return {name: base / f"{name}.parquet" for name in names if (base / f"{name}.parquet").exists()}

    def open_table(self, snapshot_id: str, name: str):
        return open(self.snapshot_path(snapshot_id) / f"{name}.parquet", "rb")


def open_store(location: str | Path | Store) -> Store:
    """The store for a ``--warehouse`` value (a directory, or ``s3://bucket/prefix``)."""
    if not isinstance(location, str | Path):
        return location  # already a store
    if is_remote(location):
        from etl.s3 import S3Store

        return S3Store.from_url(str(location))
    return LocalStore(Path(location))

