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
    "period_kind": {"en": "Frequency", "zh": "频度"},
    "period_range": {"en": "Period (end date)", "zh": "期间（截止）"},
    "all_sources": {"en": "Show every source and vintage", "zh": "显示所有来源与版本"},
    "download_csv": {"en": "Download CSV (whole selection)", "zh": "下载 CSV（全部所选）"},
    "no_data": {
        "en": "No figures match this selection. Try another period type or measure.",
        "zh": "没有符合所选条件的数据。请尝试其他期间类型或度量。",
    },
    "snapshot": {"en": "Data snapshot", "zh": "数据快照"},
    "rows": {"en": "rows", "zh": "行"},
    "row": {"en": "row", "zh": "行"},
    "source": {"en": "Source", "zh": "来源"},
    "published": {"en": "Published", "zh": "发布日期"},
    "status": {"en": "Status", "zh": "状态"},
    "value": {"en": "Value", "zh": "数值"},
    "period": {"en": "Period", "zh": "期间"},
    "language": {"en": "中文", "zh": "English"},
    "within": {"en": "Cities of", "zh": "所辖城市"},
    "within_all": {"en": "All regions", "zh": "全部地区"},
    "industry": {"en": "Industry", "zh": "行业"},
    "product": {"en": "Product", "zh": "产品"},
    "no_product": {"en": "(no product: money or counts)", "zh": "（无具体产品：金额或数量）"},
    "scope": {"en": "Reporting scope", "zh": "统计口径"},
    "scope_default": {"en": "Statistics bureau (standard)", "zh": "统计局标准口径"},
    "status_filter": {"en": "Status", "zh": "数据状态"},
    "from": {"en": "from", "zh": "起"},
    "to": {"en": "to", "zh": "止"},
    "view_timeseries": {"en": "Time series", "zh": "时间序列"},
    "view_ranking": {"en": "Ranking", "zh": "排名"},
    "view_share": {"en": "Share of parent", "zh": "占比"},
    "view_map": {"en": "Map", "zh": "地图"},
    "view_checks": {"en": "Reconciliation", "zh": "数据核对"},
    "checks_title": {"en": "Reported figures checked against what other figures imply", "zh": "公布数据与其他数据推算值的核对"},
    "checks_none": {"en": "No reported figure of these regions could be checked against others.",
                    "zh": "这些地区没有可与其他数据核对的公布数据。"},
    "views": {"en": "Views", "zh": "视图"},
    "download_meta": {"en": "Metadata (JSON)", "zh": "元数据（JSON）"},
    "download_png": {"en": "Chart PNG", "zh": "图表 PNG"},
    "download_svg": {"en": "Chart SVG", "zh": "图表 SVG"},
    "snapshot_csv": {"en": "Full snapshot CSV", "zh": "完整快照 CSV"},
    "snapshot_parquet": {"en": "Full snapshot Parquet", "zh": "完整快照 Parquet"},
    "downloads": {"en": "Downloads", "zh": "下载"},
    "sources_title": {"en": "Sources behind this view", "zh": "本视图的数据来源"},
    "figures_supported": {"en": "figures", "zh": "个数据"},
    "figure": {"en": "figure", "zh": "个数据"},
    "no_data_for": {"en": "No figures for", "zh": "无数据"},
    "no_sources": {"en": "No figures, so no sources.", "zh": "无数据，因此无来源。"},
    "more_sources": {"en": "… and {n} more sources behind {figures} figures: each row of the table and of the CSV names its own.",
                     "zh": "……另有 {n} 个来源（{figures} 个数据）：表格和 CSV 的每一行都注明了各自的来源。"},
    "kpi_latest": {"en": "Latest", "zh": "最新值"},
    "kpi_growth": {"en": "Growth y/y", "zh": "同比增长"},
    "kpi_share": {"en": "Share of parent", "zh": "占上级比重"},
    "kpi_rank": {"en": "Rank", "zh": "排名"},
    "kpi_target": {"en": "Target progress", "zh": "目标进度"},
    "kpi_none": {"en": "not published", "zh": "未公布"},
    "legend_note": {"en": "● reported   ○ derived   ◇ estimated   ★ target", "zh": "● 公布值   ○ 推算值   ◇ 预计值   ★ 目标值"},
    "ranking_title": {"en": "Ranking", "zh": "排名"},
    "map_title": {"en": "Map", "zh": "地图"},
    "map_no_geo": {"en": "No boundaries for these regions; the map shows provinces and cities of China.",
                   "zh": "这些地区没有边界数据；地图仅显示中国的省和城市。"},
    "share_title": {"en": "Share of the parent region", "zh": "占上级地区比重"},
    "no_share": {
        "en": "No share of the parent region is published or derived for this selection.",
        "zh": "所选条件下没有公布或推算的占上级地区比重。",
    },
    "url_ignored": {"en": "Ignored in the link", "zh": "链接中已忽略"},
    "new_snapshot": {"en": "New data were published; the page now shows snapshot",
                     "zh": "已发布新数据；页面现显示快照"},
    "highlighted": {"en": "selected", "zh": "已选"},
    "period_for": {"en": "Period", "zh": "期间"},
    "publisher": {"en": "Publisher", "zh": "发布机构"},
    "map_no_data": {"en": "No figure", "zh": "无数据"},
    "dd_select_all": {"en": "Select all", "zh": "全选"},
    "dd_deselect_all": {"en": "Deselect all", "zh": "全部取消"},
    "dd_selected_count": {"en": "{num_selected} selected", "zh": "已选 {num_selected} 项"},
    "dd_search": {"en": "Search", "zh": "搜索"},
    "dd_clear_search": {"en": "Clear search", "zh": "清除搜索"},
    "dd_clear_selection": {"en": "Clear selection", "zh": "清除所选"},
    "dd_no_options_found": {"en": "No options found", "zh": "没有匹配的选项"},
    "no_url": {"en": "no URL published: cite by title and date", "zh": "无网址：请按标题和日期引用"},
    "index_title": {"en": "Index (first period = 100)", "zh": "指数（首期 = 100）"},
    "axis": {"en": "Axis", "zh": "坐标轴"},
    "axis_linear": {"en": "Linear", "zh": "线性"},
    "axis_log": {"en": "Log", "zh": "对数"},
    "transform": {"en": "Show as", "zh": "显示为"},
    "transform_none": {"en": "Levels", "zh": "总量"},
    "transform_yoy": {"en": "Year-on-year %", "zh": "同比 %"},
    "transform_index": {"en": "Index (first = 100)", "zh": "指数（首期 = 100）"},
    "transform_share": {"en": "Share of parent %", "zh": "占上级比重 %"},
    "cite": {"en": "Cite this view", "zh": "引用本视图"},
    "get_data": {"en": "Get this data", "zh": "获取数据"},
    "cite_retrieved": {"en": "retrieved", "zh": "获取于"},
    "api_link": {"en": "API link of this view (CSV)", "zh": "本视图的 API 链接（CSV）"},
    "api_scope_note": {"en": "The API returns every reporting scope: keep the rows whose scope column is the one shown.",
                       "zh": "API 返回所有统计口径：请保留 scope 列与本视图一致的行。"},
    "pandas_snippet": {"en": "In Python (pandas):", "zh": "在 Python（pandas）中："},
    "break_in_series": {"en": "Break in series", "zh": "统计口径变化"},
    "derived_by_us": {"en": "computed from published figures", "zh": "根据公布数据推算"},
    "loading": {"en": "Loading…", "zh": "加载中…"},
    "other_series": {"en": "other figures", "zh": "其他数据"},
    "suggest_provinces": {"en": "Compare provinces instead", "zh": "改为比较各省份"},
    "suggest_all_periods": {"en": "All periods", "zh": "全部期间"},
    "suggest_lead": {"en": "With figures:", "zh": "有数据的选择："},
    "all_regions_note": {"en": "All regions: every region with figures for this series is drawn. Pick regions to compare a few.",
                         "zh": "全部地区：显示该系列所有有数据的地区。选择地区以比较其中几个。"},
    "all_regions_placeholder": {"en": "All regions — pick to compare", "zh": "全部地区 — 选择以比较"},
    "axis_ytd": {"en": "Cumulative from January to the end of the month", "zh": "年初累计（截至当月）"},
    "axis_month": {"en": "Month", "zh": "月份"},
    "kpi_not_for": {"en": "not published for {period}", "zh": "{period}未公布"},
    "kpi_share_national": {"en": "Share of the national total", "zh": "占全国比重"},
    "kpi_share_of": {"en": "Share of {parent}", "zh": "占{parent}比重"},
    "target_no_level": {"en": "no level of this series is published", "zh": "该系列没有公布总量数据"},
    "target_partial": {"en": "the latest level, {period} ({value}), covers part of the period only; a full-year "
                                "target needs a full-year level",
                       "zh": "最新总量为{period}（{value}），仅为部分期间；全年目标需与全年总量比较"},
}

#: AG Grid's own texts (pagination footer, filter menus, "no rows") in Chinese; English is the grid's default.
GRID_LOCALE_ZH = {
    "page": "页", "of": "共", "to": "至", "more": "更多", "next": "下一页", "last": "末页", "first": "首页",
    "previous": "上一页", "firstPage": "首页", "previousPage": "上一页", "nextPage": "下一页", "lastPage": "末页",
    "pageSizeSelectorLabel": "每页行数：", "pageLastRowUnknown": "?",
    "loadingOoo": "加载中…", "noRowsToShow": "没有可显示的行", "loadingError": "出错",
    "filterOoo": "筛选…", "searchOoo": "搜索…", "selectAll": "（全选）", "selectAllSearchResults": "（全选搜索结果）",
    "noMatches": "无匹配项", "blanks": "（空白）", "equals": "等于", "notEqual": "不等于", "blank": "为空",
    "notBlank": "不为空", "empty": "选择一项", "lessThan": "小于", "greaterThan": "大于",
    "lessThanOrEqual": "小于或等于", "greaterThanOrEqual": "大于或等于", "inRange": "介于", "inRangeStart": "从",
    "inRangeEnd": "到", "contains": "包含", "notContains": "不包含", "startsWith": "开头是", "endsWith": "结尾是",
    "dateFormatOoo": "yyyy-mm-dd", "andCondition": "且", "orCondition": "或", "applyFilter": "应用",
    "resetFilter": "重置", "clearFilter": "清除", "cancelFilter": "取消", "textFilter": "文本筛选",
    "numberFilter": "数字筛选", "dateFilter": "日期筛选", "setFilter": "集合筛选", "filterConditions": "筛选条件",
    "filterSearch": "搜索", "ariaFilterValue": "筛选值", "ariaFilterInput": "筛选输入", "ariaFilteringOperator": "筛选运算符",
    "ariaPageSizeSelectorLabel": "每页行数", "pinColumn": "固定列", "autosizeThisColumn": "自动调整此列",
    "autosizeAllColumns": "自动调整所有列", "resetColumns": "重置列", "sortAscending": "升序", "sortDescending": "降序",
    "sortUnSort": "取消排序", "columns": "列", "filters": "筛选", "ariaSortableColumn": "按回车键排序",
    "ariaFilterColumn": "按 Ctrl+Enter 打开筛选",
}


def grid_options(lang: str) -> dict:
    """The table's grid options in ``lang`` (its footer and filter menus included)."""
    options = {"pagination": True, "paginationPageSize": 20, "enableCellTextSelection": True, "ensureDomOrder": True,
               "tooltipShowDelay": 300}
    if lang == "zh":
        options["localeText"] = GRID_LOCALE_ZH
    return options


VERDICT_LABELS = {
    "consistent": {"en": "consistent", "zh": "一致"},
    "inconsistent": {"en": "inconsistent", "zh": "不一致"},
    "not_comparable": {"en": "not comparable", "zh": "口径不可比"},
    "not_checkable": {"en": "not checkable", "zh": "无法核对"},
}

CHECK_LABELS = {
    "growth": {"en": "growth vs levels", "zh": "增速与总量"},
    "share": {"en": "share vs levels", "zh": "比重与总量"},
    "monthly": {"en": "month vs cumulative", "zh": "当月与累计"},
    "total": {"en": "total vs parts", "zh": "总数与分项"},
}

#: What would make a check that cannot be made checkable, per kind of check.
CHECKABLE_IF = {
    "growth": {"en": "levels at the same prices and scope as the growth rate, for both years",
               "zh": "与增速同价格口径、同统计范围的两年总量"},
    "share": {"en": "the parent region's figure of the same indicator, period and scope",
              "zh": "上级地区同指标、同期间、同口径的数据"},
    "monthly": {"en": "both cumulative figures of the same year and scope", "zh": "同年同口径的两个累计数"},
    "total": {"en": "every part of the total for the same period", "zh": "同期间的全部分项"},
}

#: The CSV's column headers on a Chinese page (the values, codes included, stay as they are).
CSV_HEADERS_ZH = {
    "region_code": "地区代码", "region_name_zh": "地区名称（中文）", "region_name_en": "地区名称（英文）",
    "industry_code": "行业代码", "industry_name_zh": "行业名称（中文）", "industry_name_en": "行业名称（英文）",
    "indicator": "指标", "product": "产品", "scope": "统计口径", "period_start": "期间起", "period_end": "期间止",
    "period_kind": "期间类型", "measure": "度量", "share_of": "占比基数", "price_basis": "价格口径", "value": "数值",
    "unit": "单位", "unit_published": "公布单位", "unit_mult_published": "公布单位倍数", "status": "状态",
    "qualifier": "限定词", "flags": "标记", "label_published": "原文指标", "is_default": "默认来源",
    "source_id": "来源代码", "source_title": "来源标题", "source_publisher": "发布机构", "source_url": "来源网址",
    "source_published_date": "发布日期", "vintage": "版本日期",
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
    if not entry:
        return code
    text = entry.get(lang)
    return text if text is not None else entry.get("en", code)  # "" is a real label (exact → no word)


#: The review page ("Add figures", dashboard/review/): its own table, so the main page's keys stay its own.
REVIEW_TEXT: dict[str, dict[str, str]] = {
    "page_title": {"en": "Add figures from a press release", "zh": "录入数据：从新闻稿提取"},
    "nav_link": {"en": "Add figures", "zh": "录入数据"},
    "back": {"en": "← Back to the dashboard", "zh": "← 返回仪表板"},
    "intro": {
        "en": "Paste a release (or load a .txt/.html file), say where it comes from, then check every candidate: "
              "accept, reject or correct it. Only accepted figures are published, each with this source.",
        "zh": "粘贴新闻稿全文（或载入 .txt/.html 文件），填写来源，然后逐条核对候选数据：接受、拒绝或修改。"
              "只有已接受的数据会发布，并注明此来源。",
    },
    "text": {"en": "Release text", "zh": "新闻稿全文"},
    "text_placeholder": {"en": "Paste the release here (Chinese or English)…", "zh": "在此粘贴新闻稿（中文或英文）…"},
    "upload": {"en": "or load a .txt / .html file", "zh": "或载入 .txt / .html 文件"},
    "source": {"en": "Source", "zh": "来源"},
    "title": {"en": "Title", "zh": "标题"},
    "publisher": {"en": "Publisher", "zh": "发布机构"},
    "url": {"en": "Address (URL)", "zh": "网址"},
    "date": {"en": "Release date", "zh": "发布日期"},
    "region": {"en": "Region of the release", "zh": "新闻稿所属地区"},
    "region_placeholder": {"en": "from the text", "zh": "从正文识别"},
    "authority": {"en": "Kind of source", "zh": "来源类型"},
    "authority_official": {"en": "official (statistics bureau, government)", "zh": "官方（统计局、政府）"},
    "authority_association": {"en": "industry association", "zh": "行业协会"},
    "authority_company": {"en": "company", "zh": "企业"},
    "authority_media": {"en": "media", "zh": "媒体"},
    "source_id": {"en": "Source id (file name)", "zh": "来源编号（文件名）"},
    "extract": {"en": "Find figures", "zh": "提取数据"},
    "candidates": {"en": "Candidates", "zh": "候选数据"},
    "accept_selected": {"en": "Accept selected", "zh": "接受所选"},
    "reject_selected": {"en": "Reject selected", "zh": "拒绝所选"},
    "accept_all": {"en": "Accept all", "zh": "全部接受"},
    "reject_all": {"en": "Reject all", "zh": "全部拒绝"},
    "publish": {"en": "Publish accepted figures", "zh": "发布已接受的数据"},
    "sentence": {"en": "Sentence of the selected figure", "zh": "所选数据的原句"},
    "sentence_none": {"en": "Click a row to see the sentence it came from, with the number marked.",
                      "zh": "点击一行，查看其原句（数字已标出）。"},
    "found": {"en": "{count} candidate figure(s) found; {skipped} number(s) left out.",
              "zh": "找到 {count} 个候选数据；{skipped} 个数字未采用。"},
    "found_none": {"en": "No figures found in this text.", "zh": "未在正文中找到数据。"},
    "empty_text": {"en": "Paste a release first.", "zh": "请先粘贴新闻稿。"},
    "too_long": {"en": "The text is longer than {limit} characters; paste one release at a time.",
                 "zh": "正文超过 {limit} 个字符；请每次粘贴一篇新闻稿。"},
    "bad_file": {"en": "That file could not be read: {reason}", "zh": "无法读取该文件：{reason}"},
    "bad_hint": {"en": "Check the source fields: {reason}", "zh": "请检查来源信息：{reason}"},
    "refused": {"en": "Nothing was published: fix these and publish again.", "zh": "未发布：请修正以下问题后重新发布。"},
    "failed": {"en": "The data refresh failed; nothing was published and the inbox is as it was.",
               "zh": "数据更新失败；未发布任何数据，收件箱保持原样。"},
    "published": {"en": "Published: {count} figure(s) in snapshot {snapshot} (file {file}).",
                  "zh": "已发布：{count} 个数据，快照 {snapshot}（文件 {file}）。"},
    "unchanged": {"en": "These figures were already published (snapshot {snapshot}); nothing changed.",
                  "zh": "这些数据此前已发布（快照 {snapshot}）；没有变化。"},
    "see_chart": {"en": "See it in the chart", "zh": "在图表中查看"},
    "col_review": {"en": "Review", "zh": "审核"},
    "col_region": {"en": "Region", "zh": "地区"},
    "col_industry": {"en": "Industry", "zh": "行业"},
    "col_indicator": {"en": "Indicator", "zh": "指标"},
    "col_product": {"en": "Product", "zh": "产品"},
    "col_period": {"en": "Period", "zh": "期间"},
    "col_period_kind": {"en": "Period type", "zh": "期间类型"},
    "col_measure": {"en": "Measure", "zh": "度量"},
    "col_value": {"en": "Value", "zh": "数值"},
    "col_unit": {"en": "Unit", "zh": "单位"},
    "col_qualifier": {"en": "Qualifier", "zh": "限定"},
    "col_status": {"en": "Status", "zh": "状态"},
    "col_price_basis": {"en": "Prices", "zh": "价格口径"},
    "col_scope": {"en": "Scope", "zh": "统计口径"},
    "col_share_of": {"en": "Share of", "zh": "占比基数"},
    "col_note": {"en": "Note", "zh": "备注"},
    "col_confidence": {"en": "Confidence", "zh": "置信度"},
    "col_excerpt": {"en": "Sentence", "zh": "原句"},
    "language": {"en": "中文", "zh": "English"},
}


def rt(key: str, lang: str, **values: object) -> str:
    """A review page text in ``lang`` (English when a translation is missing), with ``values`` filled in."""
    entry = REVIEW_TEXT[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text
