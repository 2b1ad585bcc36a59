"""A sentence as a row of tokens: numbers with units, periods, names and grammar words.

Order of precedence, each on the text the earlier ones left free: comparison bases that
carry a year (比2019年同期, "over the same period in 2019"), numbers with units, periods and
dates, names from the reference tables (longest first), grammar words. Parentheses that hold
no number are set aside first ("(以下增加值增速均为扣除价格因素的实际增长率)", "(NEVs)"): they
explain, they do not state figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.extract.lexicon import Lexicon, Name
from etl.extract.numbers import Quantity, find_quantities
from etl.extract.periods import PeriodRef, find_periods
from etl.extract.words import GRAMMAR, SHARE_OBJECT_ZH

_BASE_YEAR = re.compile(
    r"(?:比|较|与)(?P<y>(?:19|20)\d{2})年同期|"
    r"(?:over|than|compared with|compared to|from) (?:the same period )?(?:of |in )?(?P<y2>(?:19|20)\d{2})\b",
    re.I,
)
#: A period right after these words is what the figure is compared with, not the figure's period.
_BEFORE_BASE = re.compile(r"(?:比|较|与|同)\s*$|(?:than|over|from|compared with|compared to)\s+(?:the\s+)?(?:in\s+)?$", re.I)
_PARENS = re.compile(r"\([^()]*\)|（[^（）]*）")


@dataclass(frozen=True)
class Token:
    kind: str
    start: int
    end: int
    value: object = None

    @property
    def name(self) -> Name:
        assert isinstance(self.value, Name)
        return self.value

    @property
    def quantity(self) -> Quantity:
        assert isinstance(self.value, Quantity)
        return self.value


def mask_parentheses(sentence: str) -> str:
    """The sentence with bracketed asides that hold no number blanked out (same length)."""

    def blank(match: re.Match[str]) -> str:
        inner = match.group(0)
        return inner if find_quantities(inner) else " " * len(inner)

    previous = None
    while previous != sentence:
        previous, sentence = sentence, _PARENS.sub(blank, sentence)
    return sentence


def tokenize(sentence: str, lexicon: Lexicon) -> list[Token]:
    """Every token of ``sentence``, in order."""
    work = mask_parentheses(sentence)
    tokens: list[Token] = []
    covered: list[tuple[int, int]] = [(m.start(), m.end()) for m in re.finditer(r" {2,}", work)]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in covered)

    for match in _BASE_YEAR.finditer(work):
        tokens.append(Token("compare", match.start(), match.end(), ("base_year", int(match["y"] or match["y2"]))))
        covered.append(match.span())
    for quantity in find_quantities(work):
        if free(quantity.start, quantity.end):
            tokens.append(Token("quantity", quantity.start, quantity.end, quantity))
            covered.append((quantity.start, quantity.end))
    periods, dates = find_periods(work)
    for start, end in dates:
        if free(start, end):
            tokens.append(Token("date", start, end))
            covered.append((start, end))
    for mention in periods:
        if not free(mention.start, mention.end):
            continue
        kind = "base_period" if _BEFORE_BASE.search(work[: mention.start]) else "period"
        tokens.append(Token(kind, mention.start, mention.end, mention.ref))
        covered.append((mention.start, mention.end))
    for match in SHARE_OBJECT_ZH.finditer(work):
        group = "obj" if match["obj"] is not None else "obj2"
        tokens.append(Token("share_object", match.start(), match.end(), (match.start(group), match.end(group))))
    for mention in lexicon.find(work, covered):
        tokens.append(Token("name", mention.start, mention.end, mention.name))
        covered.append((mention.start, mention.end))
    for pattern, kind, value in GRAMMAR:
        for match in pattern.finditer(work):
            if match.end() > match.start() and free(match.start(), match.end()):
                tokens.append(Token(kind, match.start(), match.end(), value))
                covered.append(match.span())
    # A space between two Chinese phrases separates clauses ("同比增5.3% 汽车制造业降12.6%").
    for match in re.finditer(r"(?<=[\u4e00-\u9fff%])\s+(?=[\u4e00-\u9fff\d])", work):
        if free(match.start(), match.end()):
            tokens.append(Token("sep", match.start(), match.end(), True))
    return sorted(tokens, key=lambda t: (t.start, -t.end))


def period_ref(token: Token) -> PeriodRef:
    assert isinstance(token.value, PeriodRef)
    return token.value
