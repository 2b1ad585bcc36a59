"""The Sources panel: every source of a view, most-used first, with links."""

from __future__ import annotations

from dashboard.provenance import source_summary, sources_panel
from tests.dashboard.frames import result


def test_sources_are_counted_and_ordered_by_use():
    data = result([
        {"source_id": "a", "source_title": "Alpha"},
        {"source_id": "b", "source_title": "Beta", "source_url": "https://example.org/b"},
        {"source_id": "b", "source_title": "Beta", "source_url": "https://example.org/b"},
    ])
    summary = source_summary(data)
    assert list(summary["source_id"]) == ["b", "a"]
    assert list(summary["figures"]) == [2, 1]
    heading, listing = sources_panel(summary, "en")
    assert "(2)" in heading.children
    first = listing.children[0]
    assert first.children[0].href == "https://example.org/b"


def test_a_non_web_url_is_not_a_link():
    summary = source_summary(result([{"source_url": "javascript:alert(1)"}]))
    _, listing = sources_panel(summary, "zh")
    assert not hasattr(listing.children[0].children[0], "href")


def test_no_rows_no_sources():
    summary = source_summary(result([{}]).iloc[0:0])
    assert summary.empty
    assert "无数据" in sources_panel(summary, "zh")[1].children


def test_a_view_on_hundreds_of_releases_lists_the_most_used_and_counts_the_rest():
    from dashboard.provenance import SOURCES_SHOWN

    rows = [{"source_id": f"s{i:03d}", "source_title": f"Release {i}"} for i in range(SOURCES_SHOWN + 12)]
    rows += [{"source_id": "s041", "source_title": "Release 41"}] * 3  # the most used comes first
    heading, listing, rest = sources_panel(source_summary(result(rows)), "en")
    assert f"({SOURCES_SHOWN + 12})" in heading.children
    assert len(listing.children) == SOURCES_SHOWN
    assert getattr(listing.children[0], "data-source-id") == "s041"
    assert "12 more sources behind 12 figures" in rest.children
    assert "另有 12 个来源" in sources_panel(source_summary(result(rows)), "zh")[2].children
