"""Whose figures a release reports: its region, publisher, reporting system and year.

Decided once per release, before its figures are read, from (first that answers):

* the region: the ``--region`` hint; the publisher (国家统计局 → the nation, 重庆市统计局 →
  Chongqing, CAAM → the nation); the first region the title names; the first region the text
  names. A sentence may still name another region (``广东规模以上工业…``), and 全国 / 全省 /
  全市 / "the province" refer to the release's region or its parent;
* the publisher: the hint, the page's ``来源:`` line, then "据重庆市统计局网站消息" /
  "according to the China Association of Automobile Manufacturers" in the text;
* the reporting system: a publisher that is a scope of its own (CAAM's totals are not the
  bureau's) gives every figure that scope;
* the year: the release date (the hint, the page's date), else the first year the title or
  the first lines name with a period (``2022年1-10月``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from etl.extract.lexicon import Lexicon
from etl.extract.periods import find_periods
from etl.extract.text import Document

_PUBLISHER = [
    re.compile(r"(?:文章)?来源\s*[:：]\s*(?P<p>[^\s,，。)）:：]{2,30})"),
    re.compile(r"(?:据|由)?(?P<p>[\u4e00-\u9fff]{2,12}?(?:统计局|统计处|调查总队|协会|人民政府))"),
    re.compile(r"据(?P<p>[\u4e00-\u9fff]{2,20}?)(?:网站|官网|官方网站)(?:消息|显示|数据|发布|公布)?"),
    re.compile(r"according to (?:the )?(?P<p>[A-Z][A-Za-z ,&'’-]{3,80}?)(?:\s*\(|[,.;]|$)"),
]
_NATIONAL_BUREAU = re.compile(r"国家统计局|National Bureau of Statistics|\bNBS\b", re.I)
#: The national bureau's own site (www.stats.gov.cn; provincial bureaus are stats.<province>.gov.cn).
_NBS_SITE = re.compile(r"^(?:https?://)?(?:www\.)?stats\.gov\.cn(?:/|$)", re.I)


@dataclass(frozen=True)
class Hints:
    """What the user says about a release (the CLI's options, the review page's fields)."""

    date: date | None = None
    region: str = ""
    source_url: str = ""
    title: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Setting:
    """The release as a whole: when, where, by whom."""

    published: date | None
    year: int | None
    region: str
    region_how: str  # hint | publisher | title | text | ""
    publisher: str
    scope: str
    title: str
    url: str


NBS_NAME = "National Bureau of Statistics of China"
#: How long a title taken from the text's first line may be.
TITLE_CHARS = 120


def _first_line(doc: Document) -> str:
    """The release's first line as its title (a date prefix dropped; a long line cut with "…")."""
    if not doc.paragraphs:
        return ""
    line = re.sub(r"^\s*(?:date\s*)?(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*", "",
                  doc.paragraphs[0].text, flags=re.I)
    line = re.sub(r"\s*来源\s*[:：].*$", "", line).strip()
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def find_publisher(doc: Document, text: str) -> str:
    if doc.publisher_text:
        return doc.publisher_text
    for pattern in _PUBLISHER:
        if match := pattern.search(text):
            return match["p"].strip()
    return ""


def _regions_in(text: str, lexicon: Lexicon) -> list[str]:
    return [m.name.code for m in lexicon.find(text) if m.name.category == "region"]


def _scope_in(text: str, lexicon: Lexicon) -> str:
    for mention in lexicon.find(text):
        if mention.name.category == "scope" and lexicon.scope_kind.get(mention.name.code) == "reporting_system":
            return mention.name.code
    return ""


def _first_year(texts: list[str]) -> int | None:
    for text in texts:
        periods, _ = find_periods(text)
        for mention in periods:
            if mention.ref.year is not None:
                return mention.ref.year
    return None


def release_setting(doc: Document, hints: Hints, lexicon: Lexicon) -> Setting:
    """The region, publisher, reporting system and year of a release (see the module docstring)."""
    body = " ".join(p.text for p in doc.paragraphs)
    url = hints.source_url or doc.url
    publisher = hints.publisher or find_publisher(doc, body) or (NBS_NAME if _NBS_SITE.match(url) else "")
    title = hints.title or doc.title or _first_line(doc)
    scope = _scope_in(publisher, lexicon) or _scope_in(" ".join(re.findall(r"according to [^,.;]+", body)), lexicon)
    region, how = "", ""
    if hints.region:
        region, how = hints.region, "hint"
    elif (publisher and _NATIONAL_BUREAU.search(publisher)) or _NBS_SITE.match(hints.source_url or doc.url):
        region, how = "CN", "publisher"
    elif publisher and (codes := _regions_in(publisher, lexicon)):
        region, how = codes[0], "publisher"
    elif scope:
        region, how = "CN", "publisher"
    elif codes := _regions_in(title, lexicon):
        region, how = codes[0], "title"
    elif codes := _regions_in(body[:3000], lexicon):
        region, how = codes[0], "text"
    published = hints.date or doc.published
    year = published.year if published else _first_year([title, *(p.text for p in doc.paragraphs[:3])])
    return Setting(published, year, region, how, publisher, scope, title, url)


def refer(kind: str, setting: Setting, lexicon: Lexicon, last_named: dict[str, str]) -> str:
    """全国 / 全省 / 全市 ("the country", "the province", "the city") → a region code."""
    if kind == "country":
        return "CN"
    level = lexicon.region_level.get(setting.region, "")
    if kind == "province":
        if level == "province":
            return setting.region
        if level in ("city", "county"):
            return lexicon.region_parent.get(setting.region, "") or last_named.get("province", "")
        return last_named.get("province", "")
    if level in ("city", "county") or (level == "province" and setting.region in ("110000", "120000", "310000", "500000")):
        return setting.region  # 全市 of a municipality is the municipality
    return last_named.get("city", "")
