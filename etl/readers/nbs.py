"""China NBS easyquery exports (data.stats.gov.cn): 分省年度数据, 分省月度数据, 年度数据, ...

What an export looks like, and what this reader does about each quirk:

* Encoding GBK or UTF-8 with a BOM (detected; a file mixing both is a problem).
* Fields separated by ``,`` or by ``\\t,`` (every field ends in a tab): cells are split on
  commas and stripped, so both read the same; the trailing empty column is dropped.
* Header lines ``数据库：``, ``指标：``, ``时间：`` and footer lines ``注：`` (possibly a quoted
  multi-line note) and ``数据来源：`` become metadata, never figures.
* Three layouts, told apart by the header's corner cell and its labels:
  ``地区`` × periods (one indicator), ``地区`` × indicators (one period) and ``指标`` × periods
  (one region, which the file does not name: it comes from the sidecar).
* The unit is in the indicator's brackets (``地区生产总值 (亿元)``, ``(万辆)``, ``(元/人)``).
* Monthly series: ``累计值`` (year to date) → the period ``2023年1-4月``, kind ``ytd``;
  ``当期值`` → the month; ``同比增长`` / ``累计增长`` → measure ``yoy_pct``. January of a
  cumulative series is empty (January and February are released together) and an empty
  cell is *not* a figure: no row is emitted for it, never a zero.

Whatever the file does not say (the indicator of ``第二产业.csv`` other than its name, the
region of a one-region file, the source's dates) comes from ``<file>.meta.yaml``
(:mod:`etl.readers.sidecar`), which also overrides the reader's guesses.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from etl import csvtable
from etl.problems import Problem
from etl.readers.base import ReadResult, empty_figures, empty_sources, figures_frame, sources_frame
from etl.readers.sidecar import Sidecar, load_sidecar, location, missing, source_record, unpack
from etl.readers.textfile import decode_file, relative_name

PUBLISHER = "国家统计局 National Bureau of Statistics"
URL = "https://data.stats.gov.cn/easyquery.htm"

_META = re.compile(r"^\s*(数据库|指标|时间|地区|注|数据来源)\s*[：:]\s*(.*)$", re.S)
_HEADER_KEYS = ("数据库", "指标", "时间", "地区")
_FOOTER_KEYS = ("注", "数据来源")
_REGION_CORNERS = ("地区", "省份", "地区名称", "省份名称")
_INDICATOR_CORNERS = ("指标",)

_YEAR = re.compile(r"^(\d{4})\s*年?$")
_MONTH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$|^(\d{4})-(\d{1,2})$")
_MONTHS = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*[-–~至]\s*(\d{1,2})\s*月$")
_QUARTER = re.compile(r"^(\d{4})\s*年\s*第?\s*([一二三四1-4])\s*季度$|^(\d{4})\s*[Qq]([1-4])$")
_HALF = re.compile(r"^(\d{4})\s*年\s*([上下])半年$")
_LOOKS_LIKE_PERIOD = re.compile(r"^\s*\d{4}")
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_UNIT = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")
#: Suffixes of monthly/quarterly series names → (cumulative?, measure).
_SERIES_SUFFIXES: tuple[tuple[str, bool | None, str], ...] = (
    ("当期同比增长", False, "yoy_pct"),
    ("累计同比增长", True, "yoy_pct"),
    ("累计增长", True, "yoy_pct"),
    ("同比增长", None, "yoy_pct"),
    ("累计值", True, "level"),
    ("当期值", False, "level"),
)
#: File names that name the database, not an indicator.
_GENERIC_NAME = re.compile(r"数据|^archive", re.I)


def can_read(path: Path, head: bytes) -> bool:
    """An NBS export starts with ``数据库：`` (in GBK or UTF-8, with or without a BOM)."""
    if path.suffix.lower() not in (".csv", ".txt", ""):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        text = head.decode(encoding, errors="ignore").lstrip('\ufeff \t\r\n"')
        if text.startswith(("数据库：", "数据库:")):
            return True
    return False


@dataclass(frozen=True)
class PeriodLabel:
    """A period header as the reader understood it (``label``: as printed)."""

    year: int
    kind: str  # year | month | quarter | half | ytd
    first_month: int = 1
    last_month: int = 12
    label: str = ""

    def text(self, cumulative: bool | None) -> tuple[str, str]:
        """The period text and kind of a figure in this column (``累计值`` → ytd from January)."""
        if self.kind == "year":
            return f"{self.year}年", "year"
        if cumulative and self.kind in ("month", "quarter", "half", "ytd"):
            return f"{self.year}年1-{self.last_month}月", "ytd"
        if self.kind == "month":
            return f"{self.year}年{self.last_month}月", "month"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.last_month // 3 - 1]}季度", "quarter"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.last_month == 6 else '下'}半年", "half"
        return f"{self.year}年{self.first_month}-{self.last_month}月", "ytd"


def parse_period_label(text: str) -> PeriodLabel | str:
    """A column header → a period, or the reason it is not one."""
    label = text.strip()
    if match := _YEAR.match(label):
        year, kind, first, last = int(match[1]), "year", 1, 12
    elif match := _MONTH.match(label):
        year, month = int(match[1] or match[3]), int(match[2] or match[4])
        kind, first, last = "month", month, month
    elif match := _MONTHS.match(label):
        year, first, last, kind = int(match[1]), int(match[2]), int(match[3]), "ytd"
    elif match := _QUARTER.match(label):
        year = int(match[1] or match[3])
        quarter = _QUARTER_NUMBER[match[2] or match[4]]
        kind, first, last = "quarter", quarter * 3 - 2, quarter * 3
    elif match := _HALF.match(label):
        year, kind = int(match[1]), "half"
        first, last = (1, 6) if match[2] == "上" else (7, 12)
    else:
        return f"cannot parse period header {label!r}"
    if not 1900 <= year <= 2100:
        return f"year {year} out of range in period header {label!r}"
    if not (1 <= first <= 12 and 1 <= last <= 12) or last < first:
        return f"no such month in period header {label!r}"
    if kind == "ytd" and first != 1:
        return f"period header {label!r} is neither a month nor cumulative from January"
    return PeriodLabel(year, kind, first, last, label)


@dataclass(frozen=True)
class IndicatorLabel:
    """An indicator header: the name to look up, its unit, and what its suffix says."""

    label: str
    name: str
    unit: str
    cumulative: bool | None
    measure: str


def parse_indicator_label(text: str) -> IndicatorLabel:
    """``汽车产量_累计值(万辆)`` → name ``汽车产量``, unit ``万辆``, cumulative, level."""
    label = " ".join(text.split())
    name, unit = label, ""
    if match := _UNIT.match(label):
        name, unit = match[1].strip(), match[2].strip()
    cumulative: bool | None = None
    measure = ""
    for suffix, is_cumulative, suffix_measure in _SERIES_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)].rstrip("_ ")
            cumulative, measure = is_cumulative, suffix_measure
            break
    return IndicatorLabel(label, name, unit, cumulative, measure)


@dataclass
class Export:
    """The parts of an export: metadata, the header row, data rows and notes."""

    meta: dict[str, str]
    notes: list[str]
    header_line: int
    header: list[str]
    header_width: int
    rows: list[tuple[int, list[str], int]]  # (line, stripped cells, raw cell count)
    #: The line of each metadata key (数据库, 指标, 时间, 地区), for problems about its value.
    meta_lines: dict[str, int] = field(default_factory=dict)
    #: The file ends in a table row without a line break: the row may have been cut.
    cut_last_row: bool = False


def split_export(text: str, rel: str) -> tuple[Export | None, list[Problem]]:
    """Separate metadata and footer lines from the table (a file without them is a bare table)."""
    records, quoting = csvtable.records(text, rel)
    if quoting:
        return None, quoting
    meta: dict[str, str] = {}
    notes: list[str] = []
    header: tuple[int, list[str], int] | None = None
    rows: list[tuple[int, list[str], int]] = []
    footer = False
    meta_lines: dict[str, int] = {}
    for line, raw in records:
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        match = _META.match(cells[0])
        if match and (match[1] in _FOOTER_KEYS or header is None):
            value = " ".join([match[2].strip(), *(c for c in cells[1:] if c)]).strip()
            if match[1] in _FOOTER_KEYS:
                footer = True
                notes.append(f"{match[1]}：{value}")
            else:
                meta[match[1]] = value
                meta_lines[match[1]] = line
            continue
        if footer:
            notes.append(" ".join(c for c in cells if c))
            continue
        if header is None:
            header = (line, cells, len(raw))
        else:
            rows.append((line, cells, len(raw)))
    if header is None:
        return None, [Problem(rel, None, None, "no table: only header and footer lines")]
    line, cells, _ = header
    while cells and not cells[-1]:
        cells = cells[:-1]
    cut = bool(rows) and not footer and not text.endswith(("\n", "\r"))
    return Export(meta, notes, line, cells, header[2], rows, meta_lines, cut), []


def _file_indicator(rel: str) -> str:
    """``第二产业.csv`` names its indicator; ``分省年度数据2024.csv`` names only the database."""
    stem = Path(rel).name.split(".")[0]
    return "" if not stem or _GENERIC_NAME.search(stem) else stem


def _source_id(rel: str) -> str:
    return "nbs-" + hashlib.sha1(rel.encode("utf-8")).hexdigest()[:12]


def read(path: Path, raw_root: Path) -> ReadResult:
    """Read one export into figures as published (see the module docstring)."""
    rel = relative_name(path, raw_root)
    sidecar, problems = load_sidecar(path, rel)
    text, decode_problems = decode_file(path, rel, sidecar.get("encoding"))
    problems += decode_problems
    if text is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    export, split_problems = split_export(text, rel)
    problems += split_problems
    if export is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    figures, table_problems, title_part = _figures(export, sidecar, rel, path)
    problems += table_problems
    if table_problems and any(p.row is None for p in table_problems):
        # A file-level gap (no unit, no region): every figure would be wrong; report it once.
        figures = []
    database = export.meta.get("数据库", "")
    source = source_record(
        {
            "source_id": _source_id(rel),
            "title": "：".join(p for p in (database or "国家统计局数据", title_part) if p),
            "publisher": PUBLISHER,
            "url": URL,
            "authority": "official",
            "note": " ".join(export.notes),
        },
        sidecar,
    )
    for figure in figures:
        figure["source_id"] = source["source_id"]
    sources = sources_frame([source]) if figures else empty_sources()
    if not sources.empty:
        sources = sources.assign(_file=rel, _row=1)
    return ReadResult(figures_frame(figures), sources, problems)


#: A sidecar's ``layout`` → (what the rows are, what the columns are).
LAYOUTS = {
    "region-by-period": ("region", "period"),
    "region-by-indicator": ("region", "indicator"),
    "indicator-by-period": ("indicator", "period"),
    "indicator-by-region": ("indicator", "region"),
}


def _layout(export: Export, sidecar: Sidecar, rel: str) -> tuple[str, str] | Problem:
    """What the rows and columns are: the sidecar's ``layout``, else the header's corner cell and labels."""
    if declared := sidecar.get("layout"):
        return LAYOUTS[declared]
    corner, labels = export.header[0], export.header[1:]
    if corner in _REGION_CORNERS:
        rows_are = "region"
    elif corner in _INDICATOR_CORNERS:
        rows_are = "indicator"
    else:
        return Problem(rel, export.header_line, corner or "1",
                       f"unrecognised header {corner!r} (expected 地区 or 指标 in the first column, or a sidecar `layout:`)")
    looks_like_periods = sum(bool(_LOOKS_LIKE_PERIOD.match(label)) for label in labels)
    if rows_are == "indicator":
        # 指标 × years (one region), or 指标 × 地区 (one period) when no header is a period.
        return rows_are, "region" if looks_like_periods == 0 else "period"
    return rows_are, "period" if looks_like_periods * 2 >= len(labels) else "indicator"


def _origin(export: Export, sidecar: Sidecar, rel: str, key: str, meta_key: str) -> str:
    """Where a file-level value was read: the sidecar's key, else the metadata line."""
    if sidecar.get(key):
        return sidecar.origin(key)
    if meta_key in export.meta_lines:
        return location(rel, export.meta_lines[meta_key], meta_key)
    return location(rel, None, None)


def _figures(
    export: Export, sidecar: Sidecar, rel: str, path: Path
) -> tuple[list[dict[str, object]], list[Problem], str]:
    """Turn the table into figures; also return what the source title should name."""
    problems: list[Problem] = []
    layout = _layout(export, sidecar, rel)
    if isinstance(layout, Problem):
        return [], [layout], ""
    rows_are, columns_are = layout
    corner, labels = export.header[0], export.header[1:]
    parsed = [parse_period_label(label) for label in labels]
    # ``period_kind: ytd`` in a sidecar: the values are cumulative, January to the month in the header.
    cumulative_file = sidecar.get("period_kind") == "ytd"

    # What neither rows nor columns give: from the metadata lines, else the sidecar.
    fixed_indicator = fixed_period = None
    fixed_at: dict[str, str] = {}
    if "indicator" not in (rows_are, columns_are):
        name = sidecar.get("indicator") or export.meta.get("指标", "") or _file_indicator(rel)
        if not name:
            problems.append(missing("indicator", rel, path))
        fixed_indicator = parse_indicator_label(name)
        fixed_at["indicator"] = _origin(export, sidecar, rel, "indicator", "指标")
        fixed_at["unit"] = _origin(export, sidecar, rel, "unit", "指标")
    if "period" not in (rows_are, columns_are):
        when = sidecar.get("period") or export.meta.get("时间", "")
        period = parse_period_label(when) if when else None
        if not when:
            problems.append(missing("period", rel, path))
        elif isinstance(period, str):
            problems.append(Problem(*unpack(_origin(export, sidecar, rel, "period", "时间")),
                                    f"{period}; say the period in the sidecar (`period:`)"))
        fixed_period = period if isinstance(period, PeriodLabel) else None
        fixed_at["period"] = _origin(export, sidecar, rel, "period", "时间")
    region = ""
    if "region" not in (rows_are, columns_are):
        region = sidecar.get("region") or export.meta.get("地区", "")
        if not region and export.meta.get("数据库", "") and not export.meta.get("数据库", "").startswith("分省"):
            region = "全国"
        if not region:
            problems.append(missing("region", rel, path))
        fixed_at["region"] = _origin(export, sidecar, rel, "region", "地区")
    if fixed_indicator is not None and not (sidecar.get("unit") or fixed_indicator.unit):
        problems.append(missing("unit", rel, path))

    column_periods: list[PeriodLabel | None] = []
    column_indicators: list[IndicatorLabel | None] = []
    for index, (label, period) in enumerate(zip(labels, parsed, strict=True)):
        if columns_are == "period":
            if isinstance(period, str):
                problems.append(Problem(rel, export.header_line, label or f"column {index + 2}", period))
                column_periods.append(None)
            else:
                column_periods.append(period)
        elif columns_are == "indicator":
            indicator = parse_indicator_label(label)
            if not (indicator.unit or sidecar.get("unit")):
                problems.append(
                    Problem(rel, export.header_line, label,
                            f"missing 'unit': the header {label!r} has no unit in brackets and no sidecar gives one")
                )
                column_indicators.append(None)
            else:
                column_indicators.append(indicator)
    if any(p.row is None for p in problems):
        return [], problems, ""

    figures: list[dict[str, object]] = []
    width = len(labels) + 1
    last_line = export.rows[-1][0] if export.rows else None
    for line, cells, raw_width in export.rows:
        if raw_width < min(width, export.header_width) or len(cells) < width:
            cut = " (the file ends in this row without a line break: cut?)" if export.cut_last_row and line == last_line else ""
            problems.append(Problem(rel, line, None, f"truncated row: {len(cells)} cells, the header has {width}{cut}"))
            continue
        if any(cells[width:]):
            problems.append(Problem(rel, line, None, f"{len(cells)} cells, more than the header's {width}"))
            continue
        head = cells[0]
        if not head:
            problems.append(Problem(rel, line, corner, "empty row label"))
            continue
        if export.cut_last_row and line == last_line and any(cells[1:width]):
            problems.append(Problem(rel, line, labels[width - 2],
                                    "the file ends in this row without a line break: its last cell may have been cut "
                                    "(a cut number looks complete); end the file with a line break if it is complete"))
            continue
        for index, value in enumerate(cells[1:width]):
            if not value:
                continue  # empty = not published (January of a 累计 series): not a zero
            header_cell = location(rel, export.header_line, labels[index])
            at = dict(fixed_at)
            if columns_are == "region":
                indicator, period, row_region = parse_indicator_label(head), fixed_period, labels[index]
                at["region"] = header_cell
            elif rows_are == "indicator":
                indicator, period, row_region = parse_indicator_label(head), column_periods[index], region
                at["period"] = header_cell
            elif columns_are == "period":
                indicator, period, row_region = fixed_indicator, column_periods[index], head
                at["period"] = header_cell
            else:
                indicator, period, row_region = column_indicators[index], fixed_period, head
                at["indicator"] = at["unit"] = header_cell
            if indicator is None or period is None:
                continue  # its header was already reported
            figure = _figure(indicator, period, row_region, value, sidecar, rel, line, labels[index], cumulative_file)
            figure.update({f"_at_{key}": where for key, where in at.items()})
            figure.update(sidecar.origins())
            figures.append(figure)
    title_part = (
        fixed_indicator.label
        if fixed_indicator is not None
        else region
        if rows_are == "indicator"
        else export.meta.get("时间", "")
    )
    return figures, problems, title_part


def _figure(
    indicator: IndicatorLabel,
    period: PeriodLabel,
    region: str,
    value: str,
    sidecar: Sidecar,
    rel: str,
    line: int,
    column: str,
    cumulative_file: bool = False,
) -> dict[str, object]:
    """One figure as published; the sidecar's values win over the reader's guesses.

    The value is passed on exactly as printed: etl/numbers.py reads it (thousands separators,
    the sidecar's decimal mark) for every reader alike.
    """
    cumulative = True if cumulative_file else indicator.cumulative
    period_text, kind = period.text(cumulative)
    return {
        "region": region,
        "industry": sidecar.get("industry"),
        "indicator": indicator.name,
        "product": sidecar.get("product"),
        "period": period_text,
        "period_kind": sidecar.get("period_kind", kind),
        "measure": sidecar.get("measure", indicator.measure),
        "value": value,
        "unit": sidecar.get("unit", indicator.unit),
        "status": sidecar.get("status"),
        "price_basis": sidecar.get("price_basis"),
        "scope": sidecar.get("scope"),
        "share_of": sidecar.get("share_of"),
        "label_published": indicator.label,
        "_period_published": period.label,
        "_decimal": sidecar.get("decimal") or ".",
        "_file": rel,
        "_row": line,
        "_column": column,
    }
