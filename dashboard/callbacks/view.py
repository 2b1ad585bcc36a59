"""The page's one callback: controls (or a link) → a valid state, every filter's options, and the view.

One request per filter change: the controls are normalised and the chart, KPI cards, table and
sources drawn from the same snapshot in the same callback, so there is no separate filter-sync
round trip before the render and no chance of the two seeing different snapshots.
"""

from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import urlencode

import orjson
from dash import Dash, Input, Output, ctx, dcc, html, no_update
from flask import has_request_context, request

from dashboard import ids
from dashboard.callbacks.filters import CONTROLS, KEYS, requested_from, resolve
from dashboard.config import Config
from dashboard.figures.kpi import kpi_cards
from dashboard.i18n import t
from dashboard.plainjson import plain
from dashboard.provenance import source_summary, sources_panel
from dashboard.query import Warehouse, reference_table, snapshot_memo
from dashboard.table import column_defs, table_rows
from dashboard.urlstate import to_query
from dashboard.viewcache import cached_view
from dashboard.views import build_view

#: The stored state's key holding the digests of the options each dropdown shows.
OPTIONS_KEY = "options"


def options_fingerprint(options: list) -> str:
    """A short digest of one dropdown's options (labels and values, in order)."""
    return hashlib.blake2b(orjson.dumps(options), digest_size=8).hexdigest()


def snapshot_line(snapshot, lang: str) -> str:
    created = str(snapshot.manifest.get("created_at", ""))[:19].replace("T", " ")
    return f"{t('snapshot', lang)}: {snapshot.snapshot_id} · {created} UTC"


def publishers(snapshot) -> dict[str, str]:
    """Source id → publisher, for derivations in words (once per snapshot: thousands of sources)."""
    def compute() -> dict[str, str]:
        sources = reference_table(snapshot, "sources")
        return dict(zip(sources["code"], sources["publisher"].fillna(sources["code"]), strict=True))

    return snapshot_memo(snapshot, "publishers", compute)


def region_names(snapshot, lang: str) -> dict[str, str]:
    def compute() -> dict[str, str]:
        regions = reference_table(snapshot, "regions")
        return dict(zip(regions["code"], regions["name_zh" if lang == "zh" else "name_en"], strict=True))

    return snapshot_memo(snapshot, f"region_names:{lang}", compute)


def cite_text(snapshot, state: dict, drawn, search: str) -> str:
    """"Cite this view": title, the sources' publishers, the dashboard and snapshot, the link, the date."""
    lang = state.get("lang") or "en"
    figure = drawn.figure if isinstance(drawn.figure, dict) else {}
    title = ((figure.get("layout") or {}).get("title") or {}).get("text") or ""
    publishers = [p for p in dict.fromkeys(drawn.rows["source_publisher"].dropna()) if isinstance(p, str) and p][:4] \
        if not drawn.rows.empty and "source_publisher" in drawn.rows else []
    created = str(snapshot.manifest.get("created_at", ""))[:10]
    today = date.today().isoformat()
    if lang == "zh":
        return (f"{'、'.join(publishers) or '—'}：{title}。区域产业统计仪表板，数据快照 {snapshot.snapshot_id}（{created}），"
                f"{search or '/'}，{t('cite_retrieved', lang)} {today}。")
    return (f"{'; '.join(publishers) or '—'}. {title}. Regional industry statistics dashboard, snapshot "
            f"{snapshot.snapshot_id} ({created}), {search or '/'}, {t('cite_retrieved', lang)} {today}.")


def api_query(state: dict) -> str:
    """The HTTP API query that returns this view's series (the API's names; see docs/api.md)."""
    pairs = []
    for key in ("region", "indicator", "product", "industry", "measure", "period_kind", "from", "to", "status"):
        value = state.get(key)
        if value in (None, "", []):
            continue
        pairs.append((key, ",".join(value) if isinstance(value, list) else str(value)))
    if state.get("source") == "all":
        pairs.append(("source", "all"))
    pairs.append(("lang", state.get("lang") or "en"))
    return "/api/observations.csv?" + urlencode(pairs, safe=",")


def get_data_panel(state: dict, lang: str) -> list:
    """"Get this data": the API link of the view and a two-line pandas snippet."""
    url = api_query(state)
    base = request.host_url.rstrip("/") if has_request_context() else ""  # the address the page was opened at
    parts = [html.P([t("api_link", lang), ": ", html.A(base + url, href=url, className="api-link")])]
    if state.get("scope"):
        parts.append(html.P(t("api_scope_note", lang), className="muted"))
    parts.append(html.P(t("pandas_snippet", lang)))
    parts.append(html.Pre(f"import pandas as pd\nframe = pd.read_csv(\"{base}{url}\")", className="snippet"))
    return parts


def page_message(drawn, state: dict, lang: str):
    """The line above the chart: a dead end's cause with links to choices that have figures,
    the selected regions without figures, or the explicit "all regions" state."""
    if drawn.grid is not None:
        return "" if drawn.grid[0] else t("checks_none", lang)
    if drawn.dead_end:
        links = [dcc.Link(text, href="/" + to_query({k: v for k, v in target.items() if k != "snapshot"}),
                          className="suggestion") for text, target in drawn.suggestions]
        return html.Div([html.Span(drawn.dead_end, className="dead-end"),
                         html.Span([t("suggest_lead", lang), *links], className="suggestions") if links else ""])
    if "value" not in drawn.rows or not drawn.rows["value"].notna().any():
        return t("no_data", lang)
    if not state.get("region"):
        return t("all_regions_note", lang)
    if drawn.missing:
        return f"{t('no_data_for', lang)}: {', '.join(drawn.missing)}"
    return ""


#: The page's one callback's outputs, as (component id, property): its decorator and the
#: server-rendered first view (:func:`first_view`) list the same props in the same order.
OUTPUTS: tuple[tuple[str, str], ...] = (
    *[(c, "options") for c in CONTROLS], *[(c, "value") for c in CONTROLS],
    (ids.ALL_SOURCES, "value"), (ids.VIEW, "value"), (ids.LANG, "value"),
    (ids.URL, "search"), (ids.STATE, "data"), (ids.URL_NOTE, "children"),
    (ids.CHART, "figure"), (ids.TABLE, "rowData"), (ids.TABLE, "columnDefs"),
    (ids.KPIS, "children"), (ids.SOURCES, "children"), (ids.MESSAGE, "children"),
    (ids.ROW_COUNT, "children"), (ids.SNAPSHOT, "children"), (ids.COVERAGE, "children"),
    (ids.AXIS, "value"), (ids.TRANSFORM, "value"), (ids.CITE, "children"), (ids.GET_DATA, "children"),
)


def answer(warehouse: Warehouse, config: Config, triggered: set[str], stored, search, values: tuple) -> tuple:
    """The outputs (:data:`OUTPUTS`) for the page's inputs: ``triggered`` ids (empty: a page
    opened at ``search``), the stored state, the URL's query and the controls' values."""
    controls, (all_sources, view, lang, _refresh, axis, transform) = values[: len(CONTROLS)], values[len(CONTROLS):]
    requested, notes, from_url, lead = requested_from(triggered, search, stored, controls, view,
                                                      all_sources, lang, config, axis=axis, transform=transform)
    snapshot = warehouse.snapshot()  # one snapshot for the filters and every query of the view
    resolved = resolve(snapshot, requested, notes, from_url=from_url, lead=lead, config=config)
    state = resolved.state
    asked_lang, lang = lang, state["lang"]
    drawn = cached_view(snapshot, state, build_view)  # shared by every worker and node (dashboard.cache)
    rows = drawn.rows
    message = page_message(drawn, state, lang)
    # The dropdowns' options only when they changed: the page holds what the last answer sent
    # (their digests are kept in the stored state), and unchanged lists of hundreds of regions
    # would otherwise be sent, parsed and re-rendered on every click.
    fingerprints = [options_fingerprint(options) for options in resolved.option_lists]
    shown = (stored or {}).get(OPTIONS_KEY) if isinstance(stored, dict) else None
    shown = shown if isinstance(shown, list) and len(shown) == len(fingerprints) else [None] * len(fingerprints)
    state = {**state, OPTIONS_KEY: fingerprints}
    return (
        *[no_update if old == new else options
          for options, old, new in zip(resolved.option_lists, shown, fingerprints, strict=True)],
        *[state[k] for k in KEYS],
        # The language control only when it changes: setting it fires the texts' and run banner's
        # callbacks, which a filter change must not (one request per interaction).
        ["all"] if state.get("source") == "all" else [], state["view"], lang if lang != asked_lang else no_update,
        resolved.search, state, resolved.note,
        drawn.figure, *(drawn.grid or (table_rows(rows, lang, publishers=publishers(snapshot),
                                                  names=region_names(snapshot, lang)), column_defs(lang))),
        # Components as their JSON (dashboard.plainjson): the whole response is then encoded by one orjson call.
        plain(kpi_cards(drawn.kpis)), plain(sources_panel(source_summary(rows if drawn.grid is None else rows.iloc[0:0]), lang)),
        plain(message),
        f"{len(rows)} {t('row' if len(rows) == 1 else 'rows', lang)}", plain(snapshot_line(snapshot, lang)),
        plain(drawn.coverage), state.get("axis") or "linear", state.get("transform") or "none",
        plain(cite_text(snapshot, state, drawn, resolved.search)), plain(get_data_panel(state, lang)),
    )


def first_view(warehouse: Warehouse, config: Config, search: str, lang: str) -> dict[tuple[str, str], object]:
    """The view of a page opened at ``search``, as (component id, property) → value for the layout.

    The layout then arrives with the chart, cards, table and filters filled in, so the first
    chart is drawn without waiting for a callback round trip after the page's scripts load.
    """
    values = (*[None] * len(CONTROLS), None, None, lang, 0, None, None)
    outputs = answer(warehouse, config, set(), None, search, values)
    return {key: value for key, value in zip(OUTPUTS, outputs, strict=True) if value is not no_update}


def register(app: Dash, warehouse: Warehouse, config: Config) -> None:
    # Not called when the page loads: the layout carries the first view (:func:`first_view`). When it
    # could not be drawn there, the URL component is left without ``search``, sets it on mount, and
    # that change calls this callback as before.
    @app.callback(
        *[Output(component, prop) for component, prop in OUTPUTS],
        Input(ids.STATE, "data"), Input(ids.URL, "search"),
        *[Input(c, "value") for c in CONTROLS],
        Input(ids.ALL_SOURCES, "value"), Input(ids.VIEW, "value"), Input(ids.LANG, "value"),
        Input(ids.REFRESH, "data"), Input(ids.AXIS, "value"), Input(ids.TRANSFORM, "value"),
        prevent_initial_call=True,
    )
    def update(stored, search, *values):
        triggered = {key.rsplit(".", 1)[0] for key in ctx.triggered_prop_ids}
        return answer(warehouse, config, triggered, stored, search, values)

    # The address bar shows the normalised link of the server-rendered first view (the URL component
    # only pushes a new address when a callback changes ``search``), without a reload or a request.
    app.clientside_callback(
        """
        function(search) {
            if (typeof search === "string" && search && window.location.search !== search) {
                window.history.replaceState(window.history.state, "", window.location.pathname + search + window.location.hash);
            }
            return dash_clientside.no_update;
        }
        """,
        Output(ids.URL_NOTE, "title"),
        Input(ids.URL, "search"),
    )
