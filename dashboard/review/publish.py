"""Publishing a review: the file pair in ``data/raw/inbox/``, checked, then the ETL refresh.

1. The source row is checked (id, title, publisher, an ``http(s)`` address, an ISO date).
2. The candidates file and its sources row are written to a temporary folder and read by the
   ETL's own readers and checks (:func:`etl.pipeline.prepare`): a careless edit — ``value_added``
   in 个, a region that is no region — is refused here, with its row and column, and nothing in
   ``data/raw/`` or the warehouse changes (so the dashboard's run status does not turn red for it).
3. Only then are the two files written to ``<raw>/inbox/<source_id>.figures.csv`` and
   ``.sources.csv`` and :func:`etl.refresh.refresh` runs under the warehouse lock. When that run
   fails anyway (the figures clash with another file), the inbox is put back as it was, so the
   next scheduled refresh does not fail on the review's files.

One review at a time: an exclusive lock on ``<raw>/inbox/.review.lock`` is held from the check
to the end of the refresh.
"""

from __future__ import annotations

import csv
import fcntl
import io
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.extract.candidates import CANDIDATE_COLUMNS
from etl.lock import LockBusyError
from etl.model import AUTHORITY_RANK
from etl.pipeline import prepare
from etl.problems import InputError, Problem, errors
from etl.readers.base import SOURCE_FIELDS
from etl.refresh import refresh

INBOX = "inbox"
LOCK_NAME = ".review.lock"
#: A source id is also a file name: letters, digits, ``.``, ``_``, ``-``; it starts with a letter or digit.
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
URL = re.compile(r"https?://[^\s\"'<>]{1,1990}", re.IGNORECASE)
MAX_TITLE = 300
#: How long a review waits for a scheduled ETL run to finish before it gives up.
LOCK_WAIT_S = 60.0


@dataclass(frozen=True)
class SourceInfo:
    """The release the figures come from, as the reviewer confirmed it."""

    source_id: str
    title: str
    publisher: str
    url: str = ""
    published_date: str = ""
    authority: str = ""

    def row(self) -> dict[str, str]:
        return {
            "source_id": self.source_id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published_date": self.published_date,
            "retrieved_date": "" if self.published_date else date.today().isoformat(),
            "authority": self.authority,
            "note": "entered on the dashboard's review page",
        }


@dataclass
class Outcome:
    """What a publish did: ``refused`` (nothing written), ``failed`` (the ETL run failed; inbox restored),
    ``published`` or ``unchanged`` (the same figures were already published)."""

    status: str
    problems: list[str] = field(default_factory=list)
    snapshot_id: str | None = None
    figures_file: str = ""
    accepted: int = 0


def check_source(info: SourceInfo) -> list[str]:
    """What is wrong with the source row (empty: nothing)."""
    problems = []
    if not SOURCE_ID.fullmatch(info.source_id):
        problems.append(
            "source id: letters, digits, '.', '_' and '-' only, at most 80, starting with a letter or digit"
        )
    if not info.title.strip():
        problems.append("title: required (the release's title as printed)")
    if not info.publisher.strip():
        problems.append("publisher: required (who published the release)")
    for name, value in (("title", info.title), ("publisher", info.publisher)):
        if len(value) > MAX_TITLE:
            problems.append(f"{name}: at most {MAX_TITLE} characters")
        if "\n" in value or "\r" in value:
            problems.append(f"{name}: one line")
    if info.url and not URL.fullmatch(info.url):
        problems.append("address: an http:// or https:// address without spaces")
    if info.published_date:
        try:
            date.fromisoformat(info.published_date)
        except ValueError:
            problems.append("release date: a date YYYY-MM-DD")
    if info.authority not in AUTHORITY_RANK:
        problems.append("kind of source: official, association, company or media")
    return problems


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def file_texts(rows: list[dict[str, str]], info: SourceInfo) -> tuple[str, str]:
    """The candidates file and its sources file, as text (UTF-8 with a BOM when written)."""
    return _csv(rows, CANDIDATE_COLUMNS), _csv([info.row()], SOURCE_FIELDS)


def grid_location(problem: Problem, figures_name: str) -> str:
    """A problem in the reviewer's terms: grid row N (file line N + 1), the column, the reason."""
    if problem.file.endswith(figures_name) and problem.row:
        where = f"row {problem.row - 1}" + (f", {problem.column}" if problem.column else "")
        return f"{where}: {problem.reason} ({INBOX}/{figures_name}:{problem.row}:{problem.column or ''})"
    return str(problem)


def _other_sources_with(raw: Path, source_id: str, own: Path) -> list[str]:
    """Files under ``raw`` (other than ``own``) that already define ``source_id``."""
    found = []
    for path in sorted(raw.rglob("*.sources.csv")):
        if path.resolve() == own.resolve():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the ETL reports an unreadable file itself
        if any(row.get("source_id") == source_id for row in csv.DictReader(io.StringIO(text))):
            found.append(path.relative_to(raw).as_posix())
    return found


def precheck(rows: list[dict[str, str]], info: SourceInfo, reference: Path) -> list[str]:
    """The ETL's own reading and checks on this review alone; every error, in grid terms."""
    figures_text, sources_text = file_texts(rows, info)
    name = f"{info.source_id}.figures.csv"
    with tempfile.TemporaryDirectory(prefix="review-") as folder:
        inbox = Path(folder) / INBOX
        inbox.mkdir()
        (inbox / name).write_text(figures_text, encoding="utf-8-sig")
        (inbox / f"{info.source_id}.sources.csv").write_text(sources_text, encoding="utf-8-sig")
        try:
            _tables, _manifest, derived = prepare(Path(folder), reference)
        except InputError as error:
            return [grid_location(p, name) for p in errors(error.problems)]
        with derived:
            pass
    return []


@contextmanager
def review_lock(inbox: Path) -> Iterator[None]:
    """One review at a time (a second one waits for the first)."""
    inbox.mkdir(parents=True, exist_ok=True)
    fd = os.open(inbox / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8-sig")
    os.replace(temporary, path)


def publish(
    rows: list[dict[str, str]], info: SourceInfo, *, raw: Path, warehouse: Path | str, reference: Path
) -> Outcome:
    """Check, write and refresh (see the module docstring); never raises for bad input."""
    problems = check_source(info)
    if problems:
        return Outcome("refused", problems)
    inbox = raw / INBOX
    figures_path = inbox / f"{info.source_id}.figures.csv"
    sources_path = inbox / f"{info.source_id}.sources.csv"
    accepted = sum(r["review"] == "accepted" for r in rows)
    with review_lock(inbox):
        clash = _other_sources_with(raw, info.source_id, sources_path)
        if clash:
            return Outcome(
                "refused", [f"source id: {info.source_id!r} is already used in {', '.join(clash)}; choose another"]
            )
        problems = precheck(rows, info, reference)
        if problems:
            return Outcome("refused", problems)
        before = {path: path.read_bytes() if path.exists() else None for path in (figures_path, sources_path)}
        figures_text, sources_text = file_texts(rows, info)
        _write_atomic(sources_path, sources_text)
        _write_atomic(figures_path, figures_text)
        try:
            result = refresh(raw, warehouse, reference, wait=LOCK_WAIT_S)
        except LockBusyError:
            _restore(before)
            return Outcome(
                "failed",
                [f"another ETL run held the warehouse for over {LOCK_WAIT_S:g} s; nothing was published, try again"],
                accepted=accepted,
            )
        except BaseException:
            _restore(before)  # a crash of the run: the inbox as it was, and the error goes to the log
            raise
        if result.outcome == "failed":
            _restore(before)
            lines = [grid_location(p, figures_path.name) for p in errors(result.problems)] or result.errors
            return Outcome(
                "failed",
                lines or ["the ETL run failed (see python -m etl history)"],
                figures_file=figures_path.relative_to(raw).as_posix(),
                accepted=accepted,
            )
    return Outcome(
        "published" if result.outcome == "ok" else "unchanged",
        [],
        result.snapshot_id,
        figures_path.relative_to(raw).as_posix(),
        accepted,
    )


def _restore(before: dict[Path, bytes | None]) -> None:
    """Put the inbox files back as they were before this review wrote them."""
    for path, content in before.items():
        if content is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(content)
