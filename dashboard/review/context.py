"""What the review page's callbacks share: where the files are, and the reference tables.

The reference tables and the extractor's lexicon are loaded on first use (nothing at import or
app creation) and loaded again when a reference file changes, so an edited ``regions.csv``
reaches the page without a restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.query import Warehouse
from dashboard.review.layout import Choices
from etl.extract import build_lexicon
from etl.extract.lexicon import Lexicon
from etl.reference import Reference, load_reference, reference_files

#: Grid columns whose cell editor is a dropdown of reference codes: column → (table, code column).
CODE_COLUMNS = {
    "indicator": ("indicators", "code"),
    "industry": ("industries", "code"),
    "product": ("products", "code"),
    "measure": ("measures", "code"),
    "status": ("statuses", "code"),
    "scope": ("scopes", "code"),
}
FIXED_CHOICES = {
    "review": ("candidate", "accepted", "rejected"),
    "period_kind": ("ytd", "month", "quarter", "half", "year", "span"),
    "price_basis": ("", "comparable", "current"),
}


@dataclass
class ReviewContext:
    raw: Path
    reference_dir: Path
    warehouse: Warehouse
    #: The warehouse as the ETL takes it (a directory or ``s3://bucket/prefix``).
    warehouse_location: Path | str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _loaded: tuple | None = field(default=None, repr=False)

    def _stamp(self) -> tuple:
        return tuple((str(p), p.stat().st_mtime_ns) for p in reference_files(self.reference_dir))

    def _load(self) -> tuple[Reference, Lexicon, Choices]:
        with self._lock:
            stamp = self._stamp()
            if self._loaded is None or self._loaded[0] != stamp:
                reference, _problems = load_reference(self.reference_dir)
                self._loaded = (stamp, reference, build_lexicon(reference), choices_from(reference))
            return self._loaded[1:]

    def reference(self) -> tuple[Reference, Lexicon]:
        reference, lexicon, _choices = self._load()
        return reference, lexicon

    def choices(self) -> Choices:
        return self._load()[2]


def choices_from(reference: Reference) -> Choices:
    """The grid's dropdowns and the region list, from the reference tables."""
    columns: dict[str, tuple[str, ...]] = dict(FIXED_CHOICES)
    for column, (table, code) in CODE_COLUMNS.items():
        frame = reference.tables.get(table)
        if frame is not None and code in frame:
            values = [str(v) for v in frame[code].dropna().unique() if str(v)]
            if column in ("product", "scope"):
                values = ["", *values]
            columns[column] = tuple(values)
    regions = reference.tables["regions"]
    china = regions[(regions["scheme"] == "GB/T 2260") | (regions["code"] == "CN")]
    listed = tuple((str(r.code), str(r.name_zh), str(r.name_en)) for r in china.itertuples(index=False))
    return Choices(columns=columns, regions=listed)
