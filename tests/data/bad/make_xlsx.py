"""Writes the corpus's XLSX cases (``x*/``): Excel's typed cells cannot be typed by hand in a text editor.

Run ``python tests/data/bad/make_xlsx.py`` from the repository root to rewrite them; the
workbooks are committed, so the tests do not need to run it. Values are test fixtures, not data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = ["region", "industry", "indicator", "period", "period_kind", "measure", "value", "unit", "source_id"]


def workbook(name: str, rows: list[list[object]], formats: dict[tuple[int, int], str] | None = None) -> None:
    """``rows`` under the header; ``formats`` maps (row, column), 1-based as in Excel, to a number format."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for (r, c), number_format in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = number_format
    folder = HERE / name
    folder.mkdir(exist_ok=True)
    book.properties.created = dt.datetime(2024, 1, 1)  # a stable file for a stable input hash
    book.properties.modified = dt.datetime(2024, 1, 1)
    book.save(folder / "a.figures.xlsx")


def main() -> None:
    gd = ["广东省", "汽车制造业"]
    workbook("x01-percent-formatted-share", [[*gd, "汽车产量占全国比重", "2023年1-7月", "", "share_pct", 0.178, "%", "corpus"]], {(2, 7): "0.0%"})
    workbook("x02-floats-read-as-shown", [
        [*gd, "汽车制造业增加值", "2023年1-7月", "", "level", 145.98, "billion yuan", "corpus"],
        [*gd, "汽车产量", "2023年1-7月", "", "level", 2.7381, "million vehicles", "corpus"],
        [*gd, "企业数", 2022, "", "level", 2852.0, "家", "corpus"],
    ])
    workbook("x03-thousands-in-a-text-cell", [[*gd, "汽车产量", "2023年1-7月", "", "level", "1,310.3", "万辆", "corpus"]])
    workbook("x04-decimal-comma-in-a-text-cell", [[*gd, "汽车产量", "2023年1-7月", "", "level", "1,5", "万辆", "corpus"]])
    workbook("x05-error-cell", [[*gd, "汽车产量", "2023年1-7月", "", "level", "#DIV/0!", "万辆", "corpus"]])
    workbook("x06-negative-production", [[*gd, "汽车产量", "2023年1-7月", "", "level", -273.81, "万辆", "corpus"]])
    workbook("x07-empty-value", [[*gd, "汽车产量", "2023年1-7月", "", "level", None, "万辆", "corpus"]])
    workbook("x09-cell-right-of-the-header", [[*gd, "汽车产量", "2023年1-7月", "", "level", 273.81, "万辆", "corpus", "stray"]])
    workbook("x10-date-typed-period", [[*gd, "汽车产量", dt.datetime(2023, 7, 1), "", "level", 273.81, "万辆", "corpus"]])
    workbook("x11-percent-formatted-growth", [[*gd, "汽车产量", "2023年1-7月", "", "yoy_pct", -0.032, "%", "corpus"]], {(2, 7): "0.0%"})
    workbook("x12-inf-text", [[*gd, "汽车产量", "2023年1-7月", "", "level", "inf", "万辆", "corpus"]])
    folder = HERE / "x08-not-a-workbook"
    folder.mkdir(exist_ok=True)
    (folder / "a.figures.xlsx").write_bytes(b"PK\x03\x04 this is not a zip archive")


if __name__ == "__main__":
    main()
