"""Candidate figures from a press release, for a person to review (never published).

``python -m etl extract RELEASE.txt|.html [--out CANDIDATES.csv]`` reads a release in
Chinese or English, finds the numbers that carry a unit (``145.98 billion yuan``,
``2.7381 million vehicles``, ``17.8%``, ``273.81万辆``, ``1459.8亿元``, ``增长12.3%``) and
writes one row per number in the reported-figures format (docs/input-format.md) plus the
sentence it came from (``excerpt``). A reviewer corrects the rows and moves them into a
``*.figures.csv``; nothing here reaches the warehouse by itself.

The rules are deliberately simple and visible, because a reviewer has to trust them:

* a figure is a number written in the text next to a unit word; the value is copied as
  written (so every candidate's value occurs in its excerpt) — nothing is computed;
* the period comes from the sentence (``January to July this year`` + the release's
  year, ``1-7月``, ``上半年``, ``end of the 14th Five-Year Plan`` → 2025);
* the region is the one the sentence refers to: ``the province`` / ``全省`` → the nearest
  province named before; otherwise a region named in the sentence; otherwise the region
  the paragraph talks about most (names and aliases from ``regions*.csv``);
* the industry is the one named nearest the number (``industries*.csv``);
* the indicator, measure and qualifier come from keywords near the number.
Anything the rules cannot tell is left empty for the reviewer, never guessed from nowhere.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import re
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from etl.encoding import read_text
from etl.readers.base import FIGURE_FIELDS
from etl.reference import Reference, fold, load_reference

#: The reported-figures columns a person reviews (not the readers' provenance fields), plus the sentence.
CANDIDATE_COLUMNS: tuple[str, ...] = (
    *(c for c in FIGURE_FIELDS if c not in ("flags", "label_published")),
    "note",
    "excerpt",
)

_NUMBER = r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
#: English scale words and unit nouns; the printed unit is ``scale + noun`` as written.
_EN_UNIT = re.compile(
    _NUMBER + r"\s*(?P<unit>(?:(?:trillion|billion|million|thousand)\s+)?"
    r"(?:yuan|RMB|dollars|US dollars|euros?|vehicles|units|cars|enterprises|projects)"
    r"|(?:trillion|billion|million)(?=\s+mark|\b)|%|percent)",
    re.I,
)
_ZH_UNIT = re.compile(_NUMBER + r"\s*(?P<unit>万亿元|亿元|万元|元|万辆|辆|万台|台|家|个|%|％)")

_MONTHS_EN = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}
_EN_SPAN = re.compile(
    r"(?:from\s+)?(?P<a>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s*(?:to|through|-|–)\s*(?P<b>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+(?:of\s+)?(?P<year>\d{4}|this year|last year))?",
    re.I,
)
_ZH_SPAN = re.compile(r"(?:(?P<year>\d{4})年)?(?P<a>\d{1,2})\s*[-—~至]\s*(?P<b>\d{1,2})月")
_ZH_HALF = re.compile(r"(?:(?P<year>\d{4})年)?上半年")
_EN_HALF = re.compile(r"first half(?: of (?P<year>\d{4}|this year|last year))?", re.I)
_FYP_14 = re.compile(r"14th Five-Year Plan|十四五", re.I)
_YEAR = re.compile(r"\b(?i:in|by|for)\s+(?P<year>(?:19|20)\d{2})\b|(?P<zh>(?:19|20)\d{2})年(?![\d-])")

#: (pattern, indicator, product) — the first that matches near the number wins.
_INDICATORS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"added value|value added|增加值", re.I), "value_added", ""),
    (re.compile(r"scale of|industrial chains?|cluster|worth|产业规模|产业链|产业集群", re.I), "industry_scale", ""),
    (re.compile(r"revenue|营业收入|营收", re.I), "revenue", ""),
    (re.compile(r"profit|利润", re.I), "profit", ""),
    (re.compile(r"investment|投资", re.I), "investment", ""),
    (re.compile(r"output value|产值", re.I), "output_value", ""),
    (re.compile(r"produced|production|output|产量|生产", re.I), "production", "automobiles"),
)
_SHARE = re.compile(r"of the (?:country|nation|national)(?:'s|’s)? total|share|占全国|比重|占比", re.I)
_GROWTH = re.compile(r"grew|growth|increase|rose|\bup\b|year on year|year-on-year|增长|同比", re.I)
_ACCOUNTING = re.compile(r"accounting for|representing|占", re.I)
_NEV = re.compile(r"new energy|NEV|新能源", re.I)
_TARGET = re.compile(r"target|aim|goal|by the end of|目标|力争|到\d{4}年", re.I)
_AT_LEAST = re.compile(
    r"(?:breaking through|break through|exceed\w*|over|more than|above|超过|突破|逾)\W*(?:the\s+)?$", re.I
)
_ABOUT = re.compile(r"(?:about|around|nearly|approximately|约|近)\s*$", re.I)
_THE_PROVINCE = re.compile(r"\bthe province(?:'s|’s)?|该省|全省", re.I)
_THE_CITY = re.compile(r"\bthe city(?:'s|’s)?|该市|全市", re.I)

_EN_UNIT_INDICATOR = {
    "vehicles": ("production", "automobiles"),
    "cars": ("production", "automobiles"),
    "enterprises": ("enterprises", ""),
    "projects": ("projects", ""),
}


@dataclass
class Candidate:
    """One figure found in the text, as a row of the reported-figures format."""

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
    note: str = "candidate: review before use"
    excerpt: str = ""


def plain_text(text: str) -> str:
    """HTML → text (paragraph tags become blank lines); plain text is returned as it is."""
    if not re.search(r"<(?:p|div|br|html|body|span)\b", text, re.I):
        return text
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def release_date(text: str, name: str = "") -> date | None:
    """The release's date: the first ISO date or ``YYYY年M月D日`` in the text, else in the file name."""
    for source in (text[:500], name):
        if match := re.search(r"(\d{4})-(\d{2})-(\d{2})", source):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", source):
            return date(int(match[1]), int(match[2]), int(match[3]))
    return None


def sentences(paragraph: str) -> list[str]:
    """Split on sentence ends (a full stop followed by a space, never the point in 145.98)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])|(?<=[。！？；])", paragraph)
    return [p.strip() for p in parts if p.strip()]


def _year(word: str | None, default: int | None) -> int | None:
    if not word or word.lower() == "this year":
        return default
    if word.lower() == "last year":
        return default - 1 if default else None
    return int(word)


def find_period(sentence: str, year: int | None) -> tuple[str, str]:
    """Period text and kind named in the sentence, or ("", "")."""
    if _FYP_14.search(sentence):
        return "2025", "year"
    if (match := _EN_SPAN.search(sentence)) and (y := _year(match["year"], year)):
        a, b = _MONTHS_EN[match["a"].lower()], _MONTHS_EN[match["b"].lower()]
        return f"{y}-{a:02d}/{y}-{b:02d}", "ytd" if a == 1 else "span"
    if (match := _ZH_SPAN.search(sentence)) and (y := _year(match["year"], year)):
        return f"{y}年{int(match['a'])}-{int(match['b'])}月", "ytd" if match["a"] == "1" else ""
    for pattern in (_EN_HALF, _ZH_HALF):
        if (match := pattern.search(sentence)) and (y := _year(match["year"], year)):
            return f"{y} H1", "half"
    if match := _YEAR.search(sentence):
        return match["year"] or match["zh"], "year"
    return "", ""


class Names:
    """Region and industry names from the reference tables, found in text."""

    def __init__(self, reference: Reference):
        self.region_level: dict[str, str] = dict(
            zip(reference.regions["code"], reference.regions["level"], strict=True)
        )
        chinese = reference.regions[~reference.regions["code"].str.startswith(("NUTS-", "US"))]
        self.regions = self._patterns(chinese)
        self.industries = self._patterns(
            reference.industries[reference.industries["classification"].isin(["GB/T 4754", "grouping"])]
        )

    @staticmethod
    def _patterns(frame) -> list[tuple[re.Pattern[str], str]]:
        names: dict[str, str] = {}
        for row in frame.itertuples(index=False):
            for name in [row.name_zh, row.name_en, *(row.aliases.split("|") if row.aliases else [])]:
                name = name.strip()
                if len(name) >= 2 and not re.fullmatch(r"[A-Za-z]{1,3}", name):
                    names.setdefault(name, row.code)
        ordered = sorted(names, key=len, reverse=True)
        return [
            (re.compile(re.escape(n) if re.search(r"[\u4e00-\u9fff]", n) else rf"\b{re.escape(n)}\b", re.I), names[n])
            for n in ordered
        ]

    @staticmethod
    def find(patterns: list[tuple[re.Pattern[str], str]], text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping mentions (start, end, code), longest names first."""
        taken: list[tuple[int, int, str]] = []
        for pattern, code in patterns:
            for match in pattern.finditer(text):
                if all(match.end() <= s or match.start() >= e for s, e, _ in taken):
                    taken.append((match.start(), match.end(), code))
        return sorted(taken)


def _nearest(mentions: list[tuple[int, int, str]], position: int) -> str:
    if not mentions:
        return ""
    return min(mentions, key=lambda m: abs((m[0] + m[1]) / 2 - position))[2]


def extract(text: str, reference: Reference, *, source_id: str = "", published: date | None = None) -> list[Candidate]:
    """Every number with a unit in ``text``, as candidate figures (see the module docstring)."""
    names = Names(reference)
    year = published.year if published else None
    candidates: list[Candidate] = []
    last_province = last_city = ""
    for paragraph in re.split(r"\n\s*\n", plain_text(text)):
        paragraph = " ".join(paragraph.split())
        mentioned = names.find(names.regions, paragraph)
        counts: dict[str, int] = {}
        for _, _, code in mentioned:
            counts[code] = counts.get(code, 0) + 1
        paragraph_region = max(counts, key=lambda c: counts[c]) if counts else ""
        for sentence in sentences(paragraph):
            regions = names.find(names.regions, sentence)
            industries = names.find(names.industries, sentence)
            period, kind = find_period(sentence, year)
            found = {m.span("value"): m for m in (*_ZH_UNIT.finditer(sentence), *_EN_UNIT.finditer(sentence))}
            previous: Candidate | None = None
            matches = sorted(found.values(), key=lambda m: m.start())
            for index, match in enumerate(matches):
                # Keywords belong to the nearest number: windows stop at the neighbouring figures.
                lo = matches[index - 1].end() if index else 0
                hi = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
                candidate = _candidate(sentence, match, previous, lo, hi)
                candidate.region = _region(sentence, match.start(), regions, last_province, last_city, paragraph_region)
                candidate.industry = _industry(industries, match.start())
                candidate.period, candidate.period_kind = period, kind
                candidate.source_id = source_id
                candidate.excerpt = sentence
                if candidate.measure == "target":
                    candidate.status = "target"
                candidates.append(candidate)
                previous = candidate
            for _, _, code in regions:
                level = names.region_level.get(code, "")
                last_province = code if level == "province" else last_province
                last_city = code if level == "city" else last_city
    return candidates


def _industry(mentions: list[tuple[int, int, str]], position: int) -> str:
    """The most specific industry named in the sentence (the longest name), nearest the number on a tie.

    "the automobile manufacturing industry generated an industrial added value": the
    figure is the automobile industry's, not all industry's.
    """
    if not mentions:
        return ""
    longest = max(end - start for start, end, _ in mentions)
    return _nearest([m for m in mentions if m[1] - m[0] == longest], position)


_PREPOSITION = re.compile(r"\b(?:into|to|with|from|of|in|and|near|beside)\s+$", re.I)


def _region(
    sentence: str, position: int, regions: list[tuple[int, int, str]], province: str, city: str, paragraph_region: str
) -> str:
    """Whose figure it is: ``the province`` → the province named last; else the region the
    sentence names as its subject; else the region the paragraph is about.

    A region named after a preposition ("integration into Guangdong's cluster") is an
    object, not the sentence's subject, so it does not count as the figure's region.
    """
    if _THE_PROVINCE.search(sentence) and province:
        return province
    if _THE_CITY.search(sentence) and city:
        return city
    subjects = [
        (start, code)
        for start, end, code in regions
        if not _PREPOSITION.search(sentence[:start]) and not sentence[start:end].isupper()  # not a DATELINE
    ]
    if len({code for _, code in subjects}) == 1:
        return subjects[0][1]
    if subjects:
        preceding = [code for start, code in subjects if start < position]
        return preceding[-1] if preceding else subjects[0][1]
    return paragraph_region or _nearest(regions, position)


def _candidate(sentence: str, match: re.Match[str], previous: Candidate | None, lo: int, hi: int) -> Candidate:
    """Value, unit, indicator, measure and qualifier of one number with a unit.

    ``lo``..``hi`` is the stretch of the sentence that belongs to this number (up to the
    figures before and after it), so "up 27.4 percent year on year, accounting for 17.3%
    of the national total" gives a growth and a share, not two shares.
    """
    value, unit = match["value"], match["unit"]
    before = sentence[max(lo, match.start() - 80) : match.start()]
    after = sentence[match.end() : min(hi, match.end() + 60)]
    candidate = Candidate(value=value, unit=unit)
    noun = unit.split()[-1].lower() if unit.split() else ""
    percent = unit in ("%", "％") or noun == "percent"
    if percent:
        candidate.unit = "%"
        if _SHARE.search(after[:40]) or _SHARE.search(before[-20:]) or _ACCOUNTING.search(before[-20:]):
            candidate.measure = "share_pct"
        elif _GROWTH.search(before[-30:]) or _GROWTH.search(after[:25]):
            candidate.measure = "yoy_pct"
        if previous is not None and candidate.measure != "level":
            candidate.indicator, candidate.product = previous.indicator, previous.product
    if not candidate.indicator:
        if noun in _EN_UNIT_INDICATOR:
            candidate.indicator, candidate.product = _EN_UNIT_INDICATOR[noun]
        elif unit in ("万辆", "辆"):
            candidate.indicator, candidate.product = "production", "automobiles"
        elif unit == "家":
            candidate.indicator = "enterprises"
        else:
            window = before + " " + after
            for pattern, indicator, product in _INDICATORS:
                if pattern.search(window):
                    candidate.indicator, candidate.product = indicator, product if noun in ("vehicles", "cars") else ""
                    break
    if candidate.indicator == "production" and _NEV.search(before[-40:]):
        candidate.product = "nev"
    if _TARGET.search(sentence) and not percent:
        candidate.measure = "target"
    if _AT_LEAST.search(before):
        candidate.qualifier = "at_least"
    elif _ABOUT.search(before):
        candidate.qualifier = "about"
    return candidate


def write_candidates(candidates: list[Candidate], out: io.TextIOBase) -> None:
    """The candidates as CSV in the reported-figures columns plus ``excerpt``."""
    writer = csv.DictWriter(out, fieldnames=list(CANDIDATE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for candidate in candidates:
        writer.writerow(asdict(candidate))


def _source_id(path: Path) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-").lower()
    return slug or "release"


def extract_main(argv: list[str] | None = None) -> int:
    """``python -m etl extract FILE [--out CANDIDATES.csv] [--reference DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m etl extract",
        description="Candidate figures from a press release (for review; never published).",
    )
    add_arguments(parser)
    return run_extract(parser.parse_args(argv))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="press release, plain text or HTML (UTF-8 or GBK)")
    parser.add_argument("--out", type=Path, default=None, help="write candidates here (default: standard output)")
    parser.add_argument(
        "--reference", type=Path, default=Path("data/reference"), help="reference tables (default data/reference)"
    )
    parser.add_argument("--date", default="", help="release date YYYY-MM-DD when the text does not say it")


def run_extract(args: argparse.Namespace) -> int:
    reference, problems = load_reference(args.reference)
    for problem in problems:
        print(problem, file=sys.stderr)
    text, _ = read_text(args.file)
    published = date.fromisoformat(args.date) if args.date else release_date(text, args.file.name)
    candidates = extract(text, reference, source_id=_source_id(args.file), published=published)
    if args.out is None:
        write_candidates(candidates, sys.stdout)
    else:
        with args.out.open("w", encoding="utf-8-sig", newline="") as out:
            write_candidates(candidates, out)
    print(
        f"{len(candidates)} candidate figure(s) from {args.file}; review them before moving any into a *.figures.csv.",
        file=sys.stderr,
    )
    return 0


__all__ = ["Candidate", "extract", "extract_main", "fold", "release_date"]
