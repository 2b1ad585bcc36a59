"""``python -m etl extract RELEASE.txt|.html [--out NAME.figures.csv] [hints]``.

Writes the candidates (figures columns + ``review``, ``excerpt``, ``confidence``) to ``--out``
or standard output and, with ``--out NAME.figures.csv``, the source they cite to
``NAME.sources.csv`` beside it. Mark rows ``accepted`` (or ``rejected``) in a spreadsheet and
drop both files into ``data/raw/``: the ETL publishes the accepted rows only. Numbers left out
are listed on standard error with the reason.

Hints fill what the text does not say, or correct what it says wrongly: ``--date`` (the
release date, which places 12月份 in its year), ``--region CODE`` (whose figures 全市 means),
``--source-url``, ``--title``, ``--publisher``.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

from etl.encoding import read_text
from etl.extract import Hints, extract
from etl.extract.candidates import source_row, write_candidates, write_sources
from etl.reference import load_reference


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="press release, plain text or HTML (UTF-8 or GBK)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write candidates here (NAME.figures.csv also writes NAME.sources.csv); default stdout")
    parser.add_argument("--reference", type=Path, default=Path("data/reference"), help="reference tables (default data/reference)")
    parser.add_argument("--date", type=_date, default=None, help="release date YYYY-MM-DD (places 7月份 in its year)")
    parser.add_argument("--region", default="", help="region code of the release (440000, CN) when the text does not say")
    parser.add_argument("--source-url", default="", help="the page's address")
    parser.add_argument("--title", default="", help="the release's title")
    parser.add_argument("--publisher", default="", help="who published it (国家统计局, CAAM, ...)")
    parser.add_argument("--source-id", default="", help="source_id for the rows (default: from the file name)")


def _source_id(path: Path) -> str:
    stem = path.name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-").lower() or "release"


def run_extract(args: argparse.Namespace) -> int:
    reference, problems = load_reference(args.reference)
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.region and args.region not in set(reference.regions["code"]):
        print(f"--region {args.region!r} is not a region code in {args.reference}/regions*.csv", file=sys.stderr)
        return 2
    text, _ = read_text(args.file)
    hints = Hints(date=args.date, region=args.region, source_url=args.source_url, title=args.title,
                  publisher=args.publisher)
    result = extract(text, reference, hints, source_id=args.source_id or _source_id(args.file))
    if args.out is None:
        write_candidates(result.candidates, sys.stdout)
    else:
        with args.out.open("w", encoding="utf-8-sig", newline="") as out:
            write_candidates(result.candidates, out)
        if args.out.name.endswith(".figures.csv"):
            sources = args.out.with_name(args.out.name[: -len(".figures.csv")] + ".sources.csv")
            with sources.open("w", encoding="utf-8-sig", newline="") as out:
                write_sources([source_row(result.source_id, result.setting)], out)
    for skip in result.skipped:
        print(f"left out {skip.sentence[skip.start:skip.end]!r}: {skip.reason} — {skip.sentence[:80]}", file=sys.stderr)
    setting = result.setting
    print(
        f"{len(result.candidates)} candidate figure(s) from {args.file} (region {setting.region or '?'}, "
        f"published {setting.published or '?'}, publisher {setting.publisher or '?'}); mark rows accepted or "
        "rejected in the 'review' column: the ETL publishes accepted rows only.",
        file=sys.stderr,
    )
    return 0


def extract_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl extract", description=__doc__.split("\n")[0])
    add_arguments(parser)
    return run_extract(parser.parse_args(argv))
