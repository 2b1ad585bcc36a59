"""Whose figure a clause states: region, scope, industry and product, each clause its own.

"农副食品加工业增长1.5%,纺织业增长5.2%,…": each comma starts a clause with its own subject;
"同比下降10.1%" after "钢材10880万吨" has none and keeps the steel. A list joined by 、/"and"
with 分别/"respectively" pairs its members with the numbers in order ("采矿业、制造业、…增加值
分别增长2.9%、3.3%、20.6%"). A new subject drops what the last one had: after the ownership
types (国有控股企业), 采矿业 is all mining again, not state-held mining.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from etl.extract.lexicon import Lexicon, Name

#: Indicators of the whole economy: without an industry named, their figures are all industries'.
WHOLE_ECONOMY = {"investment": "X-ALL", "retail_sales": "X-ALL"}
#: A volume indicator whose figure is printed in money is its value twin ("exports of USD13 billion").
MONEY_TWIN = {"exports_volume": "exports_value", "sales_volume": "revenue", "production": "output_value"}
#: Indicators a product's figure may have; any other inherited indicator gives way to production.
PRODUCT_INDICATORS = {"production", "sales_volume", "exports_volume", "exports_value", "capacity", "output_value",
                      "retail_sales", "revenue"}


@dataclass(frozen=True)
class Subject:
    region: str = ""
    scope: str = ""
    industry: str = ""
    product: str = ""
    #: "clause" (named in the clause), "sentence" (an earlier clause of the sentence),
    #: "before" (an earlier sentence), "base" (nothing named: the release's own subject).
    how: str = "base"

    def inherited(self, same_sentence: bool) -> Subject:
        return replace(self, how="sentence" if same_sentence else "before")


def apply(subject: Subject, name: Name, lexicon: Lexicon) -> Subject:
    """``subject`` with one more name: a region, a scope, an industry or a product."""
    if name.category == "region":
        return replace(subject, region=name.code)
    if name.category == "scope":
        return replace(subject, scope=name.code)
    if name.category == "industry":
        return replace(subject, industry=name.code, product="")
    if name.category == "product":
        return replace(subject, product=name.code, industry=lexicon.product_industry.get(name.code, "") or subject.industry)
    return subject


def implied_names(name: Name) -> list[Name]:
    """The subject an indicator phrase carries: 新能源汽车产量 → the product NEVs of C36."""
    out = []
    if name.get("industry_code"):
        out.append(Name("industry", name.get("industry_code")))
    if name.get("product"):
        out.append(Name("product", name.get("product")))
    if name.get("scope"):
        out.append(Name("scope", name.get("scope")))
    return out


def product_indicator(product: str, indicator: str, lexicon: Lexicon) -> str:
    """A product's figure is output unless the clause says sales, exports, …"""
    if indicator in PRODUCT_INDICATORS:
        return indicator
    return "production" if lexicon.product_unit.get(product) else "retail_sales"
