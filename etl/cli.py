"""Command line.

* ``python -m etl run [--raw DIR] [--warehouse DIR|s3://bucket/prefix] [--reference DIR] [--force] [--wait S] [--keep N]``:
  one refresh (skipped when nothing changed); an ``s3://`` warehouse is configured by the usual
  ``AWS_*`` environment variables (:mod:`etl.s3`).
* ``python -m etl schedule --cron "0 6 * * *"`` (or ``--seconds N``): refresh on a schedule, in the foreground.
* ``python -m etl history [--limit N]``: the recorded runs as a table.
* ``python -m etl extract RELEASE [--out CANDIDATES.csv]``: candidate figures from a press
  release, for a person to review (never published).

Exit codes: 0 published or unchanged, 1 failed (nothing published), 75 another run holds the
lock (EX_TEMPFAIL: try again later), 2 bad command line.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TextIO

from etl.history import format_table
from etl.inputs import DEFAULT_RAW, DEFAULT_REFERENCE, DEFAULT_WAREHOUSE
from etl.lock import LockBusyError
from etl.refresh import RefreshResult, refresh
from etl.report import summarise, summary_lines
from etl.retention import DEFAULT_GRACE, DEFAULT_KEEP
from etl.storage import StorageError, open_store, warehouse_location

#: How many problems are printed before the rest are only counted.
MAX_PRINTED = 500
EXIT_FAILED = 1
#: sysexits.h EX_TEMPFAIL: the lock was busy; retrying later is the right response.
EXIT_LOCKED = 75


def _refresh_kwargs(args: argparse.Namespace) -> dict:
    return {
        "force": args.force,
        "wait": args.wait,
        "keep": args.keep,
        "grace": timedelta(seconds=args.grace),
    }


def _report(result: RefreshResult, warehouse: Path | str) -> int:
    if result.outcome == "failed" and result.failure == "operational":
        print(f"ETL failed: {result.errors[0]}; nothing published, 'current' unchanged.", file=sys.stderr)
        for line in result.messages:
            print(line, file=sys.stderr)
        return EXIT_FAILED
    if result.outcome == "failed" and result.problems:
        _print_problems(result, warehouse, sys.stderr)
        print(f"ETL failed: {result.error_count} problem(s); nothing published, 'current' unchanged.", file=sys.stderr)
        return EXIT_FAILED
    if result.outcome == "failed":
        for line in result.errors[:MAX_PRINTED]:
            print(line, file=sys.stderr)
        if result.error_count > len(result.errors):
            print(f"... and {result.error_count - len(result.errors)} more (first {len(result.errors)} kept in runs.jsonl)",
                  file=sys.stderr)
        print(f"ETL failed: {result.error_count} problem(s); nothing published, 'current' unchanged.", file=sys.stderr)
        return EXIT_FAILED
    if result.problems:
        _print_problems(result, warehouse, sys.stdout)
    for line in result.messages:
        print(line)
    if result.outcome == "ok":
        rows = result.record.get("rows", {})
        print(f"Published snapshot {result.snapshot_id} -> {warehouse}/current "
              f"({rows.get('observations', 0)} observations, {rows.get('sources', 0)} sources) in {result.duration_s:.1f} s")
    if result.pruned:
        print(f"Pruned {len(result.pruned)} old snapshot(s): {', '.join(result.pruned)}")
    return 0


def _print_problems(result: RefreshResult, warehouse: Path | str, stream: TextIO) -> None:
    """Problems grouped by kind, each with its count and first lines; where the full list is."""
    for line in summary_lines(result.record.get("problems") or summarise(result.problems), result.problems):
        print(line, file=stream)
    if result.record.get("problems_file"):
        where = f"{str(warehouse).rstrip('/')}/{result.record['problems_file']}"
        print(f"every problem, one line per cell: {where}", file=stream)


def _run(args: argparse.Namespace) -> int:
    try:
        result = refresh(args.raw, args.warehouse, args.reference, **_refresh_kwargs(args))
    except LockBusyError as error:
        print(f"ETL not run: {error}", file=sys.stderr)
        return EXIT_LOCKED
    except StorageError as error:
        print(f"ETL failed: {error}; nothing published, 'current' unchanged.", file=sys.stderr)
        return EXIT_FAILED
    return _report(result, args.warehouse)


def _schedule(args: argparse.Namespace) -> int:
    from etl.schedule import make_trigger, run_scheduled  # APScheduler only for this command

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        trigger = make_trigger(args.cron, args.seconds)
    except ValueError as error:
        print(f"bad schedule: {error}", file=sys.stderr)
        return 2
    job = partial(refresh, args.raw, args.warehouse, args.reference, **_refresh_kwargs(args))
    run_scheduled(job, trigger, run_now=args.run_now, max_runs=args.max_runs)
    return 0


def _history(args: argparse.Namespace) -> int:
    try:
        runs = open_store(args.warehouse).read_runs(limit=args.limit)
    except StorageError as error:
        print(f"cannot read the run history: {error}", file=sys.stderr)
        return EXIT_FAILED
    if not runs:
        print(f"no runs recorded in {args.warehouse}")
        return 0
    print(format_table(runs))
    return 0


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="input directory (default data/raw)")
    parser.add_argument("--warehouse", type=warehouse_location, default=DEFAULT_WAREHOUSE,
                        help="warehouse directory (default data/warehouse) or s3://bucket/prefix")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE, help="reference tables (default data/reference)")


def _add_refresh_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="rebuild even when inputs and code are unchanged")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long for a concurrent run to finish (default 0: give up at once)")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP, metavar="N",
                        help=f"keep the newest N snapshots (default {DEFAULT_KEEP}; 'current' is always kept)")
    parser.add_argument("--grace", type=float, default=DEFAULT_GRACE.total_seconds(), metavar="SECONDS",
                        help="never delete a snapshot superseded less than this long ago (default 600)")


def _extract(args: argparse.Namespace) -> int:
    from etl.extract.cli import run_extract

    return run_extract(args)


def build_parser(*, extract: bool = True) -> argparse.ArgumentParser:
    """The command line. ``extract=False`` leaves out the ``extract`` command's arguments: they
    live with the extractor, whose import (pandas and the lexicon) would cost an unchanged
    ``run`` most of its time."""
    parser = argparse.ArgumentParser(prog="python -m etl", description="Reported figures → Parquet warehouse.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="build and publish a snapshot once (skipped when nothing changed)")
    _add_paths(run_parser)
    _add_refresh_options(run_parser)
    run_parser.set_defaults(handler=_run)

    schedule = commands.add_parser("schedule", help="refresh on a schedule, in the foreground")
    _add_paths(schedule)
    _add_refresh_options(schedule)
    when = schedule.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help='crontab expression in UTC, e.g. "0 6 * * *"')
    when.add_argument("--seconds", type=float, help="run every N seconds (for tests and demos)")
    schedule.add_argument("--run-now", action="store_true", help="also run once immediately")
    schedule.add_argument("--max-runs", type=int, default=None, help="stop after N runs (default: run forever)")
    schedule.set_defaults(handler=_schedule)

    history = commands.add_parser("history", help="show recorded runs")
    history.add_argument("--warehouse", type=warehouse_location, default=DEFAULT_WAREHOUSE)
    history.add_argument("--limit", type=int, default=20, help="show the last N runs (default 20)")
    history.set_defaults(handler=_history)

    extract_parser = commands.add_parser(
        "extract", help="candidate figures from a press release, for review (never published)"
    )
    if extract:
        from etl.extract.cli import add_arguments as add_extract_arguments

        add_extract_arguments(extract_parser)
    extract_parser.set_defaults(handler=_extract)
    return parser


#: Commands whose arguments never need the extractor's.
_WITHOUT_EXTRACT = ("run", "schedule", "history")


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = build_parser(extract=not words or words[0] not in _WITHOUT_EXTRACT).parse_args(argv)
    return args.handler(args)
