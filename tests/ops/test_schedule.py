"""The scheduler really fires: a seconds-level trigger in a subprocess, bounded by --max-runs and a timeout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from etl.history import read_runs
from etl.refresh import RefreshResult
from etl.schedule import make_trigger, run_scheduled
from tests.ops.conftest import path_args, run_etl


def test_scheduled_runs_fire_and_are_recorded(paths):
    result = run_etl("schedule", "--seconds", "1", "--max-runs", "2", *path_args(paths))
    assert result.returncode == 0, result.stderr
    runs = read_runs(paths["warehouse"])
    assert [r["outcome"] for r in runs] == ["ok", "unchanged"]
    assert "run 1: ok" in result.stderr and "run 2: unchanged" in result.stderr


def test_run_now_fires_immediately_in_process():
    calls = []

    def job() -> RefreshResult:
        calls.append(datetime.now(UTC))
        return RefreshResult("unchanged", "S", 0.0, messages=["unchanged: snapshot S is up to date"])

    count = run_scheduled(job, make_trigger(None, 3600), run_now=True, max_runs=1)
    assert count == 1 and len(calls) == 1


def test_crontab_expression_is_parsed_in_utc():
    trigger = make_trigger("0 6 * * *", None)
    fire = trigger.get_next_fire_time(None, datetime(2026, 1, 1, 7, 0, tzinfo=UTC))
    assert fire == datetime(2026, 1, 2, 6, 0, tzinfo=UTC)


def test_a_schedule_is_required():
    with pytest.raises(ValueError):
        make_trigger(None, None)
    assert run_etl("schedule", "--cron", "not a cron").returncode != 0
