"""Interface text in Chinese and English.

Every label the dashboard shows comes from :data:`TEXT`, so switching language never leaves a
stray English word on a Chinese page.
"""

from __future__ import annotations

LANGS = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Regional industry statistics", "zh": "区域产业统计"},
    "subtitle": {
        "en": "Reported figures, normalised and traceable to their sources",
        "zh": "已发布数据，统一口径，可追溯来源",
    },
    "region": {"en": "Regions", "zh": "地区"},
    "indicator": {"en": "Indicator", "zh": "指标"},
    "measure": {"en": "Measure", "zh": "度量"},
    "period_kind": {"en": "Period type", "zh": "期间类型"},
    "period_range": {"en": "Period (end date)", "zh": "期间（截止）"},
    "all_sources": {"en": "Show every source and vintage", "zh": "显示所有来源与版本"},
    "download_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "no_data": {
        "en": "No figures match this selection. Try another period type or measure.",
        "zh": "没有符合所选条件的数据。请尝试其他期间类型或度量。",
    },
    "snapshot": {"en": "Data snapshot", "zh": "数据快照"},
    "rows": {"en": "rows", "zh": "行"},
    "source": {"en": "Source", "zh": "来源"},
    "published": {"en": "Published", "zh": "发布日期"},
    "status": {"en": "Status", "zh": "状态"},
    "value": {"en": "Value", "zh": "数值"},
    "period": {"en": "Period", "zh": "期间"},
    "language": {"en": "中文", "zh": "English"},
}

MEASURE_LABELS = {
    "level": {"en": "Level", "zh": "总量"},
    "yoy_pct": {"en": "Growth, year on year (%)", "zh": "同比增长（%）"},
    "share_pct": {"en": "Share of parent region (%)", "zh": "占上级地区比重（%）"},
    "rank": {"en": "Rank", "zh": "排名"},
    "target": {"en": "Target", "zh": "目标"},
}

PERIOD_KIND_LABELS = {
    "ytd": {"en": "Year to date (cumulative)", "zh": "累计（年初至今）"},
    "month": {"en": "Month", "zh": "当月"},
    "quarter": {"en": "Quarter", "zh": "季度"},
    "half": {"en": "Half year", "zh": "半年"},
    "year": {"en": "Year", "zh": "年度"},
    "span": {"en": "Several years", "zh": "多年"},
}

STATUS_LABELS = {
    "reported": {"en": "reported", "zh": "公布值"},
    "derived": {"en": "derived", "zh": "推算值"},
    "estimated": {"en": "estimated / forecast", "zh": "预计值"},
    "provisional": {"en": "provisional", "zh": "初步值"},
    "revised": {"en": "revised", "zh": "修订值"},
    "target": {"en": "target", "zh": "目标值"},
    "suppressed": {"en": "suppressed", "zh": "不公开"},
    "not_available": {"en": "not available", "zh": "无数据"},
}

QUALIFIER_LABELS = {
    "exact": {"en": "", "zh": ""},
    "at_least": {"en": "at least", "zh": "超过"},
    "at_most": {"en": "at most", "zh": "不超过"},
    "about": {"en": "about", "zh": "约"},
}

PRODUCT_LABELS = {
    "automobiles": {"en": "automobiles", "zh": "汽车"},
    "nev": {"en": "new-energy vehicles", "zh": "新能源汽车"},
}


def t(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (English when a translation is missing)."""
    entry = TEXT[key]
    return entry.get(lang) or entry["en"]


def label(table: dict[str, dict[str, str]], code: str, lang: str) -> str:
    """A vocabulary label (measure, status, ...) in ``lang``; the code itself when unknown."""
    entry = table.get(code)
    return (entry.get(lang) or entry.get("en") or code) if entry else code
