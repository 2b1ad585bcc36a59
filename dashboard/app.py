"""The app factory: ``create_app(config)`` builds a Dash app; nothing is read at import time."""

from __future__ import annotations

import logging
from pathlib import Path

from dash import Dash

from dashboard import ids
from dashboard.api import register_api
from dashboard.cache import make_cache, register_metrics
from dashboard.callbacks import register_callbacks
from dashboard.callbacks.view import first_view
from dashboard.compression import install_compression
from dashboard.config import Config
from dashboard.geo import register_geo_routes
from dashboard.guard import callback_failed, install_guard
from dashboard.layout import apply_props, build_layout, page_address, page_lang
from dashboard.params import browser_rules
from dashboard.query import Warehouse
from dashboard.responsecache import install_response_cache
from dashboard.review import register_review, register_review_disabled
from dashboard.routes import register_routes
from dashboard.runs import register_run_status
from dashboard.security import add_security_headers
from dashboard.timing import install_request_timing

ASSETS = Path(__file__).parent / "assets"
LOG = logging.getLogger(__name__)


def page_layout(warehouse: Warehouse, config: Config, topojson_url: str):
    """The page for the URL being opened: painted in its language, with its view drawn in.

    The first chart, cards, table and filters come inside the layout (one request after the
    scripts, no callback chain). Where the page's URL is unknown (no Referer) or the view
    cannot be drawn here, the skeleton goes out and the view callback draws it as before.
    """
    lang = page_lang(config.default_lang)
    layout = build_layout(lang, topojson_url, review_link=config.allow_edit)
    address = page_address()
    if address is None:
        return layout
    href, path, search = address
    try:
        props = first_view(warehouse, config, search, lang)
        # The URL component gets every part of the address, so that it does not set them itself on
        # mount (a change that would re-run the view callback, or a late ``href`` it would push).
        props.update({(ids.URL, "href"): href, (ids.URL, "pathname"): path, (ids.URL, "hash"): ""})
        apply_props(layout, props)
    except Exception:  # the callback path draws it (and shows the error) instead
        LOG.exception("the first view could not be drawn in the layout; the page draws it by callback")
        return build_layout(lang, topojson_url, review_link=config.allow_edit)
    return layout


def create_app(config: Config | None = None) -> Dash:
    """A Dash app over ``config.warehouse``; every asset is served locally (works offline)."""
    config = config or Config()
    app = Dash(
        __name__,
        title="Regional industry statistics",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=False,
        update_title=None,
        on_error=callback_failed(ids.MESSAGE),
    )
    cache = make_cache(app.server, config.redis_url, namespace=config.cache_namespace, timeout=config.cache_timeout_s)
    warehouse = Warehouse(config.warehouse, time_limit_s=config.query_time_limit_s, cache=cache)
    install_compression(app.server)  # its after_request hook runs after every other one (registered first)
    install_request_timing(app.server, warehouse.current_id)  # first: its clock starts before any check
    install_guard(app, browser_rules(), message_id=ids.MESSAGE, lang_ids=(ids.LANG,))
    topojson_url = app.get_asset_url("topojson/")
    app.layout = lambda: page_layout(warehouse, config, topojson_url)
    register_callbacks(app, warehouse, config)
    register_run_status(app, warehouse.store)
    register_metrics(app.server, cache, warehouse.current_id)
    register_api(app.server, warehouse)
    register_routes(app.server, warehouse)
    register_geo_routes(app.server)
    if config.allow_edit:
        register_review(app.server, config, warehouse)
    else:
        register_review_disabled(app.server)
    add_security_headers(app)  # it hashes every inline clientside script registered above
    # Last: its hook decides on the app's own answer, before the hooks above add to it.
    install_response_cache(app.server, cache, warehouse.current_id, config.response_cache_mb * 2**20)
    return app
