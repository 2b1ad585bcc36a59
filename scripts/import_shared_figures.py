"""One-off import of the shared collection of real reported figures into data/raw/.

Reads ``../shared/figures/figures.csv`` (724 figures about China's regional automobile
industry, each with the page it came from) and writes the project's default dataset in the
reported-figures format of docs/input-format.md:

    data/raw/auto-industry.figures.csv   one row per figure, as published
    data/raw/auto-industry.sources.csv   one row per page cited

It is re-runnable: the output depends only on figures.csv and the mapping rules below, and
the same input gives byte-identical files. The ``excerpt`` column of figures.csv (the
sentence each figure was read from) is used only for checks here and is never written out:
it is other people's text. The project does not keep a copy of figures.csv.

What the import decides (everything else is copied as printed):
- period: ``YYYY`` for a calendar year, otherwise ``YYYY-MM/YYYY-MM`` with an explicit
  ``period_kind`` (figures.csv's annual→year, ytd→ytd, half→half, quarter→quarter,
  month→month; a target gets the kind of its period: year, or span for several years).
- scope ``caam`` for national production figures that are the China Association of
  Automobile Manufacturers' totals (the page or the sentence names CAAM / 中汽协, or it is
  the CAAM-style "产销分别完成" pair relayed by MIIT/MOFCOM) rather than the bureau's.
- price_basis: ``comparable`` for growth of value added, ``current`` for growth of output
  value, revenue, profit, tax and investment, empty otherwise.
- unit: as printed; bracket words that are not qualifiers (``(1.6-fold)``, ``(工业总产值)``,
  ``rank (among cities)``, ``万亿元级``) move to ``note`` and the unit is cut to what
  units.csv + qualifiers.csv parse; qualifier and status are also written out explicitly.
- source_id: ``<site>-<published date>-<n>``; one source per page address.

Usage (from the repository root)::

    python scripts/import_shared_figures.py [--figures ../shared/figures/figures.csv] [--check]

``--check`` runs scripts/check_reference.py on the result.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FIGURES = ROOT.parent / "shared" / "figures" / "figures.csv"
RAW = ROOT / "data" / "raw"
FIGURES_OUT = RAW / "auto-industry.figures.csv"
SOURCES_OUT = RAW / "auto-industry.sources.csv"

FIGURE_COLUMNS = [
    "region", "industry", "indicator", "period", "period_kind", "measure", "value", "unit",
    "qualifier", "status", "scope", "share_of", "price_basis", "source_id", "note",
]
SOURCE_COLUMNS = ["source_id", "title", "publisher", "url", "published_date", "retrieved_date", "authority", "note"]

# --------------------------------------------------------------------------- sources

#: The seed press release (shared/seed/) has no address in figures.csv.
SEED = {
    "slug": "qingyuan-gov",
    "publisher": "Qingyuan Municipal People's Government",
    "note": "The press release that started the project (shared/seed/2023-08-25-qingyuan-automotive-electronics-conference.txt); "
            "page address not recorded; publisher inferred from the text (Qingyuan dateline, municipal leaders' speeches).",
}

#: Publisher and authority by site. Sites not listed are named by their host and counted as media.
PUBLISHERS: dict[str, tuple[str, str]] = {
    "stats.gd.gov.cn": ("Statistics Bureau of Guangdong Province (广东省统计局)", "official"),
    "www.gd.gov.cn": ("People's Government of Guangdong Province (广东省人民政府)", "official"),
    "www.gdqy.gov.cn": ("Qingyuan Municipal People's Government (清远市人民政府)", "official"),
    "fipa.gov.cn": ("Foshan Investment Promotion (fipa.gov.cn)", "official"),
    "en.people.cn": ("People's Daily Online (English)", "media"),
    "yn.people.com.cn": ("People's Daily Online, Yunnan channel", "media"),
    "cq.xinhuanet.com": ("Xinhua, Chongqing channel (新华网重庆频道)", "media"),
    "www.jl.chinanews.com": ("China News Service, Jilin (中新网吉林)", "media"),
    "ecns.cn": ("ECNS (China News Service, English)", "media"),
    "auto.ce.cn": ("China Economic Net, auto channel (中国经济网)", "media"),
    "www.yicaiglobal.com": ("Yicai Global", "media"),
    "www.shine.cn": ("SHINE (Shanghai Daily)", "media"),
    "www.newsgd.com": ("Newsgd.com (Guangdong)", "media"),
    "en.foshannews.net": ("Foshan News (English)", "media"),
    "gd.sina.com.cn": ("Sina Guangdong (新浪广东)", "media"),
    "www.hk01.com": ("HK01 (香港01)", "media"),
    "www.881903.com": ("Commercial Radio Hong Kong 881903 (叱咤903)", "media"),
    "cpnn.com.cn": ("China Power News Network (中国电力新闻网)", "media"),
    "big5.china.com.cn": ("China.com.cn (中国网)", "media"),
    "ydah.china.com.cn": ("China.com.cn (中国网)", "media"),
    "www.autohome.com.cn": ("Autohome (汽车之家)", "media"),
    "www.steelorbis.com": ("SteelOrbis", "media"),
    "www.metalbulletin.com": ("Metal Bulletin (Fastmarkets)", "media"),
    "www.finanznachrichten.de": ("finanznachrichten.de", "media"),
    "www.agenzianova.com": ("Agenzia Nova", "media"),
    "www.marketscreener.com": ("MarketScreener", "media"),
    "www.hellenicshippingnews.com": ("Hellenic Shipping News", "media"),
    "news.futunn.com": ("Futu News (富途牛牛)", "media"),
    "m.mysteel.com": ("Mysteel (我的钢铁网)", "media"),
    "www.evpartner.com": ("EV Partner (电动汽车资源网)", "media"),
    "auto.eastday.com": ("Eastday (东方网)", "media"),
    "mini.eastday.com": ("Eastday (东方网)", "media"),
    "cqcb.com": ("Shangyou News / Chongqing Morning Post (上游新闻)", "media"),
    "epaper.yongchuanwang.com.cn": ("Yongchuan Daily e-paper (永川日报)", "media"),
    "paper.sxworker.com": ("Shaanxi Workers' Daily (陕西工人报)", "media"),
    "www.meipian.cn": ("Meipian (美篇, user posts)", "media"),
    "yunzhan365.com": ("yunzhan365 (document hosting)", "media"),
    "translate.baiducontent.com": ("Baidu Translate page cache", "media"),
    "youjia-pc.bdstatic.com": ("Youjia (有驾, Baidu)", "media"),
    "yoojia.com": ("Youjia (有驾)", "media"),
    "www.laitimes.com": ("Laitimes", "media"),
    "www.breakinglatest.news": ("Breaking Latest News", "media"),
    "helm.news": ("Helm News", "media"),
    "en.imsilkroad.com": ("Silk Road Info (imsilkroad.com)", "media"),
    "fxbaogao.com": ("Fxbaogao (发现报告)", "media"),
    "www.baogao.com": ("Baogao.com (报告网)", "media"),
    "m.baogao8.com": ("baogao8.com", "media"),
}

#: Words in a title that mark a repost, and how the note says it.
REPOST = re.compile(r"转载|轉載|转自|转帖|聚合|repost|经百度翻译", re.I)
#: The agency or paper a title credits in its last brackets: "...（南方日报）", "... (Xinhua)".
CREDIT = re.compile(r"[（(]([^()（）]+)[)）]\s*$")
UNRELIABLE = re.compile(r"疑似|需核实|乱码|乱序|同义词替换|垃圾内容")


def slug_of(url: str) -> str:
    host = urlparse(url).netloc.lower().split(":")[0]
    host = re.sub(r"^www\.", "", host)
    return re.sub(r"[^a-z0-9]+", "-", host).strip("-")


def full_date(text: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text))


def build_sources(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """One source per page address (the seed, which has none, is one source too)."""
    pages: dict[str, list[dict[str, str]]] = defaultdict(list)
    order: list[str] = []
    for row in rows:
        url = row["source_url"]
        if url not in pages:
            order.append(url)
        pages[url].append(row)
    sources, id_of, used = [], {}, Counter()
    for url in order:
        group = pages[url]
        title = group[0]["source_title"]
        dates = sorted({r["published_date"] for r in group if r["published_date"]}, key=len, reverse=True)
        date = dates[0] if dates else ""
        notes = []
        if url:
            host = urlparse(url).netloc.lower()
            publisher, authority = PUBLISHERS.get(host, (host.split(":")[0].removeprefix("www."), "media"))
            slug = slug_of(url)
        else:
            publisher, authority, slug = SEED["publisher"], "official", SEED["slug"]
            notes.append(SEED["note"])
        credit = CREDIT.search(title)
        if url and REPOST.search(title):
            notes.append("repost on an aggregator or unrelated site")
        elif url and authority == "media" and host not in PUBLISHERS:
            notes.append("site of unknown standing, named by its host")
        if url and credit and credit.group(1).strip() not in ("转载", "轉載"):
            notes.append(f"bracketed remark in the title: {credit.group(1)}")
        if UNRELIABLE.search(title):
            notes.append("flagged when collected as possibly auto-generated or rewritten text: check before relying on it")
        published = date if full_date(date) else ""
        if date and not published:
            notes.append(f"published {date} (day not given)")
        other_titles = sorted({r["source_title"] for r in group} - {title})
        if other_titles:
            notes.append("also recorded under the title: " + " / ".join(other_titles))
        stem = f"{slug}-{published or date or 'undated'}"
        used[stem] += 1
        source_id = f"{stem}-{used[stem]}"
        id_of[url] = source_id
        sources.append({
            "source_id": source_id, "title": title, "publisher": publisher, "url": url,
            "published_date": published, "retrieved_date": "", "authority": authority, "note": "; ".join(notes),
        })
    return sources, id_of


# --------------------------------------------------------------------------- figures

KIND = {"annual": "year", "ytd": "ytd", "month": "month", "half": "half", "quarter": "quarter"}


def period_of(row: dict[str, str]) -> tuple[str, str, str]:
    """(period, period_kind, note) for a figures.csv row: the period as the collection records it.

    Nothing is moved to a neighbouring calendar period: a count at the end of December 2022 is
    the month 2022-12 (not the year 2022), a cumulative total since 2014-06 and a target for
    2023-03..2027-12 are spans with their real start (not the calendar years around them).
    """
    start, end, kind = row["period_start"], row["period_end"], row["period_kind"]
    sy, sm, ey, em = int(start[:4]), int(start[5:7]), int(end[:4]), int(end[5:7])
    calendar_year = sy == ey and sm == 1 and em == 12
    if kind == "annual" and sy == ey and sm == em == 12:
        # a stock (number of enterprises) at the end of the year: the month it was counted in
        return f"{start}/{end}", "month", "count at the end of the year"
    if kind in ("annual", "target") and calendar_year:
        return f"{sy}", "year", ""
    if sy != ey:
        if sm == 1 and em == 12:
            return f"{start}/{end}", "span", ""
        if kind == "target":
            return f"{start}/{end}", "span", ""
        return f"{start}/{end}", "span", f"cumulative total from {start} to the end of {end}"
    if kind == "ytd" and sm == 1:
        return f"{start}/{end}", "ytd", ""
    if kind == "target":
        return f"{start}/{end}", "ytd" if sm == 1 else ("month" if sm == em else "span"), ""
    return f"{start}/{end}", KIND[kind], ""


BRACKETS = re.compile(r"^(.*?)\s*[(（](.*)[)）]\s*$")
SPLIT = re.compile(r"[,，、;；]")


def load_qualifiers() -> dict[str, tuple[str, str]]:
    with open(ROOT / "data" / "reference" / "qualifiers.csv", encoding="utf-8", newline="") as handle:
        return {r["word"].casefold(): (r["qualifier"], r["status"]) for r in csv.DictReader(handle)}


def unit_of(printed: str, qualifiers: dict[str, tuple[str, str]]) -> tuple[str, str, str, str]:
    """(unit to write, qualifier, status, note) for a unit as printed."""
    if printed == "万亿元级":
        return "万亿元", "at_least", "", "printed as 万亿元级 (of the trillion-yuan order)"
    match = BRACKETS.match(printed)
    if not match:
        return printed, "exact", "", ""
    symbol, inner = match.group(1), match.group(2)
    words = [w.strip() for w in SPLIT.split(inner) if w.strip()]
    if all(w.casefold() in qualifiers for w in words):
        qualifier, status = "exact", ""
        for word in words:
            q, s = qualifiers[word.casefold()]
            qualifier = q or qualifier
            status = s or status
        return printed, qualifier, status, ""
    # Not qualifier words: keep them as a note, write the plain unit.
    qualifier = "exact"
    if "正式跨入" in inner:
        qualifier = "at_least"
    if "1/4" in inner:
        qualifier = "about"
    return symbol, qualifier, "", f"unit printed as {printed!r}"


CAAM = re.compile(r"中汽协|汽车工业协会|汽車工業協會|CAAM|Automobile Manufacturers", re.I)
NBS = re.compile(r"国家统计局|國家統計局|统计局|統計局|National Bureau of Statistics|Bureau of Statistics", re.I)
#: CAAM's national totals relayed by ministries (MIIT, MOFCOM) or printed as its production-and-sales pair.
CAAM_STYLE = re.compile(r"工业和信息化部|工信部|商務部|商务部|产销分别完成|產銷分別完成|产销分别达|产销量达")
NATIONAL = {"全国", "中国"}


def scope_of(row: dict[str, str], page_rows: list[dict[str, str]]) -> str:
    """``caam`` for the association's national production totals, else "" (the bureau's)."""
    if row["region"] not in NATIONAL or "产量" not in row["indicator"]:
        return ""
    if NBS.search(row["excerpt"]):
        return ""
    page_text = row["source_title"] + " " + " ".join(r["excerpt"] for r in page_rows)
    if CAAM.search(row["excerpt"]) or CAAM_STYLE.search(row["excerpt"]) or CAAM.search(page_text):
        return "caam"
    return ""


def price_basis_of(row: dict[str, str]) -> str:
    if row["measure"] != "yoy_pct":
        return ""
    indicator = row["indicator"]
    if "增加值" in indicator:
        return "comparable"
    if any(w in indicator for w in ("产值", "营业收入", "营收", "利润", "创税", "投资")):
        return "current"
    return ""


#: Qualifiers the unit does not carry but the sentence does: (region, indicator, value) → (qualifier, word).
QUALIFIER_FROM_TEXT = {
    ("重庆市", "智能网联新能源汽车产量", "100"): ("at_least", "突破"),
}


def status_of(row: dict[str, str], unit_status: str) -> str:
    if row["measure"] == "target":
        return "target"
    return unit_status


def convert(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    qualifiers = load_qualifiers()
    sources, id_of = build_sources(rows)
    by_page: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_page[row["source_url"]].append(row)
    out = []
    for row in rows:
        period, kind, period_note = period_of(row)
        unit, qualifier, unit_status, unit_note = unit_of(row["unit_as_published"], qualifiers)
        notes = [n for n in (period_note, unit_note) if n]
        from_text = QUALIFIER_FROM_TEXT.get((row["region"], row["indicator"], row["value"]))
        if from_text and qualifier == "exact":
            qualifier = from_text[0]
            notes.append(f"qualifier from the text ({from_text[1]})")
        if (row["region_level"] == "province" and row["indicator"] in ("汽车产量", "新能源汽车产量")
                and row["period_start"] >= "2025" and row["measure"] != "target"):
            notes.append("from 2025 the bureau counts vehicles where they are built, not where the maker is registered (break in series)")
        out.append({
            "region": row["region"],
            "industry": row["industry"],
            "indicator": row["indicator"],
            "period": period,
            "period_kind": kind,
            "measure": row["measure"],
            "value": row["value"],
            "unit": unit,
            "qualifier": qualifier,
            "status": status_of(row, unit_status),
            "scope": scope_of(row, by_page[row["source_url"]]),
            "share_of": "",
            "price_basis": price_basis_of(row),
            "source_id": id_of[row["source_url"]],
            "note": "; ".join(notes),
        })
    return out, sources


def drop_repeats(figures: list[dict[str, str]], source_rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """Keep one row per figure where a page was recorded twice with the same value.

    The shared collection holds some pages twice (under two titles, or a figure typed once in
    traditional and once in simplified characters, or once under 全国 and once under 中国).
    Two rows of one source that resolve to the same dimensions and the same value are the same
    figure: the row whose unit carries more qualifier words is kept (the first on a tie) and
    its note says that the figure was recorded twice. Rows with the same dimensions and
    *different* values would be a data error; there are none (scripts/check_reference.py
    checks it).
    """
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_reference import Checker, fold  # noqa: PLC0415

    checker = Checker(ROOT / "data" / "reference", RAW)
    checker.load_reference()

    def key(row: dict[str, str]) -> tuple:
        implied = checker.indicators.get(fold(row["indicator"]), {})
        industry = implied.get("industry_code") or checker.industries.get(fold(row["industry"]), row["industry"])
        dims = [implied.get(c) or row.get(c, "") for c in ("product", "scope", "share_of", "price_basis")]
        measure = implied.get("measure") or row["measure"]
        region = checker.regions.get(fold(row["region"]), row["region"])
        return (region, industry, implied.get("indicator", row["indicator"]), *dims, measure,
                row["period"], row["period_kind"], row["source_id"], row["value"])

    first: dict[tuple, int] = {}
    keep: list[dict[str, str]] = []
    dropped = 0
    for number, row in enumerate(figures):
        k = key(row)
        if k not in first:
            first[k] = len(keep)
            keep.append(dict(row, _line=str(number + 2)))
            continue
        dropped += 1
        kept = keep[first[k]]
        if len(row["unit"]) > len(kept["unit"]):
            row = dict(row, _line=kept["_line"])
            keep[first[k]] = row
            kept = row
        units = sorted({source_rows[number]["unit_as_published"], source_rows[int(kept["_line"]) - 2]["unit_as_published"]})
        remark = "recorded twice on this page in the shared collection" + (f" (units printed {' / '.join(units)})" if len(units) > 1 else "")
        kept["note"] = "; ".join(n for n in (kept["note"], remark) if n)
    for row in keep:
        row.pop("_line", None)
    return keep, dropped


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", type=Path, default=DEFAULT_FIGURES, help="path of shared/figures/figures.csv")
    parser.add_argument("--check", action="store_true", help="run scripts/check_reference.py afterwards")
    args = parser.parse_args(argv)
    with open(args.figures, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    figures, sources = convert(rows)
    figures, dropped = drop_repeats(figures, rows)
    write_csv(FIGURES_OUT, FIGURE_COLUMNS, figures)
    write_csv(SOURCES_OUT, SOURCE_COLUMNS, sources)
    print(f"{len(rows)} figures read; {dropped} exact repeats (same page, same figure, same value) merged")
    print(f"wrote {len(figures)} figures to {FIGURES_OUT.relative_to(ROOT)} and {len(sources)} sources to {SOURCES_OUT.relative_to(ROOT)}")
    if args.check:
        return subprocess.call([sys.executable, str(ROOT / "scripts" / "check_reference.py")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
