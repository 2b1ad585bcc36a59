"""The review page in real headless Chromium: the seed release's round trip, and a careless edit refused.

Each test gets its own copy of the bundled raw data and its own warehouse, since publishing
writes into ``data/raw/inbox/`` and publishes a snapshot.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from dashboard import ids as main_ids
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.review import ids
from etl.pipeline import run
from tests.conftest import RAW, REFERENCE, REPO

pytestmark = pytest.mark.browser

SEED = REPO.parent / "shared" / "seed" / "2023-08-25-qingyuan-automotive-electronics-conference.txt"
TITLE = "“Chip Era” Qingyuan Automotive Electronics Supply Chain Conference Held in Qingyuan"
PUBLISHER = "Qingyuan Municipal People's Government"


class ReviewServer:
    """The dashboard with ``allow_edit`` over its own raw folder and warehouse, on 127.0.0.1:0."""

    def __init__(self, root: Path):
        self.raw = root / "raw"
        shutil.copytree(RAW, self.raw)
        self.warehouse = root / "warehouse"
        run(self.raw, self.warehouse, REFERENCE)
        config = Config(warehouse=self.warehouse, raw=self.raw, reference=REFERENCE, allow_edit=True)
        self.app = create_app(config)
        self.server = make_server("127.0.0.1", 0, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ReviewServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()


@pytest.fixture
def review_server(tmp_path: Path) -> Iterator[ReviewServer]:
    with ReviewServer(tmp_path) as server:
        yield server


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present (only in the development workspace)")
    return SEED.read_text(encoding="utf-8")


def grid_rows(page):
    return page.locator(f"#{ids.GRID} .ag-center-cols-container .ag-row")


def cell(page, row: int, column: str):
    return page.locator(f"#{ids.GRID} .ag-row[row-index='{row}'] [col-id='{column}']")


def paste_and_extract(page, server: ReviewServer, text: str, lang: str = "en") -> None:
    page.goto(f"{server.url}/review/?lang={lang}")
    page.fill(f"#{ids.TEXT}", text)
    page.fill(f"#{ids.TITLE}", TITLE)
    page.fill(f"#{ids.PUBLISHER}", PUBLISHER)
    page.click(f"#{ids.EXTRACT}")
    expect(grid_rows(page)).to_have_count(4)


def test_the_seed_release_goes_from_pasted_text_to_the_chart_with_its_source(page, review_server, seed_text) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    paste_and_extract(page, review_server, seed_text)
    expect(page.locator(f"#{ids.DATE}")).to_have_value("2023-08-25")  # prefilled from the text's dateline
    expect(page.locator(f"#{ids.FOUND}")).to_contain_text("4 candidate figure(s)")
    values = [cell(page, i, "value").inner_text() for i in range(4)]
    assert sorted(values) == sorted(["100", "145.98", "2.7381", "17.8"])
    # The sentence of a figure, with its number marked.
    row = values.index("145.98")
    cell(page, row, "indicator").click()
    expect(page.locator(f"#{ids.SENTENCE} mark")).to_have_text("145.98 billion yuan")
    expect(page.locator(f"#{ids.SENTENCE}")).to_contain_text("automobile manufacturing industry generated")

    page.click(f"#{ids.ACCEPT_ALL}")
    for i in range(4):
        expect(cell(page, i, "review")).to_have_text("accepted")
    page.click(f"#{ids.PUBLISH}")
    outcome = page.locator(f"#{ids.OUTCOME}")
    expect(outcome.locator(".review-ok")).to_contain_text("Published: 4 figure(s)", timeout=60_000)
    written = sorted(p.name for p in (review_server.raw / "inbox").glob("*.csv"))
    assert len(written) == 2 and written[0].endswith(".figures.csv") and written[1].endswith(".sources.csv")

    link = outcome.locator("a.review-chart-link", has_text="value_added")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(r"indicator=value_added.*source=all"))
    expect(page.locator(f"#{main_ids.CHART} .scatterlayer .point").first).to_be_visible()
    ours = page.locator(f"#{main_ids.SOURCES} li[data-source-id^='release-2023-08-25']")
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(TITLE)
    expect(ours).to_contain_text(PUBLISHER)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_a_careless_edit_is_refused_with_its_row_and_column_and_nothing_is_written(
    page, review_server, seed_text
) -> None:
    page.goto(f"{review_server.url}/review/?lang=zh")
    page.locator(f"#{ids.UPLOAD} input[type=file]").set_input_files(
        {"name": SEED.name, "mimeType": "text/plain", "buffer": seed_text.encode("utf-8-sig")}
    )
    expect(page.locator(f"#{ids.TEXT}")).to_have_value(seed_text)  # the file, loaded as text (its BOM dropped)
    page.fill(f"#{ids.TITLE}", TITLE)
    page.fill(f"#{ids.PUBLISHER}", PUBLISHER)
    page.click(f"#{ids.EXTRACT}")
    expect(grid_rows(page)).to_have_count(4)
    values = [cell(page, i, "value").inner_text() for i in range(4)]
    row = values.index("145.98")
    unit = cell(page, row, "unit")
    unit.dblclick()
    editor = page.locator(f"#{ids.GRID} .ag-cell-inline-editing input")
    editor.fill("个")
    editor.press("Enter")
    expect(unit).to_have_text("个")
    page.click(f"#{ids.ACCEPT_ALL}")
    target = values.index("100")  # the city's target: rejected through the row's checkbox
    page.locator(f"#{ids.GRID} .ag-row[row-index='{target}'] .ag-checkbox-input").first.check()
    page.click(f"#{ids.REJECT_SELECTED}")
    expect(cell(page, target, "review")).to_have_text("rejected")
    expect(cell(page, row, "review")).to_have_text("accepted")
    before = sorted(review_server.warehouse.joinpath("snapshots").iterdir())
    page.click(f"#{ids.PUBLISH}")
    outcome = page.locator(f"#{ids.OUTCOME}")
    expect(outcome).to_contain_text("未发布", timeout=60_000)
    expect(outcome).to_contain_text(
        f"row {row + 1}, unit: unit '个' is a counting word, but value_added measures money"
    )
    assert list((review_server.raw / "inbox").glob("*.csv")) == []
    assert sorted(review_server.warehouse.joinpath("snapshots").iterdir()) == before
