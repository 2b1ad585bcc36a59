"""Base-unit values shown in the reader's convention.

The warehouse stores base units (CNY, vehicles); readers think in scales: a Chinese reader in
亿元 and 万辆, an English one in billion yuan and million vehicles (DESIGN §3.3). Every
number the dashboard prints goes through :func:`format_value`, and every axis through
:func:`choose_scale` (one scale for all points of a chart, so bars stay comparable) and
:func:`unit_label`. Precision keeps the digits publishers print — up to 5 significant digits (145.98 billion
yuan, 273.81万辆; round figures stay short: 5.3万亿元), never dropping integer digits
(123,456 stays 123,456) — and percentages to at most 2 decimals (a derived 17.80074 % reads
17.8%). Never scientific notation; a missing value is ``—``, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MISSING = "—"
#: Significant digits shown for levels: enough for the published 273.81万辆 or 145.98 billion
#: yuan (releases print 4–5); trailing zeros are dropped, so round figures stay short.
SIGNIFICANT = 5
#: Decimals shown for percentages (releases print 1, sometimes 2).
PERCENT_DECIMALS = 2
#: Decimals never exceed this (a tiny value is shown as 0.0000001, not 1e-07).
MAX_DECIMALS = 10

#: Per base unit and language: (smallest value shown in this scale, divisor, suffix), largest first.
#: Chinese scales: 万 = 1e4, 亿 = 1e8, 万亿 = 1e12. English: thousand, million, billion, trillion.
SCALES: dict[str, dict[str, list[tuple[float, float, str]]]] = {
    "CNY": {
        "zh": [(1e12, 1e12, "万亿元"), (1e8, 1e8, "亿元"), (1e4, 1e4, "万元"), (0, 1, "元")],
        "en": [(1e12, 1e12, "trillion yuan"), (1e9, 1e9, "billion yuan"), (1e6, 1e6, "million yuan"), (0, 1, "yuan")],
    },
    "USD": {
        "zh": [(1e12, 1e12, "万亿美元"), (1e8, 1e8, "亿美元"), (1e4, 1e4, "万美元"), (0, 1, "美元")],
        "en": [
            (1e12, 1e12, "trillion dollars"),
            (1e9, 1e9, "billion dollars"),
            (1e6, 1e6, "million dollars"),
            (0, 1, "dollars"),
        ],
    },
    "EUR": {
        "zh": [(1e12, 1e12, "万亿欧元"), (1e8, 1e8, "亿欧元"), (1e4, 1e4, "万欧元"), (0, 1, "欧元")],
        "en": [
            (1e12, 1e12, "trillion euros"),
            (1e9, 1e9, "billion euros"),
            (1e6, 1e6, "million euros"),
            (0, 1, "euros"),
        ],
    },
    "vehicles": {
        "zh": [(1e8, 1e8, "亿辆"), (1e4, 1e4, "万辆"), (0, 1, "辆")],
        "en": [(1e6, 1e6, "million vehicles"), (1e3, 1e3, "thousand vehicles"), (0, 1, "vehicles")],
    },
    "units": {
        "zh": [(1e8, 1e8, "亿台"), (1e4, 1e4, "万台"), (0, 1, "台")],
        "en": [(1e6, 1e6, "million units"), (1e3, 1e3, "thousand units"), (0, 1, "units")],
    },
    "persons": {
        "zh": [(1e4, 1e4, "万人"), (0, 1, "人")],
        "en": [(1e6, 1e6, "million persons"), (1e3, 1e3, "thousand persons"), (0, 1, "persons")],
    },
    "enterprises": {
        "zh": [(1e4, 1e4, "万家"), (0, 1, "家")],
        "en": [(1e3, 1e3, "thousand enterprises"), (0, 1, "enterprises")],
    },
    "projects": {"zh": [(0, 1, "个")], "en": [(0, 1, "projects")]},
    "index": {"zh": [(0, 1, "")], "en": [(0, 1, "")]},  # an index (first period = 100) has no unit
}
PERCENT_MEASURES = ("yoy_pct", "share_pct")


def _finite(values: Iterable[float | None]) -> list[float]:
    out = []
    for v in values:
        if v is None:
            continue
        try:
            x = float(v)
        except (TypeError, ValueError):
            continue
        if math.isfinite(x):
            out.append(x)
    return out


def _scales(unit: str, lang: str) -> list[tuple[float, float, str]]:
    return SCALES.get(unit, {}).get("zh" if lang == "zh" else "en", [])


def choose_scale(values: Iterable[float | None], unit: str, lang: str) -> tuple[float, str]:
    """One ``(divisor, suffix)`` for all ``values``: the largest scale the largest value reaches.

    A chart of Guangdong (5,190,000 vehicles) and Qingyuan (80,000) reads in 万辆 / million
    vehicles throughout, rather than mixing scales point by point.
    """
    finite = [abs(v) for v in _finite(values)]
    top = max(finite) if finite else 0.0
    for low, divisor, suffix in _scales(unit, lang):
        if top >= low:
            return divisor, suffix
    return 1.0, unit_label(unit, lang)


def unit_label(unit: str, lang: str, scale: float = 1.0) -> str:
    """The unit as an axis title shows it, for the divisor :func:`choose_scale` picked."""
    if unit == "percent":
        return "%"
    if unit == "rank":
        return "位次" if lang == "zh" else "rank"
    for _, divisor, suffix in _scales(unit, lang):
        if divisor == scale:
            return suffix
    return unit if scale == 1.0 else f"{unit} ×{format_number(scale)}"


def format_number(x: float, significant: int = SIGNIFICANT, *, grouping: bool = False) -> str:
    """``x`` with ``significant`` digits, all integer digits kept, no trailing zeros, no exponent."""
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    decimals = min(max(0, significant - 1 - magnitude), MAX_DECIMALS)
    text = f"{x:,.{decimals}f}" if grouping else f"{x:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(x: float) -> str:
    """A percentage's number with at most :data:`PERCENT_DECIMALS` decimals: 17.8, -2.1, 0.05."""
    text = f"{x:.{PERCENT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(
    value: float | None, unit: str, lang: str, *, measure: str = "level", scale: tuple[float, str] | None = None
) -> str:
    """A value in the reader's convention.

    ``1.4598e11, "CNY", "zh"`` → ``1459.8亿元``; ``"en"`` → ``145.98 billion yuan``; ``17.8`` as a
    share → ``17.8%``; rank 3 → ``第3位`` / ``3rd``. ``scale`` (from :func:`choose_scale`)
    forces the scale of the axis the value sits on. Missing → ``—``.
    """
    finite = _finite([value])
    if not finite:
        return MISSING
    x = finite[0]
    if unit == "rank" or measure == "rank":
        n = round(x)
        return f"第{n}位" if lang == "zh" else ordinal(n)
    if unit == "percent" or measure in PERCENT_MEASURES:
        return f"{format_percent(x)}%"
    divisor, suffix = scale if scale is not None else choose_scale([x], unit, lang)
    number = format_number(x / divisor, grouping=lang != "zh")
    if lang == "zh":
        return f"{number}{suffix}"
    return f"{number} {suffix}".strip()
