"""Security headers on every response of the dashboard's server (pages, assets, API).

The Content-Security-Policy allows only this server's own scripts, plus:

* ``'unsafe-eval'`` — plotly.js compiles some functions at run time (``new Function``);
* the SHA-256 hashes of Dash's own inline scripts (``app.csp_hashes()``: the renderer
  bootstrap and any inline clientside callbacks) instead of ``'unsafe-inline'`` for scripts;
* ``style-src 'unsafe-inline'`` — React, plotly and AG Grid set inline styles;
* ``data:``/``blob:`` images — plotly's "download plot as PNG".

``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` forbid framing (clickjacking).
"""

from __future__ import annotations

from dash import Dash
from flask import Response

STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy text, given the hashes of the inline scripts Dash emits."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_security_headers(app: Dash) -> None:
    """Set the headers above on every response of ``app``'s Flask server.

    The policy is computed at the first response, once every callback (and so every inline
    clientside script) has been registered, and then reused.
    """
    policy: list[str] = []

    @app.server.after_request
    def _headers(response: Response) -> Response:
        if not policy:
            policy.append(content_security_policy(app.csp_hashes()))
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", policy[0])
        return response
