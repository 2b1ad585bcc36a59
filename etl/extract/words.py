"""The grammar words of statistical releases, Chinese and English.

These are the language of the releases, not reference data: directions (增长 / 下降 /
"decreased"), comparisons (同比, 环比, 比上月, "month on month"), price bases (实际, 名义),
shares (占…比重, "accounting for"), contributions (拉动), targets, "respectively" (分别) and
the separators between clauses. Each entry is (pattern, kind, value); the tokenizer tries them
in this order, longest alternatives first, on the text that names and numbers left free.
"""

from __future__ import annotations

import re


def _alt(*words: str) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_UP_ZH = _alt("增长", "增", "上升", "提高", "加快", "回升", "上涨", "提升", "增加", "加速", "高于")
_DOWN_ZH = _alt("下降", "降低", "降", "减少", "回落", "放缓", "下滑", "下跌", "减", "低于", "收缩")
_UP_EN = _alt(
    "increased by", "increased", "increase of", "increase", "increasing by", "increasing", "rose by", "rose",
    "rising by", "rising", "risen", "up by", "up", "grew by", "grew", "growing by", "growing", "growth of",
    "gained", "expanded by", "expanded", "accelerated by", "accelerated", "higher by", "climbed", "jumped",
    "surged", "picked up by", "picked up",
)
_DOWN_EN = _alt(
    "decreased by", "decreased", "decrease of", "decreasing by", "decreasing", "declined by", "declined",
    "declining by", "declining", "decline of", "fell by", "fell", "falling by", "falling", "fallen", "down by",
    "down", "dropped by", "dropped", "shrank by", "shrank", "contracted by", "contracted", "slowed by", "slowed",
    "slowed down by", "lower by", "dipped",
)

#: (pattern, kind, value) — kind is the token kind, value what it means.
GRAMMAR: list[tuple[re.Pattern[str], str, object]] = [
    # a decline that narrowed is a rise of the growth rate, and the other way round
    (re.compile(r"(?:降幅|跌幅|亏损)(?:收窄|缩小|减少)"), "direction", 1),
    (re.compile(r"(?:增幅|涨幅|增速)(?:收窄|缩小|回落|放缓)"), "direction", -1),
    (re.compile(r"(?:降幅|跌幅)(?:扩大|加大)"), "direction", -1),
    (re.compile(r"(?:增幅|涨幅|增速)(?:扩大|加快|提高)"), "direction", 1),
    (re.compile(r"两年平均|三年平均|年均|on average (?:in|over) (?:the )?(?:two|three|past two|last two) years|"
                r"(?:two|three)-year average|average (?:annual )?growth (?:rate )?(?:of|over) (?:two|three) years", re.I),
     "compare", "average"),
    (re.compile(r"同比|比上年同期|较上年同期|比去年同期|较去年同期|与上年同期相比|与去年同期相比|比上年|较上年|比去年|"
                r"与上年同月|与上年同期|比上年同月|较上年同月"), "compare", "yoy"),
    (re.compile(r"year[- ]on[- ]year|y-o-y|over the same period (?:of |in )?last year|from a year (?:earlier|ago)|"
                r"compared with the same period (?:of |in )?last year|over the previous year|from the previous year|"
                r"over last year|from last year|than last year", re.I), "compare", "yoy"),
    (re.compile(r"环比|比上月|较上月|与上月|比上个月|较上个月|比上季度|较上季度"), "compare", "prev"),
    (re.compile(r"month[- ]on[- ]month|over the previous month|from the previous month|compared with the previous month|"
                r"over the last month|from a month (?:earlier|ago)|quarter[- ]on[- ]quarter|over the previous quarter",
                re.I), "compare", "prev"),
    (re.compile(r"累计"), "cumulative", True),
    (re.compile(r"实际|扣除价格因素|in real terms|at comparable prices|at constant prices", re.I), "price", "comparable"),
    (re.compile(r"名义|at current prices|in nominal terms|nominal(?:ly)?", re.I), "price", "current"),
    (re.compile(r"持平|基本持平|unchanged|remained flat|stayed flat|\bflat\b", re.I), "flat", 0),
    (re.compile(r"增速|增幅|增长速度|增长率|涨幅|降幅|growth rate|rate of growth|the growth", re.I), "growth_rate", True),
    (re.compile(r"拉动|contributed|contributing|drove|driving", re.I), "contribution", True),
    (re.compile(r"所占比重|占比|比重|share of|proportion of", re.I), "share", True),
    (re.compile(r"accounting for|accounted for|accounts for|account for|representing|represented|which represents|"
                r"making up|made up", re.I), "share_verb", True),
    (re.compile(r"目标|力争|预期目标|targets?\b|aims? to|aimed to|aiming to|\bgoal\b|plans? to|planned to", re.I),
     "target", True),
    (re.compile(r"分别|respectively", re.I), "respectively", True),
    (re.compile(r"其中|of which|among them|among which", re.I), "among", True),
    (re.compile(r"分产品看|主要产品中|分产品|in terms of (?:major )?products", re.I), "context", "production"),
    (re.compile(r"从环比看|on a month-on-month basis", re.I), "context", "prev"),
    (re.compile(r"全国|nationwide|the country(?:'s)?|the nation(?:'s)?|\bnational\b", re.I), "region_ref", "country"),
    (re.compile(r"全省|该省|本省|the province(?:'s)?|provincial(?=\s+total)", re.I), "region_ref", "province"),
    (re.compile(r"全市|该市|本市|the city(?:'s)?|the municipality(?:'s)?", re.I), "region_ref", "city"),
    (re.compile(r"\b(?:that|those) of\b", re.I), "that_of", True),
    (re.compile(r"according to|(?<![依根])据|来源[:：]|reported by|released by|published by", re.I), "attribution", True),
    (re.compile(r"\b(?:into|to|with|from|near|beside|than|towards?|across|between|outside)\b(?=\s+\S)", re.I),
     "preposition", True),
    (re.compile(r"\b(?:produced|produce|producing|made)\b", re.I), "verb", "production"),
    (re.compile(r"\b(?:sold|selling)\b", re.I), "verb", "sales_volume"),
    (re.compile(r"\b(?:exported|exporting)\b", re.I), "verb", "exports_volume"),
    (re.compile(r"\b(?:worth|scale of|scale)\b|产业规模|规模(?=突破|超过|达到|达)", re.I), "verb", "industry_scale"),
    (re.compile(r"产销"), "verbs", ("production", "sales_volume")),
    (re.compile(rf"{_UP_ZH}"), "direction", 1),
    (re.compile(rf"{_DOWN_ZH}"), "direction", -1),
    (re.compile(rf"\b(?:{_UP_EN})\b", re.I), "direction", 1),
    (re.compile(rf"\b(?:{_DOWN_EN})\b", re.I), "direction", -1),
    (re.compile(r"、|\band\b|\bas well as\b|和|及|与|以及|&"), "and", True),
    (re.compile(r"[,;:，；：]|\bwhile\b|\bwhereas\b|\bbut\b"), "sep", True),
]

#: English share objects after the number: "of the country's total", "of total new vehicle sales".
SHARE_OBJECT_EN = re.compile(r"^\s*(?:of\s+)(?P<obj>[^,;.]{0,80}?)(?=\s*(?:[,;.]|$|\bin the\b|\bin [A-Z]|\bduring\b))", re.I)
#: The Chinese share object: 占全省规模以上工业增加值比重 → 全省规模以上工业增加值.
SHARE_OBJECT_ZH = re.compile(r"占(?P<obj>[^,;。]{0,40}?)(?:的)?(?:比重|比例|份额|总量的|总数的)|占(?P<obj2>全国|全省|全市|全球)")
