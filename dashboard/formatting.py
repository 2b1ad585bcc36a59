"""Base-unit values shown in the reader's convention (亿元 / 万辆 in Chinese, billion yuan /
million vehicles in English), with a precision that keeps the published digits."""

from __future__ import annotations

import math

#: (threshold, divisor, zh suffix, en suffix) per base unit, largest first.
_SCALES: dict[str, list[tuple[float, float, str, str]]] = {
    "CNY": [(1e12, 1e12, "万亿元", "trillion yuan"), (1e8, 1e8, "亿元", ""), (1e9, 1e9, "", "billion yuan"),
            (1e6, 1e6, "", "million yuan"), (1e4, 1e4, "万元", ""), (0, 1, "元", "yuan")],
    "USD": [(1e12, 1e12, "万亿美元", "trillion dollars"), (1e9, 1e9, "", "billion dollars"), (1e8, 1e8, "亿美元", ""),
            (1e6, 1e6, "", "million dollars"), (0, 1, "美元", "dollars")],
    "vehicles": [(1e4, 1e4, "万辆", ""), (1e6, 1e6, "", "million vehicles"), (1e3, 1e3, "", "thousand vehicles"),
                 (0, 1, "辆", "vehicles")],
    "units": [(1e4, 1e4, "万台", ""), (1e6, 1e6, "", "million units"), (0, 1, "台", "units")],
    "enterprises": [(0, 1, "家", "enterprises")],
    "projects": [(0, 1, "个", "projects")],
    "persons": [(1e4, 1e4, "万人", ""), (1e6, 1e6, "", "million persons"), (1e3, 1e3, "", "thousand persons"),
                (0, 1, "人", "persons")],
}


def _scales(unit: str, lang: str) -> list[tuple[float, float, str]]:
    index = 2 if lang == "zh" else 3
    return [(lo, div, entry[index]) for entry in _SCALES.get(unit, []) for lo, div in [entry[:2]] if entry[index]]


def choose_scale(values: list[float], unit: str, lang: str) -> tuple[float, str]:
    """One divisor and suffix for all ``values`` (so an axis or a column reads in one scale)."""
    finite = [abs(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    top = max(finite) if finite else 0.0
    for lo, div, suffix in _scales(unit, lang):
        if top >= lo:
            return div, suffix
    return 1.0, unit


def _number(x: float, significant: int = 4) -> str:
    if x == 0:
        return "0"
    digits = max(0, significant - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:,.{min(digits, 4)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value: float | None, unit: str, lang: str, *, measure: str = "level") -> str:
    """``1.4598e11, "CNY", "zh"`` → ``1,459.8 亿元``; ``"en"`` → ``145.98 billion yuan``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "percent" or measure in ("yoy_pct", "share_pct"):
        return f"{_number(value, 4)}%"
    if unit == "rank" or measure == "rank":
        n = int(value)
        if lang == "zh":
            return f"第{n}位"
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    divisor, suffix = choose_scale([value], unit, lang)
    sep = "" if lang == "zh" else " "
    return f"{_number(value / divisor, 5)}{sep}{suffix}".strip()


def unit_label(unit: str, lang: str, divisor: float = 1.0) -> str:
    """An axis title's unit: the suffix ``choose_scale`` picked for ``divisor``."""
    if unit == "percent":
        return "%"
    for _, div, suffix in _scales(unit, lang):
        if div == divisor:
            return suffix
    return unit
