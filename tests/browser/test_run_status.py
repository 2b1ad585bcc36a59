"""The run-status line and failure banner, and the page under the Content-Security-Policy, in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import ids
from etl.history import append_run
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
#: Expectation timeout (ms): generous, for a loaded 2-core machine — not a speed requirement.
SLOW = 30_000


def warehouse_with_runs(default_warehouse: Path, target: Path, runs: list[dict]) -> Path:
    """A copy of the default warehouse (symlinks kept) with the given run history."""
    shutil.copytree(default_warehouse, target, symlinks=True, ignore=shutil.ignore_patterns("runs.jsonl", ".etl.lock"))
    for record in runs:
        append_run(target, record)
    return target


OK_RUN = {"started_at": "2026-01-05T06:00:00+00:00", "finished_at": "2026-01-05T06:00:02+00:00", "outcome": "ok",
          "snapshot_id": "S1", "errors": [], "error_count": 0}
FAILED_RUN = {"started_at": "2026-01-06T06:00:00+00:00", "finished_at": "2026-01-06T06:00:01+00:00",
              "outcome": "failed", "snapshot_id": None, "error_count": 2,
              "errors": ["auto-industry.figures.csv:17:value: 'abc' is not a number",
                         "auto-industry.figures.csv:18:period: cannot read '2023年13月'"]}


def open_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url)
    return context, page, violations


def test_failed_last_run_shows_a_banner_with_the_reason(browser, default_warehouse, tmp_path):
    warehouse = warehouse_with_runs(default_warehouse, tmp_path / "w", [OK_RUN, FAILED_RUN])
    with LiveServer(warehouse) as server:
        context, page, _ = open_page(browser, server.url)
        try:
            status = page.locator(f"#{ids.RUN_STATUS}")
            expect(status).to_contain_text("Last successful refresh: 2026-01-05 06:00:02 UTC", timeout=SLOW)
            banner = status.locator(".run-failed-banner")
            expect(banner).to_be_visible()
            expect(banner).to_contain_text("The last data refresh failed at 2026-01-06 06:00:01 UTC")
            expect(banner).to_contain_text("'abc' is not a number")
            # The language is switched once the page has settled (its first chart drawn): a click while the
            # initial filter callback is still in flight is overwritten by that callback's answer.
            expect(page.locator(f"#{ids.CHART} .gtitle")).to_be_attached(timeout=SLOW)
            page.locator(f"#{ids.LANG}").get_by_text("中文").click()
            expect(banner).to_contain_text("最近一次数据更新")
        finally:
            context.close()


def test_no_banner_after_a_successful_run(browser, default_warehouse, tmp_path):
    warehouse = warehouse_with_runs(default_warehouse, tmp_path / "w", [FAILED_RUN, OK_RUN])
    with LiveServer(warehouse) as server:
        context, page, _ = open_page(browser, server.url)
        try:
            expect(page.locator(f"#{ids.RUN_STATUS}")).to_contain_text("Last successful refresh: 2026-01-05", timeout=SLOW)
            expect(page.locator(".run-failed-banner")).to_have_count(0)
        finally:
            context.close()


def test_page_works_under_the_content_security_policy(browser, live_server):
    """The CSP header is on, and the chart, grid and dropdowns still render with no violation reported."""
    context, page, violations = open_page(browser, live_server.url)
    try:
        expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text("Production", timeout=SLOW)
        expect(page.locator(".ag-row").first).to_be_visible(timeout=SLOW)
        expect(page.locator(f"#{ids.RUN_STATUS}")).to_contain_text("Last successful refresh", timeout=SLOW)
        policy = page.evaluate("async () => (await fetch('/')).headers.get('content-security-policy')")
        assert "frame-ancestors 'none'" in policy
        assert violations == []
    finally:
        context.close()
