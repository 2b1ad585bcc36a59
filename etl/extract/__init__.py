"""Candidate figures from a statistical press release, for a person to review.

``extract(text, reference, hints)`` reads a release in Chinese or English (plain text or HTML)
and returns an :class:`Extraction`: the release's setting (region, publisher, date), one
:class:`~etl.extract.candidates.Candidate` per figure, and the numbers it left out with the
reason. The modules hold one step each:

* :mod:`~etl.extract.text` — HTML → text, furniture and notes set aside, sentences;
* :mod:`~etl.extract.numbers`, :mod:`~etl.extract.periods` — numbers with units, periods;
* :mod:`~etl.extract.lexicon` — names from the reference tables (longest match);
* :mod:`~etl.extract.words`, :mod:`~etl.extract.tokens` — grammar words, a sentence as tokens;
* :mod:`~etl.extract.regions`, :mod:`~etl.extract.subjects`, :mod:`~etl.extract.clauses` —
  whose figure, and what it measures;
* :mod:`~etl.extract.candidates` — rows of the figures format with review columns;
* :mod:`~etl.extract.cli` — ``python -m etl extract``.

Nothing here is published by itself: candidates are reviewed (in a spreadsheet or on the
dashboard's review page) and only the rows marked ``accepted`` reach the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.extract.candidates import CANDIDATE_COLUMNS, Candidate, candidates, suggest_source_id
from etl.extract.clauses import Reader, Skip
from etl.extract.lexicon import Lexicon, build_lexicon
from etl.extract.regions import Hints, Setting, release_setting
from etl.extract.text import read_document
from etl.reference import Reference


class _UnitTable(dict):
    """Printed unit → its definition (base unit, multiplier, dimension), looked up as units.csv folds them."""

    def get(self, key, default=None):  # type: ignore[override]
        return super().get(" ".join(str(key).split()).casefold(), default)


@dataclass
class Extraction:
    """What a release yielded."""

    setting: Setting
    source_id: str
    candidates: list[Candidate]
    skipped: list[Skip] = field(default_factory=list)


def extract(
    text: str,
    reference: Reference,
    hints: Hints | None = None,
    *,
    source_id: str = "",
    lexicon: Lexicon | None = None,
) -> Extraction:
    """Every figure of ``text`` as a candidate (see the package docstring)."""
    hints = hints or Hints()
    lexicon = lexicon or build_lexicon(reference)
    doc = read_document(text)
    setting = release_setting(doc, hints, lexicon)
    source_id = source_id or suggest_source_id(setting, text)
    units = {symbol: value for symbol, value in reference.unit_lookup.items()}
    reader = Reader(setting, lexicon, dict(reference.qualifier_lookup), _UnitTable(units))
    for number, paragraph in enumerate(doc.paragraphs):
        for sentence in paragraph.sentences:
            reader.read(sentence, number)
    return Extraction(setting, source_id, candidates(reader.drafts, source_id), reader.skips)


__all__ = ["CANDIDATE_COLUMNS", "Candidate", "Extraction", "Hints", "Setting", "build_lexicon", "extract"]
