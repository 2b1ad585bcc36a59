"""What each view of a selection shows: the queries it needs and the figure it draws.

One function per page state, called by the callbacks (which stay thin) and by the CSV
download, so the file a user downloads is built from exactly the rows the view shows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.controls import focus_region
from dashboard.figures.checks import checks_columns, checks_figure, checks_rows
from dashboard.figures.common import empty_figure, period_text, series_colours
from dashboard.figures.kpi import kpi_specs
from dashboard.figures.map import features_of, map_figure
from dashboard.figures.ranking import comparison_period, ranking_figure
from dashboard.figures.share import share_figure
from dashboard.figures.timeseries import timeseries_figure
from dashboard.figures.transforms import TRANSFORMS, index_first_100, share_of_parent, year_on_year
from dashboard.geo import boundaries, boundaries_url
from dashboard.i18n import MEASURE_LABELS, PERIOD_KIND_LABELS, PRODUCT_LABELS, label, t
from dashboard.query import (
    Snapshot,
    empty_result,
    observations,
    reconciliation_rows,
    reference_rows,
    reference_table,
    region_counts,
    region_dimensions,
    region_targets,
    series_breaks,
    series_regions,
    snapshot_memo,
)
from dashboard.selection import filters_from_state


@dataclass
class View:
    """A rendered view: its figure, the rows behind it (table and CSV) and the KPI cards."""

    figure: go.Figure
    rows: pd.DataFrame
    kpis: list[dict]
    comparison: str = ""  # which regions a ranking or map compares, for the metadata sidecar
    missing: tuple[str, ...] = ()  # selected regions this view has no figure for (named on the page)
    coverage: str = ""  # "10 of 31 provinces published this figure …" (ranking and map)
    #: When the view is empty: its real cause, and the nearest choices that have figures as
    #: (label, page state) pairs the page turns into links.
    dead_end: str = ""
    suggestions: tuple[tuple[str, dict], ...] = ()
    #: A view with a table of its own (reconciliation): (grid rows, column definitions).
    grid: tuple[list, list] | None = None


def series_title(snapshot: Snapshot, state: dict, lang: str) -> str:
    """``Production · automobiles · Automobile manufacturing — Level — Year to date``."""
    indicators, industries = reference_rows(snapshot, "indicators"), reference_rows(snapshot, "industries")
    column = "name_zh" if lang == "zh" else "name_en"
    code = state.get("indicator") or ""
    name = code
    if code in indicators:
        name = indicators[code][column] or code
    parts = [name]
    if state.get("product"):
        parts.append(label(PRODUCT_LABELS, state["product"], lang))
    industry = state.get("industry") or ""
    if industry in industries:
        parts.append(industries[industry][column] or industry)
    if state.get("scope"):
        parts.append(f"[{state['scope']}]")
    heading = " · ".join(parts)
    extras = [label(MEASURE_LABELS, state.get("measure") or "", lang), label(PERIOD_KIND_LABELS, state.get("period_kind") or "", lang)]
    return " — ".join(p for p in [heading, *extras] if p)


def comparison_scope(snapshot: Snapshot, state: dict) -> tuple[str, str | None]:
    """(level, parent) of the regions a ranking or map compares with the focus region.

    The nation or a province → every province; a city (or a province picked in "Cities of")
    → the cities of that province.
    """
    regions = reference_rows(snapshot, "regions")
    within = state.get("within") or ""
    if within:
        return "city", within
    focus = focus_region(state)
    if focus in regions and regions[focus]["level"] in ("city", "county"):
        return "city", regions[focus]["parent_code"]
    return "province", None


def measure_phrase(snapshot: Snapshot, state: dict, measure: str, lang: str, *, region: str | None = None) -> str:
    """The measure as a title says it; a share is named after its parent ("share of the national total")."""
    if measure == "index":
        return t("index_title", lang)
    if measure == "share_pct":
        return share_parent_title(snapshot, region or focus_region(state), lang) + " (%)"
    return label(MEASURE_LABELS, measure, lang)


def view_title(snapshot: Snapshot, state: dict, lang: str, *, period: str = "", measure: str | None = None,
               scope: str = "", region: str | None = None) -> str:
    """Indicator, product, industry — period — measure (unit) — scope, as the chart's title.

    ``Production · automobiles · Automobile manufacturing, Jan–Jul 2023 — Share of the national
    total (%) — provinces of China``.
    """
    heading = series_title(snapshot, {**state, "measure": "", "period_kind": ""}, lang)
    when = period or label(PERIOD_KIND_LABELS, state.get("period_kind") or "", lang)
    parts = [f"{heading}，{when}" if lang == "zh" else f"{heading}, {when}"]
    parts.append(measure_phrase(snapshot, state, measure or state.get("measure") or "level", lang, region=region))
    if scope:
        parts.append(scope)
    return " — ".join(p for p in parts if p)


def scope_words(snapshot: Snapshot, level: str, parent: str | None, lang: str) -> str:
    """"provinces of China" / "cities of Guangdong": which regions a ranking or map compares."""
    if level == "province":
        return "全国各省份" if lang == "zh" else "provinces of China"
    names = reference_rows(snapshot, "regions")
    name = parent or ""
    if parent in names:
        name = names[parent]["name_zh" if lang == "zh" else "name_en"]
    return f"{name}各市" if lang == "zh" else f"cities of {name}"


def _with_data(snapshot: Snapshot) -> frozenset[str]:
    """Codes of the regions with any figure in the snapshot (once per snapshot and process)."""
    return snapshot_memo(snapshot, "regions_with_data", lambda: frozenset(str(c) for c in region_counts(snapshot)["code"].tolist()))


def coverage(snapshot: Snapshot, rows: pd.DataFrame, level: str, parent: str | None, lang: str) -> str:
    """"10 of 31 provinces published this figure for Jan–Jul 2023; no figure: …".

    The regions counted are those of the level (under ``parent``) that have any figure in the
    snapshot: Hong Kong, Macao and Taiwan, which the mainland statistics do not cover, are not
    counted as missing.
    """
    with_data = _with_data(snapshot)
    pool = [r for code, r in reference_rows(snapshot, "regions").items()
            if r["level"] == level and code in with_data and (not parent or r["parent_code"] == parent)]
    have = regions_with_values(rows)
    k, n = len(have & {r["code"] for r in pool}), len(pool)
    column = "name_zh" if lang == "zh" else "name_en"
    missing = [r[column] for r in pool if r["code"] not in have]
    noun = {("province", "en"): "provinces", ("city", "en"): "cities", ("province", "zh"): "个省份",
            ("city", "zh"): "个城市"}.get((level, lang), "regions" if lang == "en" else "个地区")
    when = period_text(rows.iloc[0], lang) if not rows.empty else ""
    if lang == "zh":
        text = f"{n}{noun}中有{k}个公布了{when}的该数据"
        if missing:
            shown = "、".join(missing[:12]) + ("等" if len(missing) > 12 else "")
            text += f"；无数据：{shown}"
    else:
        text = f"{k} of {n} {noun} published this figure for {when}"
        if k == 1:
            text += " — a ranking of one region"
        if missing:
            shown = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
            text += f"; no figure: {shown}"
    return text


def build_view(snapshot: Snapshot, state: dict) -> View:
    """The figure and rows of ``state['view']`` for the selection in ``state``."""
    lang = state.get("lang") or "en"
    if not state.get("indicator"):
        return View(empty_figure(t("no_data", lang)), empty_result(), [])
    view = state.get("view") or "timeseries"
    kpis = _kpis(snapshot, state, lang)
    colours = series_colours(list(state.get("region") or []))
    if view == "checks":
        rows = reconciliation_rows(snapshot, tuple(state.get("region") or ()))
        return View(checks_figure(rows, lang, title=t("checks_title", lang)), rows, kpis,
                    grid=(checks_rows(rows, lang, _Names(snapshot, lang).indicators), checks_columns(lang)))
    if view == "ranking" or view == "map":
        level, parent = comparison_scope(snapshot, state)
        frame = observations(snapshot, filters_from_state(state, regions=(), region_level=level, region_parent=parent))
        rows = comparison_period(frame, focus_region(state))
        highlight = tuple(state.get("region") or ())
        comparison = f"{level}s" + (f" of {parent}" if parent else "")
        if rows.empty:
            cause, suggestions = comparison_dead_end(snapshot, state, level, parent, lang)
            return View(empty_figure(cause), rows, kpis, comparison, dead_end=cause, suggestions=suggestions)
        text = coverage(snapshot, rows, level, parent, lang)
        title = view_title(snapshot, state, lang, period=period_text(rows.iloc[0], lang),
                           scope=scope_words(snapshot, level, parent, lang), region=focus_region(state))
        if view == "ranking":
            return View(ranking_figure(rows, lang, highlight=highlight, title=title), rows, kpis, comparison,
                        coverage=text)
        shapes = boundaries(level)
        if parent:
            shapes = features_of(shapes, parent=parent)
        regions = reference_table(snapshot, "regions")
        names = dict(zip(regions["code"], regions["name_zh" if lang == "zh" else "name_en"], strict=True))
        return View(map_figure(rows, shapes, lang, highlight=highlight, title=title, names=names,
                               geojson_url=boundaries_url(level)), rows, kpis,
                    comparison, coverage=text)
    if view == "share":
        frame = observations(snapshot, filters_from_state(state, measures=("share_pct",)))
        frame = frame[frame["share_of"].fillna("") == ""]
        title = view_title(snapshot, state, lang, measure="share_pct")
        view_ = View(share_figure(frame, lang, title=title, colours=colours), frame.reset_index(drop=True), kpis,
                     missing=_missing(snapshot, state, frame, lang))
        return _with_dead_end(snapshot, state, view_, lang)
    frame = observations(snapshot, filters_from_state(state))
    extra: dict = {}
    transform = state.get("transform") if state.get("measure") == "level" else None
    title = view_title(snapshot, state, lang)
    if transform in TRANSFORMS:
        frame, extra = transformed(snapshot, state, frame, transform, lang)
        title = view_title(snapshot, state, lang, measure=TRANSFORM_MEASURE[transform])
    view_ = View(timeseries_figure(frame, lang, title=title, colours=colours, log_axis=state.get("axis") == "log",
                                   hover_extra=extra, breaks=chart_breaks(snapshot, state, lang)),
                 frame, kpis, missing=_missing(snapshot, state, frame, lang))
    return _with_dead_end(snapshot, state, view_, lang)


def chart_breaks(snapshot: Snapshot, state: dict, lang: str) -> list[tuple]:
    """(date, note) of the breaks in the selected series for the selected regions."""
    breaks = series_breaks(snapshot, state.get("indicator") or "")
    if breaks.empty:
        return []
    for column, key in (("product", "product"), ("industry_code", "industry"), ("scope", "scope")):
        breaks = breaks[breaks[column].fillna("") == (state.get(key) or "")]
    breaks = breaks[breaks["region_code"].isin(state.get("region") or [])]
    column = "note_zh" if lang == "zh" else "note_en"
    return list(dict.fromkeys((pd.Timestamp(r["break_date"]).date(), str(r.get(column) or "")) for r in breaks.to_dict("records")))


#: The measure a transformation's points are in (for the title).
TRANSFORM_MEASURE = {"yoy": "yoy_pct", "index": "index", "share": "share_pct"}


def transformed(snapshot: Snapshot, state: dict, levels: pd.DataFrame, transform: str,
                lang: str) -> tuple[pd.DataFrame, dict]:
    """The levels as year-on-year %, an index or a share of the parent (published figures first)."""
    breaks = series_breaks(snapshot, state.get("indicator") or "")
    if not breaks.empty:
        for column, key in (("product", "product"), ("industry_code", "industry"), ("scope", "scope")):
            breaks = breaks[breaks[column].fillna("") == (state.get(key) or "")]
    if transform == "yoy":
        published = observations(snapshot, filters_from_state(state, measures=("yoy_pct",)))
        return year_on_year(levels, published, lang, breaks=breaks)
    if transform == "index":
        return index_first_100(levels, lang, breaks=breaks)
    regions = reference_table(snapshot, "regions").set_index("code")
    parent_of = {c: regions.loc[c, "parent_code"] for c in state.get("region") or [] if c in regions.index}
    parents = tuple(sorted({p for p in parent_of.values() if p}))
    totals = observations(snapshot, filters_from_state(state, regions=parents)) if parents else levels.iloc[0:0]
    published = observations(snapshot, filters_from_state(state, measures=("share_pct",)))
    published = published[published["share_of"].fillna("") == ""]
    column = "name_zh" if lang == "zh" else "name_en"
    names = {p: regions.loc[p, column] for p in parents if p in regions.index}
    return share_of_parent(levels, totals, parent_of, published, lang, parent_names=names)


#: How many suggestions a dead end offers.
SUGGESTIONS = 3


def _series_label(snapshot: Snapshot, row: dict, lang: str) -> str:
    state = {"indicator": row["indicator"], "product": row["product"], "industry": row["industry_code"],
             "scope": row["scope"]}
    heading = series_title(snapshot, state, lang)
    return f"{heading} — {label(MEASURE_LABELS, row['measure'], lang)}, {label(PERIOD_KIND_LABELS, row['period_kind'], lang)}"


def _series_suggestions(snapshot: Snapshot, state: dict, dims: pd.DataFrame, lang: str, **changes) -> list[tuple[str, dict]]:
    """The series with the most figures in ``dims`` as (label, state) suggestions."""
    if dims.empty:
        return []
    ranked = (dims.groupby(["indicator", "product", "industry_code", "scope", "measure", "period_kind"], sort=False)["n"]
              .sum().sort_values(ascending=False, kind="stable").reset_index())
    out = []
    for row in ranked.head(SUGGESTIONS).to_dict("records"):
        target = {**state, "indicator": row["indicator"], "product": row["product"], "industry": row["industry_code"],
                  "scope": row["scope"], "measure": row["measure"], "period_kind": row["period_kind"],
                  "from": None, "to": None, "status": [], **changes}
        out.append((_series_label(snapshot, row, lang), target))
    return out


def comparison_dead_end(snapshot: Snapshot, state: dict, level: str, parent: str | None,
                        lang: str) -> tuple[str, tuple[tuple[str, dict], ...]]:
    """Why a ranking or map is empty, and what would have figures.

    "Compare auto value added across Guangdong's cities" is empty because no city published
    it: said so, with the series the cities did publish and the provinces' comparison.
    """
    regions = reference_table(snapshot, "regions")
    pool = regions[regions["level"] == level]
    if parent:
        pool = pool[pool["parent_code"] == parent]
    scope = scope_words(snapshot, level, parent, lang)
    series = view_title(snapshot, state, lang)
    cause = (f"{scope}均未公布：{series}" if lang == "zh" else f"None of the {scope} published {series}")
    if state.get("to"):
        cause += f"（截至{state['to']}）" if lang == "zh" else f" up to {state['to']}"
    dims = region_dimensions(snapshot, tuple(pool["code"])) if len(pool) else pd.DataFrame()
    suggestions = _series_suggestions(snapshot, state, dims, lang)
    if level == "city":
        provinces = observations(snapshot, filters_from_state(state, regions=(), region_level="province"), limit=1)
        if not provinces.empty:
            suggestions.insert(0, (t("suggest_provinces", lang), {**state, "within": "", "region": [parent] if parent else state.get("region")}))
    if state.get("to"):
        suggestions.insert(0, (t("suggest_all_periods", lang), {**state, "from": None, "to": None}))
    return cause, tuple(suggestions[:SUGGESTIONS + 1])


def _with_dead_end(snapshot: Snapshot, state: dict, view: View, lang: str) -> View:
    """A time series or share view with no figure: its real cause and the nearest choices."""
    if "value" in view.rows and view.rows["value"].notna().any():
        return view
    series = view_title(snapshot, state, lang, measure="share_pct" if state.get("view") == "share" else None)
    suggestions: list[tuple[str, dict]] = []
    if state.get("from") or state.get("to"):
        cause = (f"所选期间内没有数据：{series}" if lang == "zh" else f"No figures in the chosen period: {series}")
        suggestions.append((t("suggest_all_periods", lang), {**state, "from": None, "to": None}))
    elif state.get("view") == "share":
        cause = (f"没有公布或推算的占比：{series}" if lang == "zh" else f"No share is published or derived for: {series}")
        suggestions.append((t("view_timeseries", lang), {**state, "view": "timeseries"}))
        dims = region_dimensions(snapshot, tuple(state.get("region") or ()))
        suggestions += _series_suggestions(snapshot, state, dims[dims["measure"] == "share_pct"], lang, view="share")
    else:
        cause = (f"所选地区没有该数据：{series}" if lang == "zh" else f"The selected regions have no figures for: {series}")
        have = series_regions(snapshot, state.get("indicator") or "", state.get("product"), state.get("industry"),
                              state.get("scope"))
        names = reference_rows(snapshot, "regions")
        for code in have.sort_values("n", ascending=False)["code"].head(SUGGESTIONS):
            if code in names:
                suggestions.append((names[code]["name_zh" if lang == "zh" else "name_en"], {**state, "region": [code]}))
    return dataclasses.replace(view, figure=empty_figure(cause), dead_end=cause, suggestions=tuple(suggestions[:SUGGESTIONS + 1]))


def _missing(snapshot: Snapshot, state: dict, frame: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """Names of the selected regions without a figure in ``frame``: said, not silently dropped."""
    have = regions_with_values(frame)
    names = reference_rows(snapshot, "regions")
    column = "name_zh" if lang == "zh" else "name_en"
    return tuple(names[c][column] if c in names else c for c in state.get("region") or [] if c not in have)


def regions_with_values(frame: pd.DataFrame) -> set[str]:
    """The regions of ``frame`` with at least one figure (a value, not a gap)."""
    if frame.empty:
        return set()
    return {code for code, value in zip(frame["region_code"].tolist(), frame["value"].tolist(), strict=True)
            if value is not None and value == value}  # NaN != NaN


def share_parent_title(snapshot: Snapshot, region: str | None, lang: str) -> str:
    """"Share of the national total" / "Share of Guangdong": the share of parent named after the parent."""
    regions = reference_rows(snapshot, "regions")
    if region not in regions:
        return t("kpi_share", lang)
    parent = regions[region]["parent_code"]
    if not parent or parent == "CN" or parent not in regions:
        return t("kpi_share_national", lang)
    return t("kpi_share_of", lang).format(parent=regions[parent]["name_zh" if lang == "zh" else "name_en"])


class _Names(dict):
    """Series names computed on demand (the full product of indicators × industries is large)."""

    def __init__(self, snapshot: Snapshot, lang: str):
        super().__init__()
        self.lang = lang
        column = "name_zh" if lang == "zh" else "name_en"
        self.indicators = {code: row[column] for code, row in reference_rows(snapshot, "indicators").items()}
        self.industries = {code: row[column] for code, row in reference_rows(snapshot, "industries").items()}

    def get(self, key, default=None):  # type: ignore[override]
        indicator, industry, product = key
        if indicator not in self.indicators:
            return default
        parts = [self.indicators.get(indicator) or indicator]
        if product:
            parts.append(label(PRODUCT_LABELS, product, self.lang))
        if industry:
            parts.append(self.industries.get(industry) or industry)
        return " · ".join(parts)


def _kpis(snapshot: Snapshot, state: dict, lang: str) -> list[dict]:
    """The cards of the first selected region with a figure of the series (a region just added for
    comparison without figures does not empty the cards), else of the first selected."""
    if not state.get("region"):
        return []
    # The focus region's series slice alone (the first selected region with a figure): reading every
    # selected region's rows to keep one region's cost a concatenation of five slices in the share view.
    every = filters_from_state(state, measures=(), statuses=(), date_from=None)
    focus, frame = None, None
    for code in state["region"]:
        rows = observations(snapshot, dataclasses.replace(every, regions=(code,)))
        if regions_with_values(rows):
            focus, frame = code, rows
            break
    if focus is None:
        focus = focus_region(state)
        if focus is None:
            return []
        frame = observations(snapshot, dataclasses.replace(every, regions=(focus,)))
    series = {"indicator": state.get("indicator") or "", "product": state.get("product") or "",
              "industry_code": state.get("industry") or "", "scope": state.get("scope") or ""}
    return kpi_specs(frame, lang, measure=state.get("measure"), share_title=share_parent_title(snapshot, focus, lang),
                     progress=region_targets(snapshot, focus), series=series, names=_Names(snapshot, lang))
