"""The review page ("Add figures" / "录入数据"): press release → candidates → reviewed → published.

A second Dash app on the dashboard's own Flask server, at ``/review/``, so it has its own layout,
callbacks and route and never touches the main page's. It exists only with ``--allow-edit``
(:attr:`dashboard.config.Config.allow_edit`). What it does, step by step:

1. The reviewer pastes a release (or loads a .txt/.html file) and gives what the text may not
   say: title, publisher, address, release date, region (:class:`etl.extract.Hints`).
2. :func:`etl.extract.extract` finds the candidates; the grid shows every field of each, the
   sentence it came from and a confidence. Every field can be edited (dropdowns of reference
   codes), rows accepted or rejected one by one, selected, or all at once; a click on a row shows
   its sentence with the number marked.
3. Publishing checks the rows with the ETL's own readers (a careless edit is refused with its
   row and column), writes ``data/raw/inbox/<source_id>.figures.csv`` and its sources row, runs
   the ETL refresh under its lock and shows the outcome, with links to the new figures in the
   chart (:mod:`.publish`).

Its callbacks go through the same guard as the main page's (:func:`dashboard.guard.check_callback_request`
with this page's rules), and the page through :mod:`.access` (loopback or token, CSRF).
"""

from __future__ import annotations

from pathlib import Path

from dash import Dash
from flask import Flask, Response, redirect, request

from dashboard.config import Config
from dashboard.guard import callback_failed, check_callback_request, error_page
from dashboard.params import BrowserValueError, check_choice, check_code, check_count, check_text
from dashboard.query import Warehouse
from dashboard.review import ids
from dashboard.review.access import install_access
from dashboard.review.callbacks import register_review_callbacks
from dashboard.review.context import ReviewContext
from dashboard.review.layout import AUTHORITIES, MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, build_review_layout
from dashboard.review.rows import MAX_ROWS

PREFIX = "/review/"
ASSETS = Path(__file__).resolve().parents[1] / "assets"


def _rows(value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_ROWS or not all(isinstance(r, dict) for r in value):
        raise BrowserValueError(f"not a list of at most {MAX_ROWS} rows")
    return value


def _optional_dict(value: object) -> object:
    if value is not None and not isinstance(value, dict):
        raise BrowserValueError("not an object")
    return value


def review_rules() -> dict[tuple[str, str], object]:
    """(component id, property) → rule for every value the page's callbacks take from the browser."""
    short = lambda limit: lambda v: check_text(v, max_length=limit)  # noqa: E731
    rules: dict[tuple[str, str], object] = {
        (ids.URL, "search"): check_text,
        (ids.LANG, "value"): lambda v: check_choice(v, ("en", "zh")),
        (ids.TEXT, "value"): short(MAX_TEXT_CHARS),
        (ids.UPLOAD, "contents"): short(MAX_UPLOAD_BYTES * 4 // 3 + 200),
        (ids.UPLOAD, "filename"): short(255),
        (ids.TITLE, "value"): short(300),
        (ids.PUBLISHER, "value"): short(300),
        (ids.SOURCE_URL, "value"): short(2000),
        (ids.DATE, "value"): short(10),
        (ids.SOURCE_ID, "value"): short(80),
        (ids.REGION, "value"): check_code,
        (ids.AUTHORITY, "value"): lambda v: check_choice(v, AUTHORITIES),
        (ids.GRID, "rowData"): _rows,
        (ids.GRID, "selectedRows"): _rows,
        (ids.GRID, "cellClicked"): _optional_dict,
    }
    for button in (ids.EXTRACT, ids.ACCEPT_SELECTED, ids.REJECT_SELECTED, ids.ACCEPT_ALL, ids.REJECT_ALL, ids.PUBLISH):
        rules[(button, "n_clicks")] = check_count
    return rules


def register_review_disabled(server: Flask) -> None:
    """Without ``--allow-edit``: ``/review/`` says how to turn the page on (instead of showing the dashboard)."""

    @server.route(PREFIX.rstrip("/"), defaults={"rest": ""})
    @server.route(PREFIX, defaults={"rest": ""})
    @server.route(PREFIX + "<path:rest>")
    def _review_off(rest: str) -> Response:
        return error_page(404, "The review page is off: start the dashboard with --allow-edit to add figures.")


def register_review(server: Flask, config: Config, warehouse: Warehouse) -> Dash:
    """Mount the review page on ``server`` at ``/review/`` (call only when ``config.allow_edit``)."""
    review = Dash(
        __name__,
        server=server,
        url_base_pathname=PREFIX,
        title="Add figures · Regional industry statistics",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=False,
        update_title=None,
        on_error=callback_failed(ids.MESSAGE),
    )
    context = ReviewContext(
        raw=Path(config.raw),
        reference_dir=Path(config.reference),
        warehouse=warehouse,
        warehouse_location=config.warehouse,
    )
    review.layout = lambda: build_review_layout(config.default_lang, context.choices())
    register_review_callbacks(review, context)
    install_access(server, PREFIX, config.edit_token)  # first: nobody else reaches the guard or the page
    rules = review_rules()
    dispatch = PREFIX + "_dash-update-component"

    @server.before_request
    def _guard_review_callbacks() -> Response | None:
        if request.path == dispatch and request.method == "POST":
            return check_callback_request(review, rules, ids.MESSAGE, (ids.LANG,))  # type: ignore[arg-type]
        return None

    @server.get(PREFIX.rstrip("/"))
    def _review_without_slash():
        return redirect(
            PREFIX + ("?" + request.query_string.decode("latin-1") if request.query_string else ""), code=308
        )

    return review
