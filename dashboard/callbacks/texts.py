"""Every fixed text of the page in the chosen language (labels, tabs, buttons)."""

from __future__ import annotations

from dash import Dash, Input, Output, State

from dashboard import ids
from dashboard.i18n import grid_options, t
from dashboard.layout import axis_options, dropdown_labels, graph_config, transform_options
from dashboard.urlstate import VIEWS

LABELS = ("within", "region", "indicator", "product", "industry", "scope", "measure", "period_kind", "period_range",
          "status_filter")
DROPDOWNS = (ids.WITHIN, ids.REGION, ids.INDICATOR, ids.PRODUCT, ids.INDUSTRY, ids.SCOPE, ids.MEASURE, ids.PERIOD_KIND,
             ids.YEAR_FROM, ids.YEAR_TO, ids.TRANSFORM)
BUTTONS = ((ids.DOWNLOAD_BUTTON, "download_csv"), (ids.DOWNLOAD_META_BUTTON, "download_meta"),
           (ids.PNG_BUTTON, "download_png"), (ids.SVG_BUTTON, "download_svg"),
           (ids.SNAPSHOT_CSV, "snapshot_csv"), (ids.SNAPSHOT_PARQUET, "snapshot_parquet"))


def register(app: Dash) -> None:
    topojson = app.get_asset_url("topojson/")  # as the layout has it (no value from the browser)

    @app.callback(
        Output(ids.TITLE, "children"), Output(ids.SUBTITLE, "children"), Output(ids.ALL_SOURCES, "options"),
        *[Output(ids.LABEL_PREFIX + key, "children") for key in LABELS],
        *[Output(f"tab-{v}", "label") for v in VIEWS],
        *[Output(component, "children") for component, _ in BUTTONS],
        Output(ids.YEAR_FROM, "placeholder"), Output(ids.YEAR_TO, "placeholder"), Output(ids.REGION, "placeholder"),
        *[Output(component, "labels") for component in DROPDOWNS],
        Output(ids.TABLE, "dashGridOptions"), Output(ids.CHART, "config"),
        Output(ids.AXIS, "options"), Output(ids.TRANSFORM, "options"), Output(ids.CITE_LABEL, "children"),
        Output(ids.GET_DATA_LABEL, "children"), Output(ids.LABEL_PREFIX + "axis", "children"),
        Output(ids.LABEL_PREFIX + "transform", "children"),
        Input(ids.LANG, "value"),
    )
    def translate(lang: str):
        lang = lang if lang in ("en", "zh") else "en"
        return (
            t("title", lang), t("subtitle", lang), [{"label": t("all_sources", lang), "value": "all"}],
            *[t(key, lang) for key in LABELS],
            *[t(f"view_{v}", lang) for v in VIEWS],
            *[t(key, lang) for _, key in BUTTONS],
            t("from", lang), t("to", lang), t("all_regions_placeholder", lang),
            *[dropdown_labels(lang) for _ in DROPDOWNS],
            grid_options(lang), graph_config(lang, topojson),
            axis_options(lang), transform_options(lang), t("cite", lang), t("get_data", lang), t("axis", lang),
            t("transform", lang),
        )

    app.clientside_callback(
        """
        function(lang, built) {
            // The grid's and Plotly's locales are fixed when they are created: a new language
            // opens the page again in it (the server paints it in the URL's language).
            if (!lang || !built || lang === built) { return dash_clientside.no_update; }
            const params = new URLSearchParams(window.location.search);
            if (params.get("lang") === lang && sessionStorage.getItem("lang-reloaded") === lang) {
                return dash_clientside.no_update;  // the server could not paint it: never loop
            }
            params.set("lang", lang);
            sessionStorage.setItem("lang-reloaded", lang);
            window.location.search = "?" + params.toString();
            return dash_clientside.no_update;
        }
        """,
        Output(ids.SUBTITLE, "title"),  # a real prop (a Store has no title: Dash logged an error on every load)
        Input(ids.LANG, "value"), State(ids.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        """
        function(png, svg) {
            const trigger = (dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
            const plot = document.querySelector("#chart .js-plotly-plot");
            if (plot && window.Plotly && trigger) {
                const format = trigger.startsWith("download-svg") ? "svg" : "png";
                window.Plotly.downloadImage(plot, {format: format, filename: "regional-industry-chart",
                                                   width: 1200, height: 600, scale: format === "png" ? 2 : 1});
            }
            return dash_clientside.no_update;
        }
        """,
        Output(ids.PNG_BUTTON, "title"),
        Input(ids.PNG_BUTTON, "n_clicks"), Input(ids.SVG_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )
