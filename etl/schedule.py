"""Scheduled refresh in the foreground: APScheduler 3's ``BlockingScheduler``.

The job is :func:`etl.refresh.refresh`, so a scheduled run is incremental, locked and recorded
exactly like ``python -m etl run``. ``max_instances=1`` and ``coalesce=True``: a run that
overruns its slot delays the next rather than stacking; the warehouse lock also keeps a
cron-started one-shot run and the scheduler from overlapping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from etl.lock import LockBusyError
from etl.refresh import RefreshResult

log = logging.getLogger("etl.schedule")


def make_trigger(cron: str | None, seconds: float | None) -> BaseTrigger:
    """A crontab expression (``"0 6 * * *"``, in UTC) or a fixed interval in seconds."""
    if seconds is not None:
        return IntervalTrigger(seconds=seconds, timezone=UTC)
    if not cron:
        raise ValueError("give --cron EXPR or --seconds N")
    return CronTrigger.from_crontab(cron, timezone=UTC)


def run_scheduled(
    job: Callable[[], RefreshResult],
    trigger: BaseTrigger,
    *,
    run_now: bool = False,
    max_runs: int | None = None,
) -> int:
    """Run ``job`` on ``trigger`` until interrupted (or after ``max_runs`` runs); return how many ran."""
    scheduler = BlockingScheduler(timezone=UTC)
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        try:
            result = job()
            detail = result.messages[0] if result.outcome == "unchanged" else (
                "; ".join(result.errors[:3]) if result.outcome == "failed" else f"published {result.snapshot_id}")
            log.info("run %d: %s, snapshot %s, %.2f s — %s", count, result.outcome, result.snapshot_id,
                     result.duration_s, detail)
        except LockBusyError as error:
            log.warning("run %d: skipped — %s", count, error)
        except Exception:
            log.exception("run %d: failed with an unexpected error (recorded in runs.jsonl)", count)
        if max_runs is not None and count >= max_runs:
            scheduler.shutdown(wait=False)

    options = {"next_run_time": datetime.now(UTC)} if run_now else {}
    scheduler.add_job(tick, trigger, id="etl-refresh", max_instances=1, coalesce=True, misfire_grace_time=3600,
                      **options)
    log.info("scheduler started: %s", trigger)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
    return count
