"""Filters ↔ URL: one callback turns a link or a changed control into a valid state.

On page load (and on back/forward) the state comes from the URL's query string; after that
from the controls. Either way it is normalised against the snapshot (only choices with data),
written back to every control and to the URL (``search``, no reload), and stored with the
snapshot id for the view callback.
"""

from __future__ import annotations

from dash import Dash, Input, Output, ctx

from dashboard import ids
from dashboard.config import Config
from dashboard.controls import normalise
from dashboard.i18n import t
from dashboard.query import Warehouse, dimension_options, period_ends, reference_table, region_counts
from dashboard.selection import filters_from_state
from dashboard.urlstate import parse_query, to_query

CONTROLS = (ids.WITHIN, ids.REGION, ids.INDICATOR, ids.PRODUCT, ids.INDUSTRY, ids.SCOPE, ids.MEASURE,
            ids.PERIOD_KIND, ids.YEAR_FROM, ids.YEAR_TO, ids.STATUS)
KEYS = ("within", "region", "indicator", "product", "industry", "scope", "measure", "period_kind", "from", "to", "status")


def month_options(months: list[str], lang: str) -> list[dict]:
    def text(m: str) -> str:
        year, _, month = m.partition("-")
        if not month:
            return f"{year}年" if lang == "zh" else year
        return f"{year}年{int(month)}月" if lang == "zh" else m
    return [{"label": text(m), "value": m} for m in months]


def register(app: Dash, warehouse: Warehouse, config: Config) -> None:
    @app.callback(
        *[Output(c, "options") for c in CONTROLS],
        *[Output(c, "value") for c in CONTROLS],
        Output(ids.ALL_SOURCES, "value"), Output(ids.VIEW, "value"), Output(ids.LANG, "value"),
        Output(ids.URL, "search"), Output(ids.STATE, "data"), Output(ids.URL_NOTE, "children"),
        Input(ids.URL, "search"), Input(ids.REFRESH, "data"),
        *[Input(c, "value") for c in CONTROLS],
        Input(ids.ALL_SOURCES, "value"), Input(ids.VIEW, "value"), Input(ids.LANG, "value"),
    )
    def sync(search, _refresh, *values):
        controls, (all_sources, view, lang) = values[: len(CONTROLS)], values[len(CONTROLS):]
        from_url = ctx.triggered_id in (None, ids.URL)
        notes: list[str] = []
        if from_url:
            requested, notes = parse_query(search)
            lang = requested.get("lang") or config.default_lang
        else:
            requested = dict(zip(KEYS, controls, strict=True))
            requested.update(view=view, source="all" if all_sources else None)
            if ctx.triggered_id == ids.WITHIN and requested.get("within"):
                requested["region"] = [c for c in requested.get("region") or []
                                       if c == requested["within"] or c == "CN"] or [requested["within"]]
        lang = lang if lang in ("en", "zh") else config.default_lang
        snapshot = warehouse.snapshot()
        result = normalise(
            requested, dimension_options(snapshot), reference_table(snapshot, "regions"), region_counts(snapshot),
            reference_table(snapshot, "industries"), reference_table(snapshot, "indicators"),
            lang=lang, default_regions=config.default_regions, strict=from_url,
        )
        state = result.state
        if from_url and not requested.get("within") and state["region"]:
            state["within"] = ""
        ends = period_ends(snapshot, filters_from_state(state, regions=(), date_from=None, date_to=None, statuses=()))
        months = sorted({f"{d.year}-{d.month:02d}" for d in ends})
        for key in ("from", "to"):
            if state.get(key) and state[key] not in months:
                months = sorted({*months, state[key]})
        state["snapshot"] = snapshot.snapshot_id
        options = result.options
        period_opts = month_options(months, lang)
        option_lists = [options["within"], options["region"], options["indicator"], options["product"],
                        options["industry"], options["scope"], options["measure"], options["period_kind"],
                        period_opts, period_opts, options["status"]]
        control_values = [state[k] for k in KEYS]
        note = ""
        all_notes = notes + result.notes
        if all_notes:
            note = f"{t('url_ignored', lang)}: " + ", ".join(dict.fromkeys(all_notes))
        url_state = {k: v for k, v in state.items() if k not in ("within", "snapshot")}
        return (
            *option_lists, *control_values,
            ["all"] if state.get("source") == "all" else [], state["view"], lang,
            to_query(url_state), state, note,
        )
