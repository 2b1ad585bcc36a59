"""The labelled corpus: the extractor's score, and every candidate taken by the ETL as written.

The releases are read from ../shared/releases and ../shared/seed (never copied into the
project); without them these tests skip. The table is printed (``pytest -s``) and written by
``make bench-extract``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.extract import corpus, report, score_corpus
from etl.extract import extract
from etl.extract.candidates import source_row, write_candidates, write_sources
from etl.extract.score import summary
from etl.pipeline import run
from tests.readers.helpers import REFERENCE_DIR, reference


@pytest.fixture(scope="module")
def releases():
    found = corpus()
    if not found:
        pytest.skip("../shared/releases is not present (the corpus lives outside the project)")
    return found


def test_every_release_in_the_index_is_labelled(releases) -> None:
    for release in releases:
        with release.labels.open(encoding="utf-8") as handle:
            assert len(list(csv.DictReader(handle))) > 0, release.file


def test_the_extractor_meets_the_issue_targets(releases) -> None:
    scores = score_corpus(releases)
    print("\n" + report(scores, 0.0))
    total = summary(scores)
    assert total["labels"] >= 300
    assert total["found_pct"] >= 90.0
    assert total["false_pct"] <= 5.0
    assert total["sign_errors"] == 0
    assert total["points_as_levels"] == 0


def test_every_candidate_is_valid_etl_input_once_accepted(releases, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    count = 0
    for release in releases:
        result = extract(release.path.read_text(encoding="utf-8"), reference(), release.hints)
        for candidate in result.candidates:
            candidate.review = "accepted"
        stem = release.file.removesuffix(".txt")
        with (raw / f"{stem}.figures.csv").open("w", encoding="utf-8", newline="") as out:
            write_candidates(result.candidates, out)
        with (raw / f"{stem}.sources.csv").open("w", encoding="utf-8", newline="") as out:
            write_sources([source_row(result.source_id, result.setting)], out)
        count += len(result.candidates)
    outcome = run(raw, tmp_path / "warehouse", REFERENCE_DIR)
    assert outcome.observations >= count  # derived rows come on top of the published ones
