"""Command line.

``python -m etl run [--raw DIR] [--warehouse DIR] [--reference DIR]`` builds and publishes;
``python -m etl extract RELEASE [--out CANDIDATES.csv]`` lists candidate figures for review.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.extract import add_arguments as add_extract_arguments
from etl.extract import run_extract
from etl.pipeline import DEFAULT_RAW, DEFAULT_REFERENCE, DEFAULT_WAREHOUSE, run
from etl.problems import InputError

#: How many problems are printed before the rest are only counted.
MAX_PRINTED = 500


def _run(args: argparse.Namespace) -> int:
    try:
        result = run(args.raw, args.warehouse, args.reference)
    except InputError as error:
        for problem in error.problems[:MAX_PRINTED]:
            print(problem, file=sys.stderr)
        if len(error.problems) > MAX_PRINTED:
            print(f"... and {len(error.problems) - MAX_PRINTED} more", file=sys.stderr)
        print(f"ETL failed: {len(error.problems)} problem(s); nothing published, 'current' unchanged.", file=sys.stderr)
        return 1
    print(f"Read {result.files} file(s): {result.observations} observations from {result.sources} sources.")
    for line in result.messages:
        print(line)
    print(f"Published snapshot {result.snapshot_id} -> {args.warehouse / 'current'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="Reported figures → Parquet warehouse.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="build and publish a snapshot once")
    run_parser.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="input directory (default data/raw)")
    run_parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="warehouse directory (default data/warehouse)")
    run_parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE, help="reference tables (default data/reference)")
    run_parser.set_defaults(handler=_run)
    extract_parser = commands.add_parser("extract", help="candidate figures from a press release, for review (never published)")
    add_extract_arguments(extract_parser)
    extract_parser.set_defaults(handler=run_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
