"""Periods as releases print them, resolved against the release date.

``7月份``, ``1-7月份``, ``1—7月份``, ``1~8月份``, ``上半年``, ``一季度``, ``前三季度``, ``全年``,
``2020年``; "In August 2015", "the January-May period this year", "the first eight months of
2015", "the first half of 2008", "In May alone". A period without its year takes the latest
year in which it had ended by the release date (``12月份`` in a release of 2021-01-18 is
December 2020); with no release date, the year the text names first (its title's
``2022年1-10月``). Dates (``9月15日``, "August 24") are not periods.

The result is written in the figures format's own notation (``2020-12``, ``2021-01/2021-08``,
``2021Q1``, ``2008 H1``, ``2020``) with its kind, so the ETL reads it without guessing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_CN_NUMBER = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_EN_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
              "eleven": 11, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "10": 10, "11": 11}
MONTHS = {name.lower(): n for n in range(1, 13) for name in (calendar.month_name[n], calendar.month_abbr[n])}
_MONTH = "|".join(sorted((calendar.month_name[n] for n in range(1, 13)), key=len, reverse=True))
_MONTH_ABBR = "|".join(calendar.month_abbr[n] for n in range(1, 13))
_DASH = r"\s*[-–—~～至到]\s*"
_YEAR_WORDS = (
    r"(?:\s+(?:of\s+)?(?:(?P<y2>(?:19|20)\d{2})|(?P<this>this year|the current year|(?<=of )the year)|(?P<last>last year)))?"
)


@dataclass(frozen=True)
class PeriodRef:
    """A period as printed: months of an unknown or known year."""

    first: int
    last: int
    kind: str  # month | ytd | quarter | half | year
    year: int | None = None
    year_offset: int = 0  # -1 for "last year" / 上年


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    ref: PeriodRef


@dataclass(frozen=True)
class Resolved:
    text: str  # in the figures format's notation
    kind: str
    end: date


def _kind(first: int, last: int) -> str:
    if first == last:
        return "month"
    if first == 1 and last == 12:
        return "year"
    if first == 1:
        return "ytd"
    if last - first == 2 and first in (4, 7, 10):
        return "quarter"
    if last - first == 5 and first == 7:
        return "half"
    return "span"


def _year(match: re.Match[str], *groups: str) -> tuple[int | None, int]:
    for group in groups:
        if group in match.groupdict() and match[group]:
            return int(match[group]), 0
    if "last" in match.groupdict() and match["last"]:
        return None, -1
    return None, 0


_ZH_YEAR = r"(?:(?P<y>(?:19|20)\d{2})\s*年\s*)?"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # dates first: they are not periods
    (re.compile(r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日"), "date"),
    (re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"), "date"),
    (re.compile(rf"\b(?:{_MONTH}|{_MONTH_ABBR})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:percent|%|million|billion))",
                re.I), "date"),
    (re.compile(r"十四五|“十四五”|14th Five-Year Plan|fourteenth Five-Year Plan", re.I), "fyp14"),
    (re.compile(_ZH_YEAR + r"(?<!\d)(?P<a>\d{1,2})" + _DASH + r"(?P<b>\d{1,2})\s*月份?(?:累计)?"), "zh_range"),
    (re.compile(_ZH_YEAR + r"(?P<cn>前[一二两三])\s*(?:个)?季度"), "zh_first_quarters"),
    (re.compile(_ZH_YEAR + r"(?:第)?(?P<q>[一二三四1-4])\s*季度"), "zh_quarter"),
    (re.compile(_ZH_YEAR + r"(?P<h>[上下])半年"), "zh_half"),
    (re.compile(_ZH_YEAR + r"前(?P<n>[一二两三四五六七八九十]{1,2}|\d{1,2})个月"), "zh_first_months"),
    (re.compile(_ZH_YEAR + r"全年"), "zh_full_year"),
    (re.compile(_ZH_YEAR + r"(?<![\d-])(?P<m>1[0-2]|0?[1-9])\s*月份?(?![\d日])"), "zh_month"),
    (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?:度|底|末)?(?![\d月-])"), "zh_year"),
    (re.compile(rf"(?:[Ff]rom\s+)?\b(?P<a>{_MONTH})\s*(?:-|–|to|through)\s*(?P<b>{_MONTH})(?:\s+period)?" + _YEAR_WORDS),
     "en_range"),
    (re.compile(r"\bthe first (?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2}) months" + _YEAR_WORDS,
                re.I), "en_first_months"),
    (re.compile(r"\bthe first three quarters" + _YEAR_WORDS, re.I), "en_first_three_quarters"),
    (re.compile(r"\b(?:the )?(?P<q>first|second|third|fourth) quarter" + _YEAR_WORDS, re.I), "en_quarter"),
    (re.compile(r"\bQ(?P<q>[1-4])\s*(?P<y2>(?:19|20)\d{2})?\b"), "en_quarter"),
    (re.compile(r"\b(?:the )?(?P<h>first|second) half" + _YEAR_WORDS, re.I), "en_half"),
    (re.compile(r"\bH(?P<h>[12])\s*(?P<y2>(?:19|20)\d{2})?\b"), "en_half"),
    (re.compile(rf"\b(?P<m>{_MONTH})(?:\s+alone)?" + _YEAR_WORDS), "en_month"),
    (re.compile(r"\b(?:in|for|by|of|during|through|throughout)\s+(?:the end of\s+)?(?P<y>(?:19|20)\d{2})\b(?![-\d])", re.I),
     "en_year"),
]
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _ref(form: str, match: re.Match[str]) -> PeriodRef | None:
    year, offset = _year(match, "y", "y2")
    if match.groupdict().get("this"):
        year, offset = None, 0
    if form == "fyp14":
        return PeriodRef(1, 12, "year", 2025)
    if form in ("zh_range", "en_range"):
        a = int(match["a"]) if form == "zh_range" else MONTHS[match["a"].lower()]
        b = int(match["b"]) if form == "zh_range" else MONTHS[match["b"].lower()]
        if not (1 <= a <= b <= 12):
            return None
        return PeriodRef(a, b, _kind(a, b), year, offset)
    if form == "zh_first_quarters":
        n = _CN_NUMBER[match["cn"][1:]]
        return PeriodRef(1, 3 * n, "quarter" if n == 1 else ("half" if n == 2 else "ytd"), year, offset)
    if form == "zh_quarter":
        q = _CN_NUMBER.get(match["q"]) or int(match["q"])
        return PeriodRef(3 * q - 2, 3 * q, "quarter", year, offset)
    if form == "en_quarter":
        q = _ORDINAL.get(match["q"].lower()) if not match["q"].isdigit() else int(match["q"])
        return PeriodRef(3 * q - 2, 3 * q, "quarter", year, offset)
    if form in ("zh_half", "en_half"):
        first = 1 if match["h"] in ("上", "1") or match["h"].lower() == "first" else 7
        return PeriodRef(first, first + 5, "half", year, offset)
    if form == "zh_first_months":
        n = _CN_NUMBER.get(match["n"]) or int(match["n"])
        return PeriodRef(1, n, _kind(1, n), year, offset) if 1 <= n <= 12 else None
    if form == "en_first_months":
        n = _EN_NUMBER[match["n"].lower()]
        return PeriodRef(1, n, _kind(1, n), year, offset)
    if form == "en_first_three_quarters":
        return PeriodRef(1, 9, "ytd", year, offset)
    if form == "zh_full_year":
        return PeriodRef(1, 12, "year", year, offset)
    if form in ("zh_month", "en_month"):
        m = int(match["m"]) if form == "zh_month" else MONTHS[match["m"].lower()]
        return PeriodRef(m, m, "month", year, offset)
    if form in ("zh_year", "en_year"):
        return PeriodRef(1, 12, "year", int(match["y"]))
    return None


def find_periods(sentence: str) -> tuple[list[PeriodMention], list[tuple[int, int]]]:
    """Period mentions and date spans in ``sentence`` (non-overlapping, earliest and longest first)."""
    taken: list[tuple[int, int, str, re.Match[str]]] = []
    for pattern, form in _PATTERNS:
        for match in pattern.finditer(sentence):
            if match.end() == match.start():
                continue
            if any(not (match.end() <= s or match.start() >= e) for s, e, _, _ in taken):
                continue
            taken.append((match.start(), match.end(), form, match))
    periods, dates = [], []
    for start, end, form, match in sorted(taken, key=lambda t: t[0]):
        if form == "date":
            dates.append((start, end))
            continue
        ref = _ref(form, match)
        if ref is not None:
            periods.append(PeriodMention(start, end, ref))
    return periods, dates


def _end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def resolve(ref: PeriodRef, published: date | None, doc_year: int | None) -> Resolved | None:
    """The period's text and kind, its year taken from the release date or the document's year."""
    year = ref.year
    if year is None:
        if published is not None:
            year = published.year + ref.year_offset
            if ref.year_offset == 0 and _end(year, ref.last) > published:
                year -= 1
        elif doc_year is not None:
            year = doc_year + ref.year_offset
        else:
            return None
    end = _end(year, ref.last)
    if ref.kind == "month":
        return Resolved(f"{year}-{ref.first:02d}", "month", end)
    if ref.kind == "year":
        return Resolved(f"{year}", "year", end)
    if ref.kind == "quarter":
        return Resolved(f"{year}Q{(ref.first + 2) // 3}", "quarter", end)
    if ref.kind == "half":
        return Resolved(f"{year} H{1 if ref.first == 1 else 2}", "half", end)
    if ref.kind != "ytd":
        return None  # a run of months that is no calendar period the figures format knows
    return Resolved(f"{year}-{ref.first:02d}/{year}-{ref.last:02d}", ref.kind, end)
