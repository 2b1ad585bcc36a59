"""The table: the query result as grid rows, with names and values in the reader's language.

The grid gets numbers and formats them (``value`` is the number, the text beside it what is
shown), so the Value column sorts and filters as numbers. Source, publisher, date and the URL
(a link) come straight after the value; a derived row says in words how it was computed.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.figures.common import period_text, qualified_value, region_name
from dashboard.i18n import MEASURE_LABELS, STATUS_LABELS, label
from dashboard.records import records

COLUMNS = [
    ("region", {"en": "Region", "zh": "地区"}),
    ("period", {"en": "Period", "zh": "期间"}),
    ("value", {"en": "Value", "zh": "数值"}),
    ("source_title", {"en": "Source", "zh": "来源"}),
    ("source_publisher", {"en": "Publisher", "zh": "发布机构"}),
    ("source_published_date", {"en": "Published", "zh": "发布日期"}),
    ("source_url", {"en": "URL", "zh": "链接"}),
    ("status", {"en": "Status", "zh": "状态"}),
    ("measure", {"en": "Measure", "zh": "度量"}),
    ("how", {"en": "As published / how computed", "zh": "原文指标 / 计算方法"}),
    ("industry", {"en": "Industry", "zh": "行业"}),
    ("region_code", {"en": "Code", "zh": "代码"}),
    ("base_value", {"en": "Value (base unit)", "zh": "数值（基本单位）"}),
    ("unit", {"en": "Base unit", "zh": "基本单位"}),
]

#: One input of a derivation as the ETL writes it: ``440000 ytd 2023-01..2023-07 = 2738100 [source-id]``.
TERM = re.compile(r"(?P<region>\S+) (?P<kind>[a-z]+) (?P<y1>\d{4})-(?P<m1>\d{2})\.\.(?P<y2>\d{4})-(?P<m2>\d{2}) = "
                  r"(?P<value>[-0-9.e+]+) \[(?P<source>[^\]]+)\]")
RANK = re.compile(r"rank among (?P<k>\d+) of (?P<n>\d+) regions under (?P<parent>\S+) with this figure")


def _term_period(match: re.Match, lang: str) -> str:
    start = pd.Timestamp(int(match["y1"]), int(match["m1"]), 1).date()
    end = (pd.Timestamp(int(match["y2"]), int(match["m2"]), 1) + pd.offsets.MonthEnd(0)).date()
    return period_text(pd.Series({"period_start": start, "period_end": end, "period_kind": match["kind"]}), lang)


def derivation_words(text: str, lang: str, publishers: dict[str, str], names: dict[str, str]) -> str:
    """``derived: A = … [s1] − B = … [s2]`` → "Jan–Jul 2023 minus Jan–Jun 2023, both from <publisher>".

    Internal names (``label_published``, source ids) never reach the reader; a text that does
    not have the ETL's shape is shown as it is, without the ``derived:`` prefix.
    """
    body = text.removeprefix("derived:").strip()
    rank = RANK.search(body)
    if rank:
        parent = names.get(rank["parent"], rank["parent"])
        if lang == "zh":
            return f"在{parent}下{rank['n']}个地区中有该数据的{rank['k']}个之间排名"
        return f"rank among the {rank['k']} of {rank['n']} regions of {parent} with this figure"
    terms = list(TERM.finditer(body))
    if len(terms) != 2:
        return body
    first, second = terms
    between = body[first.end():second.start()].strip()
    sources = list(dict.fromkeys(publishers.get(t["source"], t["source"]) for t in terms))
    a, b = _term_period(first, lang), _term_period(second, lang)
    region_a, region_b = names.get(first["region"], first["region"]), names.get(second["region"], second["region"])
    growth = body[second.end():].strip().startswith("−")
    if lang == "zh":
        origin = f"均来自{sources[0]}" if len(sources) == 1 else f"分别来自{'、'.join(sources)}"
        if between == "−":
            return f"{a}减去{b}，{origin}"
        if growth:
            return f"{a}除以{b}再减1（同比），{origin}"
        return f"{region_a}{a}除以{region_b}{b}，{origin}"
    origin = f"both from {sources[0]}" if len(sources) == 1 else f"from {' and '.join(sources)}"
    if between == "−":
        return f"{a} minus {b}, {origin}"
    if growth:
        return f"{a} divided by {b}, minus 1 (year on year), {origin}"
    return f"{region_a} {a} divided by {region_b} {b}, {origin}"


def column_defs(lang: str) -> list[dict]:
    defs = []
    for field, names in COLUMNS:
        spec: dict = {"field": field, "headerName": names[lang]}
        if field == "value":
            # A number, shown as the formatted text beside it: sorts and filters as a number.
            spec.update(type="numericColumn", filter="agNumberColumnFilter", width=170,
                        valueFormatter={"function": "params.data ? params.data.display_value : ''"})
        if field == "base_value":
            spec.update(type="numericColumn", filter="agNumberColumnFilter", width=150)
        if field == "source_url":
            spec.update(cellRenderer="markdown", linkTarget="_blank", width=220)
        if field == "source_title":
            spec.update(width=260, tooltipField="source_title")
        if field == "how":
            spec.update(width=320, tooltipField="how")
        if field == "region":
            spec.update(pinned="left", width=150)
        defs.append(spec)
    return defs


def table_rows(frame: pd.DataFrame, lang: str, *, publishers: dict[str, str] | None = None,
               names: dict[str, str] | None = None) -> list[dict]:
    """One dict per observation, every row (the grid pages them, the CSV has them all).

    ``publishers``: source id → publisher, ``names``: region code → name, for derivations in words.
    Rows are read as plain dicts (:func:`dashboard.records.records`): ``iterrows`` builds a Series
    per row, which cost more than everything else in this function.
    """
    publishers, names = publishers or {}, names or {}
    rows = []
    for row in records(frame):
        industry = (row["industry_name_zh"] if lang == "zh" else row["industry_name_en"]) or row["industry_code"]
        url = row["source_url"] or ""
        published = str(row["label_published"] or "")
        how = derivation_words(published, lang, publishers, names) if row["status"] == "derived" else published
        number = None if pd.isna(row["value"]) else float(row["value"])
        rows.append(
            {
                "region": region_name(row, lang),
                "region_code": row["region_code"],
                "industry": industry,
                "how": how,
                "period": period_text(row, lang),
                "measure": label(MEASURE_LABELS, row["measure"], lang),
                "display_value": qualified_value(row, lang),
                "value": number,
                "base_value": number,
                "unit": row["unit"],
                "status": label(STATUS_LABELS, row["status"], lang) + ("" if row["is_default"] else " *"),
                "source_title": row["source_title"],
                "source_publisher": row["source_publisher"],
                "source_published_date": "" if pd.isna(row["source_published_date"]) else str(row["source_published_date"]),
                "source_url": f"[{url}]({url})" if url else "",
            }
        )
    return rows

