"""What each view of a selection shows: the queries it needs and the figure it draws.

One function per page state, called by the callbacks (which stay thin) and by the CSV
download, so the file a user downloads is built from exactly the rows the view shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.controls import focus_region
from dashboard.figures.common import empty_figure
from dashboard.figures.kpi import kpi_specs
from dashboard.figures.map import features_of, map_figure
from dashboard.figures.ranking import comparison_period, ranking_figure
from dashboard.figures.share import share_figure
from dashboard.figures.timeseries import timeseries_figure
from dashboard.geo import boundaries
from dashboard.i18n import MEASURE_LABELS, PERIOD_KIND_LABELS, PRODUCT_LABELS, label, t
from dashboard.query import Snapshot, empty_result, observations, reference_table, region_targets
from dashboard.selection import filters_from_state


@dataclass
class View:
    """A rendered view: its figure, the rows behind it (table and CSV) and the KPI cards."""

    figure: go.Figure
    rows: pd.DataFrame
    kpis: list[dict]
    comparison: str = ""  # which regions a ranking or map compares, for the metadata sidecar
    missing: tuple[str, ...] = ()  # selected regions this view has no figure for (named on the page)


def series_title(snapshot: Snapshot, state: dict, lang: str) -> str:
    """``Production · automobiles · Automobile manufacturing — Level — Year to date``."""
    indicators = reference_table(snapshot, "indicators").set_index("code")
    industries = reference_table(snapshot, "industries").set_index("code")
    code = state.get("indicator") or ""
    name = code
    if code in indicators.index:
        name = indicators.loc[code, "name_zh" if lang == "zh" else "name_en"] or code
    parts = [name]
    if state.get("product"):
        parts.append(label(PRODUCT_LABELS, state["product"], lang))
    industry = state.get("industry") or ""
    if industry in industries.index:
        parts.append(industries.loc[industry, "name_zh" if lang == "zh" else "name_en"] or industry)
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
    regions = reference_table(snapshot, "regions").set_index("code")
    within = state.get("within") or ""
    if within:
        return "city", within
    focus = focus_region(state)
    if focus in regions.index and regions.loc[focus, "level"] in ("city", "county"):
        return "city", regions.loc[focus, "parent_code"]
    return "province", None


def build_view(snapshot: Snapshot, state: dict) -> View:
    """The figure and rows of ``state['view']`` for the selection in ``state``."""
    lang = state.get("lang") or "en"
    if not state.get("indicator"):
        return View(empty_figure(t("no_data", lang)), empty_result(), [])
    view = state.get("view") or "timeseries"
    title = series_title(snapshot, state, lang)
    kpis = _kpis(snapshot, state, lang)
    if view == "ranking" or view == "map":
        level, parent = comparison_scope(snapshot, state)
        frame = observations(snapshot, filters_from_state(state, regions=(), region_level=level, region_parent=parent))
        rows = comparison_period(frame, focus_region(state))
        highlight = tuple(state.get("region") or ())
        comparison = f"{level}s" + (f" of {parent}" if parent else "")
        if view == "ranking":
            return View(ranking_figure(rows, lang, highlight=highlight), rows, kpis, comparison)
        shapes = boundaries(level)
        if parent:
            shapes = features_of(shapes, parent=parent)
        return View(map_figure(rows, shapes, lang, highlight=highlight), rows, kpis, comparison)
    if view == "share":
        frame = observations(snapshot, filters_from_state(state, measures=("share_pct",)))
        frame = frame[frame["share_of"].fillna("") == ""]
        return View(share_figure(frame, lang), frame.reset_index(drop=True), kpis,
                    missing=_missing(snapshot, state, frame, lang))
    frame = observations(snapshot, filters_from_state(state))
    return View(timeseries_figure(frame, lang, title=title), frame, kpis, missing=_missing(snapshot, state, frame, lang))


def _missing(snapshot: Snapshot, state: dict, frame: pd.DataFrame, lang: str) -> tuple[str, ...]:
    """Names of the selected regions without a figure in ``frame``: said, not silently dropped."""
    have = set(frame.dropna(subset=["value"])["region_code"]) if not frame.empty else set()
    names = reference_table(snapshot, "regions").set_index("code")
    column = "name_zh" if lang == "zh" else "name_en"
    return tuple(names.loc[c, column] if c in names.index else c for c in state.get("region") or [] if c not in have)


def share_parent_title(snapshot: Snapshot, region: str | None, lang: str) -> str:
    """"Share of the national total" / "Share of Guangdong": the share of parent named after the parent."""
    regions = reference_table(snapshot, "regions").set_index("code")
    if region not in regions.index:
        return t("kpi_share", lang)
    parent = regions.loc[region, "parent_code"]
    if not parent or parent == "CN" or parent not in regions.index:
        return t("kpi_share_national", lang)
    return t("kpi_share_of", lang).format(parent=regions.loc[parent, "name_zh" if lang == "zh" else "name_en"])


class _Names(dict):
    """Series names computed on demand (the full product of indicators × industries is large)."""

    def __init__(self, snapshot: Snapshot, lang: str):
        super().__init__()
        self.lang = lang
        column = "name_zh" if lang == "zh" else "name_en"
        self.indicators = reference_table(snapshot, "indicators").set_index("code")[column].to_dict()
        self.industries = reference_table(snapshot, "industries").set_index("code")[column].to_dict()

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


def kpi_focus(state: dict, frame: pd.DataFrame) -> str | None:
    """The region the KPI cards describe: the first selected region with a figure of the series
    (a region just added for comparison without figures does not empty the cards)."""
    have = set(frame.dropna(subset=["value"])["region_code"]) if not frame.empty else set()
    for code in state.get("region") or []:
        if code in have:
            return code
    return focus_region(state)


def _kpis(snapshot: Snapshot, state: dict, lang: str) -> list[dict]:
    if not state.get("region"):
        return []
    frame = observations(snapshot, filters_from_state(state, measures=(), statuses=(), date_from=None))
    focus = kpi_focus(state, frame)
    if focus is None:
        return []
    frame = frame[frame["region_code"] == focus]
    series = {"indicator": state.get("indicator") or "", "product": state.get("product") or "",
              "industry_code": state.get("industry") or "", "scope": state.get("scope") or ""}
    return kpi_specs(frame, lang, measure=state.get("measure"), share_title=share_parent_title(snapshot, focus, lang),
                     progress=region_targets(snapshot, focus), series=series, names=_Names(snapshot, lang))
