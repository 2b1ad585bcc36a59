"""The app factory: ``create_app(config)`` builds a Dash app; nothing is read at import time."""

from __future__ import annotations

from pathlib import Path

from dash import Dash

from dashboard import ids
from dashboard.api import register_api
from dashboard.cache import make_cache, register_metrics
from dashboard.callbacks import register_callbacks
from dashboard.compression import install_compression
from dashboard.config import Config
from dashboard.geo import register_geo_routes
from dashboard.guard import callback_failed, install_guard
from dashboard.layout import build_layout, page_lang
from dashboard.params import browser_rules
from dashboard.query import Warehouse
from dashboard.responsecache import install_response_cache
from dashboard.review import register_review, register_review_disabled
from dashboard.routes import register_routes
from dashboard.runs import register_run_status
from dashboard.security import add_security_headers
from dashboard.timing import install_request_timing

ASSETS = Path(__file__).parent / "assets"


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
    app.layout = lambda: build_layout(page_lang(config.default_lang), topojson_url,  # first paint in the URL's language
                                      review_link=config.allow_edit)
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
