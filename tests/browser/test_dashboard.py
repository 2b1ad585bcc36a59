"""The full dashboard in a real headless Chromium: filters, views, map, shared links, language,
downloads, invalid links and a snapshot published while the page is open."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from dashboard import ids
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser
#: The machine is shared; the first render (Plotly, the grid, a cold DuckDB) can take a few seconds.
expect.set_options(timeout=30_000)

SHARE_QUESTION = ("?view=ranking&region=440000&indicator=production&product=automobiles&industry=C36"
                  "&measure=share_pct&period_kind=ytd&to=2023-07")


def choose(page, dropdown_id: str, option_text: str, *, exact: bool = False) -> None:
    """Dash 4's dropdown is a button that opens a list of role=option entries."""
    page.locator(f"#{dropdown_id}").click()
    name = option_text if exact else re.compile(re.escape(option_text))
    page.get_by_role("option", name=name, exact=exact).first.click()
    page.keyboard.press("Escape")


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query, keep_blank_values=True).items()}


def title(page):
    return page.locator(f"#{ids.CHART} .gtitle")


def row_count(page) -> int:
    return int(page.locator(f"#{ids.ROW_COUNT}").text_content().split()[0])


def test_each_filter_changes_the_chart_and_the_url(page, live_server):
    page.goto(live_server.url)
    expect(title(page)).to_contain_text("Production · automobiles")
    expect(page).to_have_url(re.compile(r"region=440000"))

    choose(page, ids.PRODUCT, "new-energy vehicles")
    expect(title(page)).to_contain_text("new-energy vehicles")
    assert query(page)["product"] == "nev"

    choose(page, ids.MEASURE, "Growth")
    expect(title(page)).to_contain_text("Growth, year on year")
    choose(page, ids.PERIOD_KIND, "Year", exact=True)
    expect(page).to_have_url(re.compile(r"period_kind=year(&|$)"))
    expect(title(page)).to_have_text(re.compile(r", Year — Growth, year on year \(%\)$"))
    assert query(page)["measure"] == "yoy_pct"

    choose(page, ids.MEASURE, "Level", exact=True)
    expect(title(page)).to_contain_text("Level")
    before = row_count(page)
    choose(page, ids.YEAR_TO, "2022-12")
    expect(page).to_have_url(re.compile(r"to=2022-12"))
    expect(page.locator(f"#{ids.ROW_COUNT}")).not_to_have_text(f"{before} rows")
    periods = page.locator(f"#{ids.TABLE} .ag-row [col-id=period]").all_text_contents()
    assert periods and all(int(p[-4:]) <= 2022 for p in periods)

    page.get_by_label("reported").check()
    expect(page).to_have_url(re.compile(r"status=reported"))


def test_the_province_picker_scopes_the_city_list(page, live_server):
    page.goto(live_server.url)
    expect(title(page)).to_contain_text("Production")
    choose(page, ids.WITHIN, "Guangdong 广东省")
    page.locator(f"#{ids.REGION}").click()
    expect(page.get_by_role("option", name=re.compile("Qingyuan 清远市"))).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Shanghai"))).to_have_count(0)
    page.keyboard.press("Escape")


def test_switching_views_keeps_the_selection(page, live_server):
    page.goto(live_server.url + "?measure=level&period_kind=year&region=440000,310000")
    expect(page.locator(f"#{ids.CHART} .scatterlayer .trace")).to_have_count(2)
    page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
    expect(page).to_have_url(re.compile(r"view=ranking"))
    expect(title(page)).to_contain_text(", 2024 — Level — provinces of China")
    expect(page.locator(f"#{ids.CHART} .barlayer .point").first).to_be_visible()
    page.locator(".view-tabs").get_by_text("Share of parent", exact=True).click()
    expect(title(page)).to_contain_text("Share of the national total (%)")
    page.locator(".view-tabs").get_by_text("Map", exact=True).click()
    expect(page.locator(f"#{ids.CHART} .choroplethlocation").first).to_be_attached()
    assert query(page)["region"] == "440000,310000"


def test_the_map_draws_real_boundaries(page, live_server):
    page.goto(live_server.url + "?view=map&measure=level&period_kind=year")
    locations = page.locator(f"#{ids.CHART} path.choroplethlocation")
    expect(locations.first).to_be_attached()
    assert locations.count() == 34  # every province once: coloured by its figure, or in the no-data pattern
    assert len(locations.first.get_attribute("d")) > 50  # a real outline, not a tile
    page.goto(live_server.url + "?view=map&within=440000&measure=level&period_kind=year")
    expect(title(page)).to_contain_text("2024")
    expect(locations.first).to_be_attached()
    assert 21 <= locations.count() < 34  # Guangdong's 21 cities


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_shared_link_answers_the_share_question(page, live_server, lang):
    page.goto(live_server.url + SHARE_QUESTION + f"&lang={lang}")
    heading = {"zh": "汽车制造业，2023年1-7月 — 占全国比重 (%) — 全国各省份",
               "en": "Automobile manufacturing, Jan–Jul 2023 — Share of the national total (%) — provinces of China"}[lang]
    expect(title(page)).to_contain_text(heading)
    expect(page.locator(f"#{ids.CHART} .barlayer text").first).to_have_text("17.8")
    expect(page.locator("#kpi-share_pct .kpi-value")).to_have_text("17.8%")
    expect(page.locator(f"#{ids.TITLE}")).to_have_text({"zh": "区域产业统计", "en": "Regional industry statistics"}[lang])
    expect(page.locator(f"#{ids.SOURCES} li").first).to_contain_text("Qingyuan" if lang == "en" else "")
    expect(page.locator(f"#{ids.SOURCES}")).to_contain_text("2023-08-25")
    assert query(page)["lang"] == lang and query(page)["to"] == "2023-07"
    assert page.locator(f"#{ids.URL_NOTE}").text_content() == ""


def test_the_language_switch_translates_labels_names_and_numbers(page, live_server):
    page.goto(live_server.url)
    expect(page.locator(f"#{ids.REGION}")).to_contain_text("Guangdong 广东省")
    page.get_by_text("中文", exact=True).click()
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("区域产业统计")
    expect(page.locator(f"#{ids.REGION}")).to_contain_text("广东省 Guangdong")
    expect(page.locator(".view-tabs").get_by_text("时间序列", exact=True)).to_be_visible()
    expect(title(page)).to_contain_text("产量")
    expect(page.locator("#kpi-level .kpi-value")).to_contain_text("万辆")
    expect(page).to_have_url(re.compile(r"lang=zh"))
    page.get_by_text("English", exact=True).click()
    expect(page.locator("#kpi-level .kpi-value")).to_contain_text("vehicles")


def test_the_csv_download_is_the_table_and_the_sidecar_describes_it(page, live_server, tmp_path):
    page.goto(live_server.url + "?view=ranking&measure=level&period_kind=year")
    expect(title(page)).to_contain_text("provinces of China")
    shown = row_count(page)
    assert shown > 1
    names = set(page.locator(f"#{ids.TABLE} .ag-row [col-id=region]").all_text_contents())

    with page.expect_download() as info:
        page.locator(f"#{ids.DOWNLOAD_BUTTON}").click()
    raw = info.value.path().read_bytes() if info.value.path() else b""
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == shown
    assert {r["region_name_en"] for r in rows} == names
    assert len({(r["period_start"], r["period_end"]) for r in rows}) == 1
    assert all(r["source_id"] for r in rows)

    with page.expect_download() as info:
        page.locator(f"#{ids.DOWNLOAD_META_BUTTON}").click()
    meta = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert meta["rows"] == shown
    assert meta["snapshot_id"] in page.locator(f"#{ids.SNAPSHOT}").text_content()
    assert meta["filters"]["measure"] == "level" and meta["units"] == ["vehicles"]
    assert meta["query"] == "?" + urlparse(page.url).query


def test_chart_images_download_offline(page, live_server):
    page.goto(live_server.url)
    expect(title(page)).to_contain_text("Production")
    with page.expect_download() as info:
        page.locator(f"#{ids.SVG_BUTTON}").click()
    assert info.value.suggested_filename.endswith(".svg")
    assert b"<svg" in Path(info.value.path()).read_bytes()[:500]
    with page.expect_download() as info:
        page.locator(f"#{ids.PNG_BUTTON}").click()
    assert Path(info.value.path()).read_bytes()[:4] == b"\x89PNG"


def test_an_invalid_link_parameter_is_ignored_with_a_note(page, live_server):
    page.goto(live_server.url + "?region=440000,bad!code&measure=bogus&foo=1&view=ranking")
    note = page.locator(f"#{ids.URL_NOTE}")
    expect(note).to_be_visible()
    expect(note).to_contain_text("measure=bogus")
    expect(note).to_contain_text("foo=1")
    expect(note).to_contain_text("region=bad!code")
    expect(title(page)).to_contain_text("provinces of China")
    assert "measure=bogus" not in page.url and "foo" not in page.url
    page.locator(".view-tabs").get_by_text("Time series", exact=True).click()
    expect(title(page)).to_contain_text("Production")


def test_a_new_snapshot_is_served_on_the_next_interaction(browser, default_warehouse, tmp_path):
    warehouse = tmp_path / "warehouse"
    first = (default_warehouse / "current").resolve()
    shutil.copytree(first, warehouse / "snapshots" / first.name)
    (warehouse / "current").symlink_to(warehouse / "snapshots" / first.name)
    with LiveServer(warehouse) as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(server.url)
        expect(page.locator(f"#{ids.SNAPSHOT}")).to_contain_text(first.name)
        second = warehouse / "snapshots" / "20991231T000000000000Z-newdata"
        shutil.copytree(first, second)
        link = warehouse / "current.tmp"
        link.symlink_to(second)
        os.replace(link, warehouse / "current")
        page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
        expect(page.locator(f"#{ids.SNAPSHOT}")).to_contain_text("20991231T000000000000Z-newdata")
        expect(title(page)).to_contain_text("provinces of China")
        context.close()
