"""The page: filters on the left; KPI cards, view tabs, chart, table and sources on the right.

Texts are filled by callbacks in the chosen language; the structure here never changes and
every container has a fixed height, so nothing shifts while loading.
"""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import grid_options, t
from dashboard.runs import run_status_element
from dashboard.urlstate import VIEWS

#: The chart's modebar: PNG through Plotly's own "download as image" (offline, in the browser).
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "filename": "regional-industry-chart", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def graph_config(lang: str, topojson_url: str = "/assets/topojson/") -> dict:
    """The chart's config in ``lang``: Plotly's own texts (modebar, dates) from the locally served
    zh-CN locale (``assets/vendor``)."""
    return {**GRAPH_CONFIG, "topojsonURL": topojson_url, "locale": "zh-CN" if lang == "zh" else "en"}


def blank_figure() -> dict:
    """What the chart shows before its first render: nothing drawn, and transparent, so the
    skeleton behind it (``.chart-box``) shows until the first figure arrives."""
    return {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}, "height": 440,
                                   "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}}


def skeleton_cards(lang: str) -> list[html.Div]:
    """Grey placeholder cards shown until the first render fills the KPI row (never a blank panel)."""
    return [html.Div([html.Div(t("loading", lang), className="kpi-title"), html.Div(className="skeleton-bar"),
                      html.Div(className="skeleton-bar short")], className="kpi skeleton", **{"aria-busy": "true"})
            for _ in range(5)]


def _field(key: str, control: object, lang: str) -> html.Div:
    return html.Div(
        [html.Label(t(key, lang), id=ids.LABEL_PREFIX + key, className="field-label", htmlFor=_control_id(control)),
         control],
        className="field",
    )


def _control_id(control: object) -> str:
    return getattr(control, "id", "") if isinstance(getattr(control, "id", ""), str) else ""


def dropdown_labels(lang: str) -> dict:
    """Dash's own dropdown texts (search box, select all, "no options") in the page's language."""
    keys = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection", "no_options_found")
    return {key: t(f"dd_{key}", lang) for key in keys}


def _dropdown(component_id: str, lang: str, *, multi: bool = False, clearable: bool = False,
              placeholder: str = "…") -> dcc.Dropdown:
    # maxHeight: at least 8 options visible at 30 px each
    return dcc.Dropdown(id=component_id, multi=multi, clearable=clearable, placeholder=placeholder,
                        searchable=True, optionHeight=30, maxHeight=300, labels=dropdown_labels(lang))


def chart_controls(lang: str) -> html.Div:
    """Above the chart: linear/log axis, levels or a transformation, and the Cite / Get this data panels."""
    return html.Div(
        [
            html.Div([html.Span(t("axis", lang), className="control-label", id=ids.LABEL_PREFIX + "axis"),
                      dcc.RadioItems(id=ids.AXIS, options=axis_options(lang), value="linear", inline=True,
                                     className="axis-switch")], className="chart-control"),
            html.Div([html.Span(t("transform", lang), className="control-label", id=ids.LABEL_PREFIX + "transform"),
                      dcc.Dropdown(id=ids.TRANSFORM, options=transform_options(lang), value="none", clearable=False,
                                   searchable=False, className="transform-dropdown", labels=dropdown_labels(lang))],
                     className="chart-control"),
            html.Details([html.Summary(t("cite", lang), id=ids.CITE_LABEL), html.Div(id=ids.CITE, className="panel-text")],
                         className="chart-panel"),
            html.Details([html.Summary(t("get_data", lang), id=ids.GET_DATA_LABEL),
                          html.Div(id=ids.GET_DATA, className="panel-text")], className="chart-panel"),
        ],
        className="chart-controls",
    )


def axis_options(lang: str) -> list[dict]:
    return [{"label": t("axis_linear", lang), "value": "linear"}, {"label": t("axis_log", lang), "value": "log"}]


def transform_options(lang: str) -> list[dict]:
    return [{"label": t(f"transform_{k}", lang), "value": k} for k in ("none", "yoy", "index", "share")]


def filters_panel(lang: str) -> html.Aside:
    return html.Aside(
        [
            _field("within", _dropdown(ids.WITHIN, lang, clearable=False), lang),
            _field("region", _dropdown(ids.REGION, lang, multi=True, clearable=True, placeholder=t("all_regions_placeholder", lang)), lang),
            _field("indicator", _dropdown(ids.INDICATOR, lang), lang),
            _field("product", _dropdown(ids.PRODUCT, lang), lang),
            _field("industry", _dropdown(ids.INDUSTRY, lang), lang),
            _field("scope", _dropdown(ids.SCOPE, lang), lang),
            _field("measure", _dropdown(ids.MEASURE, lang), lang),
            _field("period_kind", _dropdown(ids.PERIOD_KIND, lang), lang),
            _field(
                "period_range",
                html.Div(
                    [_dropdown(ids.YEAR_FROM, lang, clearable=True, placeholder=t("from", lang)),
                     html.Span("–", className="range-dash"),
                     _dropdown(ids.YEAR_TO, lang, clearable=True, placeholder=t("to", lang))],
                    className="range",
                ),
                lang,
            ),
            _field("status_filter", dcc.Checklist(id=ids.STATUS, options=[], value=[], className="checklist"), lang),
            dcc.Checklist(id=ids.ALL_SOURCES, options=[{"label": t("all_sources", lang), "value": "all"}], value=[],
                          className="checklist"),
        ],
        className="filters",
        **{"aria-label": "filters"},
    )


def downloads_bar(lang: str) -> html.Div:
    return html.Div(
        [
            html.Span(id=ids.ROW_COUNT, className="row-count", role="status"),
            html.Div(
                [
                    html.Button(t("download_csv", lang), id=ids.DOWNLOAD_BUTTON, className="button"),
                    html.Button(t("download_meta", lang), id=ids.DOWNLOAD_META_BUTTON, className="button secondary"),
                    html.Button(t("download_png", lang), id=ids.PNG_BUTTON, className="button secondary"),
                    html.Button(t("download_svg", lang), id=ids.SVG_BUTTON, className="button secondary"),
                    html.A(t("snapshot_csv", lang), id=ids.SNAPSHOT_CSV, href="/download/snapshot.csv",
                           className="button link", download=""),
                    html.A(t("snapshot_parquet", lang), id=ids.SNAPSHOT_PARQUET, href="/download/snapshot.parquet",
                           className="button link", download=""),
                ],
                className="download-buttons", role="group", **{"aria-label": t("downloads", lang)},
            ),
        ],
        className="table-bar",
    )


def page_lang(default: str) -> str:
    """The language of the page being opened, from its URL (``?lang=zh``), so the first paint is in it.

    Dash fetches the layout with a separate request whose Referer is the page's own URL (the
    policy sends it for same-origin requests); outside a request, or without ``lang``, ``default``.
    """
    from urllib.parse import parse_qs, urlparse

    from flask import has_request_context, request

    if not has_request_context():
        return default
    for url in (request.url, request.referrer or ""):
        value = parse_qs(urlparse(url).query).get("lang", [""])[-1]
        if value in ("en", "zh"):
            return value
    return default


def page_address() -> tuple[str, str, str] | None:
    """(href, path, query string ``?…`` or ``""``) of the page whose layout is being fetched, from
    the layout request's Referer; None outside a request or without one (the page's URL is unknown)."""
    from urllib.parse import urlparse

    from flask import has_request_context, request

    if not has_request_context() or not request.referrer:
        return None
    url = urlparse(request.referrer)
    return request.referrer, url.path or "/", f"?{url.query}" if url.query else ""


def apply_props(layout: object, props: dict[tuple[str, str], object]) -> None:
    """Set ``props`` ((component id, property) → value) on the components of ``layout`` with those ids."""
    by_id: dict[str, object] = {}
    pending: list[object] = [layout]
    while pending:
        node = pending.pop()
        if isinstance(node, list | tuple):
            pending.extend(node)
            continue
        if not hasattr(node, "to_plotly_json"):
            continue
        component_id = getattr(node, "id", None)
        if isinstance(component_id, str):
            by_id[component_id] = node
        pending.append(getattr(node, "children", None))
    for (component_id, prop), value in props.items():
        if component_id in by_id:
            setattr(by_id[component_id], prop, value)


def build_layout(lang: str, topojson_url: str = "/assets/topojson/", *, review_link: bool = False) -> html.Div:
    """The page skeleton; options and values arrive from the callbacks.

    ``review_link``: a link to the review page (/review/, only where the app has one: ``--allow-edit``).

    ``topojson_url``: where Plotly's geo charts fetch their base topology. Plotly's default is
    a CDN; the app serves an empty one (the map draws its own boundaries), so it works offline.
    """
    grid = dag.AgGrid(
        id=ids.TABLE,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "floatingFilter": True},
        dashGridOptions=grid_options(lang),
        style={"height": "460px"},
        className="ag-theme-alpine",
    )
    tabs = dcc.Tabs(
        id=ids.VIEW, value="timeseries", className="view-tabs",
        children=[dcc.Tab(label=t(f"view_{v}", lang), value=v, id=f"tab-{v}", className="view-tab",
                          selected_className="view-tab--selected") for v in VIEWS],
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.STATE),
            dcc.Store(id=ids.PAGE_LANG, data=lang),  # the language the server painted the page in
            dcc.Store(id=ids.REFRESH, data=0),  # bumped to redraw the view with the same controls
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Download(id=ids.DOWNLOAD_META),
            html.Header(
                [
                    html.Div([html.H1(t("title", lang), id=ids.TITLE), html.P(t("subtitle", lang), id=ids.SUBTITLE)]),
                    html.Div(
                        [
                            html.Div(
                                dcc.RadioItems(id=ids.LANG, options=[{"label": "English", "value": "en"},
                                                                     {"label": "中文", "value": "zh"}],
                                               value=lang, inline=True, className="lang-switch"),
                                role="radiogroup", **{"aria-label": "Language / 语言"},
                            ),
                            html.Div(id=ids.SNAPSHOT, className="snapshot"),
                            *([html.A("录入数据 · Add figures", id="review-link", href=f"/review/?lang={lang}",
                                      className="snapshot review-link")] if review_link else []),
                        ],
                        className="header-right",
                    ),
                ],
                className="page-header",
            ),
            html.Div(id=ids.URL_NOTE, className="message url-note", role="alert"),
            run_status_element(),
            html.Main(
                [
                    filters_panel(lang),
                    html.Section(
                        [
                            html.Div(skeleton_cards(lang), id=ids.KPIS, className="kpis", **{"aria-live": "polite"}),
                            tabs,
                            html.Div(id=ids.MESSAGE, className="message", role="status"),
                            chart_controls(lang),
                            html.P(id=ids.COVERAGE, className="coverage", role="note"),
                            html.Div(
                                dcc.Loading(dcc.Graph(id=ids.CHART, figure=blank_figure(), config=graph_config(lang, topojson_url), style={"height": "440px"}),
                                            type="dot", delay_show=300),
                                className="chart-box", **{"data-loading": t("loading", lang)},
                            ),
                            downloads_bar(lang),
                            grid,
                            html.Section(id=ids.SOURCES, className="sources", **{"aria-label": t("sources_title", lang)}),
                        ],
                        className="content",
                    ),
                ],
                className="page-main",
            ),
        ],
        className="page",
    )
