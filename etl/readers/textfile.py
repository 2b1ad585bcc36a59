"""Decoding a published text file for a reader, with problems instead of exceptions.

:mod:`etl.encoding` detects UTF-8 / UTF-8 with a BOM / GBK / Latin-1 and locates the line
where bytes stop decoding (a BOM file with a GBK line, a file UTF-8 first and GBK later);
here that becomes a :class:`~etl.problems.Problem` naming the file and line. A sidecar may
declare the encoding (``encoding: big5``) when detection cannot tell.
"""

from __future__ import annotations

from pathlib import Path

from etl.encoding import DecodeError, decode_bytes
from etl.problems import Problem


def relative_name(path: Path, raw_root: Path) -> str:
    """The file's name in problems: relative to the raw directory when it is inside it."""
    try:
        return path.resolve().relative_to(raw_root.resolve()).as_posix()
    except ValueError:
        return path.name


def decode_file(path: Path, rel: str, declared: str | None = None) -> tuple[str | None, list[Problem]]:
    """The text of ``path``, or None with a problem saying where decoding failed."""
    try:
        text, _ = decode_bytes(path.read_bytes(), declared or None)
    except DecodeError as error:
        return None, [Problem(rel, error.line, None, str(error))]
    return text, []
