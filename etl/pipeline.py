"""One ETL run: read every input, normalise, check, publish — or publish nothing.

The steps are plain functions; this module only wires them and does the I/O at the edges.
A run with any problem raises :class:`~etl.problems.InputError` *before* anything is
written, so the last published snapshot stays what readers see.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from etl import SCHEMA_VERSION
from etl.checks import plausibility
from etl.derive import (
    RECONCILIATION_SCHEMA,
    SERIES_BREAKS_SCHEMA,
    TARGET_PROGRESS_SCHEMA,
    DeriveResult,
    Query,
    derive_all,
    with_derived_source,
)
from etl.derive.engine import release_unused_memory, to_arrow
from etl.inputs import (
    DEFAULT_RAW,
    DEFAULT_REFERENCE,
    DEFAULT_WAREHOUSE,
    SIDECAR_SUFFIX,
    code_version,
    discover,
    file_hash,
    file_key,
    hash_with_sidecar,
    input_hashes,  # noqa: F401  (re-exported: etl.pipeline.input_hashes)
    sidecar_path,
)
from etl.model import OBSERVATIONS_SCHEMA, SOURCES_SCHEMA, WAREHOUSE_ORDER
from etl.normalize import normalise
from etl.problems import InputError, Problem, errors
from etl.readers import reader_for
from etl.readers.base import ReadResult, empty_figures, empty_sources
from etl.readers.sidecar import load_sidecar
from etl.reference import load_reference
from etl.storage import Store, open_store

LOG = logging.getLogger(__name__)


@dataclass
class RunResult:
    snapshot_id: str
    files: int
    observations: int
    sources: int
    tables: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    #: Problems that did not stop the run (an improbable value, a file without a final line break).
    warnings: list[Problem] = field(default_factory=list)


def unexpected(where: str, stage: str, error: BaseException) -> Problem:
    """An exception the code did not expect, as one located problem (never a traceback on screen).

    The traceback goes to the log at DEBUG level, for a developer; the person running the ETL
    sees which file or stage failed and why.
    """
    LOG.debug("unexpected error in %s (%s)", where, stage, exc_info=error)
    return Problem(where, None, None, f"unexpected error while {stage}: {type(error).__name__}: {error}")


def guarded(where: str, stage: str, problems: list[Problem], function: Callable[[], object]) -> object | None:
    """``function()``, or None with a located problem when it raises."""
    try:
        return function()
    except Exception as error:  # every failure becomes a problem with a location
        problems.append(unexpected(where, stage, error))
        return None


#: Files read at once: Arrow's CSV parser and the string kernels release the GIL, so a second
#: file is parsed on the other core while the first is turned into a frame.
READ_THREADS = 2


def read_file(path: Path, raw: Path) -> tuple[list[Problem], ReadResult | None]:
    """One data file read with the reader that recognises it: its problems, and what it holds
    (None when no reader recognises it or its reader failed)."""
    rel = path.relative_to(raw).as_posix()
    problems: list[Problem] = []
    reader = guarded(rel, "choosing a reader", problems, lambda: reader_for(path))
    if reader is None:
        if not problems:
            problems.append(Problem(rel, None, None, "no reader recognises this file (see docs/input-format.md)"))
        return problems, None
    result = guarded(rel, f"reading it ({reader.__name__.rsplit('.', 1)[-1]} reader)", problems,
                     lambda: reader.read(path, raw))
    return problems, result  # type: ignore[return-value]


def read_inputs(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem], dict[str, str]]:
    """Read every data file with the reader that recognises it (two at a time; the results, and
    their problems, in the files' order)."""
    problems: list[Problem] = []
    figures, sources, hashes = [empty_figures()], [empty_sources()], {}
    paths = list(discover(raw))
    for path in paths:
        hash_with_sidecar(path, path.relative_to(raw).as_posix(), hashes)
    with ThreadPoolExecutor(READ_THREADS) as pool:
        for file_problems, result in pool.map(lambda path: read_file(path, raw), paths):
            problems.extend(file_problems)
            if result is None:
                continue
            figures.append(result.figures)
            sources.append(result.sources)
            problems.extend(result.problems)
    return (
        pd.concat(figures, ignore_index=True),
        pd.concat(sources, ignore_index=True),
        problems,
        hashes,
    )


def sidecar_definitions(raw: Path) -> dict[str, list[dict[str, object]]]:
    """Reference rows that sidecars define (``indicators:``, ``units:``), for the whole run.

    Only the definitions are taken here; each sidecar's other problems are reported once, by
    the reader of its data file.
    """
    definitions: dict[str, list[dict[str, object]]] = {}
    for path in discover(raw):
        if sidecar_path(path).is_file():
            sidecar, _ = load_sidecar(path, path.relative_to(raw).as_posix())
            for table, rows in sidecar.definitions.items():
                definitions.setdefault(table, []).extend(rows)
    return definitions


def build(
    raw: Path, reference_dir: Path, *, report: list[Problem] | None = None
) -> tuple[dict[str, tuple[pd.DataFrame, object]], dict[str, object]]:
    """The tables a run would publish, as pandas frames (dates as ``datetime.date``), and the
    manifest: what :func:`run` writes, for inspection."""
    tables, manifest, derived = prepare(raw, reference_dir, report=report)
    with derived:
        frames = {
            name: (derived.observations if name == "observations" else _as_frame(table), schema)
            for name, (table, schema) in tables.items()
        }
    return frames, manifest


def _as_frame(table: object) -> pd.DataFrame:
    if isinstance(table, Query):  # a table of the derive stage's workspace
        table = table.table()
    return table.to_pandas() if isinstance(table, pa.Table) else table  # type: ignore[return-value]


def prepare(
    raw: Path, reference_dir: Path, *, report: list[Problem] | None = None
) -> tuple[dict[str, tuple[object, object]], dict[str, object], DeriveResult]:
    """Read, normalise and check everything; return the tables to publish (observations as one
    Arrow table, in the warehouse's order), the manifest and the derive stage's result.

    Raises :class:`InputError` listing every problem when any is an error; warnings go into
    ``report`` (when given) and the run goes on.
    """
    if not raw.is_dir():
        raise InputError([Problem(str(raw), None, None, "raw data directory does not exist")])
    problems: list[Problem] = []
    definitions = guarded(str(raw), "reading the sidecars' definitions", problems, lambda: sidecar_definitions(raw)) or {}
    loaded = guarded(str(reference_dir), "loading the reference tables", problems,
                     lambda: load_reference(reference_dir, extra=definitions))
    if loaded is None:
        raise InputError(problems)
    reference, reference_problems = loaded  # type: ignore[misc]
    problems.extend(reference_problems)
    figures, raw_sources, read_problems, hashes = read_inputs(raw)
    problems.extend(read_problems)
    if figures.empty and not errors(problems):
        problems.append(Problem(str(raw), None, None, "no figures found: nothing to publish"))
    # The figures as read are handed over, not kept: once normalised, one copy of the rows, not two.
    read = {"figures": figures}
    del figures
    normalised = guarded("(all files)", "normalising the figures", problems,
                         lambda: normalise(read.pop("figures"), raw_sources, reference))
    if normalised is None:
        raise InputError(problems)
    problems.extend(normalised.problems)
    # On every figure that normalised, errors elsewhere or not: one pass shows every kind of problem.
    problems.extend(guarded("(all files)", "checking plausibility", problems,
                            lambda: plausibility(normalised.observations, normalised.sources, reference, cells=normalised.cells)) or [])
    if errors(problems):
        raise InputError(problems)
    normalised.cells = None  # only the checks read the cells as printed
    if report is not None:
        report.extend(problems)
    # The derive stage works on Arrow: the pandas rows are handed over as Arrow and dropped, so
    # one copy of the rows lives on (the derive stage's memory is DuckDB's, bounded).
    rows = {"observations": to_arrow(normalised.observations)}
    del normalised.observations
    release_unused_memory()
    derived = guarded("(all files)", "deriving figures", problems, lambda: derive_all(
        rows.pop("observations"),
        reference.tables["regions"],
        reference.tables.get("series_breaks"),
        order_by=WAREHOUSE_ORDER,
        dates_as_objects=True,
    ))
    if derived is None:
        raise InputError(problems)
    tables: dict[str, tuple[object, object]] = {
        "observations": (derived.output, OBSERVATIONS_SCHEMA),
        "sources": (with_derived_source(normalised.sources), SOURCES_SCHEMA),
        "reconciliation": (derived.reconciliation_rows, RECONCILIATION_SCHEMA),
        "target_progress": (derived.target_progress, TARGET_PROGRESS_SCHEMA),
        "series_breaks": (derived.series_breaks, SERIES_BREAKS_SCHEMA),
    }
    for name in ("regions", "industries", "indicators", "units"):
        tables[name] = (reference.tables[name].drop(columns=["ref_file", "ref_row"]), None)
    for path in reference.files:
        hashes[file_key(path, reference_dir)] = file_hash(path)
    manifest = {"inputs": hashes, "code_version": code_version(), "schema_version": SCHEMA_VERSION}
    return tables, manifest, derived


def run(raw: Path = DEFAULT_RAW, warehouse: Path | str | Store = DEFAULT_WAREHOUSE, reference: Path = DEFAULT_REFERENCE,
        *, now: datetime | None = None) -> RunResult:
    """Build and publish a snapshot (to a directory or ``s3://`` URL); raise :class:`InputError`
    (publishing nothing) on bad input. Warnings come back in ``RunResult.warnings``."""
    warnings: list[Problem] = []
    tables, manifest, derived = prepare(raw, reference, report=warnings)
    with derived:
        snapshot_id = open_store(warehouse).publish(tables, manifest, now=now or datetime.now(UTC))  # type: ignore[arg-type]
        messages = derived.messages()  # counted in the workspace, before it closes
    counts = {name: len(frame) for name, (frame, _) in tables.items()}
    return RunResult(
        snapshot_id=snapshot_id,
        files=len([k for k in manifest["inputs"] if not k.startswith(("reference/", "reference.local/")) and not k.endswith(SIDECAR_SUFFIX)]),  # type: ignore[union-attr]
        observations=derived.published,
        sources=counts["sources"],
        tables=counts,
        messages=messages,
        warnings=warnings,
    )
