"""A warehouse on S3-compatible object storage: ``s3://bucket/prefix``.

Layout under the prefix (the same as a local warehouse, with a pointer object for the symlink)::

    current                       {"snapshot_id": ..., "created_at": ...}   (small JSON object)
    snapshots/<id>/<table>.parquet
    snapshots/<id>/manifest.json  (written last: a snapshot without one is an unfinished upload)
    runs.jsonl                    the run history

**Publishing.** The tables are written to Parquet locally (the same writer and row groups as a
local warehouse), uploaded under ``snapshots/<id>/``, then *verified* — each object's size, and
its Parquet footer read back over the network with the expected row count — and only then is the
manifest uploaded and read back. The switch is one PUT of the ``current`` object: S3 replaces an
object atomically and reads after a write are strongly consistent (AWS since 2020, MinIO, Ceph
RGW, OSS), so a reader sees the old snapshot or the new one, never a mixture. A run that dies
anywhere before that PUT leaves ``current`` where it was; its partial prefix (no manifest) is
deleted by the next run.

**One writer.** S3 has no ``rename`` and pyarrow exposes no conditional PUT, so a lock object
cannot be taken atomically here. The ETL therefore runs on *one scheduler host*; runs on that
host exclude each other with the usual ``flock``, on a lock file in a local state directory
(``$ETL_STATE_DIR``, default ``~/.local/state/regional-industry-stats``). As a guard against a
second scheduler configured by mistake, a run re-reads ``current`` just before switching it and
refuses to switch if someone else published meanwhile (this narrows the window, it does not close it).

**Reading.** Readers resolve ``current`` (cached for ``pointer_ttl`` seconds, default 2, so a
node follows a new snapshot within that time), then read that snapshot's Parquet objects in
place through ``pyarrow.dataset``: the footer once per snapshot and process, then per query only
the column chunks of the row groups whose min/max statistics can match (HTTP range requests) —
never a whole file per request.

**Client.** pyarrow's ``S3FileSystem`` (the AWS SDK for C++): already a dependency, plain S3, so
AWS S3, MinIO, Ceph RGW and Alibaba Cloud OSS all work. DuckDB's own ``httpfs`` extension is not
usable here (its PyPI build pins another DuckDB version than ours, and extensions cannot be
downloaded at run time offline); obstore would add a second client without a pyarrow filesystem.
Configuration comes from the environment as for every S3 client: ``AWS_ENDPOINT_URL_S3`` or
``AWS_ENDPOINT_URL``; ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (/ ``AWS_SESSION_TOKEN``),
else the SDK's chain (``~/.aws/credentials``, ``AWS_PROFILE``, instance roles); ``AWS_REGION`` or
``AWS_DEFAULT_REGION``; ``endpoint_url`` and ``region`` may also be set in ``~/.aws/config``
(``AWS_CONFIG_FILE``). Credentials never go in the URL: one that has them is refused.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from etl.storage import SNAPSHOT_ID, StorageError, Tables, is_snapshot_id

SNAPSHOTS = "snapshots"
CURRENT = "current"
MANIFEST = "manifest.json"
HISTORY = "runs.jsonl"
#: How long a reader trusts the ``current`` it read: the bound on how stale a node can be.
DEFAULT_POINTER_TTL = 2.0
#: The run history is re-read at most this often per process (the dashboard's banner).
HISTORY_TTL = 5.0
STATE_ENV = "ETL_STATE_DIR"
DEFAULT_STATE_DIR = Path("~/.local/state/regional-industry-stats")
COPY_CHUNK = 8 << 20
#: Bucket names as S3 allows them (3–63 characters of lowercase letters, digits, dots, hyphens).
_BUCKET_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


@dataclass(frozen=True)
class S3Url:
    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def key(self, *parts: str) -> str:
        """``bucket/prefix/part/...``: the path form pyarrow's S3 filesystem takes."""
        return "/".join(p for p in (self.bucket, self.prefix, *parts) if p)


def parse_url(url: str) -> S3Url:
    """``s3://bucket/prefix`` → its parts; a clear error for anything else (credentials above all)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise StorageError(f"{url!r}: not an s3:// URL")
    if "@" in parts.netloc or parts.password or parts.username:
        raise StorageError("credentials never go in the warehouse URL (they would show in `ps`, logs and history); "
                           "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use ~/.aws/credentials")
    if parts.query or parts.fragment:
        raise StorageError(f"{url!r}: the warehouse URL takes no query or fragment (configure the client "
                           "with AWS_* environment variables)")
    bucket = parts.netloc
    if not (3 <= len(bucket) <= 63) or not set(bucket) <= _BUCKET_CHARS or bucket[0] in ".-" or bucket[-1] in ".-":
        raise StorageError(f"{url!r}: {bucket!r} is not a valid bucket name (3–63 lowercase letters, digits, '.', '-')")
    segments = [s for s in parts.path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        raise StorageError(f"{url!r}: the prefix may not contain '.' or '..' segments")
    return S3Url(bucket, "/".join(segments))


def _shared_config(env: dict[str, str]) -> dict[str, str]:
    """``endpoint_url`` and ``region`` of the active profile in the AWS shared config file, if any."""
    path = Path(env.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser()
    if not path.is_file():
        return {}
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError):
        return {}
    profile = env.get("AWS_PROFILE") or "default"
    section = profile if profile == "default" else f"profile {profile}"
    if not parser.has_section(section):
        return {}
    return {k: parser.get(section, k).strip() for k in ("endpoint_url", "region") if parser.has_option(section, k)}


def filesystem_options(env: dict[str, str] | None = None) -> dict[str, object]:
    """Keyword arguments for :class:`pyarrow.fs.S3FileSystem`, from the environment (secrets included:
    never log the result)."""
    env = dict(os.environ if env is None else env)
    config = _shared_config(env)
    options: dict[str, object] = {"connect_timeout": 5, "request_timeout": 30,
                                  "retry_strategy": pafs.AwsStandardS3RetryStrategy(max_attempts=3)}
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL") or config.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StorageError(f"AWS_ENDPOINT_URL must look like https://host[:port], not {endpoint!r}")
        if "@" in parts.netloc:
            raise StorageError("credentials never go in AWS_ENDPOINT_URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        if parts.path.strip("/"):
            raise StorageError(f"AWS_ENDPOINT_URL takes no path ({endpoint!r}); put the prefix in the s3:// URL")
        options["endpoint_override"] = parts.netloc
        options["scheme"] = parts.scheme
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or config.get("region")
    if region:
        options["region"] = region
    elif endpoint:
        options["region"] = "us-east-1"  # S3-compatible servers ignore it, but the signature needs one
    if env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY"):
        options["access_key"] = env["AWS_ACCESS_KEY_ID"]
        options["secret_key"] = env["AWS_SECRET_ACCESS_KEY"]
        if env.get("AWS_SESSION_TOKEN"):
            options["session_token"] = env["AWS_SESSION_TOKEN"]
    return options


def make_filesystem(env: dict[str, str] | None = None) -> pafs.S3FileSystem:
    return pafs.S3FileSystem(**filesystem_options(env))


#: Footer read once per snapshot; ``pre_buffer`` coalesces the column chunks of a row group into few requests.
PARQUET_FORMAT = ds.ParquetFileFormat(default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=True))


class S3Store:
    """A warehouse under ``s3://bucket/prefix`` (see the module docstring)."""

    def __init__(self, url: S3Url, filesystem: pafs.FileSystem, *, pointer_ttl: float = DEFAULT_POINTER_TTL,
                 state_dir: Path | None = None):
        self.url = url
        self.location = url.url
        self.fs = filesystem
        self.pointer_ttl = pointer_ttl
        self.state_dir = Path(state_dir or os.environ.get(STATE_ENV) or DEFAULT_STATE_DIR).expanduser()
        self._cached: dict[str, tuple[float, object]] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, filesystem: pafs.FileSystem | None = None, **options) -> S3Store:
        parsed = parse_url(url)
        return cls(parsed, filesystem or make_filesystem(), **options)

    # --- small helpers ------------------------------------------------------------------------

    def _fail(self, what: str, error: Exception) -> StorageError:
        return StorageError(f"{self.location}: cannot {what}: {error}")

    def _read(self, key: str) -> bytes | None:
        """The object's bytes, or None if it does not exist."""
        try:
            with self.fs.open_input_stream(key) as stream:
                return stream.read()
        except FileNotFoundError:
            return None
        except OSError as error:
            if "NoSuchKey" in str(error) or "404" in str(error):
                return None
            raise self._fail(f"read {key}", error) from error

    def _put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        try:
            with self.fs.open_output_stream(key, metadata={"Content-Type": content_type}) as out:
                out.write(data)
        except OSError as error:
            raise self._fail(f"write {key}", error) from error

    def _upload(self, local: Path, key: str) -> None:
        try:
            with open(local, "rb") as source, self.fs.open_output_stream(
                key, metadata={"Content-Type": "application/vnd.apache.parquet"}
            ) as out:
                shutil.copyfileobj(source, out, COPY_CHUNK)
        except OSError as error:
            raise self._fail(f"upload {key}", error) from error

    def _remembered(self, name: str, ttl: float, load):
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cached.get(name)
            if hit is not None and now - hit[0] < ttl:
                return hit[1]
        value = load()
        with self._cache_lock:
            self._cached[name] = (now, value)
        return value

    def _snapshot_dirs(self) -> list[str]:
        selector = pafs.FileSelector(self.url.key(SNAPSHOTS), allow_not_found=True, recursive=False)
        try:
            infos = self.fs.get_file_info(selector)
        except OSError as error:
            raise self._fail("list snapshots", error) from error
        return sorted(i.base_name for i in infos if i.type == pafs.FileType.Directory)

    def _exists(self, keys: list[str]) -> list[bool]:
        try:
            return [i.type == pafs.FileType.File for i in self.fs.get_file_info(keys)]
        except OSError as error:
            raise self._fail("look up objects", error) from error

    # --- the run lock and leftovers -----------------------------------------------------------

    def lock(self, *, wait: float = 0.0) -> AbstractContextManager:
        """The scheduler host's run lock (a local ``flock``: see "One writer" above)."""
        from etl.lock import warehouse_lock

        digest = hashlib.sha256(self.location.encode()).hexdigest()[:16]
        return warehouse_lock(self.state_dir / "locks" / f"{self.url.bucket}-{digest}", wait=wait)

    def unfinished_uploads(self) -> list[str]:
        """Snapshot prefixes without a manifest: uploads a killed run left behind."""
        names = self._snapshot_dirs()
        present = self._exists([self.url.key(SNAPSHOTS, n, MANIFEST) for n in names])
        return [n for n, has_manifest in zip(names, present, strict=True) if not has_manifest]

    def clean_temporaries(self) -> None:
        """Delete unfinished uploads (call under the run lock: no upload of ours is in progress).

        First, the bucket must exist: a typo in it is one clear line before any work, not an error
        after the whole build."""
        try:
            bucket = self.fs.get_file_info(self.url.bucket)
        except OSError as error:
            raise self._fail(f"reach bucket {self.url.bucket!r}", error) from error
        if bucket.type == pafs.FileType.NotFound:
            raise StorageError(f"{self.location}: bucket {self.url.bucket!r} does not exist (create it first)")
        for name in self.unfinished_uploads():
            with suppress(OSError):
                self.fs.delete_dir(self.url.key(SNAPSHOTS, name))

    # --- reading ------------------------------------------------------------------------------

    def _pointer(self) -> bytes | None:
        return self._read(self.url.key(CURRENT))

    def current_id(self) -> str | None:
        """The snapshot ``current`` names (re-read at most every ``pointer_ttl`` seconds)."""
        return self._remembered(CURRENT, self.pointer_ttl, self._load_current)

    def _load_current(self) -> str | None:
        data = self._pointer()
        if data is None:
            return None
        try:
            snapshot_id = json.loads(data)["snapshot_id"]
        except (ValueError, KeyError, TypeError):
            snapshot_id = None
        if not is_snapshot_id(snapshot_id):
            raise StorageError(f"{self.location}/{CURRENT} does not name a snapshot ({data[:80]!r})")
        return snapshot_id

    def read_manifest(self, snapshot_id: str) -> dict | None:
        if not is_snapshot_id(snapshot_id):
            return None
        data = self._read(self.url.key(SNAPSHOTS, snapshot_id, MANIFEST))
        try:
            return None if data is None else json.loads(data)
        except ValueError:
            return None

    def current_manifest(self) -> dict | None:
        snapshot_id = self._load_current()  # the ETL decides on the pointer as it is now, not a cached one
        return None if snapshot_id is None else self.read_manifest(snapshot_id)

    def snapshot_ids(self) -> list[str]:
        """Published snapshots (those with a manifest), oldest first."""
        names = [n for n in self._snapshot_dirs() if SNAPSHOT_ID.match(n)]
        present = self._exists([self.url.key(SNAPSHOTS, n, MANIFEST) for n in names])
        return [n for n, ok in zip(names, present, strict=True) if ok]

    def has_snapshot(self, snapshot_id: str) -> bool:
        return is_snapshot_id(snapshot_id) and self._exists([self.url.key(SNAPSHOTS, snapshot_id, MANIFEST)])[0]

    def table_sources(self, snapshot_id: str, names: tuple[str, ...]) -> dict[str, ds.Dataset]:
        """One ``pyarrow.dataset`` per table of the snapshot, footers read now (once), data read per query."""
        manifest = self.read_manifest(snapshot_id) or {}
        present = [n for n in names if n in (manifest.get("row_counts") or {})]
        sources: dict[str, ds.Dataset] = {}
        try:
            for name in present:
                dataset = ds.dataset(self.url.key(SNAPSHOTS, snapshot_id, f"{name}.parquet"), filesystem=self.fs,
                                     format=PARQUET_FORMAT)
                for fragment in dataset.get_fragments():
                    fragment.ensure_complete_metadata()  # row-group statistics kept: no footer GET per query
                sources[name] = dataset
        except OSError as error:
            raise self._fail(f"open snapshot {snapshot_id}", error) from error
        return sources

    def open_table(self, snapshot_id: str, name: str):
        """A stream of the table's Parquet object (for the full-snapshot download)."""
        try:
            return self.fs.open_input_stream(self.url.key(SNAPSHOTS, snapshot_id, f"{name}.parquet"))
        except OSError as error:
            raise self._fail(f"read {name} of snapshot {snapshot_id}", error) from error

    # --- publishing ---------------------------------------------------------------------------

    def publish(self, tables: Tables, manifest: dict[str, object], *, now: datetime | None = None) -> str:
        """Upload and verify a new snapshot, then switch ``current`` with one PUT; return its id."""
        from etl.publish import _test_pause, _write_table, manifest_document, new_snapshot_id

        now = now or datetime.now(UTC)
        before = self._pointer()
        inputs = manifest.get("inputs", {})
        snapshot_id = new_snapshot_id(inputs if isinstance(inputs, dict) else {}, now)
        base = self.url.key(SNAPSHOTS, snapshot_id)
        try:
            files: dict[str, dict[str, int]] = {}
            with tempfile.TemporaryDirectory(prefix="etl-s3-") as staging:
                for name, (frame, schema) in tables.items():
                    local = Path(staging) / f"{name}.parquet"
                    _write_table(frame, local, schema)
                    self._upload(local, f"{base}/{name}.parquet")
                    files[name] = {"bytes": local.stat().st_size, "rows": len(frame)}
            _test_pause()
            self._verify(base, files)
            document = {**manifest_document(snapshot_id, now, manifest, tables), "files": files}
            data = json.dumps(document, indent=2, ensure_ascii=False, default=str).encode()
            self._put(f"{base}/{MANIFEST}", data, "application/json")
            if self._read(f"{base}/{MANIFEST}") != data:
                raise StorageError(f"{self.location}: the manifest of {snapshot_id} did not read back as written")
            if self._pointer() != before:
                raise StorageError(f"{self.location}: another writer switched 'current' during this run; not switching "
                                   "(run the ETL on one scheduler host only)")
        except BaseException:
            with suppress(Exception):  # the next run deletes it if this does not get the chance
                self.fs.delete_dir(base)
            raise
        pointer = {"snapshot_id": snapshot_id, "created_at": now.isoformat(), "manifest": f"{SNAPSHOTS}/{snapshot_id}/{MANIFEST}"}
        self._put(self.url.key(CURRENT), json.dumps(pointer).encode(), "application/json")
        with self._cache_lock:
            self._cached.pop(CURRENT, None)
        return snapshot_id

    def _verify(self, base: str, files: dict[str, dict[str, int]]) -> None:
        """Every uploaded object has its size, and its footer (read back over the network) its row count."""
        keys = [f"{base}/{name}.parquet" for name in files]
        try:
            infos = self.fs.get_file_info(keys)
            for (name, expected), info in zip(files.items(), infos, strict=True):
                if info.type != pafs.FileType.File or info.size != expected["bytes"]:
                    raise StorageError(f"{self.location}: {name}.parquet of the new snapshot has {info.size} bytes, "
                                       f"{expected['bytes']} were uploaded")
                rows = pq.read_metadata(info.path, filesystem=self.fs).num_rows
                if rows != expected["rows"]:
                    raise StorageError(f"{self.location}: {name}.parquet reads back {rows} rows, not {expected['rows']}")
        except OSError as error:
            raise self._fail("verify the uploaded snapshot", error) from error

    # --- retention ----------------------------------------------------------------------------

    def prune_candidates(self, *, keep: int, grace: timedelta, now: datetime | None = None) -> list[str]:
        """The snapshots the local rule (:func:`etl.retention.doomed_ids`) would remove.

        Nodes hold no lease on object storage: what protects a request still reading a superseded
        snapshot is the grace, so keep it longer than the longest request plus the pointer TTL.
        """
        from etl.retention import doomed_ids

        snapshots = []
        for snapshot_id in self.snapshot_ids():
            created = (self.read_manifest(snapshot_id) or {}).get("created_at")
            try:
                snapshots.append((snapshot_id, datetime.fromisoformat(str(created))))
            except ValueError:  # no readable time in the manifest: the id carries it
                snapshots.append((snapshot_id, datetime.strptime(snapshot_id[:22], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)))
        return doomed_ids(snapshots, self._load_current(), keep=keep, grace=grace, now=now)

    def remove_snapshots(self, snapshot_ids: list[str]) -> list[str]:
        """Delete each snapshot, manifest first: a deletion cut short leaves an unfinished upload
        (removed by :meth:`clean_temporaries`), never a snapshot that looks whole but is not."""
        removed = []
        for snapshot_id in snapshot_ids:
            base = self.url.key(SNAPSHOTS, snapshot_id)
            try:
                self.fs.delete_file(f"{base}/{MANIFEST}")
                self.fs.delete_dir(base)
            except OSError as error:
                raise self._fail(f"delete snapshot {snapshot_id}", error) from error
            removed.append(snapshot_id)
        return removed

    # --- run history --------------------------------------------------------------------------

    def append_run(self, record: dict) -> None:
        """Rewrite ``runs.jsonl`` with one more line (one writer: see the module docstring)."""
        key = self.url.key(HISTORY)
        existing = self._read(key) or b""
        if existing and not existing.endswith(b"\n"):
            existing += b"\n"
        line = json.dumps(record, ensure_ascii=False, default=str).encode() + b"\n"
        self._put(key, existing + line, "application/x-ndjson")

    def put_run_file(self, name: str, data: bytes) -> str:
        """A file of a run (its problem list) under ``runs/``; returns its key relative to the prefix."""
        from etl.report import RUNS_DIR

        self._put(self.url.key(RUNS_DIR, name), data, "text/csv; charset=utf-8")
        return f"{RUNS_DIR}/{name}"

    def read_runs(self, *, limit: int | None = None) -> list[dict]:
        from etl.history import parse_runs

        runs = parse_runs((self._read(self.url.key(HISTORY)) or b"").decode("utf-8", "replace").splitlines())
        return runs[-limit:] if limit else runs

    def history_tail(self, max_bytes: int) -> bytes:
        return self._remembered(f"history:{max_bytes}", HISTORY_TTL, lambda: self._tail(max_bytes))

    def _tail(self, max_bytes: int) -> bytes:
        try:
            with self.fs.open_input_file(self.url.key(HISTORY)) as handle:
                size = handle.size()
                handle.seek(max(0, size - max_bytes))
                return handle.read()
        except FileNotFoundError:
            return b""
        except OSError as error:
            if "NoSuchKey" in str(error) or "404" in str(error):
                return b""
            raise self._fail(f"read {HISTORY}", error) from error
