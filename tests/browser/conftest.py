"""Real headless Chromium (Debian's package) driven by Playwright, against the app served
on 127.0.0.1 on a free port. Never downloads a browser."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from bench.browser import CHROMIUM_FLAGS  # how this machine's Chromium is started (one list for tests and bench)
from dashboard.app import create_app
from dashboard.config import Config


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("no Chromium found (apt-get install chromium) — browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, warehouse: Path):
        self.app = create_app(Config(warehouse=warehouse))
        self.server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(default_warehouse: Path) -> Iterator[LiveServer]:
    with LiveServer(default_warehouse) as server:
        yield server


@pytest.fixture
def page(browser, live_server: LiveServer, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    # Assertions retry for as long as actions wait: a shared 2-core machine can be slow.
    expect.set_options(timeout=20_000)
    yield page
    context.close()
