"""The table: the query result as grid rows, with names and values in the reader's language."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import period_text, qualified_value, region_name
from dashboard.i18n import MEASURE_LABELS, STATUS_LABELS, label

COLUMNS = [
    ("region", {"en": "Region", "zh": "地区"}),
    ("period", {"en": "Period", "zh": "期间"}),
    ("display_value", {"en": "Value", "zh": "数值"}),
    ("measure", {"en": "Measure", "zh": "度量"}),
    ("status", {"en": "Status", "zh": "状态"}),
    ("source_title", {"en": "Source", "zh": "来源"}),
    ("source_publisher", {"en": "Publisher", "zh": "发布机构"}),
    ("source_published_date", {"en": "Published", "zh": "发布日期"}),
    ("source_url", {"en": "URL", "zh": "链接"}),
    ("label_published", {"en": "Indicator (as published)", "zh": "指标（原文）"}),
    ("industry", {"en": "Industry", "zh": "行业"}),
    ("region_code", {"en": "Code", "zh": "代码"}),
    ("value", {"en": "Value (base unit)", "zh": "数值（基本单位）"}),
    ("unit", {"en": "Base unit", "zh": "基本单位"}),
]


def column_defs(lang: str) -> list[dict]:
    defs = []
    for field, names in COLUMNS:
        spec: dict = {"field": field, "headerName": names[lang]}
        if field == "value":
            spec.update(type="numericColumn", hide=False, width=150)
        if field == "source_url":
            spec.update(cellRenderer="markdown", linkTarget="_blank")
        if field == "region":
            spec.update(pinned="left", width=150)
        defs.append(spec)
    return defs


def table_rows(frame: pd.DataFrame, lang: str) -> list[dict]:
    """One dict per observation, every row (the grid pages them, the CSV has them all).

    Rows are read as plain dicts (``to_dict("records")``): ``iterrows`` builds a Series per row,
    which cost more than everything else in this function.
    """
    rows = []
    for row in frame.to_dict("records"):
        industry = (row["industry_name_zh"] if lang == "zh" else row["industry_name_en"]) or row["industry_code"]
        url = row["source_url"] or ""
        rows.append(
            {
                "region": region_name(row, lang),
                "region_code": row["region_code"],
                "industry": industry,
                "label_published": row["label_published"],
                "period": period_text(row, lang),
                "measure": label(MEASURE_LABELS, row["measure"], lang),
                "display_value": qualified_value(row, lang),
                "value": None if pd.isna(row["value"]) else float(row["value"]),
                "unit": row["unit"],
                "status": label(STATUS_LABELS, row["status"], lang) + ("" if row["is_default"] else " *"),
                "source_title": row["source_title"],
                "source_publisher": row["source_publisher"],
                "source_published_date": "" if pd.isna(row["source_published_date"]) else str(row["source_published_date"]),
                "source_url": f"[{url}]({url})" if url else "",
            }
        )
    return rows
