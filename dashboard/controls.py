"""From a requested selection to a valid one, and the options of every filter.

Pure functions over small tables the query layer returns (the dimension combinations that have
data, the reference tables), so the cascade indicator → product → industry → scope → measure →
period type → status is tested without a server. Each filter offers only choices that lead to
figures; a requested value that has none is replaced by the most common one, and when it came
from a link the replacement is reported as a note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from pypinyin import Style, lazy_pinyin

from dashboard.i18n import MEASURE_LABELS, PERIOD_KIND_LABELS, PRODUCT_LABELS, STATUS_LABELS, label, t
from dashboard.records import records
from dashboard.urlstate import MEASURES, PERIOD_KINDS, TRANSFORMS, VIEWS

DEFAULT_INDICATOR = "production"
DEFAULT_MEASURE = "level"
#: The frequency a series opens in: year to date where published (the statistics bureaus' own
#: monthly releases are cumulative), else annual, else whatever the series has most of.
DEFAULT_KINDS = ("ytd", "year")
LEVEL_ORDER = {"country": 0, "province": 1, "city": 2, "county": 3}


@dataclass
class Controls:
    """A valid selection (``state``), each dropdown's options, and notes on what was replaced."""

    state: dict
    options: dict[str, list[dict]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _pick(requested: str | None, available: list[str], default: str | None, name: str, notes: list[str],
          strict: bool) -> str | None:
    if requested in available:
        return requested
    if requested is not None and strict:
        notes.append(f"{name}={requested}")
    if default in available:
        return default
    return available[0] if available else None


def _ranked_rows(rows: list[dict], column: str) -> list[str]:
    """Values of ``column`` by total row count (``n``), most first, ties in first-seen order."""
    totals: dict = {}
    for row in rows:
        totals[row[column]] = totals.get(row[column], 0) + row["n"]
    return [str(value) for value, _ in sorted(totals.items(), key=lambda item: -item[1])]


def _both(zh: str, en: str, lang: str) -> str:
    """``Guangdong 广东省`` / ``广东省 Guangdong``: both names, the reader's first."""
    return f"{zh} {en}" if lang == "zh" else f"{en} {zh}"


def region_choices(regions: pd.DataFrame, counts: pd.DataFrame, within: str, lang: str) -> list[dict]:
    """Regions with data in hierarchy order: the nation, each province followed by its cities.

    With ``within`` (a province code) only that province, its cities and the nation are offered:
    the province picker scopes the city list.
    """
    have = set(counts["code"])
    frame = regions[regions["code"].isin(have)]
    level = frame["level"]
    province = frame["code"].where(level == "province", frame["parent_code"])
    if within:
        keep = ((province == within) | (level == "country")).to_numpy()
        frame, level, province = frame[keep], level[keep], province[keep]
    frame = frame.assign(group=province.where(level != "country", ""),
                         order=level.map({"country": 0, "province": 1}).fillna(2))
    frame = frame.sort_values(["group", "order", "code"], kind="stable")
    choices = []
    for code, level_, name_zh, name_en in zip(frame["code"], frame["level"], frame["name_zh"], frame["name_en"],
                                              strict=True):
        indent = "\u3000" if level_ in ("city", "county") else ""
        choices.append({"label": indent + _both(name_zh, name_en, lang), "value": code,
                        "search": search_text(code, name_zh, name_en)})
    return choices


@lru_cache(maxsize=4096)
def _pinyin(name_zh: str) -> tuple[str, str]:
    """(initials, full pinyin) of a Chinese name: 清远市 → ("qys", "qingyuanshi")."""
    initials = "".join(lazy_pinyin(name_zh, style=Style.FIRST_LETTER))
    return initials, "".join(lazy_pinyin(name_zh))


def search_text(code: str, name_zh: str | None, name_en: str | None) -> str:
    """What a region option is found by: Chinese and English names, pinyin initials and spelling, code."""
    zh = str(name_zh or "")
    initials, full = _pinyin(zh) if zh else ("", "")
    return " ".join(p for p in (zh, str(name_en or ""), initials, full, str(code)) if p)


def industry_choices(industries: pd.DataFrame, codes: list[str], lang: str) -> list[dict]:
    """Industries with data, indented by depth in the classification (C → C36 → C367)."""
    parents = dict(zip(industries["code"], industries["parent_code"], strict=False))
    names = dict(zip(industries["code"], industries["name_zh" if lang == "zh" else "name_en"], strict=False))
    choices = []
    for code in sorted(codes, key=lambda c: (c.startswith("X-"), c)):
        depth, parent = 0, parents.get(code)
        while parent and depth < 6:
            depth, parent = depth + 1, parents.get(parent)
        choices.append({"label": "\u3000" * max(depth - 1, 0) + (names.get(code) or code), "value": code})
    return choices


@dataclass(frozen=True)
class RegionTables:
    """What the cascade asks of the regions table on every click, computed once per snapshot.

    Sets of codes and the province list cost 3–4 ms a click from the pandas tables (Arrow-backed
    text iterated element by element); they depend on the snapshot alone.
    """

    known: frozenset[str]
    with_data: frozenset[str]
    #: Provinces that have figures or cities with figures: (code, name_zh, name_en), in table order.
    provinces: tuple[tuple[str, str, str], ...]
    #: code → (name_zh, name_en)
    names: dict[str, tuple[str, str]]


def region_tables(regions: pd.DataFrame, region_counts: pd.DataFrame) -> RegionTables:
    rows = records(regions, ("code", "parent_code", "level", "name_zh", "name_en"))
    with_data = {str(c) for c in region_counts["code"].tolist()}
    parents_with_data = {r["parent_code"] for r in rows if r["code"] in with_data} | with_data
    provinces = tuple((r["code"], r["name_zh"], r["name_en"]) for r in rows
                      if r["level"] == "province" and r["code"] in parents_with_data)
    return RegionTables(known=frozenset(r["code"] for r in rows), with_data=frozenset(with_data), provinces=provinces,
                        names={r["code"]: (r["name_zh"], r["name_en"]) for r in rows})


def normalise(
    requested: dict,
    dimensions: pd.DataFrame,
    regions: pd.DataFrame,
    region_counts: pd.DataFrame,
    industries: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    lang: str,
    default_regions: tuple[str, ...] = ("440000",),
    strict: bool = False,
    dims_for: Callable[[tuple[str, ...]], pd.DataFrame] | None = None,
    lead: str | None = None,
    choices_for: Callable[[str], list[dict]] | None = None,
    tables: RegionTables | None = None,
) -> Controls:
    """A valid state for ``requested`` and every filter's options (``strict``: report replacements).

    ``dims_for(regions)``: the dimension combinations with figures for any of ``regions``; with
    it the options narrow to the selected regions (choosing Qingyuan leaves only what Qingyuan
    has). ``lead``: a region just added; when the current series has no figure for it, the
    selection jumps to the first series that has one, rather than to an empty chart.
    ``choices_for(within)``: :func:`region_choices` for this snapshot and language, remembered.
    ``tables``: :func:`region_tables` of ``regions`` and ``region_counts``, remembered by the caller.
    """
    tables = tables if tables is not None else region_tables(regions, region_counts)
    notes: list[str] = []
    state: dict = {"lang": lang}
    options: dict[str, list[dict]] = {}

    known = tables.known
    asked = [c for c in requested.get("region") or [] if c in known]
    if strict:
        notes.extend(f"region={c}" for c in requested.get("region") or [] if c not in known)
    if not asked and requested.get("region") is None:
        asked = [c for c in default_regions if c in tables.with_data]
    state["region"] = asked

    if dims_for is not None and asked:
        narrowed = dims_for(tuple(asked))
        if not narrowed.empty:
            dimensions = narrowed
    # The cascade reads the combinations as dicts: a few hundred rows, filtered once per filter,
    # cost less in plain Python than the pandas masks and group-bys they replaced (~1 ms each).
    rows = records(dimensions, ("region_code", "indicator", "product", "industry_code", "scope", "measure",
                                "period_kind", "status", "n"))
    lead_rows = None
    if lead and "region_code" in dimensions and any(r["region_code"] == lead for r in rows):
        lead_rows = [r for r in rows if r["region_code"] == lead]

    def pick(name: str, column: str, default: str | None, frame: list[dict]) -> tuple[str | None, list[str]]:
        """The value of one filter, and the choices it offers (ranked within ``frame``)."""
        nonlocal lead_rows
        available = _ranked_rows(frame, column)
        preferred = _ranked_rows(lead_rows, column) if lead_rows is not None else available
        value = _pick(requested.get(name), preferred or available, default, name, notes, strict)
        if lead_rows is not None:
            lead_rows = [r for r in lead_rows if r[column] == value]
        return value, available

    state["indicator"], indicator_codes = pick("indicator", "indicator", DEFAULT_INDICATOR, rows)
    names = dict(zip(indicators["code"], indicators["name_zh" if lang == "zh" else "name_en"], strict=True)) \
        if not indicators.empty else {}
    options["indicator"] = [{"label": names.get(c, c) or c, "value": c} for c in indicator_codes]
    frame = [r for r in rows if r["indicator"] == state["indicator"]]

    state["product"], products = pick("product", "product", None, frame)
    options["product"] = [{"label": label(PRODUCT_LABELS, p, lang) if p else t("no_product", lang), "value": p}
                          for p in products]
    frame = [r for r in frame if r["product"] == state["product"]]

    state["industry"], industry_codes = pick("industry", "industry_code", None, frame)
    options["industry"] = industry_choices(industries, industry_codes, lang)
    frame = [r for r in frame if r["industry_code"] == state["industry"]]

    state["scope"], scopes = pick("scope", "scope", "", frame)
    options["scope"] = [{"label": s or t("scope_default", lang), "value": s} for s in scopes]
    frame = [r for r in frame if r["scope"] == state["scope"]]

    # The jump to a new region's figures stops at the series: its measure and frequency stay
    # the user's where the selection has them (adding Shanghai keeps an annual chart annual).
    present = {r["measure"] for r in frame}
    measures = [m for m in MEASURES if m in present]
    state["measure"] = _pick(requested.get("measure"), measures, DEFAULT_MEASURE, "measure", notes, strict)
    options["measure"] = [{"label": label(MEASURE_LABELS, m, lang), "value": m} for m in measures]
    frame = [r for r in frame if r["measure"] == state["measure"]]

    ranked_kinds = _ranked_rows(frame, "period_kind")
    kinds = [k for k in PERIOD_KINDS if k in ranked_kinds]
    lead_kinds = ranked_kinds
    preferred = next((k for k in DEFAULT_KINDS if k in lead_kinds), lead_kinds[0] if lead_kinds else None)
    state["period_kind"] = _pick(requested.get("period_kind"), [k for k in kinds if k in lead_kinds] or kinds,
                                 preferred, "period_kind", notes, strict)
    options["period_kind"] = [{"label": label(PERIOD_KIND_LABELS, k, lang), "value": k} for k in kinds]
    frame = [r for r in frame if r["period_kind"] == state["period_kind"]]

    statuses = _ranked_rows(frame, "status")
    wanted = [s for s in requested.get("status") or [] if s in statuses]
    if strict:
        notes.extend(f"status={s}" for s in requested.get("status") or [] if s not in statuses)
    state["status"] = wanted
    options["status"] = [{"label": label(STATUS_LABELS, s, lang), "value": s} for s in statuses]

    state["within"] = requested.get("within") or ""
    if state["within"] not in {code for code, _zh, _en in tables.provinces}:
        state["within"] = ""
    options["within"] = [{"label": t("within_all", lang), "value": ""}] + [
        {"label": _both(zh, en, lang), "value": code} for code, zh, en in tables.provinces
    ]
    # The region list depends on the snapshot alone: the caller may remember it (``choices_for``).
    choices = (choices_for(state["within"]) if choices_for is not None
               else region_choices(regions, region_counts, state["within"], lang))
    offered = {c["value"] for c in choices}
    for code in state["region"]:  # a selected region stays visible even when the list is scoped
        if code not in offered:
            name_zh, name_en = tables.names[code]
            choices.append({"label": _both(name_zh, name_en, lang), "value": code,
                            "search": search_text(code, name_zh, name_en)})
    options["region"] = choices

    state["view"] = requested.get("view") if requested.get("view") in VIEWS else "timeseries"
    state["axis"] = "log" if requested.get("axis") == "log" else None  # linear: the default, left out of links
    state["transform"] = requested.get("transform") if requested.get("transform") in TRANSFORMS else None
    state["from"] = requested.get("from")
    state["to"] = requested.get("to")
    state["source"] = requested.get("source") if requested.get("source") == "all" else None
    return Controls(state=state, options=options, notes=notes)


def focus_region(state: dict) -> str | None:
    """The region KPI cards, the ranking highlight and the map level follow: the first selected."""
    regions = state.get("region") or []
    return regions[0] if regions else None
