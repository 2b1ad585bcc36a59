"""Eurostat bulk TSV (``nama_10r_3empers.tsv`` and friends).

Layout: the first column packs the dimensions, ``freq,unit,wstatus,nace_r2,geo\\TIME_PERIOD``,
and every other column is a period (``2022``, ``2022-Q1``/``2022Q1``, ``2022-01``/``2022M01``).
A cell is a value, a value and flags (``3.16 p``), a bare colon (``:``, not available) or a
colon and flags (``: c``, confidential). Flags are kept verbatim; the status follows the
strongest of them: ``c`` → suppressed, ``p`` → provisional, ``e`` → estimated; a colon →
not_available. ``b`` (break in series), ``u`` (low reliability) and the rest leave the
status reported but stay in ``flags``.

Codes get a scheme prefix so they never meet Chinese or US codes: ``geo`` DE11 → region
``NUTS-DE11``; ``nace_r2`` B-E → industry ``NACE-B-E``. The indicator is the dataset with
its remaining dimensions (``nama_10r_3empers:EMP``), which ``indicator_aliases`` maps; the
unit code (``THS``) is looked up in ``units_international.csv``.
"""

from __future__ import annotations

import re
from pathlib import Path

from etl.problems import Problem
from etl.readers.base import ReadResult, empty_figures, empty_sources, figures_frame, row_width_problem, sources_frame
from etl.readers.sidecar import Sidecar, load_sidecar, location, source_record
from etl.readers.textfile import decode_file, relative_name

PUBLISHER = "Eurostat"
URL = "https://ec.europa.eu/eurostat/databrowser/view/{dataset}/default/table"

#: Flag letter → status, strongest first (a confidential provisional figure is confidential).
FLAG_STATUS: tuple[tuple[str, str], ...] = (("c", "suppressed"), ("p", "provisional"), ("e", "estimated"))
#: Dimensions that become their own figure fields rather than part of the indicator.
_OWN_FIELDS = ("freq", "unit", "geo", "nace_r2")

#: Eurostat's flag letters (b break, c confidential, d definition differs, e estimated, f forecast,
#: n not significant, p provisional, r revised, s Eurostat estimate, u low reliability, z not applicable).
_CELL = re.compile(r"^\s*(?P<value>:|[-+]?\d[\d.]*(?:[eE][-+]?\d+)?)\s*(?P<flags>[bcdefnprsuz]*)\s*$")
_PERIODS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})$"), "{0}"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), "{0}Q{1}"),
    (re.compile(r"^(\d{4})-?M?(0[1-9]|1[0-2])$"), "{0}-{1}"),
    (re.compile(r"^(\d{4})-?S([12])$"), "{0} H{1}"),
)


def can_read(path: Path, head: bytes) -> bool:
    """The header's first cell ends in ``\\TIME_PERIOD`` (or the older ``\\time``)."""
    first = head.split(b"\n", 1)[0].split(b"\t", 1)[0].decode("utf-8", errors="ignore").lstrip("\ufeff")
    return (
        "\t" in head.split(b"\n", 1)[0].decode("utf-8", errors="ignore")
        and re.search(r"\\(TIME_PERIOD|time)\s*$", first, re.I) is not None
    )


def period_text(label: str) -> str | None:
    """A period column header → period text normalisation understands, or None."""
    for pattern, template in _PERIODS:
        if match := pattern.match(label.strip()):
            return template.format(*match.groups())
    return None


def parse_cell(text: str) -> tuple[str, str, str] | None:
    """``3.16 p`` → (value, status, flags); ``:`` → ("", not_available, ""); None if malformed."""
    if not text.strip():
        return "", "not_available", ""
    match = _CELL.match(text)
    if match is None:
        return None
    value, flags = match["value"], match["flags"]
    if value == ":":
        status = "suppressed" if "c" in flags else "not_available"
        return "", status, flags
    status = next((s for letter, s in FLAG_STATUS if letter in flags), "")
    return value, status, flags


def dataset_name(rel: str) -> str:
    """``nama_10r_3empers-sample.tsv`` → ``nama_10r_3empers`` (Eurostat codes are lower-case words)."""
    match = re.match(r"[a-z0-9_]+", Path(rel).name.lower())
    return match[0] if match else Path(rel).stem


def read(path: Path, raw_root: Path) -> ReadResult:
    """Read one bulk TSV file into figures as published."""
    rel = relative_name(path, raw_root)
    sidecar, problems = load_sidecar(path, rel)
    text, decode_problems = decode_file(path, rel, sidecar.get("encoding"))
    problems += decode_problems
    if text is None:
        return ReadResult(empty_figures(), empty_sources(), problems)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return ReadResult(empty_figures(), empty_sources(), [*problems, Problem(rel, None, None, "empty file")])
    header = lines[0].split("\t")
    dims = re.split(r"\\", header[0].strip())[0].split(",")
    periods: list[str | None] = []
    for label in header[1:]:
        period = period_text(label)
        if period is None:
            problems.append(
                Problem(
                    rel,
                    1,
                    label.strip() or f"column {len(periods) + 2}",
                    f"cannot parse period header {label.strip()!r}",
                )
            )
        periods.append(period)
    for needed in ("geo", "unit"):
        if needed not in dims:
            problems.append(Problem(rel, 1, header[0], f"no {needed!r} dimension in {header[0]!r}"))
    if any(p.row == 1 and p.column == header[0] for p in problems):
        return ReadResult(empty_figures(), empty_sources(), problems)
    dataset = dataset_name(rel)
    figures: list[dict[str, object]] = []
    last = len(lines) if not text.endswith(("\n", "\r")) else None
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        width = row_width_problem(rel, number, cells, header)
        if width is not None:
            problems.append(width)
            continue
        if number == last:
            problems.append(Problem(rel, number, header[-1].strip(), "the file ends in this row without a line break: "
                                    "its last cell may have been cut; end the file with a line break if it is complete"))
            continue
        keys = cells[0].strip().split(",")
        if len(keys) != len(dims):
            problems.append(
                Problem(
                    rel, number, header[0], f"{len(keys)} codes in {cells[0].strip()!r}, the header names {len(dims)}"
                )
            )
            continue
        key = dict(zip(dims, keys, strict=True))
        for label, period, cell in zip(header[1:], periods, cells[1:], strict=True):
            if period is None:
                continue
            parsed = parse_cell(cell)
            if parsed is None:
                problems.append(Problem(rel, number, label.strip(), f"not a value and flags: {cell.strip()!r}"))
                continue
            figure = _figure(key, dataset, period, parsed, sidecar, rel, number, label.strip())
            figure.update(sidecar.origins(), _at_period=location(rel, 1, label.strip()), _period_published=label.strip(),
                          _decimal=sidecar.get("decimal") or ".")
            figures.append(figure)
    source = source_record(
        {
            "source_id": f"eurostat-{dataset}".replace("_", "-"),
            "title": f"Eurostat {dataset}",
            "publisher": PUBLISHER,
            "url": URL.format(dataset=dataset),
            "authority": "official",
        },
        sidecar,
    )
    for figure in figures:
        figure["source_id"] = source["source_id"]
    sources = sources_frame([source]).assign(_file=rel, _row=1) if figures else empty_sources()
    return ReadResult(figures_frame(figures), sources, problems)


def _figure(
    key: dict[str, str],
    dataset: str,
    period: str,
    cell: tuple[str, str, str],
    sidecar: Sidecar,
    rel: str,
    line: int,
    column: str,
) -> dict[str, object]:
    value, status, flags = cell
    rest = [key[d] for d in key if d not in _OWN_FIELDS]
    indicator = dataset + (":" + ",".join(rest) if rest else "")
    nace = key.get("nace_r2", "")
    return {
        "region": "NUTS-" + key["geo"],
        "industry": sidecar.get("industry", "NACE-" + nace if nace else ""),
        "indicator": sidecar.get("indicator", indicator),
        "product": sidecar.get("product"),
        "period": period,
        "period_kind": sidecar.get("period_kind"),
        "measure": sidecar.get("measure"),
        "value": value,
        "unit": sidecar.get("unit", key["unit"]),
        "status": status or sidecar.get("status"),
        "price_basis": sidecar.get("price_basis"),
        "scope": sidecar.get("scope"),
        "flags": flags,
        "label_published": f"{dataset} {','.join(key.values())}",
        "_file": rel,
        "_row": line,
        "_column": column,
    }
