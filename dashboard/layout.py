"""The page: filters on the left, chart and table on the right. Texts are filled by callbacks
in the chosen language; the structure here never changes, so nothing shifts while loading."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import ids
from dashboard.i18n import t
from dashboard.runs import run_status_element


def _field(key: str, control: object, lang: str) -> html.Div:
    return html.Div(
        [html.Label(t(key, lang), id=ids.LABEL_PREFIX + key, className="field-label"), control],
        className="field",
    )


def build_layout(lang: str) -> html.Div:
    """The page skeleton; options and values arrive from the callbacks."""
    filters = html.Aside(
        [
            _field("region", dcc.Dropdown(id=ids.REGION, multi=True, placeholder="…", clearable=True), lang),
            _field("indicator", dcc.Dropdown(id=ids.SERIES, clearable=False), lang),
            _field("measure", dcc.Dropdown(id=ids.MEASURE, clearable=False), lang),
            _field("period_kind", dcc.Dropdown(id=ids.PERIOD_KIND, clearable=False), lang),
            _field(
                "period_range",
                html.Div(
                    [dcc.Dropdown(id=ids.YEAR_FROM, clearable=True, placeholder="from"),
                     html.Span("–", className="range-dash"),
                     dcc.Dropdown(id=ids.YEAR_TO, clearable=True, placeholder="to")],
                    className="range",
                ),
                lang,
            ),
            dcc.Checklist(id=ids.ALL_SOURCES, options=[{"label": t("all_sources", lang), "value": "all"}], value=[],
                          className="checklist"),
        ],
        className="filters",
        **{"aria-label": "filters"},
    )
    grid = dag.AgGrid(
        id=ids.TABLE,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"pagination": True, "paginationPageSize": 25, "enableCellTextSelection": True},
        style={"height": "460px"},
        className="ag-theme-alpine",
    )
    return html.Div(
        [
            dcc.Store(id="init", data=True),
            html.Header(
                [
                    html.Div([html.H1(t("title", lang), id=ids.TITLE), html.P(t("subtitle", lang), id=ids.SUBTITLE)]),
                    html.Div(
                        [
                            dcc.RadioItems(id=ids.LANG, options=[{"label": "English", "value": "en"}, {"label": "中文", "value": "zh"}],
                                           value=lang, inline=True, className="lang-switch"),
                            html.Div(id=ids.SNAPSHOT, className="snapshot"),
                        ],
                        className="header-right",
                    ),
                ],
                className="page-header",
            ),
            run_status_element(),
            html.Main(
                [
                    filters,
                    html.Section(
                        [
                            html.Div(id=ids.MESSAGE, className="message", role="status"),
                            dcc.Loading(dcc.Graph(id=ids.CHART, config={"displaylogo": False}, style={"height": "440px"}),
                                        type="dot", delay_show=300),
                            html.Div(
                                [html.Span(id=ids.ROW_COUNT, className="row-count"),
                                 html.Button(t("download_csv", lang), id=ids.DOWNLOAD_BUTTON, className="button")],
                                className="table-bar",
                            ),
                            grid,
                            dcc.Download(id=ids.DOWNLOAD),
                        ],
                        className="content",
                    ),
                ],
                className="page-main",
            ),
        ],
        className="page",
    )
