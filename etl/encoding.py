"""Text decoding for files as publishers export them: UTF-8 (with or without a BOM), GBK, Latin-1.

The national statistics portal exports GBK or UTF-8 with a BOM; Excel on Chinese Windows
saves GBK; a European user's Excel saves Windows-1252 (Latin-1). The encoding is detected,
or declared in a sidecar (``encoding: gbk``) when detection cannot tell:

1. a BOM decides (UTF-8, UTF-16); a byte after it that does not decode is a located error;
2. strict UTF-8;
3. otherwise GBK (read as GB18030, its superset) **if the text it gives is Chinese**: most of
   its characters are in GB2312, the set every simplified-Chinese text is written in. Bytes
   of Latin-1 text ("Müller Straße") also decode as GB18030, into rare CJK characters
   (``M黮ler Stra遝``): that is how they are told apart;
4. otherwise Windows-1252 if the text it gives is Latin (accented letters, typographic
   punctuation);
5. anything else is an error naming the first byte that is not UTF-8 and its line.

A file that is UTF-8 up to some line and then something else (an export edited in two
programs) is an error at that line, never mojibake.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

#: (name reported, codec of the bytes after the BOM, BOM).
BOMS = (("utf-8-sig", "utf-8", b"\xef\xbb\xbf"), ("utf-16", "utf-16-le", b"\xff\xfe"), ("utf-16", "utf-16-be", b"\xfe\xff"))
#: Encodings a sidecar may declare (``encoding:``), by the names people write.
DECLARABLE = ("utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312", "big5", "cp1252", "windows-1252", "latin-1", "iso-8859-1", "utf-16")
#: At least this share of a GBK reading's characters must be GB2312 for the file to be Chinese.
GB2312_SHARE = 0.5
#: At least this share of a Windows-1252 reading's non-ASCII characters must be Latin letters or punctuation.
LATIN_SHARE = 0.9
#: Characters sampled for the two tests (enough to decide, cheap on a large file).
SAMPLE = 20_000
_LATIN_PUNCTUATION = set("«»°€£§·–—‘’‚“”„…•²³µ¹ºª¿¡×÷±©®™¢¥¤¦¨¬¯´¸¼½¾ ")


class DecodeError(ValueError):
    """The bytes do not decode in any encoding the file could be in; ``line`` is where it fails (1-based)."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.line = line


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def _cjk(text: str) -> int:
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text)


def _share_gb2312(text: str) -> float:
    """Of the sampled non-ASCII characters, the share that GB2312 (simplified Chinese) holds."""
    wide = [ch for ch in text if ord(ch) > 0x7F][:SAMPLE]
    if not wide:
        return 1.0
    inside = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            inside += 1
        except UnicodeEncodeError:
            pass
    return inside / len(wide)


def _share_latin(text: str) -> float:
    """Of the sampled non-ASCII characters, the share that are Latin letters or punctuation."""
    wide = [ch for ch in text if ord(ch) > 0x7F][:SAMPLE]
    if not wide:
        return 1.0
    latin = sum(
        ch in _LATIN_PUNCTUATION or (unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, ""))
        for ch in wide
    )
    return latin / len(wide)


def _strict(data: bytes, encoding: str, what: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(f"{what}: byte {error.start} ({data[error.start:error.start + 1].hex()}) is not {encoding}", line_of(data, error.start)) from None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`DecodeError` (with its line) if no encoding fits."""
    if declared:
        name = declared.strip().lower()
        if name not in DECLARABLE:
            raise DecodeError(f"unknown encoding {declared!r} in the sidecar (expected one of {', '.join(DECLARABLE)})")
        codec = codecs.lookup(name).name
        if codec == "utf-8" and data.startswith(BOMS[0][2]):
            codec = "utf-8-sig"
        return _strict(data, codec, f"the sidecar declares {declared}"), codec
    for name, codec, bom in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError as error:
                position = error.start + len(bom)
                kind = "UTF-8" if codec == "utf-8" else "UTF-16"
                raise DecodeError(
                    f"mixed encodings: the file starts with a {kind} BOM but byte {position} is not {kind} (a line saved as GBK?)",
                    line_of(data, position),
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    prefix = data[:first_bad].decode("utf-8")
    # A GBK pair can pass as a 2-byte UTF-8 sequence by chance; two CJK characters in valid
    # 3-byte UTF-8 before the first bad byte cannot: the file is UTF-8 that turns into something else.
    if _cjk(prefix) >= 2:
        raise DecodeError(
            f"mixed encodings: UTF-8 text up to byte {first_bad}, then bytes that are not UTF-8 (GBK?)",
            line_of(data, first_bad),
        )
    try:
        chinese = data.decode("gb18030")
    except UnicodeDecodeError:
        chinese = None
    if chinese is not None and _share_gb2312(chinese) >= GB2312_SHARE:
        return chinese, "gbk"
    try:
        latin, name = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d are unassigned in Windows-1252
        latin, name = data.decode("latin-1"), "latin-1"
    if _share_latin(latin) >= LATIN_SHARE:
        return latin, name
    raise DecodeError(
        f"cannot tell the encoding: byte {first_bad} is not UTF-8, and the text reads neither as Chinese (GBK) "
        "nor as Latin-1; save the file as UTF-8, or declare `encoding:` in its sidecar",
        line_of(data, first_bad),
    )


def read_text(path: Path, declared: str | None = None) -> tuple[str, str]:
    """Read a whole text file, detecting its encoding."""
    return decode_bytes(path.read_bytes(), declared)
