"""``python -m bench.extract`` (``make bench-extract``): the extractor scored on the labelled corpus.

The releases are other people's text and stay outside the project: they are read from
``../shared/releases/`` and ``../shared/seed/`` (beside the repository); the project keeps only
the labels, ``tests/data/releases/*.labels.csv``, and the hints a user would give
(``releases.csv``: a release date where the page does not print one). Writes the per-release
table to ``bench/extract-results.md`` (or ``--out``) and prints it; exits 0 when the corpus is
absent, saying so.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from etl.extract import Hints, build_lexicon, extract
from etl.extract.score import ReleaseScore, markdown_table, score_release, summary
from etl.reference import load_reference

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "tests" / "data" / "releases"
SHARED = REPO.parent / "shared"
RESULTS = REPO / "bench" / "extract-results.md"


@dataclass(frozen=True)
class Release:
    file: str
    path: Path
    labels: Path
    hints: Hints


def corpus(shared: Path = SHARED, labels: Path = LABELS) -> list[Release]:
    """The labelled releases whose text is present (none when ``../shared`` is absent)."""
    out = []
    with (labels / "releases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            path = shared / row["folder"] / row["file"]
            if not path.is_file():
                continue
            hints = Hints(date=date.fromisoformat(row["date"]) if row["date"] else None, region=row["region"],
                          publisher=row["publisher"])
            out.append(Release(row["file"], path, labels / (row["file"].removesuffix(".txt") + ".labels.csv"), hints))
    return out


def score_corpus(releases: list[Release]) -> list[ReleaseScore]:
    reference, problems = load_reference(REPO / "data" / "reference")
    if problems:
        raise SystemExit("reference tables have problems: " + "; ".join(map(str, problems[:5])))
    lexicon = build_lexicon(reference)
    scores = []
    for release in releases:
        result = extract(release.path.read_text(encoding="utf-8"), reference, release.hints, lexicon=lexicon)
        with release.labels.open(encoding="utf-8", newline="") as handle:
            labels = list(csv.DictReader(handle))
        scores.append(score_release(release.file.removesuffix(".txt"), labels, [c.row() for c in result.candidates],
                                    reference))
    return scores


def report(scores: list[ReleaseScore], seconds: float) -> str:
    total = summary(scores)
    lines = [
        "# Extraction on the labelled corpus",
        "",
        f"`python -m bench.extract`, {len(scores)} releases, {seconds:.1f} s. A candidate counts as found only with",
        "every field right (region, industry, indicator, product, scope, period and kind, measure, value and unit in",
        "base units, price basis, qualifier, status, share_of). Labels: tests/data/releases/ (README there).",
        "",
        markdown_table(scores),
        "",
        f"Targets (issue 11): found ≥ 90 % — {total['found_pct']:.1f} %; false ≤ 5 % — {total['false_pct']:.1f} %; "
        f"sign errors 0 — {total['sign_errors']}; percentage points stored as levels 0 — {total['points_as_levels']}.",
    ]
    details = [(s.name, s.misses, s.wrong) for s in scores if s.misses or s.wrong]
    if details:
        lines += ["", "## Misses and false candidates", ""]
        for name, misses, wrong in details:
            lines += [f"### {name}", ""]
            lines += [f"- missed: {m}" for m in misses]
            lines += [f"- false: {w}" for w in wrong]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"where to write the table (default {RESULTS})")
    args = parser.parse_args(argv)
    releases = corpus()
    if not releases:
        print(f"no releases found under {SHARED} (the corpus lives outside the project): nothing to score")
        return 0
    started = time.perf_counter()
    scores = score_corpus(releases)
    text = report(scores, time.perf_counter() - started)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
