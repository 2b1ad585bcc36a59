"""A refresh: the ETL run as operations sees it — locked, incremental, recorded, pruned.

``refresh()`` is what both ``python -m etl run`` and the scheduler call:

1. take the warehouse lock (a concurrent run waits up to ``wait`` seconds, then gives up), and
   record the current snapshot if the run that published it was stopped before recording it;
2. hash the inputs (raw and reference files) *before parsing anything* and compare them and
   the code version with the current snapshot's manifest: equal → publish nothing;
3. otherwise build and publish a new snapshot (any bad input → nothing published);
4. append the outcome to ``runs.jsonl`` — failures included — and only then
5. prune old snapshots (retention; never one a dashboard has open).
"""

from __future__ import annotations

import errno
import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.history import MAX_ERROR_LINES, error_lines
from etl.inputs import DEFAULT_RAW, DEFAULT_REFERENCE, DEFAULT_WAREHOUSE, code_version, input_hashes
from etl.lock import LockBusyError
from etl.problems import InputError, Problem, errors
from etl.report import render_problems, run_name, sample, summarise
from etl.retention import DEFAULT_GRACE, DEFAULT_KEEP
from etl.storage import StorageError, Store, open_store


@dataclass
class RefreshResult:
    """What one refresh did; ``record`` is the line written to the run history."""

    outcome: str  # ok | unchanged | failed
    snapshot_id: str | None
    duration_s: float
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    pruned: list[str] = field(default_factory=list)
    record: dict = field(default_factory=dict)
    #: Why a failed run failed: ``input`` (problems in the files), ``operational`` (I/O), ``crash``.
    failure: str | None = None
    #: Every problem of the run (errors and warnings), grouped in the record (etl/report.py).
    problems: list[Problem] = field(default_factory=list)


def current_manifest(warehouse: Path | str | Store) -> dict | None:
    """The manifest of the snapshot ``current`` points at, or None."""
    return open_store(warehouse).current_manifest()


def is_up_to_date(manifest: dict | None, inputs: dict[str, str], version: str) -> bool:
    """Whether a snapshot with ``manifest`` was built from exactly these inputs by this code."""
    return bool(manifest) and manifest.get("inputs") == inputs and manifest.get("code_version") == version


#: Tests set this to a number of seconds to hold a run after it published, before it records the run.
RECORD_PAUSE_ENV = "ETL_TEST_RECORD_PAUSE"


def refresh(
    raw: Path = DEFAULT_RAW,
    warehouse: Path | str | Store = DEFAULT_WAREHOUSE,
    reference: Path = DEFAULT_REFERENCE,
    *,
    force: bool = False,
    wait: float = 0.0,
    keep: int = DEFAULT_KEEP,
    grace: timedelta = DEFAULT_GRACE,
) -> RefreshResult:
    """Run the ETL once if its inputs changed; raise :class:`~etl.lock.LockBusyError` if another run holds the lock.

    Taking the lock is inside the error handling: a warehouse that cannot be written (read-only,
    no permission, a missing parent that cannot be made) is a failed run with one clear line, not
    a traceback, and is recorded in ``runs.jsonl`` when that file can be written at all.
    ``warehouse`` is a directory or an ``s3://bucket/prefix`` URL (:mod:`etl.storage`).
    """
    started = datetime.now(UTC)
    clock = time.monotonic()
    inputs: dict[str, str] = {}
    record: dict = {"started_at": started.isoformat(), "forced": force}
    state = {"recorded": False}
    store: Store | None = None
    try:
        store = open_store(warehouse)
        with store.lock(wait=wait):
            recover_unrecorded(store)
            store.clean_temporaries()
            inputs = input_hashes(raw, reference)
            version = code_version()
            manifest = store.current_manifest()
            if not force and is_up_to_date(manifest, inputs, version):
                snapshot_id = manifest["snapshot_id"]  # type: ignore[index]
                result = RefreshResult("unchanged", snapshot_id, 0.0,
                                       messages=[f"unchanged: snapshot {snapshot_id} is up to date"])
                record["rows"] = manifest.get("row_counts", {})  # type: ignore[union-attr]
            else:
                from etl.pipeline import run  # pandas, pyarrow, DuckDB: only when there is work

                outcome = run(raw, store, reference)
                result = RefreshResult("ok", outcome.snapshot_id, 0.0, messages=list(outcome.messages),
                                       problems=list(outcome.warnings))
                record["rows"] = outcome.tables
                reconciliation = getattr(outcome, "reconciliation", None)
                if reconciliation is not None:
                    record["reconciliation"] = reconciliation
                _test_pause(RECORD_PAUSE_ENV)
            # Recorded before pruning: a run killed while deleting old snapshots is still in the history.
            doomed = store.prune_candidates(keep=keep, grace=grace)
            result.pruned = list(doomed)
            _finish(store, result, record, inputs, clock)
            state["recorded"] = True
            removed = store.remove_snapshots(doomed)
            if len(removed) < len(doomed):
                busy = sorted(set(result.pruned) - set(removed))
                result.messages.append(f"kept {len(busy)} old snapshot(s) still open in the dashboard: {', '.join(busy)}")
            result.pruned = removed
            return result
    except LockBusyError:
        raise
    except InputError as error:
        result = RefreshResult("failed", None, 0.0, errors=sample(errors(error.problems), MAX_ERROR_LINES),
                               error_count=len(errors(error.problems)), failure="input", problems=error.problems)
    except OSError as error:
        if state["recorded"]:
            raise
        line = operational_line(error, warehouse)
        result = RefreshResult("failed", None, 0.0, errors=[line], error_count=1, failure="operational")
        if store is None:  # not even a store (a malformed s3:// URL): nowhere to record it
            return _unrecorded(result, record, inputs, clock)
    except Exception as error:  # recorded, then re-raised: an unexpected crash must not pass silently
        if not state["recorded"]:
            shown, count = error_lines(traceback.format_exception_only(error))
            result = RefreshResult("failed", None, 0.0, errors=[line.rstrip() for line in shown], error_count=count,
                                   failure="crash")
            if store is not None:
                _finish_if_possible(store, result, record, inputs, clock)
        raise
    _finish_if_possible(store, result, record, inputs, clock)
    return result


def _unrecorded(result: RefreshResult, record: dict, inputs: dict[str, str], clock: float) -> RefreshResult:
    result.duration_s = round(time.monotonic() - clock, 3)
    result.record = {**record, "inputs": inputs, "outcome": result.outcome, "errors": result.errors}
    return result


def _test_pause(name: str) -> None:
    pause = os.environ.get(name)
    if pause:
        time.sleep(float(pause))


def operational_line(error: OSError, warehouse: Path) -> str:
    """One line an operator can act on: ``cannot write to /srv/wh/.etl.lock: permission denied``."""
    if isinstance(error, StorageError):
        return str(error)  # already says where and why (an s3:// warehouse)
    reason = (error.strerror or str(error) or type(error).__name__).lower()
    where = error.filename if error.filename is not None else warehouse
    try:
        path, root = Path(where).resolve(), Path(warehouse).resolve()
        writing = path.is_relative_to(root) or root.is_relative_to(path)  # in the warehouse, or a folder above it
    except (OSError, ValueError):
        writing = False
    writing = writing or error.errno in (errno.EROFS, errno.ENOSPC, errno.EDQUOT)
    verb = "cannot write to" if writing else "cannot read"
    return f"{verb} {where}: {reason}"


def recover_unrecorded(warehouse: Path | str | Store) -> dict | None:
    """Record the current snapshot if no run did: its run was stopped after publishing, before recording.

    Without this, ``history`` and the dashboard's banner would name an older snapshot as the
    last refresh. The record is built from the snapshot's manifest and says it was recovered.
    """
    store = open_store(warehouse)
    manifest = store.current_manifest()
    if not manifest or not manifest.get("snapshot_id"):
        return None
    snapshot_id = manifest["snapshot_id"]
    if any(r.get("snapshot_id") == snapshot_id and r.get("outcome") == "ok" for r in store.read_runs()):
        return None
    record = {
        "started_at": manifest.get("created_at"), "finished_at": manifest.get("created_at"), "duration_s": 0.0,
        "outcome": "ok", "snapshot_id": snapshot_id, "inputs": manifest.get("inputs", {}),
        "rows": manifest.get("row_counts", {}), "recovered": True, "errors": [], "error_count": 0, "pruned": [],
        "messages": ["recorded after the fact: the run that published this snapshot stopped before recording it"],
    }
    store.append_run(record)
    return record


def _finish_if_possible(store: Store, result: RefreshResult, record: dict, inputs: dict[str, str],
                        clock: float) -> None:
    """Record a failed run; if even that fails (a read-only warehouse), say so in the result."""
    try:
        _finish(store, result, record, inputs, clock)
    except OSError as error:
        result.record = record
        result.messages.append(f"this run is not in runs.jsonl: {operational_line(error, store.location)}")


def _finish(store: Store, result: RefreshResult, record: dict, inputs: dict[str, str], clock: float) -> None:
    result.duration_s = round(time.monotonic() - clock, 3)
    record.update(
        finished_at=datetime.now(UTC).isoformat(),
        duration_s=result.duration_s,
        outcome=result.outcome,
        snapshot_id=result.snapshot_id,
        inputs=inputs,
        messages=result.messages,
        errors=result.errors,
        error_count=result.error_count,
        pruned=result.pruned,
    )
    if result.failure:
        record["failure"] = result.failure
    if result.problems:
        _record_problems(store, result, record)
    result.record = record
    store.append_run(record)


def _record_problems(store: Store, result: RefreshResult, record: dict) -> None:
    """The grouped problem summary in the record, and every problem in ``runs/<run>.problems.csv``."""
    record["problems"] = summarise(result.problems)
    record["warning_count"] = len(result.problems) - len(errors(result.problems))
    if result.outcome == "ok":
        record["warnings"] = sample(result.problems, MAX_ERROR_LINES)
    name = f"{run_name(datetime.fromisoformat(record['started_at']))}.problems.csv"
    try:
        record["problems_file"] = store.put_run_file(name, render_problems(result.problems))
    except OSError as error:
        result.messages.append(f"the list of problems is not saved: {error}")
