"""The failure banner speaks in the user's terms: no server paths, no exception texts."""

from __future__ import annotations

from dashboard.export import safe_filename
from dashboard.runs import RunStatus, run_status_children


def banner_text(failure: dict, lang: str = "en") -> str:
    children = run_status_children(RunStatus(last_ok=None, last_failure=failure), lang)
    return text_of(children[-1])


def text_of(component) -> str:
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return " ".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def test_input_problems_are_listed_without_the_servers_directories():
    text = banner_text({"outcome": "failed", "failure": "input", "finished_at": "2026-01-06T06:00:01",
                        "errors": ["/srv/stats/data/raw/auto.figures.csv:17:value: 'abc' is not a number"],
                        "error_count": 3})
    assert "3 problem(s) in the input files" in text
    assert "auto.figures.csv:17:value: 'abc' is not a number" in text
    assert "/srv" not in text
    assert "python -m etl history" in text


def test_an_operational_failure_shows_no_exception_text():
    record = {"outcome": "failed", "finished_at": "2026-01-06T06:00:01",
              "errors": ["PermissionError: [Errno 13] Permission denied: '/srv/stats/data/warehouse/snapshots'"]}
    for lang in ("en", "zh"):
        text = banner_text(record, lang)
        assert "PermissionError" not in text and "/srv" not in text and "Errno" not in text
    assert "could not read or write the data folders" in banner_text(record)
    assert "权限" in banner_text(record, "zh")


def test_a_crash_shows_no_traceback():
    text = banner_text({"outcome": "failed", "failure": "crash", "errors": ["KeyError: 'region_code'"]})
    assert "internal error" in text and "KeyError" not in text


def test_download_names_are_short_and_plain():
    assert safe_filename("production-timeseries-20260101T000000Z-abcd.csv") == "production-timeseries-20260101T000000Z-abcd.csv"
    assert safe_filename('../"evil"\r\nSet-Cookie: x=1.csv') == "evil-Set-Cookie-x-1.csv"
    assert len(safe_filename("p" * 5_000_000 + ".csv")) == 120
    assert safe_filename(".csv") == "download.csv"
