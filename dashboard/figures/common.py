"""What every chart shares: names in the reader's language, hover text with provenance."""

from __future__ import annotations

import pandas as pd

from dashboard.figures.spec import FigureSpec, PlainFigure, template_layout
from dashboard.formatting import format_value
from dashboard.i18n import QUALIFIER_LABELS, STATUS_LABELS, label, t
from dashboard.records import records


def light_template() -> dict:
    """A white background with light grid lines: the look of ``plotly_white`` at a fraction of
    its cost (the named template is validated and deep-copied on every figure, ~0.1 s each),
    as the template's JSON (no validation either)."""
    axis = {"gridcolor": "#e8edf3", "zerolinecolor": "#d0d7e0", "linecolor": "#d0d7e0", "ticks": ""}
    return template_layout(axis, ["#0072B2", "#E69F00", "#009E73", "#D55E00"])


FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, Helvetica, Arial, sans-serif"


def region_name(row: pd.Series, lang: str) -> str:
    zh, en = row.get("region_name_zh") or "", row.get("region_name_en") or ""
    return (zh or en or row["region_code"]) if lang == "zh" else (en or zh or row["region_code"])


def period_text(row: pd.Series, lang: str) -> str:
    """``2023年1-7月`` / ``Jan–Jul 2023``: how the reader would say the period."""
    start, end, kind = row["period_start"], row["period_end"], row["period_kind"]
    if kind == "year":
        return f"{start.year}年" if lang == "zh" else f"{start.year}"
    if kind == "month":
        return f"{start.year}年{start.month}月" if lang == "zh" else f"{start:%b} {start.year}"
    if kind == "span":
        return f"{start.year}–{end.year}年" if lang == "zh" else f"{start.year}–{end.year}"
    if lang == "zh":
        return f"{start.year}年{start.month}-{end.month}月"
    return f"{start:%b}–{end:%b} {start.year}"


def x_positions(group: pd.DataFrame | list[dict]) -> tuple[list, bool]:
    """Where a series' points sit on the time axis, and whether the axis counts whole years.

    Annual figures are placed at their year (2025), not at 31 December, which Plotly would draw
    next to the tick of the following year; other periods at their end date. ``group``: a frame
    or its rows as dicts.
    """
    rows = group if isinstance(group, list) else records(group, ("period_kind", "period_start", "period_end"))
    if rows and all(row["period_kind"] == "year" for row in rows):
        return [row["period_start"].year for row in rows], True
    return [row["period_end"] for row in rows], False


def qualified_value(row: pd.Series, lang: str, *, measure: str | None = None) -> str:
    """A value with its qualifier as the reader says it: ``超过 530万辆``, ``about 17%``.

    A rank that is a lower bound (derived among an incomplete set of regions) reads
    "3rd or lower" / "第3位或更后": "more than 3rd" would say the opposite.
    """
    measure = measure or row["measure"]
    value = format_value(row["value"], row["unit"], lang, measure=measure)
    qualifier = row.get("qualifier", "exact") or "exact"
    if measure == "rank" and qualifier == "at_least" and value != "—":
        return f"{value}或更后" if lang == "zh" else f"{value} or lower"
    prefix = label(QUALIFIER_LABELS, qualifier, lang)
    return f"{prefix} {value}".strip()


#: The columns :func:`hover_text` reads (a frame cut to them converts to dicts several times faster).
HOVER_COLUMNS = ("region_code", "region_name_zh", "region_name_en", "period_start", "period_end", "period_kind",
                 "value", "unit", "measure", "qualifier", "status", "source_id", "source_title",
                 "source_published_date", "source_publisher")


def hover_rows(frame: pd.DataFrame) -> list[dict]:
    """``frame``'s rows as dicts of the hover columns it has."""
    return records(frame, HOVER_COLUMNS)


def hover_text(row: pd.Series, lang: str, *, extra: str = "") -> str:
    """Region, period, value, status and the source of one point: publisher, title (wrapped,
    never cut), publication date. ``extra``: a line saying how a computed point was computed."""
    value = qualified_value(row, lang)
    source = row.get("source_title") or row["source_id"]
    published = row.get("source_published_date")
    published_text = "" if published is None or pd.isna(published) else str(published)
    publisher = row.get("source_publisher") or ""
    lines = [
        f"<b>{region_name(row, lang)}</b> · {period_text(row, lang)}",
        value,
        f"{t('status', lang)}: {label(STATUS_LABELS, row['status'], lang)}",
    ]
    if extra:
        lines.extend(wrap(extra))
    if publisher and isinstance(publisher, str):
        lines.append(f"{t('publisher', lang)}: {publisher}")
    lines.extend(wrap(f"{t('source', lang)}: {source}"))
    lines.append(f"{t('published', lang)}: {published_text or '—'}")
    return "<br>".join(lines)


def wrap(text: str, width: int = 60) -> list[str]:
    """``text`` in lines of at most about ``width`` characters: a long title is wrapped, never cut.

    Breaks at spaces where there are any; Chinese text (no spaces) is broken every ``width // 2``
    characters, since each character is about twice as wide.
    """
    if len(text) <= width:
        return [text]
    if " " not in text.strip():
        step = width // 2
        return [text[i : i + step] for i in range(0, len(text), step)]
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


#: 20 distinct colours (Okabe–Ito first, then Tableau's and Kelly's), for up to 20 series.
PALETTE20 = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C564B", "#000000",
    "#B8860B", "#7F3C8D", "#11A579", "#3969AC", "#E73F74", "#80BA5A", "#F2B701", "#4B4B8F",
    "#A5AA99", "#CF1C90", "#008695", "#F97B72",
]


def series_colours(keys: list[str]) -> dict[str, str]:
    """A colour per key in the order given (the order regions were selected in).

    The first key keeps the first colour whatever is added after it, so adding Jiangsu never
    recolours Guangdong; the same order gives the same colours in every view.
    """
    return {key: PALETTE20[index % len(PALETTE20)] for index, key in enumerate(dict.fromkeys(keys))}


MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month_tick(month: int, kind: str, lang: str) -> str:
    """The label of month ``month`` on a month-of-year axis: ``Jan–Jul`` / ``1-7月`` for a
    cumulative (year-to-date) figure, ``Jul`` / ``7月`` for a single month."""
    if kind == "ytd":
        if month == 1:
            return "1月" if lang == "zh" else "Jan"
        return f"1-{month}月" if lang == "zh" else f"Jan–{MONTHS_EN[month - 1]}"
    return f"{month}月" if lang == "zh" else MONTHS_EN[month - 1]


def empty_figure(message: str) -> PlainFigure:
    """A figure that says why it is empty instead of drawing an empty axis."""
    figure = FigureSpec()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 15})
    figure.update_layout(
        xaxis={"visible": False}, yaxis={"visible": False}, template=light_template(), height=420,
        font={"family": FONT}, margin={"l": 40, "r": 20, "t": 40, "b": 40},
    )
    return figure.figure()
