"""A release as text: HTML → text, page furniture and notes set aside, paragraphs and sentences.

Positions matter: every candidate carries the sentence it came from and the span of its number
in that sentence (so the review page can highlight it). Normalisation is therefore character
for character: full-width forms become their ASCII twins (``，`` → ``,``, ``１`` → ``1``) and
curly apostrophes straight ones, but nothing is inserted or removed inside a sentence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

#: Full-width ASCII (U+FF01..U+FF5E) → ASCII, the ideographic space → a space, curly
#: apostrophes → ``'``: one character for one, so spans stay valid. ``、`` and ``。`` stay.
_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)}
_WIDTH.update({0x3000: 0x20, 0x2019: 0x27, 0x2018: 0x27, 0x2212: 0x2D, 0xFF5E: 0x7E})
WIDTH = str.maketrans(_WIDTH)

#: A line that starts the notes of a bulletin (指标解释, 统计范围, ...): nothing after it is a figure.
_NOTES = re.compile(
    r"^\s*(?:附注|注释|附\s*注|\d\s*[.、]\s*指标解释|指标解释|说明|Notes?|Annotations?|Explanatory notes?)\s*[:：]?\s*$", re.I
)
#: Page furniture: view counters, font-size links, breadcrumbs, publisher bullets.
_FURNITURE = re.compile(
    r"浏览次数|浏览量|点击量|阅读量|当前位置|字号|发布人|打印本页|关闭窗口|分享到|^\s*[-•]\s*\S+[:：]|^\s*[大中小]\s*$"
)
#: ``Key: value`` lines at the top of a saved page (the corpus' own header, a repost's byline).
_META = re.compile(r"^\s*(URL|TITLE|PUBLISHED|标题|来源|文章来源|发布时间|时间|Source|Date)\s*[:：]\s*(.*)$", re.I)
_ISO_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?!\d)")
_ZH_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_SENTENCE_END = re.compile(r"[。！？.!?;；:：)）”\"|]\s*$")


def normalise_width(text: str) -> str:
    """Full-width punctuation and digits → ASCII, one character for one."""
    return text.translate(WIDTH)


def plain_text(text: str) -> str:
    """HTML → text (block tags become line breaks); plain text is returned as it is."""
    if not re.search(r"<(?:p|div|br|html|body|span|td|li|h\d)\b", text, re.I):
        return text
    text = re.sub(r"(?is)<(script|style|head|nav|footer)\b.*?</\1>", " ", text)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</h\d>|</li>|</tr>|</title>", "\n", text)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


@dataclass
class Paragraph:
    """One paragraph's text (whitespace collapsed) and its sentences."""

    text: str
    sentences: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A release cut into paragraphs, with what its header and furniture lines said."""

    paragraphs: list[Paragraph]
    title: str = ""
    url: str = ""
    published: date | None = None
    publisher_text: str = ""
    #: Lines left out (furniture, notes), for the record.
    left_out: list[str] = field(default_factory=list)


def _date(text: str) -> date | None:
    for pattern in (_ISO_DATE, _ZH_DATE):
        if match := pattern.search(text):
            try:
                return date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                continue
    return None


def _note_furniture(doc: Document, line: str) -> None:
    """A header or furniture line: keep its date and its ``来源:`` (publisher), then set it aside."""
    doc.published = doc.published or _date(line)
    if match := re.search(r"来源\s*[:：]\s*([^\s:：]+?)(?=作者|浏览|发布|点击|$|\s)", line):
        doc.publisher_text = doc.publisher_text or match[1]
    doc.left_out.append(line)


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _joined_lines(block: list[str]) -> list[str]:
    """Lines of one block, hard-wrapped sentences joined back (a line that stops mid-sentence)."""
    out: list[str] = []
    for line in block:
        if out and not _SENTENCE_END.search(out[-1]) and len(out[-1]) > 60:
            glue = "" if _is_cjk(out[-1][-1:]) and _is_cjk(line[:1]) else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
    return out


def sentences(paragraph: str) -> list[str]:
    """Split on sentence ends: 。！？ and an English full stop followed by a space and a capital
    (never the point in 145.98 or in "U.S.")."""
    parts = re.split(r"(?<=[。！？])|(?<=[a-z0-9%)\"”’'][.!?])\s+(?=[A-Z“\"(])", paragraph)
    return [p.strip() for p in parts if p and p.strip()]


def read_document(raw: str) -> Document:
    """Cut a release (text or HTML) into paragraphs and sentences; note its header and furniture."""
    text = normalise_width(plain_text(raw)).replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(paragraphs=[])
    blocks: list[list[str]] = [[]]
    in_notes = False
    for number, line in enumerate(text.split("\n")):
        stripped = " ".join(line.split())
        if not stripped:
            blocks.append([])
            continue
        if in_notes:
            doc.left_out.append(stripped)
            continue
        if _NOTES.match(stripped):
            in_notes = True
            doc.left_out.append(stripped)
            continue
        meta = _META.match(stripped) if number < 12 or len(stripped) < 80 else None
        if meta and len(stripped) < 200:
            key, value = meta[1].lower(), meta[2].strip()
            if key == "url":
                doc.url = value.split()[0] if value else ""
            elif key in ("title", "标题"):
                doc.title = "" if value.startswith("(none") else value
            elif key == "source":
                doc.publisher_text = doc.publisher_text or value
            _note_furniture(doc, stripped)
            continue
        if _FURNITURE.search(stripped) and not re.search(r"\d+(?:\.\d+)?\s*(?:%|亿|万|percent)", stripped):
            _note_furniture(doc, stripped)
            continue
        blocks[-1].append(stripped)
    for block in blocks:
        for line in _joined_lines(block):
            doc.paragraphs.append(Paragraph(line, sentences(line)))
    head = " ".join(p.text for p in doc.paragraphs[:3])[:600]
    doc.published = doc.published or _date(head)
    if match := re.search(r"(?:时间|日期)[:：]?\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2})", head):
        doc.published = doc.published or _date(match[1])
    return doc
