"""The review page's layout: the release and its source on the left, the candidates on the right.

Pure builders (data → components): the texts come from :data:`dashboard.i18n.REVIEW_TEXT` in
the page's language, the grid's dropdowns from the reference tables (:class:`Choices`).
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.i18n import rt
from dashboard.review import ids

#: Longest release text the page takes (a long NBS release is about 8,000 characters).
MAX_TEXT_CHARS = 100_000
#: Largest file the upload takes (its base64 form must stay well inside the request limit).
MAX_UPLOAD_BYTES = 300_000
AUTHORITIES = ("official", "association", "company", "media")
#: Grid columns in the order shown; the file's own order is etl.extract.candidates.CANDIDATE_COLUMNS.
GRID_COLUMNS = (
    "review",
    "region",
    "industry",
    "indicator",
    "product",
    "period",
    "period_kind",
    "measure",
    "value",
    "unit",
    "qualifier",
    "status",
    "price_basis",
    "scope",
    "share_of",
    "note",
    "confidence",
    "excerpt",
)
WIDTHS = {"review": 120, "value": 100, "unit": 110, "excerpt": 420, "note": 200, "confidence": 100, "period": 140}


@dataclass(frozen=True)
class Choices:
    """The codes a grid column may take, from the reference tables (a dropdown in the cell)."""

    columns: dict[str, tuple[str, ...]]
    #: (code, name_zh, name_en) of the regions offered as the release's region.
    regions: tuple[tuple[str, str, str], ...]


def label(key: str, lang: str, tag: type = html.Span, **kwargs: object):
    """A translated text the language switch updates (``{"type": LABEL, "key": key}``)."""
    return tag(rt(key, lang), id={"type": ids.LABEL, "key": key}, **kwargs)


def region_options(choices: Choices, lang: str) -> list[dict[str, str]]:
    return [{"label": f"{zh if lang == 'zh' else en} · {code}", "value": code} for code, zh, en in choices.regions]


def authority_options(lang: str) -> list[dict[str, str]]:
    return [{"label": rt(f"authority_{a}", lang), "value": a} for a in AUTHORITIES]


def column_defs(lang: str, choices: Choices) -> list[dict]:
    """The grid's columns: every field editable, a dropdown where the reference has the codes."""
    defs: list[dict] = []
    for column in GRID_COLUMNS:
        spec: dict = {"field": column, "headerName": rt(f"col_{column}", lang), "width": WIDTHS.get(column, 130)}
        if column in ("excerpt", "confidence"):
            spec["editable"] = False
            if column == "excerpt":
                spec["tooltipField"] = "excerpt"
        else:
            spec["editable"] = True
            values = choices.columns.get(column)
            if values:
                spec["cellEditor"] = "agSelectCellEditor"
                spec["cellEditorParams"] = {"values": list(values)}
        if column == "review":
            spec["pinned"] = "left"
            spec["cellClassRules"] = {
                "review-accepted": "params.value == 'accepted'",
                "review-rejected": "params.value == 'rejected'",
            }
        defs.append(spec)
    return defs


def _field(key: str, control: object, lang: str) -> html.Div:
    return html.Div(
        [label(key, lang, html.Label, className="field-label", htmlFor=getattr(control, "id", "")), control],
        className="field",
    )


def source_form(lang: str, choices: Choices) -> html.Section:
    return html.Section(
        [
            label("source", lang, html.H2, className="panel-title"),
            _field(
                "title",
                dcc.Input(id=ids.TITLE, type="text", maxLength=300, debounce=True, className="text-input"),
                lang,
            ),
            _field(
                "publisher",
                dcc.Input(id=ids.PUBLISHER, type="text", maxLength=300, debounce=True, className="text-input"),
                lang,
            ),
            _field(
                "url",
                dcc.Input(id=ids.SOURCE_URL, type="url", maxLength=2000, debounce=True, className="text-input"),
                lang,
            ),
            _field(
                "date",
                dcc.Input(
                    id=ids.DATE,
                    type="text",
                    maxLength=10,
                    placeholder="YYYY-MM-DD",
                    debounce=True,
                    className="text-input",
                ),
                lang,
            ),
            _field(
                "region",
                dcc.Dropdown(
                    id=ids.REGION,
                    options=region_options(choices, lang),
                    clearable=True,
                    searchable=True,
                    placeholder=rt("region_placeholder", lang),
                ),
                lang,
            ),
            _field(
                "authority",
                dcc.Dropdown(
                    id=ids.AUTHORITY,
                    options=authority_options(lang),
                    value="official",
                    clearable=False,
                    searchable=False,
                ),
                lang,
            ),
            _field(
                "source_id",
                dcc.Input(id=ids.SOURCE_ID, type="text", maxLength=80, debounce=True, className="text-input"),
                lang,
            ),
        ],
        className="review-source",
    )


def release_panel(lang: str, choices: Choices) -> html.Aside:
    return html.Aside(
        [
            _field(
                "text",
                dcc.Textarea(
                    id=ids.TEXT,
                    maxLength=MAX_TEXT_CHARS,
                    placeholder=rt("text_placeholder", lang),
                    className="review-textarea",
                ),
                lang,
            ),
            dcc.Upload(
                id=ids.UPLOAD,
                children=label("upload", lang),
                accept=".txt,.html,.htm,text/plain,text/html",
                max_size=MAX_UPLOAD_BYTES,
                multiple=False,
                className="review-upload",
            ),
            source_form(lang, choices),
            html.Button(label("extract", lang), id=ids.EXTRACT, className="button review-extract"),
        ],
        className="filters review-panel",
    )


def candidates_panel(lang: str, choices: Choices) -> html.Section:
    grid = dag.AgGrid(
        id=ids.GRID,
        rowData=[],
        columnDefs=column_defs(lang, choices),
        defaultColDef={"resizable": True, "sortable": False, "wrapText": False},
        getRowId="params.data.row_id",
        dashGridOptions={
            "rowSelection": {"mode": "multiRow", "enableClickSelection": False},
            # The checkboxes stay beside the review column, whichever way the grid is scrolled.
            "selectionColumnDef": {"pinned": "left", "width": 48, "maxWidth": 48},
            "suppressColumnVirtualisation": True,
            "singleClickEdit": True,
            "stopEditingWhenCellsLoseFocus": True,
            "tooltipShowDelay": 300,
            "ensureDomOrder": True,
            "animateRows": False,
        },
        style={"height": "430px"},
        className="ag-theme-alpine",
    )
    buttons = html.Div(
        [
            html.Button(label("accept_selected", lang), id=ids.ACCEPT_SELECTED, className="button secondary"),
            html.Button(label("reject_selected", lang), id=ids.REJECT_SELECTED, className="button secondary"),
            html.Button(label("accept_all", lang), id=ids.ACCEPT_ALL, className="button secondary"),
            html.Button(label("reject_all", lang), id=ids.REJECT_ALL, className="button secondary"),
            html.Button(label("publish", lang), id=ids.PUBLISH, className="button review-publish"),
        ],
        className="download-buttons review-buttons",
        role="group",
    )
    return html.Section(
        [
            html.Div(
                [
                    label("candidates", lang, html.H2, className="panel-title"),
                    html.Span(id=ids.FOUND, className="row-count", role="status"),
                ],
                className="table-bar",
            ),
            html.Div(id=ids.MESSAGE, className="message", role="status"),
            grid,
            buttons,
            html.Div(id=ids.OUTCOME, className="review-outcome", role="status", **{"aria-live": "polite"}),
            html.Section(
                [
                    label("sentence", lang, html.H3, className="panel-title"),
                    html.P(rt("sentence_none", lang), id=ids.SENTENCE, className="review-sentence"),
                ],
                className="sources",
            ),
        ],
        className="content",
    )


def build_review_layout(lang: str, choices: Choices) -> html.Div:
    """The whole page; the callbacks fill the grid and switch the texts' language."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            html.Header(
                [
                    html.Div([label("page_title", lang, html.H1), label("intro", lang, html.P)]),
                    html.Div(
                        [
                            html.Div(
                                dcc.RadioItems(
                                    id=ids.LANG,
                                    options=[{"label": "English", "value": "en"}, {"label": "中文", "value": "zh"}],
                                    value=lang,
                                    inline=True,
                                    className="lang-switch",
                                ),
                                role="radiogroup",
                                **{"aria-label": "Language / 语言"},
                            ),
                            html.A(rt("back", lang), id=ids.BACK, href=f"/?lang={lang}", className="snapshot"),
                        ],
                        className="header-right",
                    ),
                ],
                className="page-header",
            ),
            html.Main(
                [release_panel(lang, choices), candidates_panel(lang, choices)], className="page-main review-main"
            ),
        ],
        className="page review-page",
    )
