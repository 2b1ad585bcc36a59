"""BEA Regional Economic Accounts CSV (SAGDP*, CAGDP*, ... bulk downloads; specimen SAGDP2N).

Layout: ``GeoFIPS,GeoName,Region,TableName,LineCode,IndustryClassification,Description,Unit``
then one column per year. Quirks and what this reader does:

* ``GeoFIPS`` is quoted after a leading space (`` "26000"``): parsed with
  ``skipinitialspace`` so the quotes are CSV quotes, not part of the code.
* Regions get the ``US`` scheme: ``00000`` → ``US``; a state ``SS000`` → ``US-SS``
  (FIPS state code, ``US-26`` Michigan); a BEA region ``9R000`` → ``US-BEA-R``; anything
  else (a county) → ``US-<GeoFIPS>``.
* Industries: the NAICS codes in ``IndustryClassification`` with a prefix
  (``NAICS-3361-3363``; lists joined by ``+``: ``NAICS-54+55+56``); lines without a code
  (``...``: totals, government) → ``BEA-<TableName prefix>-L<LineCode>`` (``BEA-GDP-L1``).
  The indentation of ``Description`` is the hierarchy, recorded in ``industries_naics.csv``.
* Codes in place of values are kept in ``flags``: ``(D)`` (withheld to avoid disclosure) →
  status suppressed, no value; ``(NA)`` and other codes → not_available, no value;
  ``(L)`` (less than $50,000) → the bound itself: value 0.05 (million dollars), qualifier
  ``at_most``. A bound is what the BEA published; an empty value would lose it and a zero
  would be false.
* The footer lines (``"Note: ..."``, ``"Last updated: ..."``) are not figures: they end the
  table and their text becomes the source's note and date.
* ``Unit`` is printed per row (``Millions of current dollars``), looked up in
  ``units_international.csv``.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from etl import csvtable
from etl.problems import Problem
from etl.readers.base import ReadResult, empty_figures, empty_sources, figures_frame, row_width_problem, sources_frame
from etl.readers.sidecar import load_sidecar, location, source_record
from etl.readers.textfile import decode_file, relative_name

PUBLISHER = "U.S. Bureau of Economic Analysis"
URL = "https://apps.bea.gov/regional/downloadzip.htm"
COLUMNS = ("GeoFIPS", "GeoName", "Region", "TableName", "LineCode", "IndustryClassification", "Description", "Unit")

#: Code in a value cell → (status, value, qualifier).
VALUE_CODES: dict[str, tuple[str, str, str]] = {
    "(D)": ("suppressed", "", ""),
    "(NA)": ("not_available", "", ""),
    "(L)": ("reported", "0.05", "at_most"),  # less than $50,000, in millions of dollars
}
_CODE = re.compile(r"^\([A-Z]+\)$")
_YEAR = re.compile(r"^\d{4}$")
_TABLE_FAMILY = re.compile(r"^[SC]A([A-Z]+)")


def can_read(path: Path, head: bytes) -> bool:
    """The header starts with ``GeoFIPS,GeoName`` and names a LineCode."""
    first = head.decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n", 1)[0]
    return first.replace('"', "").startswith("GeoFIPS,GeoName") and "LineCode" in first


def region_code(fips: str) -> str | None:
    """GeoFIPS → a region code of the US scheme, or None if it is not five digits."""
    fips = fips.strip().strip('"').strip()
    if not re.fullmatch(r"\d{5}", fips):
        return None
    if fips == "00000":
        return "US"
    if fips.startswith("9") and fips.endswith("000"):
        return f"US-BEA-{int(fips[1])}"
    if fips.endswith("000"):
        return f"US-{fips[:2]}"
    return f"US-{fips}"


def industry_code(table: str, line: str, classification: str) -> str:
    """NAICS classification → ``NAICS-...``; no classification → a BEA line code."""
    naics = classification.strip()
    if naics and naics != "...":
        return "NAICS-" + "+".join(part.strip() for part in naics.split(","))
    family = _TABLE_FAMILY.match(table.strip())
    return f"BEA-{family[1] if family else table.strip()}-L{line.strip()}"


def _footer_date(lines: list[str]) -> str:
    """``Last updated: March 31, 2023-- new statistics for 2022.`` → 2023-03-31."""
    for line in lines:
        if match := re.search(r"Last updated:\s*([A-Za-z]+ \d{1,2}, \d{4})", line):
            try:
                return datetime.strptime(match[1], "%B %d, %Y").date().isoformat()
            except ValueError:
                return ""
    return ""


def read(path: Path, raw_root: Path) -> ReadResult:
    """Read one BEA regional CSV into figures as published."""
    rel = relative_name(path, raw_root)
    sidecar, problems = load_sidecar(path, rel)
    text, decode_problems = decode_file(path, rel, sidecar.get("encoding"))
    problems += decode_problems
    if text is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    records, quoting = csvtable.records(text, rel, skipinitialspace=True)
    problems += quoting
    if quoting or not records:
        return ReadResult(empty_figures(), empty_sources(), problems or [Problem(rel, None, None, "empty file")])
    lines = [line for line, _ in records]
    rows = [cells for _, cells in records]
    header = [h.strip() for h in rows[0]]
    cut_line = lines[-1] if not text.endswith(("\n", "\r")) else None
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        return ReadResult(
            empty_figures(),
            empty_sources(),
            [*problems, Problem(rel, 1, None, f"expected the columns {', '.join(COLUMNS)}")],
        )
    years = header[len(COLUMNS) :]
    for year in years:
        if not _YEAR.match(year):
            problems.append(Problem(rel, 1, year or "(empty)", f"cannot parse year header {year!r}"))
    figures: list[dict[str, object]] = []
    footer: list[str] = []
    tables: set[str] = set()
    for number, cells in zip(lines[1:], rows[1:], strict=True):
        if not any(c.strip() for c in cells):
            continue
        if footer or len(cells) == 1:
            footer.append(" ".join(cells).strip())  # footer lines are one quoted cell each
            continue
        width = row_width_problem(rel, number, cells, header)
        if width is not None:
            problems.append(width)
            continue
        if number == cut_line:
            problems.append(Problem(rel, number, header[-1], "the file ends in this row without a line break: "
                                    "its last cell may have been cut; end the file with a line break if it is complete"))
            continue
        row = dict(zip(header, (c.strip() for c in cells), strict=True))
        region = region_code(cells[0])
        if region is None:
            problems.append(Problem(rel, number, "GeoFIPS", f"not a five-digit GeoFIPS: {cells[0].strip()!r}"))
            continue
        tables.add(row["TableName"])
        industry = industry_code(row["TableName"], row["LineCode"], row["IndustryClassification"])
        for year in years:
            if not _YEAR.match(year):
                continue
            figure = _value(row[year])
            if figure is None:
                problems.append(Problem(rel, number, year, f"not a number or a BEA code: {row[year]!r}"))
                continue
            value, status, qualifier, flags = figure
            figures.append(
                {
                    "region": region,
                    "industry": sidecar.get("industry", industry),
                    "indicator": sidecar.get("indicator", row["TableName"]),
                    "product": sidecar.get("product"),
                    "period": year,
                    "period_kind": "year",
                    "measure": sidecar.get("measure"),
                    "value": value,
                    "unit": sidecar.get("unit", row["Unit"]),
                    "qualifier": qualifier,
                    "status": status or sidecar.get("status"),
                    "price_basis": sidecar.get("price_basis"),
                    "scope": sidecar.get("scope"),
                    "flags": flags,
                    "label_published": f"{row['TableName']} line {row['LineCode']}: {row['Description'].strip()}",
                    "_file": rel,
                    "_row": number,
                    "_column": year,
                    "_at_period": location(rel, 1, year),
                    "_period_published": year,
                    "_decimal": sidecar.get("decimal") or ".",
                    **sidecar.origins(),
                }
            )
    name = "-".join(sorted(tables)) or Path(rel).stem
    source = source_record(
        {
            "source_id": f"bea-{name}".lower(),
            "title": next((line for line in footer if line.startswith(tuple(tables))), f"BEA {name}")
            if tables
            else f"BEA {name}",
            "publisher": PUBLISHER,
            "url": URL,
            "published_date": _footer_date(footer),
            "authority": "official",
            "note": " ".join(footer),
        },
        sidecar,
    )
    for figure in figures:
        figure["source_id"] = source["source_id"]
    sources = sources_frame([source]).assign(_file=rel, _row=1) if figures else empty_sources()
    return ReadResult(figures_frame(figures), sources, problems)


def _value(cell: str) -> tuple[str, str, str, str] | None:
    """(value, status, qualifier, flags) of one cell, or None when it is neither number nor code."""
    text = cell.strip()
    if text in VALUE_CODES:
        status, value, qualifier = VALUE_CODES[text]
        return value, status, qualifier, text
    if _CODE.match(text):
        return "", "not_available", "", text
    if re.fullmatch(r"[-+]?[\d.,]+", text) or re.fullmatch(r"[+-]?(inf(inity)?|nan)", text, re.I):
        return text, "", "", ""  # read (strictly: thousands separators in place) by etl/numbers.py
    return None
