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


def settle(page) -> None:
    """Wait until no Dash callback is pending (each control's options follow the last choice)."""
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")


def click_option(page, dropdown_id: str, name: str) -> None:
    """Two clicks: open Dash 4's dropdown, click the option."""
    settle(page)
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("option", name=re.compile(re.escape(name))).first.click()
    page.keyboard.press("Escape")
    settle(page)


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
        # the name is the year ("2025 ⟂" from a break in series on)
        assert trace["meta"]["kind"] == "ytd" and trace["name"].split(" ")[0] == str(trace["meta"]["year"])
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


def coverage(page):
    return page.locator(f"#{ids.COVERAGE}")


def test_a_map_of_industry_value_added_fills_all_31_provinces_from_the_nbs(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.INDICATOR, "Value added")
    click_option(page, ids.INDUSTRY, "Industry (mining")
    click_option(page, ids.SCOPE, "all-enterprises")
    page.locator(".view-tabs").get_by_text("Map", exact=True).click()
    expect(coverage(page)).to_have_text("31 of 31 provinces published this figure for 2024")
    expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text(", 2024 — Level — provinces of China")
    filled = page.evaluate("""() => document.querySelector('#chart .js-plotly-plot').data
                               .filter(t => t.type === 'choropleth' && t.showscale !== false)
                               .map(t => t.locations.length)""")
    assert filled == [31]
    expect(page.locator(f"#{ids.SOURCES}")).to_contain_text("National Bureau of Statistics")


def test_a_map_of_a_sparse_figure_says_how_many_published_and_marks_no_data(page, live_server):
    open_home(page, live_server)
    page.locator(".view-tabs").get_by_text("Map", exact=True).click()
    expect(coverage(page)).to_contain_text(re.compile(r"^\d+ of 31 provinces published this figure for Jan–Feb 2025; no figure: "))
    expect(page.locator(f"#{ids.CHART} .legendtext")).to_have_text(["No figure"])
    k = int(coverage(page).text_content().split()[0])
    assert 1 < k < 31


def test_a_one_bar_ranking_says_it_has_one_region(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.INDICATOR, "Value added")
    page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
    expect(coverage(page)).to_contain_text(re.compile(r"^1 of 31 provinces published this figure for .* — a ranking of one region; "))


def test_a_dead_end_names_its_cause_and_offers_choices_that_have_figures(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.WITHIN, "Guangdong")
    click_option(page, ids.INDICATOR, "Value added")
    click_option(page, ids.INDUSTRY, "Automobile manufacturing")
    page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
    message = page.locator(f"#{ids.MESSAGE}")
    expect(message).to_contain_text("None of the cities of Guangdong published Value added · Automobile manufacturing")
    suggestions = message.locator("a.suggestion")
    expect(suggestions.first).to_be_visible()
    assert suggestions.count() >= 2
    suggestions.first.click()
    expect(page.locator(f"#{ids.CHART} .barlayer .point").first).to_be_visible()
    expect(message).not_to_contain_text("None of the cities")


def test_a_copied_link_with_cities_of_reopens_the_same_view(page, live_server, browser):
    open_home(page, live_server)
    click_option(page, ids.WITHIN, "Guangdong")
    page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
    heading = page.locator(f"#{ids.CHART} .gtitle")
    expect(heading).to_contain_text("cities of Guangdong")
    link, shown = page.url, heading.text_content()
    assert "within=440000" in link
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(link)
    expect(other.locator(f"#{ids.CHART} .gtitle")).to_have_text(shown)
    expect(other.locator(f"#{ids.WITHIN}")).to_contain_text("Guangdong")
    assert other.url == link
    other.context.close()


SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def number(text: str) -> float:
    """``222.1 thousand vehicles`` → 222100."""
    value, _, rest = text.replace(",", "").partition(" ")
    return float(value) * SCALE.get(rest.split(" ")[0], 1)


def test_values_sort_as_numbers(page, live_server):
    open_home(page, live_server)
    page.locator(".view-tabs").get_by_text("Ranking", exact=True).click()
    expect(coverage(page)).to_contain_text("of 31 provinces")
    page.locator(f"#{ids.TABLE} .ag-header-cell[col-id=value] .ag-header-cell-label").click()
    cells = page.locator(f"#{ids.TABLE} .ag-row [col-id=value]")
    header = page.locator(f"#{ids.TABLE} .ag-header-cell.ag-header-cell-sortable[col-id=value]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    values = [number(t) for t in cells.all_text_contents()]
    assert len(values) > 3 and values == sorted(values)
    header.locator(".ag-header-cell-label").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    values = [number(t) for t in cells.all_text_contents()]
    assert values == sorted(values, reverse=True)


ENGLISH_UI = ["Page", " of ", "to", "Filter", "Equals", "Contains", "No Rows", "Loading", "Autoscale", "Zoom",
              "Download plot", "Reset axes", "Pan", "Regions", "Indicator", "Download", "Time series", "Select",
              "Search", "No options", "Jan", "Feb", "Level", "reported", "Source", "Published"]


def test_the_page_in_chinese_has_no_english_ui_text(page, live_server):
    open_home(page, live_server)
    page.get_by_text("中文", exact=True).click()
    expect(page.locator(f"#{ids.TITLE}")).to_have_text("区域产业统计")
    expect(page.locator(f"#{ids.CHART} .xtick text").first).to_have_text(re.compile("月"))
    expect(page.locator(f"#{ids.TABLE} .ag-paging-panel")).to_contain_text("页")
    page.locator(f"#{ids.CHART}").hover()
    visible = page.locator("body").inner_text()
    modebar = " ".join(page.eval_on_selector_all(".modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"))
    # Names that stay in both languages by design: "English" (the switch), region names after the
    # Chinese ones, publishers' own names, snapshot ids, units of the codes ("CSV", "PNG").
    text = re.sub(r"English|Guangdong|CSV|PNG|SVG|JSON|Parquet|UTC|[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*", " ", visible)
    for sources_line in page.locator(f"#{ids.SOURCES} li, #{ids.TABLE} [col-id^=source], .kpi-source").all_text_contents():
        text = text.replace(sources_line, " ")
    found = [word for word in ENGLISH_UI if re.search(rf"(?<![A-Za-z]){re.escape(word.strip())}(?![A-Za-z])", text)]
    assert found == [], found
    assert not [w for w in ("Autoscale", "Zoom", "Download plot", "Reset axes", "Pan") if w in modebar], modebar


def test_chart_controls_transform_cite_and_get_the_data(page, live_server):
    open_home(page, live_server)
    click_option(page, ids.PERIOD_KIND, "Year")
    click_option(page, ids.TRANSFORM, "Year-on-year %")
    heading = page.locator(f"#{ids.CHART} .gtitle")
    expect(heading).to_contain_text("Growth, year on year (%)")
    assert "transform=yoy" in page.url
    page.get_by_text("Log", exact=True).click()
    expect(page).to_have_url(re.compile(r"axis=log"))
    page.get_by_text("Cite this view", exact=True).click()
    expect(page.locator(f"#{ids.CITE}")).to_contain_text("Regional industry statistics dashboard, snapshot")
    page.get_by_text("Get this data", exact=True).click()
    link = page.locator(f"#{ids.GET_DATA} a.api-link")
    expect(link).to_contain_text("/api/observations.csv?region=440000&indicator=production")
    expect(page.locator(f"#{ids.GET_DATA} .snippet")).to_contain_text("pd.read_csv(")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and "region_code" in response.text()


def test_the_reconciliation_view_lists_checks_with_their_verdicts(page, live_server):
    open_home(page, live_server)
    page.locator(".view-tabs").get_by_text("Reconciliation", exact=True).click()
    verdicts = page.locator(f"#{ids.TABLE} .ag-row [col-id=verdict]")
    expect(verdicts.first).to_be_visible()
    assert set(verdicts.all_text_contents()) <= {"consistent", "inconsistent", "not comparable", "not checkable"}
    expect(page.locator(f"#{ids.TABLE} .ag-row [col-id=check]").first).not_to_be_empty()
    expect(page.locator(f"#{ids.TABLE} .ag-header-cell[col-id=verdict]").first).to_contain_text("Verdict")


def test_a_filter_change_is_one_request(page, live_server):
    """Controls → valid state, options and the view in one callback: no filter-sync round trip first."""
    open_home(page, live_server)
    settle(page)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if "_dash-update-component" in r.url and r.method == "POST" else None)
    click_option(page, ids.PRODUCT, "new-energy vehicles")
    expect(page.locator(f"#{ids.CHART} .gtitle")).to_contain_text("new-energy vehicles")
    settle(page)
    assert len(posts) == 1, posts
