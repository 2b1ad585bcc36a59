"""Units as printed → base unit, multiplier, qualifier.

Publishers print ``万辆``, ``萬輛``, ``亿元(突破)``, ``%（预计超过）``, ``billion yuan (over)``.
The scale (万 1e4, 亿 1e8, 万亿 1e12, million 1e6, billion 1e9) and the base unit come from
``units.csv``; words in brackets (超过 → at least, 约 → about, 预计 → an estimate) from
``qualifiers.csv``. Values are stored in base units so that figures printed in different
scales compare; the printed unit is kept beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.reference import Reference, fold

_BRACKETS = re.compile(r"[(（\[]([^)）\]]*)[)）\]]")
_SPLIT = re.compile(r"[,，、;；/]|\s+and\s+")


class UnitError(ValueError):
    """The unit (or a word in its brackets) is not in the reference tables."""


@dataclass(frozen=True)
class ParsedUnit:
    base_unit: str  # "" = a bare scale or counting word: take the indicator's base unit
    multiplier: float
    qualifier: str  # exact | at_least | at_most | about
    status: str  # "" or estimated / provisional
    dimension: str = ""  # "" for a bare scale (万, million): it fits every indicator


def parse_unit(text: str, reference: Reference) -> ParsedUnit:
    """Split a printed unit into its symbol and bracketed qualifier words, and look both up."""
    raw = (text or "").strip()
    if not raw:
        raise UnitError("empty unit")
    words = [w.strip() for inner in _BRACKETS.findall(raw) for w in _SPLIT.split(inner) if w.strip()]
    symbol = _BRACKETS.sub("", raw).strip()
    found = reference.unit_lookup.get(fold(symbol))
    if found is None:
        raise UnitError(f"unknown unit {symbol!r} (not in data/reference/units*.csv)")
    qualifier, status = "exact", ""
    for word in words:
        meaning = reference.qualifier_lookup.get(fold(word))
        if meaning is None:
            raise UnitError(f"unknown qualifier {word!r} in unit {raw!r} (not in data/reference/qualifiers.csv)")
        if meaning[0] and meaning[0] != "exact":
            qualifier = meaning[0]
        if meaning[1]:
            status = meaning[1]
    return ParsedUnit(found.base_unit, found.multiplier, qualifier, status, found.dimension)
