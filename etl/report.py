"""The problem report a person reads after a run: grouped by kind, counted, each with its first places.

One file with a wrong unit can give twenty thousand problem lines of one kind; a list cut
at 50 lines then hides every other kind. So a run reports

* on screen and in ``runs.jsonl``: one entry per kind of problem (``not a number: …``,
  ``unknown region …``) with its severity, count, the number of files and the first
  :data:`FIRST` locations; the sample of lines kept in the record takes the kinds in turn;
* in ``<warehouse>/runs/<run>.problems.csv``: every problem, one line per cell
  (severity, kind, file, row, column, reason), UTF-8 with a BOM for Excel, with spreadsheet
  formulas neutralised (a cell of the input is echoed in the reason).
"""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from etl.problems import Problem

RUNS_DIR = "runs"
#: Problem files kept in ``runs/`` (the oldest are removed when a run writes a new one).
KEEP_FILES = 50
#: Locations kept per kind.
FIRST = 5
#: A cell starting with one of these would be a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def location(problem: Problem) -> str:
    return f"{problem.file}:{'' if problem.row is None else problem.row}:{problem.column or ''}"


def summarise(problems: list[Problem], first: int = FIRST) -> list[dict[str, object]]:
    """One entry per (severity, kind): count, files, first locations and one example line.

    Errors come before warnings, then the most frequent kinds first.
    """
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.severity, problem.kind)].append(problem)
    entries = []
    for (severity, kind), members in groups.items():
        entries.append({
            "severity": severity,
            "kind": kind,
            "count": len(members),
            "files": len({p.file for p in members}),
            "first": [location(p) for p in members[:first]],
            "example": str(members[0]),
        })
    return sorted(entries, key=lambda e: (e["severity"] != "error", -int(e["count"]), str(e["kind"])))  # type: ignore[call-overload]


def sample(problems: list[Problem], limit: int) -> list[str]:
    """Up to ``limit`` problem lines, taking the kinds in turn (so no kind hides another)."""
    by_kind: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        by_kind[(problem.severity, problem.kind)].append(problem)
    queues = sorted(by_kind.values(), key=lambda q: (q[0].severity != "error", -len(q)))
    out: list[str] = []
    depth = 0
    while len(out) < limit and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(out) < limit:
                out.append(str(queue[depth]))
        depth += 1
    return out


def summary_lines(summary: list[dict[str, object]], examples: list[Problem] | None = None, per_kind: int = 3) -> list[str]:
    """The summary for a terminal: a line per kind, then its first problem lines, indented."""
    lines = []
    by_kind: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in examples or []:
        if len(by_kind[(problem.severity, problem.kind)]) < per_kind:
            by_kind[(problem.severity, problem.kind)].append(problem)
    for entry in summary:
        files = f" in {entry['files']} files" if int(entry["files"]) > 1 else ""  # type: ignore[call-overload]
        lines.append(f"{entry['severity']}: {entry['count']} × {entry['kind']}{files}")
        shown = by_kind.get((str(entry["severity"]), str(entry["kind"])))
        if shown:
            lines.extend(f"    {p}" for p in shown)
            rest = int(entry["count"]) - len(shown)  # type: ignore[call-overload]
            if rest > 0:
                lines.append(f"    ... and {rest} more like it")
        else:
            lines.append(f"    first at {', '.join(entry['first'])}")  # type: ignore[arg-type]
    return lines


def run_name(started: datetime) -> str:
    """A run's name in ``runs/``: its start time, sortable and safe in a file name."""
    return started.strftime("%Y%m%dT%H%M%S%fZ")


def _cell(text: object) -> str:
    value = "" if text is None else str(text)
    return "'" + value if value.startswith(FORMULA_START) else value


def render_problems(problems: list[Problem]) -> bytes:
    """Every problem as a CSV file: a header, one line per problem; UTF-8 with a BOM (Excel), CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["severity", "kind", "file", "row", "column", "reason"])
    for p in problems:
        writer.writerow([_cell(v) for v in (p.severity, p.kind, p.file, "" if p.row is None else p.row, p.column or "", p.reason)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_run_file(warehouse: Path, name: str, data: bytes) -> Path:
    """``<warehouse>/runs/<name>``, written whole then renamed; the oldest problem files beyond
    :data:`KEEP_FILES` are removed."""
    folder = warehouse / RUNS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    for old in sorted(folder.glob("*.problems.csv"))[:-KEEP_FILES]:
        old.unlink(missing_ok=True)
    return path


def write_problems(warehouse: Path, name: str, problems: list[Problem]) -> Path:
    """Every problem of a run in ``<warehouse>/runs/<name>.problems.csv``."""
    return write_run_file(warehouse, f"{name}.problems.csv", render_problems(problems))
