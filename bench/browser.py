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
#: How Debian's Chromium is started here, by the browser tests (tests/browser/conftest.py) and the
#: bench alike: headless, no sandbox (root), and no background networking, whose connections this
#: machine's closed network refuses.
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
    #: From the page's request to the first callback POST (scripts, layout): the rest is the callback chain.
    first_post_ms: float | None = None
    uncompressed_large: list[str] = field(default_factory=list)  # ≥ 10 kB responses sent without Content-Encoding
    uncached_assets: list[str] = field(default_factory=list)  # scripts/styles without a max-age


def _watch_network(page) -> dict:
    """Count requests and the encoded bytes of every finished response via the DevTools protocol."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    seen: dict = {"bytes": 0, "requests": 0, "posts": 0, "responses": {}}

    def on_request(event: dict) -> None:
        seen["requests"] += 1
        seen.setdefault("first_ts", event["timestamp"])  # the page itself (DevTools' monotonic clock, s)
        if event["request"]["method"] == "POST" and "_dash-update-component" in event["request"]["url"]:
            seen["posts"] += 1
            seen.setdefault("first_post_ts", event["timestamp"])

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
        "first_callback_post_p50_ms": round(statistics.median(load.first_post_ms or 0 for load in loads), 1),
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
        first_post = (seen["first_post_ts"] - seen["first_ts"]) * 1000 if "first_post_ts" in seen else None
        return PageLoad(round(elapsed, 1), seen["bytes"], seen["requests"], posts_at_chart,
                        round(first_post, 1) if first_post is not None else None, uncompressed, uncached)
    finally:
        context.close()


#: Every drawing of the chart is noted (Plotly's ``plotly_afterplot``, in the page's clock).
#: Records when the next click happens, in the page's clock (capture phase: before any handler runs).
CLICK_CLOCK = """() => {
    window.__clickAt = null;
    document.addEventListener('mousedown', () => { window.__clickAt = performance.now(); }, {capture: true, once: true});
}"""

WATCH_PLOTS = """() => {
    const gd = document.querySelector('#CHART .js-plotly-plot');
    window.__plots = window.__plots || [];
    if (gd && !gd.__watched) { gd.on('plotly_afterplot', () => window.__plots.push(performance.now())); gd.__watched = true; }
    return !!gd;
}""".replace("CHART", ids.CHART)


def _server_ms(header: str) -> float:
    """The ``app`` span of a ``Server-Timing`` header (the whole request on the server), in ms."""
    match = re.search(r"(?:^|,\s*)app;dur=([\d.]+)", header or "")
    return float(match.group(1)) if match else 0.0


def region_changes(url: str, names: list[str], runs: int) -> dict[str, object]:
    """Pick another province in the region dropdown, ``runs`` times, in one page (as a user does).

    Each run toggles one province (added, then removed the next time it comes round), and is
    timed from the click on the province's option (mousedown, after its name was typed into the
    dropdown's search) until Plotly has redrawn the chart with the new rows (the row count
    changed and a ``plotly_afterplot`` came after the click). The server's part is the sum of
    the ``Server-Timing`` ``app`` spans of the callbacks the click caused.
    """
    from playwright.sync_api import sync_playwright

    redraw, server, posts = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            timings: list[float] = []
            page.on("response", lambda r: timings.append(_server_ms(r.headers.get("server-timing", "")))
                    if r.request.method == "POST" and "_dash-update-component" in r.url else None)
            page.goto(url)
            page.wait_for_function(CHART_DRAWN)
            page.wait_for_function(WATCH_PLOTS)
            page.wait_for_timeout(500)
            for i in range(runs + 2):
                name = names[(i // 2) % len(names)]  # even runs add it, odd runs remove it again
                before = page.locator(f"#{ids.ROW_COUNT}").text_content()
                page.locator(f"#{ids.REGION}").click()
                page.keyboard.type(name)  # the list of ~360 regions is searched, as a user would
                timings.clear()
                page.evaluate(CLICK_CLOCK)
                # The clock starts at the click that picks the region (the page's own timestamp of
                # the event), not while the user is still typing into the dropdown's search box.
                page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
                start = page.evaluate("window.__clickAt")
                page.wait_for_function(
                    f"([before, start]) => document.getElementById('{ids.ROW_COUNT}').textContent !== before"
                    " && (window.__plots || []).some(t => t > start)",
                    arg=[before, start],
                )
                page.wait_for_timeout(150)  # a late second drawing is counted too
                drawn = page.evaluate("Math.max(...window.__plots)")
                page.keyboard.press("Escape")
                page.wait_for_timeout(100)
                if i >= 2:  # the first two warm up
                    redraw.append(drawn - start)
                    server.append(sum(timings))
                    posts.append(len(timings))
        finally:
            browser.close()
    return {"redraw": _summary(redraw), "server_ms": _summary(server), "callback_posts": max(posts, default=0)}


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    if not ordered:
        return {}
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "min_ms": round(ordered[0], 1),
            "max_ms": round(ordered[-1], 1), "runs": len(ordered)}
