"""Numbers with their printed unit: ``12034万吨``, ``7277亿千瓦时``, ``-127.2亿元``, ``4.5%``,
``1.7个百分点``, ``145.98 billion yuan``, ``12.826 million units``, ``5,199,600 vehicles``,
``USD13.287 billion``, ``0.6 percentage points``.

A number is a figure only with a unit word next to it: counts of industries (``41个大类行业``),
of products (``612种产品``), ordinals (``14th``), years and view counters are not. The value is
kept as printed (thousands separators dropped, the sign added later from 增长/下降); the unit as
printed, in a spelling ``units.csv`` knows, so the ETL converts it (万吨 → tonnes × 1e4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A number as printed: thousands separators, decimals, an optional sign (``-127.2``).
NUMBER = r"[-+−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+−]?\d+(?:\.\d+)?"

#: Chinese unit words after a number, longest first. 个 only as 个百分点 (41个大类行业 is a count
#: of industries); 种 never (612种产品).
ZH_UNITS = (
    "万亿元", "亿美元", "万美元", "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦", "亿元", "万元", "美元", "元",
    "万吨", "亿吨", "吨", "万辆", "辆", "亿台", "万台", "台", "亿部", "万部", "部", "万片", "片", "亿块", "万块", "块",
    "万套", "套", "万线", "线", "万家", "家", "个百分点", "百分点", "万人", "人", "万亿", "亿", "万", "%",
)
_ZH = re.compile(rf"(?<![\d.])(?P<value>{NUMBER})\s*(?P<unit>{'|'.join(ZH_UNITS)})(?!次)")
#: English: a scale word and/or a unit noun, or a currency before the number (USD13.287 billion).
_SCALE = r"trillion|billion|million|thousand|bn|mn"
_NOUN = (
    r"yuan|RMB|US dollars|U\.S\. dollars|dollars|euros?|vehicles|units|cars|tonnes|tons|kWh|kilowatt-hours"
    r"|enterprises|projects|percentage points?|percent|per cent|%"
)
_EN = re.compile(
    rf"(?<![\w.])(?:(?P<currency>USD|US\$|RMB|CNY|EUR|€|\$|¥)\s?)?(?P<value>{NUMBER})\s*"
    rf"(?P<unit>(?:(?:{_SCALE})\s+(?:{_NOUN})\b|(?:{_SCALE})\b|(?:{_NOUN})(?![\w])|%))",
    re.I,
)
_CURRENCY = {"usd": "USD", "us$": "US dollars", "$": "US dollars", "rmb": "RMB", "cny": "yuan", "¥": "yuan",
             "eur": "euros", "€": "euros"}
_NOUN_SPELLING = {"cars": "vehicles", "per cent": "percent", "%": "%", "tons": "tonnes", "kilowatt-hours": "kWh",
                  "u.s. dollars": "US dollars", "percentage point": "percentage points", "euro": "euros"}


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, as printed, and where it stands in the sentence."""

    start: int
    end: int
    value: str  # digits, decimal point and a printed minus only ("551000", "-127.2")
    unit: str  # as units.csv spells it ("万吨", "million units", "USD billion", "%", "个百分点")
    kind: str  # percent | points | amount (a level with a unit: money, things, a bare scale)

    @property
    def printed_negative(self) -> bool:
        return self.value.startswith("-")

    @property
    def magnitude(self) -> str:
        return self.value.lstrip("+-")


def _kind(unit: str) -> str:
    lowered = unit.lower()
    if lowered in ("%", "percent"):
        return "percent"
    if "百分点" in unit or "percentage point" in lowered:
        return "points"
    return "amount"


def _value(text: str) -> str:
    return text.replace(",", "").replace("−", "-").lstrip("+")


def _english_unit(match: re.Match[str]) -> str | None:
    """``million units``, ``billion yuan``, ``USD billion``: a spelling units.csv has."""
    words = match["unit"].lower().split()
    currency = (match["currency"] or "").lower()
    scale = words[0] if words and re.fullmatch(_SCALE, words[0]) else ""
    scale = {"bn": "billion", "mn": "million"}.get(scale, scale)
    noun = " ".join(words[1:] if scale else words)
    noun = _NOUN_SPELLING.get(noun, noun)
    if noun in ("rmb", "kwh"):
        noun = {"rmb": "RMB", "kwh": "kWh"}[noun]
    if noun in ("us dollars",):
        noun = "US dollars"
    if currency:
        if noun and noun not in ("%", "percent"):
            return None  # "$5 percent": not a currency amount
        if currency == "usd":
            return f"USD {scale}".strip() if scale else "USD"
        noun = _CURRENCY[currency]
    if not scale and not noun:
        return None
    return f"{scale} {noun}".strip()


def find_quantities(sentence: str) -> list[Quantity]:
    """Every number with a unit in ``sentence``, left to right (spans do not overlap)."""
    found: list[Quantity] = []
    for match in _ZH.finditer(sentence):
        unit = match["unit"]
        found.append(Quantity(match.start("value"), match.end(), _value(match["value"]), unit, _kind(unit)))
    for match in _EN.finditer(sentence):
        unit = _english_unit(match)
        if unit is None:
            continue
        start = match.start("currency") if match["currency"] else match.start("value")
        if any(q.start <= start < q.end or start <= q.start < match.end() for q in found):
            continue
        found.append(Quantity(start, match.end(), _value(match["value"]), unit, _kind(unit)))
    return sorted(found, key=lambda q: q.start)
