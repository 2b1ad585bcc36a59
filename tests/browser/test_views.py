"""Issue 10's "Done when", in a real headless Chromium: every test starts from the home page and
uses clicks (no typed URLs), as a new user would.

The answers come from the bundled real data: Guangdong made 2.7381 million vehicles in
Jan–Jul 2023, 17.8% of the national total (Qingyuan Municipal People's Government, 2023-08-25);
Qingyuan's target is an automotive industry chain of 100 billion yuan by 2025.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import ids

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)


def open_home(page, live_server) -> None:
    page.goto(live_server.url)
    expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text("Production")


def click_option(page, dropdown_id: str, name: str) -> None:
    """Two clicks: open Dash 4's dropdown, click the option."""
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    page.keyboard.press("Escape")


def chart_data(page) -> list[dict]:
    """The traces Plotly drew (x, y, name, meta), read from the graph div."""
    return page.evaluate(
        """() => (document.querySelector('#chart .js-plotly-plot').data || []).map(
               t => ({name: t.name, x: Array.from(t.x || []), meta: t.meta || null, mode: t.mode || '',
                      hover: Array.from(t.hovertext || [])}))"""
    )


def test_the_share_of_the_national_total_is_two_clicks_away_with_its_source(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.YEAR_TO, "2023-07")
    share = page.locator("#kpi-share_pct")
    expect(share.locator(".kpi-value")).to_have_text("17.8%")
    expect(share.locator(".kpi-title")).to_have_text("Share of the national total")
    expect(share.locator(".kpi-source")).to_have_text("Qingyuan Municipal People's Government · 2023-08-25")
    expect(share.locator(".kpi-detail")).to_have_text("Guangdong · Jan–Jul 2023")
    expect(page.locator("#kpi-level .kpi-value")).to_have_text("2.7381 million vehicles")
    expect(page.locator("#kpi-level .kpi-detail")).to_have_text("Guangdong · Jan–Jul 2023")


def test_year_to_date_is_drawn_as_one_line_per_year_and_the_cards_share_one_period(page, live_server):
    open_home(page, live_server)
    expect(page.locator(f"#{ids.CHART} .xtick text").first).to_have_text(re.compile("Jan"))
    traces = chart_data(page)
    assert len(traces) >= 3
    for trace in traces:
        # one trace = one region and one year, over the month the period ends in: no segment joins
        # Jan–Sep 2022 to Jan–Feb 2024, as the old chart did
        assert trace["meta"]["kind"] == "ytd" and trace["name"] == str(trace["meta"]["year"])
        assert all(1 <= x <= 12 for x in trace["x"])
        assert all(f"{trace['meta']['year']}" in h for h in trace["hover"])
    ticks = page.locator(f"#{ids.CHART} .xtick text").all_text_contents()
    assert "Jan–Feb" in ticks and "Jan–Jul" in ticks
    cards = page.locator(".kpi:not(.kpi-target) .kpi-detail")
    expect(cards).to_have_count(4)
    periods = {re.sub(r"^(Guangdong · |not published for )", "", text) for text in cards.all_text_contents()}
    assert periods == {"Jan–Feb 2025"}


def test_picking_qingyuan_lands_on_its_figures_and_its_target(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.REGION, "Qingyuan")
    expect(page).to_have_url(re.compile(r"region=440000%2C441800|region=440000,441800"))
    regions = page.locator(f"#{ids.TABLE} .ag-row [col-id=region]")
    expect(regions.first).to_have_text("Qingyuan")
    assert set(regions.all_text_contents()) == {"Qingyuan"}
    assert any("Qingyuan" in h for trace in chart_data(page) for h in trace["hover"])
    target = page.locator("#kpi-target")
    expect(target).to_contain_text("100 billion yuan by 2025")
    expect(target).to_contain_text("progress unknown: no level of this series is published")
    expect(page.locator(f"#{ids.INDICATOR}")).not_to_contain_text("Production")
