"""SDMX-CSV (Eurostat's and other SDMX APIs' ``format=csvdata``): one observation per line.

Columns: ``DATAFLOW`` (``ESTAT:NAMA_10R_3EMPERS(1.0)``), one column per dimension
(``freq``, ``unit``, ``nace_r2``, ``geo``, ...), ``TIME_PERIOD``, ``OBS_VALUE``, and optional
attributes: ``OBS_FLAG`` / ``OBS_STATUS`` (the same letters as the bulk TSV's flags) and
``UNIT_MULT`` (a power of ten: ``3`` = the value is in thousands of the unit). The value
is shifted by ``UNIT_MULT`` decimal places (exactly, in decimal) so that it is in the
printed unit: ``OBS_VALUE`` 3.16, ``UNIT_MULT`` 3, ``unit`` PER → 3160 persons.
Column names are matched case-insensitively; ``geo`` and ``nace_r2`` get the same prefixes
as in :mod:`etl.readers.eurostat_tsv`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from etl import csvtable, numbers
from etl.problems import Problem
from etl.readers.base import ReadResult, empty_figures, empty_sources, figures_frame, row_width_problem, sources_frame
from etl.readers.eurostat_tsv import FLAG_STATUS, period_text
from etl.readers.sidecar import load_sidecar, source_record
from etl.readers.textfile import decode_file, relative_name

#: Columns that are not dimensions of the indicator.
_NOT_DIMENSIONS = {
    "dataflow",
    "structure",
    "structure_id",
    "action",
    "time_period",
    "obs_value",
    "obs_flag",
    "obs_status",
    "conf_status",
    "unit_mult",
    "freq",
    "unit",
    "geo",
    "nace_r2",
    "decimals",
    "obs_comment",
    "last update",
    "last_update",
    "comment_obs",
}


def can_read(path: Path, head: bytes) -> bool:
    """The header names DATAFLOW (or STRUCTURE), TIME_PERIOD and OBS_VALUE."""
    first = head.decode("utf-8", errors="ignore").lstrip("\ufeff").split("\n", 1)[0].upper()
    cells = [c.strip().strip('"') for c in first.split(",")]
    return ("DATAFLOW" in cells or "STRUCTURE" in cells) and "TIME_PERIOD" in cells and "OBS_VALUE" in cells


def _dataset(dataflow: str) -> str:
    """``ESTAT:NAMA_10R_3EMPERS(1.0)`` → ``nama_10r_3empers``."""
    match = re.match(r"^(?:[^:]*:)?([A-Za-z0-9_]+)", dataflow.strip())
    return match[1].lower() if match else dataflow.strip().lower()


def _scaled(value: str, unit_mult: str, decimal: str = ".") -> str | None:
    """The value in the unit's own scale: SDMX prints ``OBS_VALUE`` in units of 10^UNIT_MULT.

    A value that is not a number (etl/numbers.py) is passed on as printed, for normalisation
    to report like any other; None means UNIT_MULT is not a power of ten.
    """
    if not unit_mult or unit_mult == "0":
        return value
    try:
        exponent = int(unit_mult)
    except ValueError:
        return None
    number = numbers.canonical(value, decimal)
    if number is None:
        return value
    try:
        return format(Decimal(number).scaleb(exponent).normalize(), "f")
    except InvalidOperation:
        return value


def read(path: Path, raw_root: Path) -> ReadResult:
    """Read one SDMX-CSV file into figures as published."""
    rel = relative_name(path, raw_root)
    sidecar, problems = load_sidecar(path, rel)
    text, decode_problems = decode_file(path, rel, sidecar.get("encoding"))
    problems += decode_problems
    if text is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    records, quoting = csvtable.records(text, rel)
    problems += quoting
    if quoting or not records:
        return ReadResult(empty_figures(), empty_sources(), problems or [Problem(rel, None, None, "empty file")])
    lines = [line for line, _ in records]
    rows = [cells for _, cells in records]
    header = [h.strip() for h in rows[0]]
    decimal = sidecar.get("decimal") or "."
    cut_line = lines[-1] if not text.endswith(("\n", "\r")) and len(rows) > 1 else None
    lower = [h.lower() for h in header]
    figures: list[dict[str, object]] = []
    datasets: set[str] = set()
    for number, cells in zip(lines[1:], rows[1:], strict=True):
        if not any(c.strip() for c in cells):
            continue
        width = row_width_problem(rel, number, cells, header)
        if width is not None:
            problems.append(width)
            continue
        if number == cut_line:
            problems.append(Problem(rel, number, header[-1], "the file ends in this row without a line break: "
                                    "its last cell may have been cut; end the file with a line break if it is complete"))
            continue
        row = {name: cell.strip() for name, cell in zip(lower, cells, strict=True)}
        period = period_text(row.get("time_period", ""))
        if period is None:
            problems.append(Problem(rel, number, "TIME_PERIOD", f"cannot parse period {row.get('time_period', '')!r}"))
            continue
        flags = row.get("obs_flag", "") or row.get("obs_status", "")
        value = row.get("obs_value", "")
        if value:
            scaled = _scaled(value, row.get("unit_mult", ""), decimal)
            if scaled is None:
                problems.append(Problem(rel, number, "UNIT_MULT", f"not a power of ten: {row.get('unit_mult')!r}"))
                continue
            value = scaled
            status = next((s for letter, s in FLAG_STATUS if letter in flags), "")
        else:
            status = "suppressed" if "c" in flags else "not_available"
        dataset = _dataset(row.get("dataflow") or row.get("structure_id", ""))
        datasets.add(dataset)
        rest = [row[name] for name in lower if name not in _NOT_DIMENSIONS and row[name]]
        nace = row.get("nace_r2", "")
        figures.append(
            {
                "region": "NUTS-" + row.get("geo", ""),
                "industry": sidecar.get("industry", "NACE-" + nace if nace else ""),
                "indicator": sidecar.get("indicator", dataset + (":" + ",".join(rest) if rest else "")),
                "product": sidecar.get("product"),
                "period": period,
                "period_kind": sidecar.get("period_kind"),
                "measure": sidecar.get("measure"),
                "value": value,
                "unit": sidecar.get("unit", row.get("unit", "")),
                "status": status or sidecar.get("status"),
                "price_basis": sidecar.get("price_basis"),
                "scope": sidecar.get("scope"),
                "flags": flags,
                "label_published": ",".join(c.strip() for c in cells[: lower.index("time_period")])
                if "time_period" in lower
                else "",
                "_file": rel,
                "_row": number,
                "_column": "OBS_VALUE",
                "_period_published": row.get("time_period", ""),
                "_decimal": decimal,
                **sidecar.origins(),
            }
        )
    name = "-".join(sorted(datasets)) or Path(rel).stem
    source = source_record(
        {
            "source_id": f"sdmx-{name}".replace("_", "-"),
            "title": f"SDMX dataflow {name}",
            "publisher": "Eurostat" if any(r and r[0].upper().startswith("ESTAT") for r in rows[1:]) else "",
            "url": "",
            "authority": "official",
        },
        sidecar,
    )
    if not source["publisher"]:
        problems.append(
            Problem(
                rel,
                None,
                None,
                "missing 'source.publisher': the file does not say (only ESTAT dataflows are known) and no sidecar says it",
            )
        )
    for figure in figures:
        figure["source_id"] = source["source_id"]
    sources = sources_frame([source]).assign(_file=rel, _row=1) if figures else empty_sources()
    return ReadResult(figures_frame(figures), sources, problems)
