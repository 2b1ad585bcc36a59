"""Period text as printed → a period: first day, last day, kind.

Chinese releases print periods as ``2023年1-7月`` (year to date, 累计), ``2024年1-2月``
(January and February are released together because of the Spring Festival, and stay one
period: never split into two months), ``2023年上半年``, ``2023年一季度``, ``2023年前三季度``;
English ones as ``2023 H1``, ``2023Q1``, ``January-July 2023``. Hand-typed rows may use
``2023-01/2023-07``. A period that starts in January and ends in month M is a year-to-date
(cumulative) period unless the row's ``period_kind`` says it is the quarter or half with the
same dates. Anything that is not a real calendar period is an error, never a guess.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERIOD_KINDS = ("month", "quarter", "half", "year", "ytd", "span")
#: ``span``: any run of whole months, possibly over several years (``2014-06/2022-12``).

_CN_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_EN_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_DASH = r"\s*[-–—~～至到]\s*"


class PeriodError(ValueError):
    """The text is not a period we can place on the calendar."""


@dataclass(frozen=True)
class Period:
    """A calendar period: inclusive dates and its kind."""

    start: date
    end: date
    kind: str

    @property
    def label(self) -> str:
        """A compact, language-neutral label (``2023-01..07``, ``2023``, ``2023-07``)."""
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "span":
            if self.start.month == 1 and self.end.month == 12:
                return f"{self.start.year}–{self.end.year}"
            return f"{self.start:%Y-%m}–{self.end:%Y-%m}"
        return f"{self.start:%Y-%m}..{self.end:%m}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_month(month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} does not exist in period {text!r}")


def _check_year(year: int, text: str) -> None:
    if not 1900 <= year <= 2100:
        raise PeriodError(f"year {year} is out of range in period {text!r}")


def month_range(year: int, first: int, last: int, text: str, kind: str | None) -> Period:
    """The period from month ``first`` to month ``last`` of ``year``, with its kind inferred."""
    _check_year(year, text)
    _check_month(first, text)
    _check_month(last, text)
    if last < first:
        raise PeriodError(f"period {text!r} ends before it starts")
    start, end = date(year, first, 1), _month_end(year, last)
    length = last - first + 1
    inferred = _infer_kind(first, length)
    if kind is None or kind == "":
        if inferred is None:
            raise PeriodError(
                f"period {text!r} is neither a month, a quarter, a half, a year nor a "
                "year-to-date period starting in January"
            )
        return Period(start, end, inferred)
    allowed = _allowed_kinds(first, length)
    if kind not in allowed:
        if kind == "ytd":
            raise PeriodError(f"a year-to-date period must start in January (period {text!r}, kind {kind!r})")
        raise PeriodError(f"period {text!r} cannot be of kind {kind!r}")
    return Period(start, end, kind)


def _infer_kind(first: int, length: int) -> str | None:
    if length == 1:
        return "month"
    if first == 1 and length == 12:
        return "year"
    if first == 1:
        return "ytd"
    if length == 3 and first in (4, 7, 10):
        return "quarter"
    if length == 6 and first == 7:
        return "half"
    return None


def _allowed_kinds(first: int, length: int) -> set[str]:
    kinds = set()
    if length == 1:
        kinds.add("month")
    if first == 1:
        kinds.add("ytd")
    if first == 1 and length == 12:
        kinds.add("year")
    if length == 3 and first in (1, 4, 7, 10):
        kinds.add("quarter")
    if length == 6 and first in (1, 7):
        kinds.add("half")
    return kinds


def month_span(y1: int, m1: int, y2: int, m2: int, text: str, kind: str | None) -> Period:
    """A span from month ``m1`` of ``y1`` to month ``m2`` of ``y2``, with its real start.

    A cumulative total since 2014-06 or a target for 2023-03..2027-12 is such a span; it is
    never moved to the calendar years around it.
    """
    for year in (y1, y2):
        _check_year(year, text)
    for month in (m1, m2):
        _check_month(month, text)
    start, end = date(y1, m1, 1), _month_end(y2, m2)
    if end < start:
        raise PeriodError(f"period {text!r} ends before it starts")
    if kind not in (None, "", "span"):
        raise PeriodError(f"period {text!r} is not a calendar {kind}: it can only be of kind 'span'")
    return Period(start, end, "span")


def _year_span(first: int, last: int, text: str, kind: str | None) -> Period:
    _check_year(first, text)
    _check_year(last, text)
    if last < first:
        raise PeriodError(f"period {text!r} ends before it starts")
    if first == last:
        return month_range(first, 1, 12, text, kind or "year")
    if kind not in (None, "", "span"):
        raise PeriodError(f"period {text!r} covers several years and cannot be of kind {kind!r}")
    return Period(date(first, 1, 1), date(last, 12, 31), "span")


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(\d{4})-(\d{1,2})\s*/\s*(\d{4})-(\d{1,2})"), "iso_range"),
    (re.compile(r"(\d{4})\s*年?" + _DASH + r"(\d{4})\s*年?"), "years"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?" + _DASH + r"(\d{1,2})\s*月(?:份)?(?:累计)?"), "cn_range"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?"), "cn_month"),
    (re.compile(r"(\d{4})\s*年\s*(?:第)?([一二三四1-4])\s*季度"), "cn_quarter"),
    (re.compile(r"(\d{4})\s*年\s*前\s*([一二三1-3])\s*季度"), "cn_first_quarters"),
    (re.compile(r"(\d{4})\s*年\s*([上下])\s*半年"), "cn_half"),
    (re.compile(r"(\d{4})\s*年(?:度|全年)?"), "year"),
    (re.compile(r"(\d{4})\s*-?\s*[Qq]([1-4])"), "quarter"),
    (re.compile(r"[Qq]([1-4])\s+(\d{4})"), "quarter_rev"),
    (re.compile(r"(\d{4})\s*-?\s*[Hh]([12])"), "half"),
    (re.compile(r"[Hh]([12])\s+(\d{4})"), "half_rev"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "iso_month"),
    (re.compile(r"([A-Za-z]+)\.?" + _DASH + r"([A-Za-z]+)\.?,?\s+(\d{4})"), "en_range"),
    (re.compile(r"([A-Za-z]+)\.?,?\s+(\d{4})"), "en_month"),
    (re.compile(r"(\d{4})"), "year"),
]


def _en_month(name: str, text: str) -> int:
    month = _EN_MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise PeriodError(f"unknown month {name!r} in period {text!r}")
    return month


def parse_period(text: str, kind: str | None = None) -> Period:
    """Parse a period as printed; ``kind`` (a :data:`PERIOD_KINDS` value) settles ambiguity.

    Raises :class:`PeriodError` with a reason a person can act on.
    """
    if kind not in (None, "") and kind not in PERIOD_KINDS:
        raise PeriodError(f"unknown period kind {kind!r} (expected one of {', '.join(PERIOD_KINDS)})")
    cleaned = (text or "").strip()
    if not cleaned:
        raise PeriodError("empty period")
    for pattern, form in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match is None:
            continue
        g = match.groups()
        if form == "iso_range":
            y1, m1, y2, m2 = (int(x) for x in g)
            if y1 != y2 and m1 == 1 and m2 == 12:
                return _year_span(y1, y2, cleaned, kind)
            if y1 != y2 or kind == "span":
                return month_span(y1, m1, y2, m2, cleaned, kind)
            return month_range(y1, m1, m2, cleaned, kind)
        if form == "years":
            return _year_span(int(g[0]), int(g[1]), cleaned, kind)
        if form == "cn_range":
            return month_range(int(g[0]), int(g[1]), int(g[2]), cleaned, kind)
        if form in ("cn_month", "iso_month"):
            return month_range(int(g[0]), int(g[1]), int(g[1]), cleaned, kind)
        if form in ("cn_quarter", "quarter"):
            q = _CN_NUMERALS[g[1]]
            return month_range(int(g[0]), 3 * q - 2, 3 * q, cleaned, kind or "quarter")
        if form == "quarter_rev":
            q = int(g[0])
            return month_range(int(g[1]), 3 * q - 2, 3 * q, cleaned, kind or "quarter")
        if form == "cn_first_quarters":
            q = _CN_NUMERALS[g[1]]
            return month_range(int(g[0]), 1, 3 * q, cleaned, kind or ("quarter" if q == 1 else "ytd"))
        if form == "cn_half":
            first = 1 if g[1] == "上" else 7
            return month_range(int(g[0]), first, first + 5, cleaned, kind or "half")
        if form in ("half", "half_rev"):
            year, h = (int(g[0]), int(g[1])) if form == "half" else (int(g[1]), int(g[0]))
            first = 1 if h == 1 else 7
            return month_range(year, first, first + 5, cleaned, kind or "half")
        if form == "year":
            return month_range(int(g[0]), 1, 12, cleaned, kind or "year")
        if form == "en_range":
            return month_range(
                int(g[2]), _en_month(g[0], cleaned), _en_month(g[1], cleaned), cleaned, kind
            )
        if form == "en_month":
            month = _en_month(g[0], cleaned)
            return month_range(int(g[1]), month, month, cleaned, kind)
    if re.fullmatch(r"\d{1,2}" + _DASH + r"\d{1,2}\s*月", cleaned) or re.fullmatch(r"\d{1,2}\s*月", cleaned):
        raise PeriodError(f"period {cleaned!r} has no year")
    raise PeriodError(f"cannot parse period {cleaned!r}")
