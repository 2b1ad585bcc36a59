"""Chart transformations of levels: year-on-year %, index (first period = 100), share of the parent.

Pure: a query result of levels (and, for growth and share, the published figures beside it) →
the transformed rows and, per row, the words saying how each point was computed (shown on
hover). A published growth rate or share is always used where one exists; a computed one is
marked ``derived`` and never replaces it (DESIGN §3.2). Nothing is computed across a break in
series, and only like with like: Jan–Jul 2023 over Jan–Jul 2022, never over Jan–Jun.
"""

from __future__ import annotations

import pandas as pd

from dashboard.figures.common import period_text
from dashboard.formatting import format_value

TRANSFORMS = ("yoy", "index", "share")
COMPUTED_SOURCE = {"en": "Computed in this view from the figures named", "zh": "本视图根据所列数据计算"}


def _key(row: dict) -> tuple:
    return (row["region_code"], row["period_kind"], row["period_start"].month, row["period_end"].month)


def _broken(breaks: pd.DataFrame | None, region: str, after, upto) -> bool:
    """Whether a break in series of ``region`` falls in (after, upto]."""
    if breaks is None or breaks.empty:
        return False
    dates = breaks.loc[breaks["region_code"] == region, "break_date"]
    return any(after < pd.Timestamp(d).date() <= upto for d in dates)


def _computed(row: dict, value: float, measure: str, unit: str, lang: str) -> dict:
    return {**row, "value": value, "measure": measure, "unit": unit, "status": "derived", "qualifier": "exact",
            "source_id": "computed", "source_title": COMPUTED_SOURCE["zh" if lang == "zh" else "en"],
            "source_publisher": "", "source_url": "", "source_published_date": None}


def year_on_year(levels: pd.DataFrame, published: pd.DataFrame, lang: str, *,
                 breaks: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[int, str]]:
    """Growth on the same period a year earlier, in %: the published rate where there is one."""
    rows: list[dict] = []
    extra: dict[int, str] = {}
    own = {(r["region_code"], r["period_start"], r["period_end"]): r
           for r in published.to_dict("records")} if not published.empty else {}
    data = levels.dropna(subset=["value"]).to_dict("records")
    by_key = {(_key(r), r["period_start"].year): r for r in data}
    for row in data:
        reported = own.get((row["region_code"], row["period_start"], row["period_end"]))
        if reported is not None:
            rows.append(reported)
            extra[len(rows) - 1] = "公布的增长率" if lang == "zh" else "published growth rate"
            continue
        before = by_key.get((_key(row), row["period_start"].year - 1))
        if before is None or not before["value"] or _broken(breaks, row["region_code"], before["period_end"], row["period_end"]):
            continue
        growth = (row["value"] / before["value"] - 1) * 100
        rows.append(_computed(row, growth, "yoy_pct", "percent", lang))
        now, then = period_text(pd.Series(row), lang), period_text(pd.Series(before), lang)
        a, b = format_value(row["value"], row["unit"], lang), format_value(before["value"], before["unit"], lang)
        extra[len(rows) - 1] = (f"计算值：({now} {a} ÷ {then} {b} − 1) × 100" if lang == "zh"
                                else f"computed: ({now} {a} ÷ {then} {b} − 1) × 100")
    return pd.DataFrame(rows, columns=levels.columns), extra


def index_first_100(levels: pd.DataFrame, lang: str, *, breaks: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[int, str]]:
    """Each point as an index of the first period of the same length and months (= 100)."""
    rows: list[dict] = []
    extra: dict[int, str] = {}
    data = sorted(levels.dropna(subset=["value"]).to_dict("records"), key=lambda r: r["period_end"])
    base: dict[tuple, dict] = {}
    for row in data:
        first = base.setdefault(_key(row), row)
        if not first["value"] or _broken(breaks, row["region_code"], first["period_end"], row["period_end"]):
            continue
        rows.append(_computed(row, row["value"] / first["value"] * 100, "index", "index", lang))
        now, then = period_text(pd.Series(row), lang), period_text(pd.Series(first), lang)
        extra[len(rows) - 1] = (f"计算值：{now} ÷ {then} × 100" if lang == "zh" else f"computed: {now} ÷ {then} × 100")
    return pd.DataFrame(rows, columns=levels.columns), extra


def share_of_parent(levels: pd.DataFrame, parents: pd.DataFrame, parent_of: dict[str, str], published: pd.DataFrame,
                    lang: str, *, parent_names: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict[int, str]]:
    """Each region's level as a % of its parent's level of the same period: the published share where there is one."""
    rows: list[dict] = []
    extra: dict[int, str] = {}
    names = parent_names or {}
    own = {(r["region_code"], r["period_start"], r["period_end"]): r
           for r in published.to_dict("records")} if not published.empty else {}
    totals = {(r["region_code"], r["period_start"], r["period_end"]): r
              for r in parents.dropna(subset=["value"]).to_dict("records")} if not parents.empty else {}
    for row in levels.dropna(subset=["value"]).to_dict("records"):
        reported = own.get((row["region_code"], row["period_start"], row["period_end"]))
        if reported is not None:
            rows.append(reported)
            extra[len(rows) - 1] = "公布的比重" if lang == "zh" else "published share"
            continue
        parent = parent_of.get(row["region_code"])
        total = totals.get((parent, row["period_start"], row["period_end"]))
        if total is None or not total["value"]:
            continue
        rows.append(_computed(row, row["value"] / total["value"] * 100, "share_pct", "percent", lang))
        when = period_text(pd.Series(row), lang)
        parent_name = names.get(parent, parent)
        extra[len(rows) - 1] = (f"计算值：{when} 本地区 ÷ {parent_name} × 100" if lang == "zh"
                                else f"computed: {when} this region ÷ {parent_name} × 100")
    return pd.DataFrame(rows, columns=levels.columns), extra
