"""Names from the reference tables, found in text by longest match.

Regions (GB/T 2260 and the NBS economic zones), industries (GB/T 4754 sections, divisions and
their common names; groupings such as 高技术制造业), products (钢材, 发电量, NEVs), scopes
(ownership types such as 国有控股企业, reporting systems such as CAAM) and indicator phrases
(增加值, 利润总额, 产品销售率, "added value") all come from ``data/reference``: adding a name
there teaches the extractor too. At each position the longest name wins, whatever its table,
so ``电力、热力生产和供应业`` is D44 and not D's first words, ``汽车制造业`` is C36 and not the
product 汽车, and "foreign-invested enterprises and enterprises invested by Hong Kong, Macao and
Taiwan" is an ownership type, never the region Macao. A name that is both a product and an
industry (汽车, 新能源汽车) is read as the product: the product implies its industry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from etl.reference import Reference

#: At equal length, which table a name is read from.
PRIORITY = {"indicator": 0, "product": 1, "scope": 2, "region": 3, "industry": 4}
#: English industry names take these words after them ("mining industry", "textile industry").
_EN_SUFFIXES = (" industry", " industries", " sector")
_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Region schemes the extractor reads (the Chinese releases' regions; not NUTS, not US states).
_REGION_SCHEMES = ("GB/T 2260", "ISO 3166-1", "NBS economic zones")
_INDUSTRY_CLASSIFICATIONS = ("GB/T 4754", "grouping")


@dataclass(frozen=True)
class Name:
    """A name found in text: which table, which code, what an indicator phrase implies."""

    category: str  # region | industry | product | scope | indicator
    code: str
    implied: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str:
        return dict(self.implied).get(key, "")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: Name


@dataclass
class Lexicon:
    """A character trie of folded names; ``find`` gives non-overlapping longest matches."""

    trie: dict = field(default_factory=dict)
    #: Facts about codes the grammar needs: a product's industry and unit, a region's level and parent.
    product_industry: dict[str, str] = field(default_factory=dict)
    product_unit: dict[str, str] = field(default_factory=dict)
    region_level: dict[str, str] = field(default_factory=dict)
    region_parent: dict[str, str] = field(default_factory=dict)
    indicator_unit: dict[str, str] = field(default_factory=dict)
    scope_kind: dict[str, str] = field(default_factory=dict)

    def add(self, text: str, name: Name) -> None:
        key = text.casefold()
        if len(key) < 2:
            return
        node = self.trie
        for char in key:
            node = node.setdefault(char, {})
        previous = node.get("")
        if previous is None or PRIORITY[name.category] < PRIORITY[previous[0].category]:
            node[""] = (name, text if _is_acronym(text) else None)

    def find(self, text: str, covered: list[tuple[int, int]] | None = None) -> list[Mention]:
        """Longest names in ``text``, left to right, skipping ``covered`` spans (numbers, periods)."""
        folded = text.casefold()
        blocked = [False] * len(text)
        for start, end in covered or []:
            for i in range(start, min(end, len(text))):
                blocked[i] = True
        found: list[Mention] = []
        i = 0
        while i < len(folded):
            if blocked[i] or (i > 0 and folded[i - 1].isalnum() and folded[i].isascii() and folded[i].isalnum()):
                i += 1
                continue
            node, best = self.trie, None
            j = i
            while j < len(folded) and not blocked[j] and folded[j] in node:
                node = node[folded[j]]
                j += 1
                if "" in node and _boundary(folded, j):
                    name, exact = node[""]
                    if exact is None or text[i:j] == exact:
                        best = (j, name)
            if best is None:
                i += 1
                continue
            found.append(Mention(i, best[0], best[1]))
            i = best[0]
        return found


def _is_acronym(text: str) -> bool:
    """Short capitals (NEV, CAAM): matched with their case, so "nev" in a word never counts."""
    return len(text) <= 5 and text.isascii() and text.replace("s", "").isupper()


def _boundary(folded: str, end: int) -> bool:
    """An English name must end at a word boundary; a Chinese one may end anywhere."""
    if end >= len(folded):
        return True
    last, nxt = folded[end - 1], folded[end]
    return not (last.isascii() and last.isalnum() and nxt.isascii() and nxt.isalnum())


def _names(row: pd.Series, *columns: str) -> list[str]:
    names = [str(row[c]) for c in columns if c in row and str(row[c]).strip()]
    if row.get("aliases"):
        names += [a for a in str(row["aliases"]).split("|") if a.strip()]
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if not name or re.fullmatch(r"[A-Za-z]{1,2}|[A-Z]-[A-Z0-9-]+|\d+", name):
            continue  # codes (B, C36, X-ALL) are not words of a text
        out.append(name)
        if _CJK.search(name) and "、" in name:
            out.append(name.replace("、", ""))  # 电力热力燃气及水生产和供应业, as some bulletins print it
    return out


def build_lexicon(reference: Reference) -> Lexicon:
    """Every name the reference tables know, in one trie."""
    lexicon = Lexicon()
    regions = reference.regions
    regions = regions[regions["scheme"].isin(_REGION_SCHEMES) | (regions["code"] == "CN")]
    for _, row in regions.iterrows():
        lexicon.region_level[row["code"]] = row["level"]
        lexicon.region_parent[row["code"]] = row["parent_code"]
        for name in _names(row, "name_zh", "name_en"):
            lexicon.add(name, Name("region", row["code"]))
    industries = reference.industries[reference.industries["classification"].isin(_INDUSTRY_CLASSIFICATIONS)]
    for _, row in industries.iterrows():
        for name in _names(row, "name_zh", "name_en"):
            lexicon.add(name, Name("industry", row["code"]))
            if not _CJK.search(name) and not name.lower().endswith(_EN_SUFFIXES):
                for suffix in _EN_SUFFIXES:
                    lexicon.add(name + suffix, Name("industry", row["code"]))
    for _, row in reference.products.iterrows():
        lexicon.product_industry[row["code"]] = row["industry_code"]
        lexicon.product_unit[row["code"]] = row["unit"]
        for name in _names(row, "name_zh", "name_en"):
            lexicon.add(name, Name("product", row["code"]))
    for _, row in reference.scopes.iterrows():
        lexicon.scope_kind[row["code"]] = row["kind"]
        if row["aliases"]:
            for name in _names(row, "name_zh"):
                lexicon.add(name, Name("scope", row["code"]))
    for _, row in reference.indicators.iterrows():
        lexicon.indicator_unit[row["code"]] = row["default_unit"]
        for name in _names(row, "name_zh", "name_en"):
            lexicon.add(name, Name("indicator", row["code"]))
    columns = ("product", "industry_code", "measure", "share_of", "scope", "price_basis")
    for _, row in reference.tables["indicator_aliases"].iterrows():
        alias = " ".join(str(row["alias"]).split())
        if re.search(r"[()（）:_]", alias) or alias == row["indicator"]:
            continue  # codes (value_added) and annotated labels (汽车产量(城市排名)) are not phrases of a text
        implied = tuple((c, str(row[c])) for c in columns if str(row[c]))
        lexicon.add(alias, Name("indicator", str(row["indicator"]), implied))
    return lexicon
