"""What a browser sees: the first page (time to the first chart, bytes moved, requests, callbacks)
and a region change redrawn, measured in Debian's headless Chromium through Playwright.

Bytes are the encoded (on-the-wire) sizes Chromium reports through the DevTools protocol
(``Network.loadingFinished.encodedDataLength``: headers and body as transferred, compressed when
the server compressed), so "moved" means what a user's network carries, not the unpacked size.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

from dashboard import ids

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: The chart is drawn: Plotly has rendered an SVG with at least one trace, and the row count is shown.
CHART_DRAWN = (
    f"() => /\\d+ /.test(document.getElementById('{ids.ROW_COUNT}')?.textContent || '')"
    f" && document.querySelector('#{ids.CHART} .main-svg .trace, #{ids.CHART} .main-svg .choroplethlocation') !== null"
)


@dataclass
class PageLoad:
    """One first visit with an empty browser cache."""

    ms: float
    bytes_moved: int
    requests: int
    callback_posts: int
    uncompressed_large: list[str] = field(default_factory=list)  # ≥ 10 kB responses sent without Content-Encoding
    uncached_assets: list[str] = field(default_factory=list)  # scripts/styles without a max-age


def _watch_network(page) -> dict:
    """Count requests and the encoded bytes of every finished response via the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    seen: dict = {"bytes": 0, "requests": 0, "posts": 0, "responses": {}}

    def on_request(event: dict) -> None:
        seen["requests"] += 1
        if event["request"]["method"] == "POST" and "_dash-update-component" in event["request"]["url"]:
            seen["posts"] += 1

    def on_response(event: dict) -> None:
        seen["responses"][event["requestId"]] = (
            event["response"]["url"],
            {k.lower(): v for k, v in event["response"]["headers"].items()},
        )

    def on_finished(event: dict) -> None:
        seen["bytes"] += int(event.get("encodedDataLength") or 0)
        url, headers = seen["responses"].get(event["requestId"], ("", {}))
        seen.setdefault("sizes", {})[event["requestId"]] = (url, headers, int(event.get("encodedDataLength") or 0))

    session.on("Network.requestWillBeSent", on_request)
    session.on("Network.responseReceived", on_response)
    session.on("Network.loadingFinished", on_finished)
    return seen


def first_pages(url: str, runs: int) -> dict[str, object]:
    """``runs`` first visits (each with an empty cache): median time, bytes, requests and callbacks."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            loads = [_first_page_in(browser, url) for _ in range(runs)]
        finally:
            browser.close()
    times = [load.ms for load in loads]
    last = loads[-1]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "min_ms": min(times),
        "max_ms": max(times),
        "runs": len(times),
        "all_ms": times,
        "bytes_moved": last.bytes_moved,
        "requests": last.requests,
        "callback_posts_before_chart": last.callback_posts,
        "uncompressed_large": last.uncompressed_large,
        "assets_without_max_age": last.uncached_assets,
    }


def _first_page_in(browser, url: str) -> PageLoad:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        seen = _watch_network(page)
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(CHART_DRAWN, timeout=60_000)
        elapsed = (time.perf_counter() - start) * 1000
        posts_at_chart = seen["posts"]
        page.wait_for_timeout(300)
        uncompressed, uncached = [], []
        for response_url, headers, size in seen.get("sizes", {}).values():
            path = re.sub(r"^https?://[^/]+", "", response_url)
            if size >= 10_000 and "content-encoding" not in headers:
                uncompressed.append(f"{path} ({size:,} B)")
            if re.search(r"\.(js|css)(\?|$)", path) and "max-age" not in headers.get("cache-control", ""):
                uncached.append(path)
        return PageLoad(round(elapsed, 1), seen["bytes"], seen["requests"], posts_at_chart, uncompressed, uncached)
    finally:
        context.close()
