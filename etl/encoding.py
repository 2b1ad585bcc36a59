"""Text decoding for files as publishers export them: UTF-8, UTF-8 with a BOM, or GBK.

The national statistics portal exports GBK or UTF-8 with a BOM; Excel on Chinese Windows
saves GBK. The encoding is detected, never configured: a BOM wins, then strict UTF-8,
then GB18030 (a superset of GBK). Anything else is an error naming the file.
"""

from __future__ import annotations

from pathlib import Path

BOMS = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))


class DecodeError(ValueError):
    """The bytes are neither UTF-8 nor GBK."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`DecodeError` if no encoding fits."""
    for name, bom in BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gbk"
        except UnicodeDecodeError:
            raise DecodeError(
                f"not UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) and not GBK"
            ) from None


def read_text(path: Path) -> tuple[str, str]:
    """Read a whole text file, detecting its encoding."""
    return decode_bytes(path.read_bytes())
