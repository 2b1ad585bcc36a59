"""The review page's callbacks: thin wiring of the page to :mod:`etl.extract` and :mod:`.publish`."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from urllib.parse import parse_qs

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.i18n import rt
from dashboard.review import ids
from dashboard.review.context import ReviewContext
from dashboard.review.layout import AUTHORITIES, MAX_TEXT_CHARS, authority_options, column_defs, region_options
from dashboard.review.publish import Outcome, SourceInfo, publish
from dashboard.review.rows import RowsError, grid_rows, rows_from_browser, set_review
from dashboard.urlstate import MEASURES, to_query
from etl.encoding import decode_bytes
from etl.extract import Hints, extract

LANGS = ("en", "zh")


def _lang(value: object) -> str:
    return value if value in LANGS else "en"


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def highlighted(excerpt: str, start: int, end: int) -> list:
    """The sentence with the figure's number marked (the whole sentence when the span is unknown)."""
    if not (0 <= start < end <= len(excerpt)):
        return [excerpt]
    return [excerpt[:start], html.Mark(excerpt[start:end], className="review-number"), excerpt[end:]]


def chart_links(context: ReviewContext, source_id: str, lang: str) -> list:
    """Links to the chart, one per published series of ``source_id`` (every source shown)."""
    snapshot = context.warehouse.snapshot()
    series = snapshot.sql(
        "SELECT DISTINCT region_code, industry_code, indicator, product, measure, period_kind, scope "
        "FROM observations WHERE source_id = ? AND status <> 'derived' ORDER BY indicator, measure, region_code",
        [source_id],
    )
    items = []
    for row in series.itertuples(index=False):
        state = {
            "lang": lang,
            "region": [row.region_code],
            "indicator": row.indicator,
            "product": row.product or "",
            "industry": row.industry_code or None,
            "scope": row.scope or None,
            "measure": row.measure if row.measure in MEASURES else None,
            "period_kind": row.period_kind,
            "source": "all",
        }
        text = " · ".join(p for p in (row.region_code, row.industry_code, row.indicator, row.product, row.measure) if p)
        items.append(
            html.Li(
                html.A(f"{rt('see_chart', lang)}: {text}", href="/" + to_query(state), className="review-chart-link")
            )
        )
    return [html.Ul(items, className="source-list")] if items else []


def outcome_view(outcome: Outcome, context: ReviewContext, source_id: str, lang: str) -> list:
    if outcome.status in ("refused", "failed"):
        return [
            html.P(rt(outcome.status, lang), className="review-error-title"),
            html.Ul([html.Li(line) for line in outcome.problems], className="review-errors"),
        ]
    key = "published" if outcome.status == "published" else "unchanged"
    head = html.P(
        rt(key, lang, count=outcome.accepted, snapshot=outcome.snapshot_id or "?", file=outcome.figures_file),
        className="review-ok",
    )
    return [head, *chart_links(context, source_id, lang)]


def register_review_callbacks(app: Dash, context: ReviewContext) -> None:
    """Wire the page: language, upload, extraction, review decisions, the sentence, publishing."""

    @app.callback(Output(ids.LANG, "value"), Input(ids.URL, "search"))
    def lang_from_url(search):
        values = parse_qs((search or "").lstrip("?")).get("lang")
        if not values or values[-1] not in LANGS:
            raise PreventUpdate
        return values[-1]

    @app.callback(
        Output({"type": ids.LABEL, "key": ALL}, "children"),
        Output(ids.GRID, "columnDefs"),
        Output(ids.REGION, "options"),
        Output(ids.REGION, "placeholder"),
        Output(ids.AUTHORITY, "options"),
        Output(ids.TEXT, "placeholder"),
        Output(ids.BACK, "children"),
        Output(ids.BACK, "href"),
        Input(ids.LANG, "value"),
    )
    def texts(lang):
        lang = _lang(lang)
        choices = context.choices()
        labels = [rt(item["id"]["key"], lang) for item in ctx.outputs_list[0]]
        return (
            labels,
            column_defs(lang, choices),
            region_options(choices, lang),
            rt("region_placeholder", lang),
            authority_options(lang),
            rt("text_placeholder", lang),
            rt("back", lang),
            f"/?lang={lang}",
        )

    @app.callback(
        Output(ids.TEXT, "value"),
        Output(ids.MESSAGE, "children", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def load_file(contents, filename, lang):
        lang = _lang(lang)
        if not isinstance(contents, str) or "," not in contents:
            raise PreventUpdate
        try:
            data = base64.b64decode(contents.split(",", 1)[1], validate=True)
            text, _encoding = decode_bytes(data)
        except (binascii.Error, ValueError) as error:
            return no_update, rt("bad_file", lang, reason=f"{filename or ''}: {error}"[:300])
        if len(text) > MAX_TEXT_CHARS:
            return no_update, rt("too_long", lang, limit=MAX_TEXT_CHARS)
        return text, ""

    @app.callback(
        Output(ids.GRID, "rowData"),
        Output(ids.FOUND, "children"),
        Output(ids.TITLE, "value"),
        Output(ids.PUBLISHER, "value"),
        Output(ids.DATE, "value"),
        Output(ids.SOURCE_URL, "value"),
        Output(ids.SOURCE_ID, "value"),
        Output(ids.MESSAGE, "children"),
        Output(ids.OUTCOME, "children"),
        Input(ids.EXTRACT, "n_clicks"),
        State(ids.TEXT, "value"),
        State(ids.TITLE, "value"),
        State(ids.PUBLISHER, "value"),
        State(ids.SOURCE_URL, "value"),
        State(ids.DATE, "value"),
        State(ids.REGION, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def find_figures(_clicks, text, title, publisher, url, when, region, lang):
        lang = _lang(lang)
        text = text if isinstance(text, str) else ""
        unchanged = (no_update,) * 7
        if not text.strip():
            return *unchanged, rt("empty_text", lang), no_update
        if len(text) > MAX_TEXT_CHARS:
            return *unchanged, rt("too_long", lang, limit=MAX_TEXT_CHARS), no_update
        released = None
        if _text(when):
            try:
                released = date.fromisoformat(_text(when))
            except ValueError:
                return *unchanged, rt("bad_hint", lang, reason=rt("date", lang) + ": YYYY-MM-DD"), no_update
        reference, lexicon = context.reference()
        if region and region not in set(reference.regions["code"]):
            return *unchanged, rt("bad_hint", lang, reason=f"{rt('region', lang)}: {region}"), no_update
        hints = Hints(
            date=released, region=region or "", source_url=_text(url), title=_text(title), publisher=_text(publisher)
        )
        result = extract(text, reference, hints, lexicon=lexicon)
        setting, source_id = result.setting, result.source_id
        found = (
            rt("found", lang, count=len(result.candidates), skipped=len(result.skipped))
            if result.candidates
            else rt("found_none", lang)
        )
        return (
            grid_rows(result.candidates),
            found,
            _text(title) or setting.title,
            _text(publisher) or setting.publisher,
            _text(when) or (setting.published.isoformat() if setting.published else ""),
            _text(url) or setting.url,
            source_id,
            "",
            [],
        )

    @app.callback(
        Output(ids.GRID, "rowData", allow_duplicate=True),
        Input(ids.ACCEPT_SELECTED, "n_clicks"),
        Input(ids.REJECT_SELECTED, "n_clicks"),
        Input(ids.ACCEPT_ALL, "n_clicks"),
        Input(ids.REJECT_ALL, "n_clicks"),
        State(ids.GRID, "rowData"),
        State(ids.GRID, "selectedRows"),
        prevent_initial_call=True,
    )
    def decide(_a, _b, _c, _d, data, selected):
        if not isinstance(data, list) or not data:
            raise PreventUpdate
        button = ctx.triggered_id
        decision = "accepted" if button in (ids.ACCEPT_SELECTED, ids.ACCEPT_ALL) else "rejected"
        if button in (ids.ACCEPT_ALL, ids.REJECT_ALL):
            return set_review(data, None, decision)
        chosen = {row.get("row_id") for row in selected or [] if isinstance(row, dict)}
        if not chosen:
            raise PreventUpdate
        return set_review(data, chosen, decision)

    @app.callback(
        Output(ids.SENTENCE, "children"),
        Input(ids.GRID, "cellClicked"),
        State(ids.GRID, "rowData"),
        prevent_initial_call=True,
    )
    def sentence(clicked, data):
        if not isinstance(clicked, dict) or not isinstance(data, list):
            raise PreventUpdate
        row_id = str(clicked.get("rowId"))
        row = next((r for r in data if isinstance(r, dict) and str(r.get("row_id")) == row_id), None)
        if row is None:
            raise PreventUpdate
        excerpt = str(row.get("excerpt") or "")
        try:
            start, end = int(row.get("start") or 0), int(row.get("end") or 0)
        except (TypeError, ValueError):
            start = end = 0
        return highlighted(excerpt, start, end)

    @app.callback(
        Output(ids.OUTCOME, "children", allow_duplicate=True),
        Input(ids.PUBLISH, "n_clicks"),
        State(ids.GRID, "rowData"),
        State(ids.TITLE, "value"),
        State(ids.PUBLISHER, "value"),
        State(ids.SOURCE_URL, "value"),
        State(ids.DATE, "value"),
        State(ids.AUTHORITY, "value"),
        State(ids.SOURCE_ID, "value"),
        State(ids.LANG, "value"),
        prevent_initial_call=True,
    )
    def publish_reviewed(_clicks, data, title, publisher, url, when, authority, source_id, lang):
        lang = _lang(lang)
        info = SourceInfo(
            source_id=_text(source_id),
            title=_text(title),
            publisher=_text(publisher),
            url=_text(url),
            published_date=_text(when),
            authority=authority if authority in AUTHORITIES else "",
        )
        try:
            rows = rows_from_browser(data, info.source_id)
        except RowsError as error:
            return outcome_view(Outcome("refused", [str(error)]), context, info.source_id, lang)
        outcome = publish(
            rows, info, raw=context.raw, warehouse=context.warehouse_location, reference=context.reference_dir
        )
        return outcome_view(outcome, context, info.source_id, lang)
