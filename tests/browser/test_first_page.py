"""The first page in a real headless Chromium: filters change the chart; the CSV matches the table."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from dashboard import ids

pytestmark = pytest.mark.browser


def choose(page, dropdown_id: str, option_text: str) -> None:
    """Dash 4's dropdown is a button that opens a list of role=option entries."""
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("option", name=re.compile(re.escape(option_text))).first.click()
    page.keyboard.press("Escape")


def row_count(page) -> int:
    text = page.locator(f"#{ids.ROW_COUNT}").text_content()
    return int(text.split()[0])


def test_page_loads_with_chart_table_and_bilingual_region_names(page, live_server):
    page.goto(live_server.url)
    expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text("Production")
    expect(page.locator(f"#{ids.REGION}")).to_contain_text("Guangdong 广东省")
    expect(page.locator(f"#{ids.SNAPSHOT}")).to_contain_text("Data snapshot")
    expect(page.locator(".ag-row").first).to_contain_text("Guangdong")


def test_changing_the_indicator_changes_the_chart_and_the_csv_matches_the_table(page, live_server, tmp_path):
    page.goto(live_server.url)
    title = page.locator(f"#{ids.CHART} .gtitle")
    expect(title).to_contain_text("Production")
    choose(page, ids.INDICATOR, "Value added")
    expect(title).to_contain_text("Value added")  # the industry list is value added's only after this
    choose(page, ids.INDUSTRY, "Automobile manufacturing")
    expect(title).to_contain_text("Value added · Automobile manufacturing")
    choose(page, ids.PERIOD_KIND, "Year to date")
    expect(title).to_contain_text("Year to date")
    expect(page.locator(".ag-row").first).to_contain_text("Guangdong")
    shown = row_count(page)
    assert shown > 0

    with page.expect_download() as download_info:
        page.locator(f"#{ids.DOWNLOAD_BUTTON}").click()
    path = tmp_path / "download.csv"
    download_info.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == shown
    assert {
        "region_code",
        "region_name_zh",
        "value",
        "unit",
        "status",
        "source_title",
        "source_url",
        "source_published_date",
    } <= set(rows[0])
    assert {r["indicator"] for r in rows} == {"value_added"}
    assert {r["period_kind"] for r in rows} == {"ytd"}
    seed = [r for r in rows if r["period_start"] == "2023-01-01" and r["period_end"] == "2023-07-31"]
    assert [r["value"] for r in seed] == ["145980000000"]
    assert seed[0]["region_name_zh"] == "广东省"
    assert seed[0]["source_published_date"] == "2023-08-25"


def test_adding_a_region_adds_its_lines_and_keeps_the_first_regions_colour(page, live_server):
    page.goto(live_server.url + "?period_kind=year")
    expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text("Production")
    lines = page.locator(f"#{ids.CHART} .scatterlayer .trace")
    expect(lines).to_have_count(1)
    colour = lines.first.locator("path.js-line").get_attribute("style")
    choose(page, ids.REGION, "Shanghai 上海市")
    expect(lines).to_have_count(2)
    expect(page.locator(f"#{ids.CHART} .legendtext")).to_have_text(["Guangdong", "Shanghai"])
    assert lines.first.locator("path.js-line").get_attribute("style") == colour
