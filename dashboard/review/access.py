"""Who may use the review page: it writes into ``data/raw/`` and publishes, so it is guarded.

* **Off by default.** The page exists only when the dashboard runs with ``--allow-edit``.
* **This machine only, unless a token is set.** Without a token every request to the page must
  name a loopback host (``127.0.0.1``, ``localhost``, ``[::1]``) in its ``Host`` header, so a
  web page elsewhere cannot reach it through DNS rebinding. With a token (required when the
  dashboard listens beyond loopback: ``python -m dashboard`` makes one and prints the address),
  the first visit carries ``?token=…``; the page then sets an HttpOnly, SameSite=Strict cookie and
  redirects to the address without it, and every later request must carry that cookie.
* **CSRF.** Every callback request of the page must carry an ``X-CSRFToken`` header equal to
  its ``_csrf_token`` cookie (set, SameSite=Strict, when the page loads): Dash's renderer sends
  it by itself, and a page of another site can neither read the cookie nor set the header.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request

from dashboard.guard import error_page

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
TOKEN_COOKIE = "review_token"
CSRF_COOKIE = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"


def host_name(host_header: str) -> str:
    """``127.0.0.1:8050`` → ``127.0.0.1``; ``[::1]:8050`` → ``[::1]``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def install_access(server: Flask, prefix: str, token: str | None) -> None:
    """The checks above on every request whose path starts with ``prefix`` (``/review/``)."""

    @server.before_request
    def _review_access() -> Response | None:
        if not (request.path == prefix.rstrip("/") or request.path.startswith(prefix)):
            return None
        if token is None:
            if host_name(request.host) not in LOOPBACK_HOSTS:
                return error_page(403, "The review page answers on this machine only (127.0.0.1).")
        elif not _same(request.cookies.get(TOKEN_COOKIE), token):
            given = request.args.get("token")
            if not _same(given, token):
                return error_page(
                    403, "The review page needs its access token: open the address the dashboard printed."
                )
            rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
            response = redirect(request.path + ("?" + urlencode(rest) if rest else ""), code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path=prefix)
            return response
        if request.method == "POST" and not _same(request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)):
            return error_page(403, "This request did not come from the review page (missing CSRF token).")
        return None

    @server.after_request
    def _csrf_cookie(response: Response) -> Response:
        if (
            request.path.startswith(prefix)
            and request.method == "GET"
            and response.mimetype == "text/html"
            and not request.cookies.get(CSRF_COOKIE)
        ):
            response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), httponly=False, samesite="Strict", path=prefix)
        return response
