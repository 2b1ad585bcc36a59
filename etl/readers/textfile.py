"""Decoding a published text file for a reader, with problems instead of exceptions.

:mod:`etl.encoding` detects UTF-8 / UTF-8 with a BOM / GBK. Two failures it cannot see
are reported here: a BOM followed by bytes that are not UTF-8, and a file that is UTF-8
in its first part and GBK later (an export edited in two programs). GB18030 decodes
almost any bytes, so the second would otherwise become silent mojibake.
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


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _mixed(data: bytes, rel: str) -> Problem | None:
    """A problem if the file is valid UTF-8 Chinese up to some byte and something else after it."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8")
        # A GBK pair can pass as a 2-byte UTF-8 sequence by chance; two CJK characters
        # in valid 3-byte UTF-8 before the first bad byte cannot.
        if sum("\u4e00" <= ch <= "\u9fff" for ch in prefix) >= 2:
            return Problem(
                rel,
                _line_of(data, error.start),
                None,
                f"mixed encodings: UTF-8 text up to byte {error.start}, then bytes that are not UTF-8 (GBK?)",
            )
    return None


def decode_file(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """The text of ``path``, or None with a problem saying where decoding failed."""
    data = path.read_bytes()
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as error:
        mixed = _mixed(data, rel)
        return None, [mixed or Problem(rel, None, None, str(error))]
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                rel,
                _line_of(data, error.start),
                None,
                f"mixed encodings: the file starts with a UTF-8 BOM but byte {error.start} is not UTF-8",
            )
        ]
    if encoding == "gbk" and (mixed := _mixed(data, rel)) is not None:
        return None, [mixed]
    return text, []
