"""A refresh: the ETL run as operations sees it — locked, incremental, recorded, pruned.

``refresh()`` is what both ``python -m etl run`` and the scheduler call:

1. take the warehouse lock (a concurrent run waits up to ``wait`` seconds, then gives up);
2. hash the inputs (raw and reference files) *before parsing anything* and compare them and
   the code version with the current snapshot's manifest: equal → publish nothing;
3. otherwise build and publish a new snapshot (any bad input → nothing published);
4. prune old snapshots (retention);
5. append the outcome to ``runs.jsonl`` — failures included.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from etl.history import error_lines
from etl.pipeline import DEFAULT_RAW, DEFAULT_REFERENCE, DEFAULT_WAREHOUSE, code_version, input_hashes, run
from etl.problems import InputError
from etl.retention import DEFAULT_GRACE, DEFAULT_KEEP
from etl.storage import Store, open_store


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


def current_manifest(warehouse: Path | str | Store) -> dict | None:
    """The manifest of the snapshot ``current`` points at, or None."""
    return open_store(warehouse).current_manifest()


def is_up_to_date(manifest: dict | None, inputs: dict[str, str], version: str) -> bool:
    """Whether a snapshot with ``manifest`` was built from exactly these inputs by this code."""
    return bool(manifest) and manifest.get("inputs") == inputs and manifest.get("code_version") == version


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

    ``warehouse`` is a directory or an ``s3://bucket/prefix`` URL (:mod:`etl.storage`).
    """
    store = open_store(warehouse)
    with store.lock(wait=wait):
        started = datetime.now(UTC)
        clock = time.monotonic()
        inputs: dict[str, str] = {}
        result: RefreshResult
        record: dict = {"started_at": started.isoformat(), "forced": force}
        try:
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
                outcome = run(raw, store, reference)
                result = RefreshResult("ok", outcome.snapshot_id, 0.0, messages=list(outcome.messages))
                record["rows"] = outcome.tables
                reconciliation = getattr(outcome, "reconciliation", None)
                if reconciliation is not None:
                    record["reconciliation"] = reconciliation
            result.pruned = store.prune(keep=keep, grace=grace)
        except InputError as error:
            shown, count = error_lines(str(p) for p in error.problems)
            result = RefreshResult("failed", None, 0.0, errors=shown, error_count=count)
        except Exception as error:  # recorded, then re-raised: an unexpected crash must not pass silently
            shown, count = error_lines(traceback.format_exception_only(error))
            result = RefreshResult("failed", None, 0.0, errors=[line.rstrip() for line in shown], error_count=count)
            _finish(store, result, record, inputs, clock)
            raise
        _finish(store, result, record, inputs, clock)
        return result


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
    result.record = record
    store.append_run(record)
