"""Filters ↔ URL: a link or a changed control → one valid state, and every filter's options.

On page load (and on back/forward) the state comes from the URL's query string; after that
from the controls. Either way it is normalised against the snapshot (only choices with data
for the selected regions), written back to every control and to the URL (``search``, no
reload). The view callback (:mod:`dashboard.callbacks.view`) calls :func:`resolve` and draws the
view in the same request: one round trip per filter change.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import ids
from dashboard.config import Config
from dashboard.controls import normalise, region_choices, region_tables
from dashboard.i18n import t
from dashboard.query import (
    Snapshot,
    dimension_options,
    period_ends,
    reference_table,
    region_counts,
    region_dimensions,
    series_regions,
    snapshot_memo,
)
from dashboard.selection import filters_from_state
from dashboard.urlstate import parse_query, to_query

CONTROLS = (ids.WITHIN, ids.REGION, ids.INDICATOR, ids.PRODUCT, ids.INDUSTRY, ids.SCOPE, ids.MEASURE,
            ids.PERIOD_KIND, ids.YEAR_FROM, ids.YEAR_TO, ids.STATUS)
KEYS = ("within", "region", "indicator", "product", "industry", "scope", "measure", "period_kind", "from", "to", "status")


def month_options(months: list[str], lang: str, *, after: str | None = None, before: str | None = None) -> list[dict]:
    """The period pickers' options; months before ``after`` or after ``before`` are disabled,
    so a "from" after "to" cannot be chosen."""
    def text(m: str) -> str:
        year, _, month = m.partition("-")
        if not month:
            return f"{year}年" if lang == "zh" else year
        return f"{year}年{int(month)}月" if lang == "zh" else m

    options = []
    for m in months:
        option = {"label": text(m), "value": m}
        if (after and m < after) or (before and m > before):
            option["disabled"] = True
        options.append(option)
    return options


@dataclass
class Resolved:
    """What the filters show: a valid state, each control's options, and the note for the page."""

    state: dict
    option_lists: list[list[dict]]
    note: str
    search: str


def requested_from(triggered: set[str], search: str | None, stored: dict | None, controls: tuple, view: str | None,
                   all_sources: list | None, lang: str | None, config: Config, *, axis: str | None = None,
                   transform: str | None = None) -> tuple[dict, list[str], bool, str | None]:
    """(requested state, notes on the link, whether it came from a link, a region just added).

    ``triggered``: the ids whose change fired the callback (empty on page load). A link (page
    load, back/forward, a clicked suggestion) is read strictly; a stored state (a client
    re-sending the page's state) as it is; otherwise the controls.
    """
    trigger = next(iter(triggered)) if len(triggered) == 1 else None
    if ids.STATE in triggered and isinstance(stored, dict) and stored:
        requested = {k: stored.get(k) for k in (*KEYS, "view", "source", "lang", "axis", "transform") if k in stored}
        return requested, [], False, None
    if not triggered or ids.URL in triggered:
        requested, notes = parse_query(search)
        requested.setdefault("lang", config.default_lang)
        return requested, notes, True, None
    requested = dict(zip(KEYS, controls, strict=True))
    requested.update(view=view, source="all" if all_sources else None, lang=lang, axis=axis,
                     transform=None if transform == "none" else transform)
    before = (stored or {}).get("region") or [] if isinstance(stored, dict) else []
    added = [c for c in requested.get("region") or [] if c not in before]
    if trigger == ids.WITHIN and requested.get("within"):
        requested["region"] = [c for c in requested.get("region") or []
                               if c == requested["within"] or c == "CN"] or [requested["within"]]
    return requested, [], False, (added[-1] if trigger == ids.REGION and added else None)


def resolve(snapshot: Snapshot, requested: dict, notes: list[str], *, from_url: bool, lead: str | None,
            config: Config) -> Resolved:
    """Normalise ``requested`` against ``snapshot``; the options of every control, in its order."""
    lang = requested.get("lang") if requested.get("lang") in ("en", "zh") else config.default_lang
    result = normalise(
        requested, dimension_options(snapshot), reference_table(snapshot, "regions"), region_counts(snapshot),
        reference_table(snapshot, "industries"), reference_table(snapshot, "indicators"),
        lang=lang, default_regions=config.default_regions, strict=from_url,
        dims_for=lambda regions: region_dimensions(snapshot, regions), lead=lead,
        choices_for=lambda within: [dict(choice) for choice in snapshot_memo(
            snapshot, f"region_choices:{within}:{lang}",
            lambda: region_choices(reference_table(snapshot, "regions"), region_counts(snapshot), within, lang))],
        tables=snapshot_memo(snapshot, "region_tables",
                             lambda: region_tables(reference_table(snapshot, "regions"), region_counts(snapshot))),
    )
    state = result.state
    ends = period_ends(snapshot, filters_from_state(state, date_from=None, date_to=None, statuses=()))
    months = sorted({f"{d.year}-{d.month:02d}" for d in ends})
    for key in ("from", "to"):
        if state.get(key) and state[key] not in months:
            months = sorted({*months, state[key]})
    if state.get("from") and state.get("to") and state["from"] > state["to"]:
        state["from"] = None  # a range that ends before it starts: keep the end (it picks the period compared)
    state["snapshot"] = snapshot.snapshot_id
    options = result.options
    if state.get("indicator"):  # regions without this series stay choosable (the view jumps) but say so
        have = set(series_regions(snapshot, state["indicator"], state.get("product"), state.get("industry"),
                                  state.get("scope"))["code"])
        options["region"] = [o if o["value"] in have else {**o, "label": f"{o['label']} · {t('other_series', lang)}"}
                             for o in options["region"]]
    option_lists = [options["within"], options["region"], options["indicator"], options["product"],
                    options["industry"], options["scope"], options["measure"], options["period_kind"],
                    month_options(months, lang, before=state.get("to")), month_options(months, lang, after=state.get("from")),
                    options["status"]]
    note = ""
    all_notes = notes + result.notes
    if all_notes:
        note = f"{t('url_ignored', lang)}: " + ", ".join(dict.fromkeys(all_notes))
    url_state = {k: v for k, v in state.items() if k not in ("snapshot",)}
    return Resolved(state, option_lists, note, to_query(url_state))
