"""KPI cards for the focus region: level, growth, share and rank of ONE period, and its targets.

Every card of the row describes the same period — the latest period of the selection — so the
cards can be read together ("in Jan–Jul 2023 Guangdong made 2.7381 million vehicles, 17.8% of
the national total, first among provinces"). A card with no figure for that period says so; it
never borrows another period's figure. Target progress is computed only from a level of the
target's own kind (an annual level for an annual target) and says which level it used.

Pure: a query result (one region, one series and period type, every measure) → card specs
(dicts), and specs → Dash components; tested without a server.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.figures.common import hover_text, period_text, qualified_value, region_name
from dashboard.formatting import format_value
from dashboard.i18n import t
from dashboard.records import records

#: Statuses of figures that describe what happened (targets and forecasts have their own card/view).
ACTUAL = ("reported", "derived", "provisional", "revised")
CARDS = (("level", "kpi_latest"), ("yoy_pct", "kpi_growth"), ("share_pct", "kpi_share"), ("rank", "kpi_rank"))
#: At most this many targets are written on the card (the rest are in its hover).
TARGETS_SHOWN = 2


def _is_actual(row: dict) -> bool:
    """A default, actual (not target or forecast) figure with a value; a share only of the parent region."""
    value = row.get("value")
    if value is None or pd.isna(value):
        return False
    if not row.get("is_default", True) or row.get("status", "reported") not in ACTUAL:
        return False
    share_of = row.get("share_of")
    return row.get("measure") != "share_pct" or share_of is None or pd.isna(share_of) or share_of == ""


def actual_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The default, actual (not target or forecast) figures with a value; shares of the parent region only."""
    if frame.empty:
        return frame
    return frame[[_is_actual(row) for row in records(frame, ("value", "is_default", "status", "measure", "share_of"))]]


def _latest_period(rows: list[dict], measure: str | None) -> tuple | None:
    """(start, end) of the latest period among ``rows`` with a figure of ``measure``, else of any."""
    chosen = [r for r in rows if r["measure"] == measure] if measure else rows
    chosen = chosen or rows
    if not chosen:
        return None
    row = max(chosen, key=lambda r: (r["period_end"], r["period_start"]))
    return row["period_start"], row["period_end"]


def kpi_period(frame: pd.DataFrame, measure: str | None = None) -> tuple | None:
    """(start, end) of the period the cards describe: the latest period with a figure of
    ``measure`` (the selected one), else the latest with any figure; None without figures."""
    return _latest_period([r for r in records(frame) if _is_actual(r)] if not frame.empty else [], measure)


def kpi_specs(frame: pd.DataFrame, lang: str, *, period: tuple | None = None, measure: str | None = None,
              share_title: str = "", progress: pd.DataFrame | None = None, series: dict | None = None,
              names: dict | None = None) -> list[dict]:
    """One spec per card: ``key``, ``title``, ``value`` (formatted), ``detail`` (period), ``source``, ``hover``.

    ``period``: the (start, end) every card describes (default: :func:`kpi_period`).
    ``share_title``: the share card's title naming the parent ("Share of the national total").
    ``progress``: the region's rows of ``target_progress``; ``series`` the selected series (the
    columns indicator/product/industry_code/scope) whose targets come first; ``names`` maps
    (indicator, industry) codes to names for the other targets.
    """
    # Rows as dicts, read once: a few pandas masks per card cost more than reading every row (a
    # region's series slice is a few hundred rows).
    data = [r for r in records(frame) if _is_actual(r)] if not frame.empty else []
    period = period if period is not None else _latest_period(data, measure)
    specs = []
    when = ""
    if period is not None:
        sample = {"period_start": period[0], "period_end": period[1],
                  "period_kind": data[0]["period_kind"] if data else "ytd"}
        when = period_text(sample, lang)
    first_of: dict[str, dict] = {}
    if period is not None:
        for record in data:
            if record["period_start"] == period[0] and record["period_end"] == period[1]:
                first_of.setdefault(record["measure"], record)
    for card_measure, key in CARDS:
        title = share_title if card_measure == "share_pct" and share_title else t(key, lang)
        row = first_of.get(card_measure)
        if row is None:
            missing = t("kpi_not_for", lang).format(period=when) if when else t("kpi_none", lang)
            specs.append({"key": card_measure, "title": title, "value": t("kpi_none", lang), "detail": missing,
                          "source": "", "hover": missing, "period": when})
            continue
        publisher = t("derived_by_us", lang) if row.get("source_id") == "derived" else (row.get("source_publisher") or "")
        published = row.get("source_published_date")
        date_text = "" if published is None or pd.isna(published) else str(published)
        specs.append({
            "key": card_measure, "title": title, "value": qualified_value(row, lang, measure=card_measure),
            "detail": f"{region_name(row, lang)} · {when}",
            "source": " · ".join(p for p in (str(publisher) if isinstance(publisher, str) else "", date_text) if p),
            "hover": hover_text(row, lang).replace("<br>", "\n").replace("<b>", "").replace("</b>", ""),
            "period": when,
        })
    if progress is not None and not progress.empty:
        specs.append(target_spec(progress, lang, series=series, names=names))
    return specs


def _period_of_target(row: pd.Series, lang: str) -> str:
    end, kind, start = row.get("target_period_end"), row.get("target_period_kind"), row.get("target_period_start")
    if end is None or pd.isna(end):
        return ""
    end = pd.Timestamp(end)
    if kind == "year":
        return f"{end.year}年" if lang == "zh" else f"for {end.year}"
    if kind == "span" and start is not None and not pd.isna(start):
        start = pd.Timestamp(start)
        return f"{start.year}–{end.year}年，至{end.year}年" if lang == "zh" else f"by {end.year} ({start.year}–{end.year})"
    text = period_text(pd.Series({"period_start": pd.Timestamp(start).date() if start is not None and not pd.isna(start) else end.date(),
                                  "period_end": end.date(), "period_kind": kind}), lang)
    return text if lang == "zh" else f"for {text}"


def target_sentence(row: pd.Series, lang: str) -> tuple[str, str]:
    """(progress value, sentence) for one target: how far a comparable level has come, or why unknown.

    Comparable means the same kind of period: an annual level for an annual target. A
    partial-year level (Jan–Jul) is never progress towards a full-year target, whatever the
    derive stage computed.
    """
    unit = str(row.get("unit") or "")
    goal = format_value(float(row["target_value"]), unit, lang) if pd.notna(row.get("target_value")) else "—"
    when = _period_of_target(row, lang)
    target_text = (f"{when}目标 {goal}" if lang == "zh" else f"the target {goal} {when}").strip()
    level = row.get("level_value")
    level_kind = row.get("level_period_kind")
    if level is None or pd.isna(level):
        reason = t("target_no_level", lang)
        return "—", (f"{target_text}；进度未知：{reason}" if lang == "zh" else f"Target {goal} {when}; progress unknown: {reason}")
    level_row = pd.Series({"period_start": pd.Timestamp(row["level_period_start"]).date(),
                           "period_end": pd.Timestamp(row["level_period_end"]).date(), "period_kind": level_kind})
    level_when = period_text(level_row, lang)
    level_text = format_value(float(level), unit, lang)
    if level_kind != row.get("target_period_kind"):
        reason = t("target_partial", lang).format(period=level_when, value=level_text)
        return "—", (f"{target_text}；进度未知：{reason}" if lang == "zh" else f"Target {goal} {when}; progress unknown: {reason}")
    percent = float(level) / float(row["target_value"]) * 100 if row.get("target_value") else None
    if percent is None:
        return "—", target_text
    value = f"{percent:.1f}%"
    if lang == "zh":
        return value, f"{level_when}：{level_text}，为{target_text}的{value}"
    return value, f"{level_when}: {level_text} = {value} of {target_text}"


def target_spec(progress: pd.DataFrame, lang: str, *, series: dict | None = None, names: dict | None = None) -> dict:
    """The target card: the targets of the selected series first, then the region's others, latest first."""
    rows = progress.copy()
    series = series or {}
    names = names if names is not None else {}

    def same(row: pd.Series) -> bool:
        return all(str(row.get(k) or "") == str(series.get(k) or "") for k in ("indicator", "product", "industry_code", "scope")
                   if k in row.index)

    rows["_own"] = [same(r) for _, r in rows.iterrows()]
    rows["_end"] = pd.to_datetime(rows["target_period_end"]) if "target_period_end" in rows else pd.NaT
    rows = rows.sort_values(["_own", "_end"], ascending=[False, False], kind="stable")
    lines, value = [], "—"
    for position, (_, row) in enumerate(rows.iterrows()):
        percent, sentence = target_sentence(row, lang)
        if not row["_own"]:
            name = names.get((row.get("indicator"), row.get("industry_code"), row.get("product") or ""))
            if name:
                sentence = f"{name}：{sentence}" if lang == "zh" else f"{name}: {sentence}"
        if position == 0:
            value = percent
        lines.append(sentence)
    return {"key": "target", "title": t("kpi_target", lang), "value": value,
            "detail": "\n".join(lines[:TARGETS_SHOWN]), "source": "", "hover": "\n".join(lines), "period": ""}


def kpi_cards(specs: list[dict]) -> list[html.Div]:
    """The cards as components (fixed size in CSS, so the page does not shift as values arrive)."""
    cards = []
    for s in specs:
        detail = [html.Div(line, className="kpi-line") for line in s["detail"].split("\n")] if s["key"] == "target" else s["detail"]
        children = [html.Div(s["title"], className="kpi-title"), html.Div(s["value"], className="kpi-value"),
                    html.Div(detail, className="kpi-detail")]
        if s.get("source"):
            children.append(html.Div(s["source"], className="kpi-source"))
        cards.append(html.Div(children, className="kpi kpi-target" if s["key"] == "target" else "kpi", title=s["hover"],
                              id=f"kpi-{s['key']}", role="group", **{"aria-label": s["title"]}))
    return cards
