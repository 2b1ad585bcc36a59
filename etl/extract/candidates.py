"""Candidates: figures-format rows with review columns, and the source row they cite.

A candidates file is a ``*.figures.csv`` in the documented input format (docs/input-format.md)
plus three review columns the ETL reads but never publishes:

* ``review`` — ``candidate`` (as extracted), ``accepted`` or ``rejected``. The ETL publishes
  the ``accepted`` rows only, so a file can be reviewed in a spreadsheet and dropped into
  ``data/raw/`` as it is;
* ``excerpt`` — the sentence the figure came from;
* ``confidence`` — 0–1, lowered by every field the grammar had to infer rather than read.

Rows are written in the release's order; a figure stated twice (a title and its paragraph, an
introduction that repeats the body) is one row. Two rows with the same key but different
values are kept, flagged, for the reviewer to choose.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import asdict, dataclass, fields
from datetime import date

from etl.extract.clauses import DOUBTS, Draft
from etl.extract.regions import Setting
from etl.readers.base import SOURCE_FIELDS
from etl.readers.figures import REVIEW_COLUMNS

#: The figures columns a candidate fills, in the order of docs/input-format.md.
FIGURE_COLUMNS = (
    "region", "industry", "indicator", "product", "period", "period_kind", "measure", "value", "unit",
    "qualifier", "status", "price_basis", "scope", "share_of", "source_id", "note",
)
CANDIDATE_COLUMNS: tuple[str, ...] = (*FIGURE_COLUMNS, *REVIEW_COLUMNS)
#: What makes two candidates the same figure (the observation key, printed forms).
KEY = ("region", "industry", "indicator", "product", "scope", "period", "period_kind", "measure", "share_of",
       "price_basis")


@dataclass
class Candidate:
    """One figure found in a release, as a reviewable row of the reported-figures format."""

    region: str = ""
    industry: str = ""
    indicator: str = ""
    product: str = ""
    period: str = ""
    period_kind: str = ""
    measure: str = "level"
    value: str = ""
    unit: str = ""
    qualifier: str = "exact"
    status: str = ""
    price_basis: str = ""
    scope: str = ""
    share_of: str = ""
    source_id: str = ""
    note: str = ""
    review: str = "candidate"
    excerpt: str = ""
    confidence: str = ""
    #: Where the number stands in ``excerpt`` (for highlighting; not written to the file).
    start: int = 0
    end: int = 0

    def row(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if k in CANDIDATE_COLUMNS}

    def key(self) -> tuple[str, ...]:
        return tuple(getattr(self, k) for k in KEY)


def confidence(doubts: list[str]) -> float:
    """0.95 less each doubt's weight (clamped to 0.05–0.95): a plain, explainable score."""
    score = 0.95 - sum(DOUBTS.get(d, 0.1) for d in dict.fromkeys(doubts))
    return round(min(0.95, max(0.05, score)), 2)


def candidates(drafts: list[Draft], source_id: str) -> list[Candidate]:
    """Drafts → candidate rows: repeats dropped, conflicting values flagged."""
    out: list[Candidate] = []
    seen: dict[tuple[str, ...], Candidate] = {}
    for draft in drafts:
        candidate = Candidate(
            **{f.name: getattr(draft, f.name) for f in fields(Candidate) if hasattr(draft, f.name)
               and f.name not in ("note", "review", "confidence", "source_id", "excerpt")},
            source_id=source_id, excerpt=draft.sentence,
        )
        doubts = list(draft.doubts)
        previous = seen.get(candidate.key())
        if previous is not None:
            if float(previous.value or "nan") == float(candidate.value or "nan"):
                continue  # stated twice: one row
            doubts.append("same figure, another value, elsewhere in the release")
            previous.note = _join(previous.note, "another value of the same figure follows")
        seen.setdefault(candidate.key(), candidate)
        candidate.confidence = f"{confidence(doubts):.2f}"
        candidate.note = _join(candidate.note, "; ".join(dict.fromkeys(doubts)))
        out.append(candidate)
    return out


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def write_candidates(rows: list[Candidate], out: io.TextIOBase) -> None:
    """The candidates as CSV: the figures columns, then review, excerpt, confidence."""
    writer = csv.DictWriter(out, fieldnames=list(CANDIDATE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for candidate in rows:
        writer.writerow(candidate.row())


def suggest_source_id(setting: Setting, text: str) -> str:
    """A stable, readable id: publisher or host, date, and a short hash of the text."""
    host = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://([^/:]+).*$", r"\1", setting.url.lower())) if setting.url else ""
    stem = re.sub(r"[^a-z0-9]+", "-", host.split(".")[0] if host else "release").strip("-") or "release"
    when = setting.published.isoformat() if setting.published else (str(setting.year) if setting.year else "undated")
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return f"{stem}-{when}-{digest}"


def source_row(source_id: str, setting: Setting, *, authority: str = "", retrieved: date | None = None) -> dict[str, str]:
    """The ``*.sources.csv`` row the candidates cite."""
    return {
        "source_id": source_id,
        "title": setting.title,
        "publisher": setting.publisher,
        "url": setting.url,
        "published_date": setting.published.isoformat() if setting.published else "",
        "retrieved_date": (retrieved or date.today()).isoformat() if not setting.published else "",
        "authority": authority,
        "note": "",
    }


def write_sources(rows: list[dict[str, str]], out: io.TextIOBase) -> None:
    writer = csv.DictWriter(out, fieldnames=list(SOURCE_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in SOURCE_FIELDS})
