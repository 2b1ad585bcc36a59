"""Callbacks, one module per area: filters and URL state, the view, texts, downloads."""

from __future__ import annotations

from dash import Dash

from dashboard.callbacks import downloads, texts, view
from dashboard.config import Config
from dashboard.query import Warehouse


def register_callbacks(app: Dash, warehouse: Warehouse, config: Config) -> None:
    """Wire the page's controls to the warehouse."""
    view.register(app, warehouse, config)
    texts.register(app)
    downloads.register(app, warehouse)
