"""What the dashboard's server refuses before Dash or a route sees it, and how it says no.

Every request from a browser is untrusted, the callback requests most of all: their JSON
carries the page's control values and stored state, and Dash passes them to the callbacks as
they come. This module sits in front of Dash's ``/_dash-update-component`` and of every route:

* **Bounds.** A body over :data:`MAX_BODY_BYTES` is refused with 413, a path and query string
  over :data:`MAX_URL_LENGTH` with a styled 414; both carry the security headers like any other
  response (:mod:`dashboard.security` runs after this).
* **Callback requests** must be JSON no deeper than :data:`MAX_JSON_DEPTH`, name a callback the
  app registered (else 404), and list exactly that callback's inputs and state (else 400). Each
  value with a rule (:data:`dashboard.params.STATE_RULES` and the control rules the app passes
  in) is checked: a value that breaks its rule is a **no-op with a visible message** — the page
  keeps what it shows and says why — never a 500.
* **Component suites** that Dash does not serve are 404 (Dash raises an exception for them).
* **A callback that raises anyway** (a bug, a query over its time limit) is caught by Dash's
  ``on_error`` hook (:func:`callback_failed`): the traceback goes to the server log, the page
  gets a short message in its language, and nothing else changes.
* **Error pages** say what happened in the user's terms, without exception texts or paths:
  JSON for the API and Dash's endpoints, a small bilingual HTML page otherwise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from html import escape

from dash import Dash, set_props
from dash.exceptions import DependencyException
from flask import Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from dashboard.params import LANGS, BrowserValueError
from dashboard.query import QueryTimeout

log = logging.getLogger(__name__)

#: Largest request body (callback requests are a few kB; the biggest the page sends is well under 100 kB).
MAX_BODY_BYTES = 1024 * 1024
#: Longest path plus query string. Links the page writes stay far below; gunicorn passes request
#: lines up to 8190 bytes (``dashboard.serve.LIMIT_REQUEST_LINE``), so a longer URL gets this styled
#: 414, and nginx (deploy/nginx) answers one over its 8 kB buffer with the same page.
MAX_URL_LENGTH = 8000
#: Deepest JSON nesting in a callback request (the page's deepest is a figure's data, about 10).
MAX_JSON_DEPTH = 48
#: Most inputs or state entries of one callback request, and changed ids listed in it.
MAX_CALLBACK_ITEMS = 256
DISPATCH_PATH = "/_dash-update-component"

Rule = Callable[[object], object]

TEXT = {
    "bad_value": {"en": "That request could not be applied ({detail}); the page was left as it was.",
                  "zh": "无法应用该请求（{detail}）；页面保持原样。"},
    "timeout": {"en": "This selection took too long to query and was stopped ({detail}). Try fewer regions or a shorter period.",
                "zh": "该选择的查询耗时过长，已停止（{detail}）。请减少地区或缩短时间范围。"},
    "failed": {"en": "This view could not be drawn because of an error on the server; it has been logged for the operator.",
               "zh": "服务器出错，无法显示此视图；错误已记录，供管理员查看。"},
}
PAGE_TEXT = {
    400: ("Bad request", "请求无效", "The request could not be understood."),
    403: ("Forbidden", "禁止访问", "This address is not open to this request."),
    404: ("Not found", "未找到", "There is nothing at this address."),
    405: ("Method not allowed", "不允许的请求方法", "This address does not accept that kind of request."),
    408: ("Request timeout", "请求超时", "The request took too long to arrive."),
    413: ("Request too large", "请求过大", f"Requests are limited to {MAX_BODY_BYTES // 1024} kB."),
    414: ("Address too long", "网址过长", f"Addresses are limited to {MAX_URL_LENGTH} characters; "
          "a link with that many filters cannot be opened. Choose fewer regions or codes."),
    500: ("Server error", "服务器错误", "Something went wrong on the server; it has been logged for the operator."),
    503: ("Unavailable", "暂不可用", "The server cannot answer right now; try again shortly."),
}


def _wants_json() -> bool:
    path = request.path
    return path.startswith(("/api/", "/_dash-", "/healthz")) or request.accept_mimetypes.best == "application/json"


def error_page(status: int, detail: str | None = None) -> Response:
    """A styled, bilingual error page (or JSON for machine endpoints) — no exception texts, no paths."""
    title_en, title_zh, text = PAGE_TEXT.get(status, PAGE_TEXT[500] if status >= 500 else PAGE_TEXT[400])
    if _wants_json():
        response = jsonify({"error": detail or text, "parameter": None, "status": status})
        response.status_code = status
        return response
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{status} {escape(title_en)} · Regional industry statistics</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body class="error-page"><main class="error-box">
<h1>{status} · {escape(title_en)} · {escape(title_zh)}</h1>
<p>{escape(detail or text)}</p>
<p><a href="/">Back to the dashboard · 返回首页</a></p>
</main></body></html>
"""
    return Response(body, status=status, mimetype="text/html")


def notice(lang: str | None, key: str, detail: str = "") -> str:
    """A message for the page, in ``lang`` (both languages when it is unknown)."""
    texts = TEXT[key]
    if lang in LANGS:
        return texts[lang].format(detail=detail)
    return " / ".join(texts[code].format(detail=detail) for code in LANGS)


def no_op(message_id: str, text: str) -> Response:
    """A callback response that changes no output and shows ``text`` in ``message_id``."""
    return jsonify({"multi": True, "response": {}, "sideUpdate": {message_id: {"children": text}}})


def json_depth_exceeds(value: object, limit: int) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _declared_outputs(key: str) -> list[tuple[str, str]] | None:
    """``..a.b...c.d..`` → [(a, b), (c, d)]; ``a.b`` → [(a, b)]; None for pattern-matching ids."""
    if "{" in key:
        return None
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    return [tuple(part.rsplit(".", 1)) for part in parts]  # type: ignore[misc]


def _items_match(given: object, declared: list[dict]) -> bool:
    if not isinstance(given, list) or len(given) != len(declared) or len(given) > MAX_CALLBACK_ITEMS:
        return False
    for item, spec in zip(given, declared, strict=True):
        if isinstance(spec.get("id"), dict):  # pattern-matching: Dash checks the shape itself
            if not isinstance(item, list | dict):
                return False
            continue
        if not isinstance(item, dict) or item.get("id") != spec["id"] or item.get("property") != spec["property"]:
            return False
    return True


def _outputs_match(given: object, key: str) -> bool:
    declared = _declared_outputs(key)
    if declared is None:
        return isinstance(given, list | dict)
    items = [given] if isinstance(given, dict) else given
    if not isinstance(items, list) or len(items) != len(declared):
        return False
    return all(isinstance(item, dict) and (item.get("id"), item.get("property")) == spec
               for item, spec in zip(items, declared, strict=True))


def _page_lang(items: list[dict], lang_ids: tuple[str, ...]) -> str | None:
    """The page's language, from the request's own values (a language control or the stored state)."""
    for item in items:
        value = item.get("value")
        if item.get("id") in lang_ids and value in LANGS:
            return value
        if isinstance(value, dict) and value.get("lang") in LANGS:
            return value["lang"]
    return None


def check_callback_request(app: Dash, rules: Mapping[tuple[str, str], Rule], message_id: str,
                           lang_ids: tuple[str, ...]) -> Response | None:
    """None when the callback request may go to Dash; otherwise the response that refuses it."""
    try:
        body = json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        return error_page(400, "a callback request must be a JSON object")
    if json_depth_exceeds(body, MAX_JSON_DEPTH):
        return error_page(400, f"the callback request is nested deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return error_page(400, "a callback request must be an object naming its output")
    callback = app.callback_map.get(body["output"])
    if callback is None:
        return error_page(404, "no such callback")
    inputs, state = body.get("inputs", []), body.get("state", [])
    changed = body.get("changedPropIds", [])
    if (not _items_match(inputs, callback["inputs"]) or not _items_match(state, callback.get("state", []))
            or not _outputs_match(body.get("outputs"), body["output"])
            or not isinstance(changed, list) or len(changed) > MAX_CALLBACK_ITEMS
            or not all(isinstance(c, str) and len(c) <= 200 for c in changed)):
        return error_page(400, "the callback request does not match the callback's inputs and outputs")
    items = [i for i in [*inputs, *state] if isinstance(i, dict)]
    lang = _page_lang(items, lang_ids)
    g.page_lang = lang
    for item in items:
        rule = rules.get((item.get("id"), item.get("property")))  # type: ignore[arg-type]
        if rule is None:
            continue
        try:
            rule(item.get("value"))
        except BrowserValueError as error:
            log.info("refused callback %s: %s.%s: %s", body["output"][:80], item.get("id"), item.get("property"), error)
            return no_op(message_id, notice(lang, "bad_value", f"{item['id']}: {error}"))
    return None


def callback_failed(message_id: str) -> Callable[[Exception], None]:
    """Dash's ``on_error`` hook: log the exception, show a message, leave every output as it is."""

    def handler(error: Exception) -> None:
        lang = g.get("page_lang")
        if isinstance(error, QueryTimeout):
            log.warning("callback stopped: %s", error)
            set_props(message_id, {"children": notice(lang, "timeout", f"{error.limit_s:g} s")})
        else:
            log.error("callback failed", exc_info=error)
            set_props(message_id, {"children": notice(lang, "failed")})
        return None

    return handler


def install_guard(app: Dash, rules: Mapping[tuple[str, str], Rule], *, message_id: str,
                  lang_ids: tuple[str, ...] = ()) -> None:
    """Bounds, callback-request checks and error pages on ``app``'s server (see the module docstring)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    all_rules = dict(rules)

    @server.before_request
    def _bounds() -> Response | None:
        environ = request.environ
        if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) > MAX_URL_LENGTH:
            raise RequestURITooLarge()
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            return error_page(413)
        if request.path == DISPATCH_PATH and request.method == "POST":
            return check_callback_request(app, all_rules, message_id, lang_ids)
        return None

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        if error.code is None or error.code < 400:
            return error  # type: ignore[return-value]
        response = error_page(error.code)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @server.errorhandler(DependencyException)
    def _unknown_suite(_error: DependencyException) -> Response:
        return error_page(404, "no such script or stylesheet")

    @server.errorhandler(QueryTimeout)
    def _query_timeout(error: QueryTimeout) -> Response:
        return error_page(503, str(error))

    @server.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.error("request failed: %s %s", request.method, request.path[:200], exc_info=error)
        return error_page(500)

