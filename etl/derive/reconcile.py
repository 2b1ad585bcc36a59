"""Reported figures checked against each other; disagreements shown, never fixed.

Four checks, each comparing a *reported* figure with what other reported figures imply:

- ``share``: a reported ``share_pct`` vs numerator level / denominator level. The denominator
  is the same figure in the parent region (``share_of`` empty), or what ``share_of`` names
  (``indicator:production/product:automobiles``: NEV as a share of all vehicles of the same
  region; ``industry:BCD``: of all industry; ``measure:target``: of the target for the period).
- ``growth``: a reported ``yoy_pct`` vs the levels of the same period a year apart.
- ``total``: a region's level vs the sum of its children's, when *every* child (regions
  table) has the figure.
- ``monthly``: a reported single-month level vs the difference of the year-to-date levels
  around it (same rules as :mod:`etl.derive.monthly`).

Published figures are rounded, so each is an interval, not a point: a value printed with d
decimals in its printed scale stands for ±0.5·10⁻ᵈ of that scale (``17.8`` → [17.75, 17.85];
``273.81 万辆`` → ±0.005 万辆 = ±50 vehicles). The decimals are read back from the stored value
in the published scale (``value / unit_mult_published``); a trailing zero the page printed
("17.80") cannot be seen and is treated as not printed, which only widens the interval.
Bounds are one-sided (超过 410 → [410, ∞)); approximations (约, 近) are ±5 % (the worst-case error
of a number rounded to two significant digits). Implied intervals come from interval
arithmetic on the inputs' intervals; the verdict is ``consistent`` when the reported and the
implied intervals overlap, ``inconsistent`` when they do not, and ``not_comparable`` when the
two legitimately measure different things (a comparable-price growth vs a ratio of
current-price levels; a share whose only denominator is another reporting system's; levels on
either side of a break in series).

Every reported share and growth gets a row: one that cannot be checked is ``not_checkable``,
and its ``note`` says what is missing and what would make it checkable ("no China (CN)
production/automobiles level for 2023-01..2023-07: add it to check 17.8%").

Each check is one SQL statement over the workspace's views (:mod:`etl.derive.engine`): the
reported figures joined with the levels that imply them.
"""

from __future__ import annotations

import math

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.derive.common import MONEY_UNITS, USABLE_STATUSES
from etl.derive.engine import ABOUT_RELATIVE, Query, Workspace, duck_type, quoted, to_frame
from etl.derive.monthly import CUMULATIVE_SQL

__all__ = [
    "ABOUT_RELATIVE",
    "CHECKS",
    "NOT_CHECKABLE",
    "RECONCILIATION_COLUMNS",
    "RECONCILIATION_SCHEMA",
    "VERDICTS",
    "printed_decimals",
    "published_interval",
    "ratio_interval",
    "reconcile",
    "reconcile_sql",
    "reconcile_table",
    "summarise",
    "verdict",
]

#: Interval ends closer than this (relative) are treated as touching: float noise, not data.
EPSILON = 1e-9
#: Indicators whose growth, when no price basis is printed, is by convention at comparable
#: prices (the bureau's growth of value added is real).
REAL_GROWTH_INDICATORS = ("value_added",)
#: Aggregates over "enterprises above designated size": the set of firms changes each year,
#: and the bureau's growth compares the same firms in both years.
FIRM_SET_INDICATORS = ("value_added", "output_value", "revenue", "profit", "enterprises")
CHECKS = ("share", "growth", "total", "monthly")
VERDICTS = ("consistent", "inconsistent", "not_comparable")
#: The verdict of a reported share or growth that nothing in the data checks (the note says what would).
NOT_CHECKABLE = "not_checkable"
IDENTIFIERS = (
    "region_code",
    "industry_code",
    "indicator",
    "product",
    "scope",
    "period_start",
    "period_end",
    "period_kind",
    "measure",
    "share_of",
    "price_basis",
)
RECONCILIATION_COLUMNS = (
    "check",
    *IDENTIFIERS,
    "reported_value",
    "reported_low",
    "reported_high",
    "reported_qualifier",
    "reported_source_id",
    "reported_vintage",
    "implied_value",
    "implied_low",
    "implied_high",
    "difference",
    "within_rounding",
    "verdict",
    "inputs",
    "input_source_ids",
    "note",
    "note_zh",
)
NUMBER_COLUMNS = (
    "reported_value",
    "reported_low",
    "reported_high",
    "implied_value",
    "implied_low",
    "implied_high",
    "difference",
)
DATE_COLUMNS = ("period_start", "period_end", "reported_vintage")
BOOL_COLUMNS = ("within_rounding",)
STRING_COLUMNS = tuple(c for c in RECONCILIATION_COLUMNS if c not in (*NUMBER_COLUMNS, *DATE_COLUMNS, *BOOL_COLUMNS))
#: How ``reconciliation.parquet`` is written.
RECONCILIATION_SCHEMA = pa.schema(
    [
        (
            c,
            pa.float64()
            if c in NUMBER_COLUMNS
            else pa.date32()
            if c in DATE_COLUMNS
            else pa.bool_()
            if c in BOOL_COLUMNS
            else pa.string(),
        )
        for c in RECONCILIATION_COLUMNS
    ]
)
#: Dimensions a level must share with the figure it is compared with (besides region and dates).
LEVEL_DIMENSIONS = ("industry_code", "indicator", "product", "scope")
_DIMS = ("region_code", *LEVEL_DIMENSIONS)


# The scalar definitions (the SQL macros in etl.derive.engine compute the same) ---------------


def printed_decimals(printed: float) -> int:
    """Decimals of a number as it was printed (``17.8`` → 1, ``273.81`` → 2, ``410`` → 0): the
    fewest decimals ``d`` (at most 10) whose rounding gives the number back, so binary noise
    (``1234567.89`` is stored as 1234567.889999…) does not count as printed digits."""
    return next((d for d in range(10) if round(printed, d) == printed), 10)


def published_interval(value: float, unit_mult: float, qualifier: str) -> tuple[float, float]:
    """The values a published figure stands for, in the base unit."""
    if value is None or math.isnan(value):
        return (math.nan, math.nan)
    mult = unit_mult if unit_mult and not math.isnan(unit_mult) else 1.0
    half = 0.5 * 10.0 ** -printed_decimals(value / mult) * mult
    if qualifier == "about":
        half = max(half, ABOUT_RELATIVE * abs(value))
    low, high = value - half, value + half
    if qualifier == "at_least":
        high = math.inf
    elif qualifier == "at_most":
        low = -math.inf
    return (low, high)


def ratio_interval(num: tuple[float, float], den: tuple[float, float]) -> tuple[float, float]:
    """num / den × 100 over intervals, for positive denominators."""
    if den[0] <= 0:
        return (math.nan, math.nan)
    return (num[0] / den[1] * 100.0, num[1] / den[0] * 100.0)


def verdict(reported: tuple[float, float], implied: tuple[float, float]) -> str:
    """``consistent`` when the intervals overlap (touching counts), else ``inconsistent``."""
    low, high = max(reported[0], implied[0]), min(reported[1], implied[1])
    finite = [abs(x) for x in (*reported, *implied) if math.isfinite(x)]
    scale = max(finite) if finite else 1.0
    return "consistent" if low <= high + EPSILON * max(scale, 1.0) else "inconsistent"


# SQL ------------------------------------------------------------------------------------------

#: The columns of a reported figure the checks read: only these travel through their joins
#: (the other observation columns would be copied through every join and materialised CTE).
_REPORTED_COLUMNS = ", ".join((*IDENTIFIERS, "value", "unit", "unit_mult_published", "qualifier", "status", "source_id",
                               "vintage", "_rid"))
_REPORTED = f"""
    SELECT {_REPORTED_COLUMNS}, low_of(value, unit_mult_published, qualifier) AS low,
           high_of(value, unit_mult_published, qualifier) AS high
    FROM obs
    WHERE measure = '{{measure}}' AND value IS NOT NULL AND status IN ({quoted(USABLE_STATUSES)})
"""
#: Region names for the notes: "China (CN)", from name columns joined beside the code.
_NAME = "coalesce(nullif({n}, '') || ' (' || {c} || ')', {c})"
_NAME_ZH = "coalesce(nullif({n}, '') || '（' || {c} || '）', {c})"


def _what(indicator: str, product: str, scope: str) -> str:
    """``production/automobiles`` (+ `` (scope caam)``): the figure a note asks for."""
    return (
        f"{indicator} || CASE WHEN {product} <> '' THEN '/' || {product} ELSE '' END"
        f" || CASE WHEN {scope} <> '' THEN ' (scope ' || {scope} || ')' ELSE '' END"
    )


def _missing(region: str, names: str, dims: str, period: str, reported: str, unit: str) -> tuple[str, str]:
    """A note in English and Chinese: what is missing, and that adding it makes the check run.
    ``names`` prefixes the region's ``name_en`` / ``name_zh`` columns."""
    indicator, product, scope = (f"{dims}{c}" for c in ("indicator", "product", "scope"))
    what = _what(indicator, product, scope)
    value = f"printf('%.10g', {reported}) || '{unit}'"
    en_name = _NAME.format(c=region, n=f"{names}name_en")
    zh_name = _NAME_ZH.format(c=region, n=f"{names}name_zh")
    en = f"'no ' || {en_name} || ' ' || {what} || ' level for ' || {period} || ': add it to check ' || {value}"
    zh = f"'数据中没有' || {zh_name} || ' ' || {period} || ' 的 ' || {what} || ' 水平值：补充后可核对 ' || {value}"
    return en, zh


def _row(check: str, **parts: str) -> str:
    """The SELECT list of one check's rows, in the table's column order."""
    values = {
        "check": f"'{check}'",
        **{c: f"r.{c}" for c in IDENTIFIERS},
        "reported_value": "r.value",
        "reported_low": "r.low",
        "reported_high": "r.high",
        "reported_qualifier": "r.qualifier",
        "reported_source_id": "r.source_id",
        "reported_vintage": "r.vintage",
        "difference": "r.value - (implied_value)",
        "inputs": "''",
        "note": "''",
        "note_zh": "''",
        **parts,
    }
    values["difference"] = f"r.value - ({values['implied_value']})"
    low, high = values["implied_low"], values["implied_high"]
    values["within_rounding"] = (
        f"CASE WHEN ({low}) IS NULL OR ({high}) IS NULL OR isnan({low}) OR isnan({high}) THEN NULL"
        f" ELSE intervals_meet(r.low, r.high, {low}, {high}) END"
    )
    return ", ".join(f'{values[c]} AS "{c}"' for c in RECONCILIATION_COLUMNS) + ", r._rid AS _rid"


def _den_fields(name: str) -> str:
    """Pick the denominator's ``name`` from the target, the level or the other system's level."""
    return f"CASE den_kind WHEN 'target' THEN t_{name} WHEN 'level' THEN d_{name} WHEN 'caam' THEN c_{name} END"


def shares_sql() -> str:
    dims = " AND ".join(f"l.{c} = s.{c}" for c in _DIMS)

    def part(key: str, default: str) -> str:
        return f"CASE WHEN contains(s.so, '/{key}:') THEN regexp_extract(s.so, '/{key}:([^/]*)', 1) ELSE {default} END"

    den_cols = ("value", "low", "high", "region_code", "period_kind", "period_start", "period_end", "source_id")
    level_cols = ", ".join(f"{{a}}.{c} AS {{p}}{c}" for c in (*den_cols, "straddles", "break_note"))
    target_cols = ", ".join(f"t.{c} AS t_{c}" for c in den_cols)
    pick = ", ".join(f"{_den_fields(c)} AS den_{c}" for c in den_cols)
    missing_num = _missing("r.region_code", "r.own_", "r.", "period_text(r.period_start, r.period_end)", "r.value", "%")
    missing_den = _missing("r.d_region", "r.den_", "r.d_", "period_text(r.period_start, r.period_end)", "r.value", "%")
    named = "named_input({p}region_code, {p}period_kind, {p}period_start, {p}period_end, {p}value, {p}source_id)"
    implied_low = "n_low / den_high * 100.0"
    implied_high = "n_high / den_low * 100.0"
    checkable = "n_value IS NOT NULL AND r.d_region <> '' AND den_value > 0 AND den_low > 0"
    broken = "coalesce(n_straddles, false) OR coalesce(den_straddles, false)"
    select = _row(
        "share",
        implied_value="CASE WHEN ok_ THEN n_value / den_value * 100.0 END",
        implied_low="CASE WHEN ok_ THEN il_ END",
        implied_high="CASE WHEN ok_ THEN ih_ END",
        verdict="verdict_",
        inputs=f"concat_ws('; ', CASE WHEN n_value IS NOT NULL THEN {named.format(p='n_')} END,"
        f" CASE WHEN den_value IS NOT NULL THEN {named.format(p='den_')} END)",
        input_source_ids="ids([r.source_id, n_source_id, den_source_id])",
        note=f"""CASE WHEN n_value IS NULL THEN {missing_num[0]}
                      WHEN r.d_region = '' THEN r.region_code || ' has no parent region in the regions table:'
                           || ' say what the share is of (share_of) to check it'
                      WHEN den_value IS NULL THEN {missing_den[0]}
                      WHEN NOT (den_value > 0 AND den_low > 0) THEN 'the denominator is not positive within its rounding'
                      WHEN broken_ THEN 'a break in series falls inside the period: '
                           || concat_ws('; ', nullif(n_break_note, ''), nullif(den_break_note, ''))
                      WHEN den_kind = 'caam' THEN 'the only denominator is another reporting system''s (scope caam): with it the share is '
                           || printf('%.2f', n_value / den_value * 100.0) || '% [' || printf('%.2f', il_) || ', ' || printf('%.2f', ih_) || '], '
                           || CASE WHEN intervals_meet(r.low, r.high, il_, ih_) THEN 'within' ELSE 'outside' END
                           || ' the rounding of the printed ' || printf('%.10g', r.value) || '% [' || printf('%.10g', r.low) || ', ' || printf('%.10g', r.high) || ']'
                      ELSE '' END""",
        note_zh=f"""CASE WHEN n_value IS NULL THEN {missing_num[1]}
                         WHEN r.d_region = '' THEN r.region_code || ' 在地区表中没有上级地区：请在 share_of 中写明占比的分母'
                         WHEN den_value IS NULL THEN {missing_den[1]}
                         WHEN NOT (den_value > 0 AND den_low > 0) THEN '分母（含舍入区间）不为正'
                         WHEN broken_ THEN '统计口径在该时期内发生变化（序列断点）'
                         WHEN den_kind = 'caam' THEN '数据中唯一的分母来自另一统计体系（中汽协，scope caam）：按其计算占比为 '
                              || printf('%.2f', n_value / den_value * 100.0) || '%，'
                              || CASE WHEN intervals_meet(r.low, r.high, il_, ih_) THEN '在' ELSE '超出' END
                              || '公布值 ' || printf('%.10g', r.value) || '% 的舍入区间'
                              || CASE WHEN intervals_meet(r.low, r.high, il_, ih_) THEN '内' ELSE '' END
                         ELSE '' END""",
    )
    return f"""
    WITH s AS (SELECT *, '/' || share_of AS so FROM ({_REPORTED.format(measure="share_pct")})),
    spec AS (
        SELECT s.*,
               CASE WHEN s.share_of = '' THEN coalesce(cr.parent_code, '') ELSE {part("region", "s.region_code")} END
                   AS d_region,
               {part("industry", "s.industry_code")} AS d_industry_code,
               {part("indicator", "s.indicator")} AS d_indicator,
               {part("product", "s.product")} AS d_product,
               {part("scope", "s.scope")} AS d_scope,
               {part("measure", "'level'")} AS d_measure
        FROM s LEFT JOIN current_regions cr ON cr.code = s.region_code
    ),
    num AS (
        SELECT s._rid AS srid, {level_cols.format(a="l", p="n_")}, l.unit AS n_unit
        FROM spec s JOIN rec_levels l ON {dims} AND l.period_start = s.period_start AND l.period_end = s.period_end
        QUALIFY row_number() OVER (PARTITION BY s._rid ORDER BY l._rid) = 1
    ),
    with_num AS (SELECT s.*, n.* FROM spec s LEFT JOIN num n ON n.srid = s._rid),
    den_target AS (
        SELECT s._rid AS srid, {target_cols}
        FROM with_num s
        JOIN (SELECT *, low_of(value, unit_mult_published, qualifier) AS low,
                     high_of(value, unit_mult_published, qualifier) AS high
              FROM obs WHERE is_default AND measure = 'target' AND value IS NOT NULL) t
          ON t.region_code = s.d_region AND t.industry_code = s.d_industry_code AND t.indicator = s.d_indicator
         AND t.product = s.d_product AND t.scope = s.d_scope AND t.unit = s.n_unit
         AND t.period_start <= s.period_end AND s.period_end <= t.period_end
        WHERE s.d_measure = 'target'
        QUALIFY row_number() OVER (PARTITION BY s._rid ORDER BY t._rid) = 1
    ),
    joined AS (
        SELECT s.*, dt.* EXCLUDE (srid), {level_cols.format(a="d", p="d_")}, {level_cols.format(a="c", p="c_")}
        FROM with_num s
        LEFT JOIN den_target dt ON dt.srid = s._rid
        LEFT JOIN rec_levels d
          ON s.d_measure <> 'target' AND d.region_code = s.d_region AND d.industry_code = s.d_industry_code
         AND d.indicator = s.d_indicator AND d.product = s.d_product AND d.scope = s.d_scope
         AND d.unit = s.n_unit AND d.period_start = s.period_start AND d.period_end = s.period_end
        LEFT JOIN rec_levels c
          ON s.d_measure <> 'target' AND s.share_of = '' AND s.scope = '' AND c.region_code = s.d_region
         AND c.industry_code = s.d_industry_code AND c.indicator = s.d_indicator AND c.product = s.d_product
         AND c.scope = 'caam' AND c.unit = s.n_unit
         AND c.period_start = s.period_start AND c.period_end = s.period_end
    ),
    picked AS (
        SELECT *,
               CASE WHEN d_measure = 'target' THEN CASE WHEN t_value IS NOT NULL THEN 'target' END
                    WHEN d_value IS NOT NULL THEN 'level' WHEN c_value IS NOT NULL THEN 'caam' END AS den_kind
        FROM joined
    ),
    picked2 AS (SELECT *, {pick}, CASE den_kind WHEN 'level' THEN d_straddles WHEN 'caam' THEN c_straddles END AS den_straddles,
                 CASE den_kind WHEN 'level' THEN d_break_note WHEN 'caam' THEN c_break_note END AS den_break_note
          FROM picked),
    staged AS (SELECT p.*, coalesce({checkable.replace("r.", "p.")}, false) AS ok_, {implied_low} AS il_, {implied_high} AS ih_,
                      {broken} AS broken_
               FROM picked2 p),
    r AS (
        SELECT s.*, o.name_en AS own_name_en, o.name_zh AS own_name_zh, d.name_en AS den_name_en, d.name_zh AS den_name_zh,
               CASE WHEN NOT ok_ THEN 'not_checkable' WHEN broken_ OR den_kind = 'caam' THEN 'not_comparable'
                    ELSE verdict_of(s.low, s.high, il_, ih_) END AS verdict_
        FROM staged s
        LEFT JOIN region_ref o ON o.code = s.region_code LEFT JOIN region_ref d ON d.code = s.d_region
    )
    SELECT {select}
    FROM r
    """


def growth_sql() -> str:
    level_cols = ("value", "low", "high", "region_code", "period_kind", "period_start", "period_end", "source_id",
                  "unit", "segment", "straddles", "break_note")
    cur_cols = ", ".join(f"l.{c} AS cur_{c}" for c in level_cols)
    prev_cols = ", ".join(f"p.{c} AS prev_{c}" for c in level_cols)
    dims = " AND ".join(f"l.{c} = g.{c}" for c in _DIMS)
    pdims = " AND ".join(f"p.{c} = g.{c}" for c in _DIMS)
    named = "named_input({p}region_code, {p}period_kind, {p}period_start, {p}period_end, {p}value, {p}source_id)"
    real = (
        f"(cur_unit IN ({quoted(MONEY_UNITS)}) AND (r.price_basis = 'comparable' OR "
        f"(r.price_basis = '' AND r.indicator IN ({quoted(REAL_GROWTH_INDICATORS)}))))"
    )
    broken = "(cur_straddles OR prev_straddles OR cur_segment <> prev_segment)"
    checkable = "cur_value IS NOT NULL AND prev_value > 0 AND prev_low > 0"
    low = "cur_low / prev_high * 100.0 - 100.0"
    high = "cur_high / prev_low * 100.0 - 100.0"
    missing_cur = _missing("r.region_code", "r.own_", "r.", "period_text(r.period_start, r.period_end)", "r.value", "%")
    missing_prev = _missing("r.region_code", "r.own_", "r.", "period_text(r.before_start, r.before_end)", "r.value", "%")
    firm = (
        f"CASE WHEN r.indicator IN ({quoted(FIRM_SET_INDICATORS)}) THEN '; the same firms in both years)' ELSE ')' END"
    )
    select = _row(
        "growth",
        implied_value="CASE WHEN ok_ THEN (cur_value / prev_value - 1.0) * 100.0 END",
        implied_low="CASE WHEN ok_ THEN il_ END",
        implied_high="CASE WHEN ok_ THEN ih_ END",
        verdict="verdict_",
        inputs=f"concat_ws('; ', CASE WHEN cur_value IS NOT NULL THEN {named.format(p='cur_')} END,"
        f" CASE WHEN prev_value IS NOT NULL THEN {named.format(p='prev_')} END)",
        input_source_ids="ids([r.source_id, cur_source_id, prev_source_id])",
        note=f"""CASE WHEN cur_value IS NULL THEN {missing_cur[0]}
                      WHEN prev_value IS NULL THEN {missing_prev[0]}
                      WHEN NOT (prev_value > 0 AND prev_low > 0) THEN 'the level a year earlier is not positive'
                      WHEN real_ OR broken_ THEN concat_ws('; ',
                           CASE WHEN real_ THEN 'growth at comparable prices vs a ratio of current-price levels' END,
                           CASE WHEN broken_ THEN 'the levels are on either side of a break in series: '
                                || coalesce(nullif(prev_break_note, ''), nullif(cur_break_note, ''), 'break in series') END)
                      WHEN verdict_ = 'inconsistent'
                      THEN 'the published growth may be on a revised or like-for-like base (revised prior year' || {firm}
                      ELSE '' END""",
        note_zh=f"""CASE WHEN cur_value IS NULL THEN {missing_cur[1]}
                         WHEN prev_value IS NULL THEN {missing_prev[1]}
                         WHEN NOT (prev_value > 0 AND prev_low > 0) THEN '上年同期水平值不为正'
                         WHEN real_ OR broken_ THEN concat_ws('；',
                              CASE WHEN real_ THEN '可比价增速与现价水平值之比不可比' END,
                              CASE WHEN broken_ THEN '两期水平值分处统计口径变化（序列断点）两侧' END)
                         WHEN verdict_ = 'inconsistent'
                         THEN '公布的增速可能按修订后的上年数或可比口径（同一批规模以上企业）计算'
                         ELSE '' END""",
    )
    return f"""
    WITH g AS (
        SELECT *, CAST(period_start - INTERVAL 1 YEAR AS DATE) AS before_start,
               last_day(CAST(period_end - INTERVAL 1 YEAR AS DATE)) AS before_end
        FROM ({_REPORTED.format(measure="yoy_pct")})
    ),
    cur AS (
        SELECT g._rid AS grid, {cur_cols}
        FROM g JOIN rec_levels l ON {dims} AND l.period_start = g.period_start AND l.period_end = g.period_end
        QUALIFY row_number() OVER (PARTITION BY g._rid ORDER BY l._rid) = 1
    ),
    joined AS (
        SELECT g.*, cur.*, {prev_cols}
        FROM g LEFT JOIN cur ON cur.grid = g._rid
        LEFT JOIN rec_levels p ON {pdims} AND p.unit = cur.cur_unit
         AND p.period_start = g.before_start AND p.period_end = g.before_end
    ),
    staged AS (SELECT r.*, coalesce({checkable}, false) AS ok_, {low} AS il_, {high} AS ih_,
                      coalesce({broken}, false) AS broken_, coalesce({real}, false) AS real_
               FROM joined r),
    r AS (
        SELECT s.*, o.name_en AS own_name_en, o.name_zh AS own_name_zh,
               CASE WHEN NOT ok_ THEN 'not_checkable' WHEN real_ OR broken_ THEN 'not_comparable'
                    ELSE verdict_of(s.low, s.high, il_, ih_) END AS verdict_
        FROM staged s LEFT JOIN region_ref o ON o.code = s.region_code
    )
    SELECT {select}
    FROM r
    """


def totals_sql() -> str:
    same = " AND ".join(f"p.{c} = t.{c}" for c in (*LEVEL_DIMENSIONS, "unit", "period_start", "period_end"))
    named = "named_input(p.region_code, p.period_kind, p.period_start, p.period_end, p.value, p.source_id)"
    select = _row(
        "total",
        implied_value="implied_value",
        implied_low="implied_low",
        implied_high="implied_high",
        verdict="""CASE WHEN r.straddles OR parts_straddle THEN 'not_comparable'
                        ELSE verdict_of(r.low, r.high, implied_low, implied_high) END""",
        inputs="r.inputs",
        input_source_ids="ids(list_prepend(r.source_id, sources))",
        note="""CASE WHEN r.straddles OR parts_straddle THEN 'a break in series falls inside the period: '
                     || coalesce(nullif(r.break_note, ''), parts_note, 'break in series') ELSE '' END""",
        note_zh="CASE WHEN r.straddles OR parts_straddle THEN '统计口径在该时期内发生变化（序列断点）' ELSE '' END",
    )
    return f"""
    WITH children AS (
        SELECT parent_code, count(*) AS n FROM current_regions WHERE parent_code <> '' GROUP BY parent_code
    ),
    candidates AS (SELECT l.*, c.n FROM rec_levels l JOIN children c ON c.parent_code = l.region_code),
    complete AS (
        SELECT t._rid AS trid FROM candidates t JOIN rec_levels p ON p.parent_code = t.region_code AND {same}
        GROUP BY t._rid, t.n HAVING count(*) = t.n
    ),
    t AS (SELECT c.* FROM candidates c SEMI JOIN complete k ON k.trid = c._rid),
    sums AS (
        SELECT t._rid AS trid,
               list_sum(list(p.value ORDER BY p.region_code)) AS implied_value,
               list_sum(list(p.low ORDER BY p.region_code)) AS implied_low,
               list_sum(list(p.high ORDER BY p.region_code)) AS implied_high,
               string_agg({named}, '; ' ORDER BY p.region_code) AS inputs,
               list(p.source_id ORDER BY p.region_code) AS sources,
               bool_or(p.straddles) AS parts_straddle,
               string_agg(DISTINCT nullif(p.break_note, ''), '; ') AS parts_note
        FROM t JOIN rec_levels p ON p.parent_code = t.region_code AND {same}
        GROUP BY t._rid
    ),
    r AS (SELECT t.*, s.* FROM t JOIN sums s ON s.trid = t._rid)
    SELECT {select}
    FROM r
    """


def monthly_sql() -> str:
    key = ("region_code", *LEVEL_DIMENSIONS, "unit")
    cols = ("value", "low", "high", "region_code", "period_kind", "period_start", "period_end", "source_id",
            "straddles", "break_note")
    lagged = ", ".join(f"lag({c}) OVER w AS b_{c}" for c in (*cols, "end_month"))
    named = "named_input({p}region_code, {p}period_kind, {p}period_start, {p}period_end, {p}value, {p}source_id)"
    low = "a_low - b_high"
    high = "a_high - b_low"
    on = " AND ".join(f"p.{c} = m.{c}" for c in key)
    select = _row(
        "monthly",
        implied_value="a_value - b_value",
        implied_low=low,
        implied_high=high,
        verdict=f"CASE WHEN a_straddles OR b_straddles THEN 'not_comparable' ELSE verdict_of(r.low, r.high, {low}, {high}) END",
        inputs=f"{named.format(p='a_')} || '; ' || {named.format(p='b_')}",
        input_source_ids="ids([r.source_id, a_source_id, b_source_id])",
        note="""CASE WHEN a_straddles OR b_straddles THEN 'a break in series falls inside the period: '
                     || coalesce(nullif(a_break_note, ''), 'break in series') ELSE '' END""",
        note_zh="CASE WHEN a_straddles OR b_straddles THEN '统计口径在该时期内发生变化（序列断点）' ELSE '' END",
    )
    return f"""
    WITH m AS (SELECT * FROM ({_REPORTED.format(measure="level")}) WHERE period_kind = 'month' AND month(period_start) > 1),
    points AS (
        SELECT *, low_of(value, unit_mult_published, 'exact') AS low, high_of(value, unit_mult_published, 'exact') AS high
        FROM ({CUMULATIVE_SQL}) c
        WHERE EXISTS (SELECT 1 FROM m WHERE {" AND ".join(f"m.{c} = c.{c}" for c in key)} AND year(m.period_end) = c.year)
        QUALIFY row_number() OVER (PARTITION BY {", ".join(key)}, year, end_month ORDER BY _rid DESC) = 1
    ),
    pairs AS (
        SELECT {", ".join(key)}, year, end_month, {", ".join(f"{c} AS a_{c}" for c in cols)}, {lagged}
        FROM points
        WINDOW w AS (PARTITION BY {", ".join(key)}, year ORDER BY end_month)
    ),
    r AS (
        SELECT m.*, p.* EXCLUDE ({", ".join(key)}, year, end_month)
        FROM m JOIN pairs p ON {on} AND p.year = year(m.period_end) AND p.end_month = month(m.period_end)
        WHERE p.b_end_month = p.end_month - 1
    )
    SELECT {select}
    FROM r
    """


def reconcile_sql(*, uncheckable: bool = True) -> str:
    """Every check's rows, in the table's order: every reported share and growth (those nothing
    checks as ``not_checkable``, unless ``uncheckable`` is false), every total and month checked."""
    parts = " UNION ALL ".join(f"SELECT * FROM ({q})" for q in (shares_sql(), growth_sql(), totals_sql(), monthly_sql()))
    columns = ", ".join(f'"{c}"' for c in RECONCILIATION_COLUMNS)
    where = "" if uncheckable else "WHERE verdict <> 'not_checkable'"
    return f"""SELECT {columns} FROM ({parts}) {where}
    ORDER BY "check", region_code, indicator, period_start, _rid"""


def as_frame(table: pa.Table) -> pd.DataFrame:
    """The reconciliation table as pandas, typed as it always was."""
    frame = to_frame(table)
    for column in NUMBER_COLUMNS:
        frame[column] = frame[column].astype("float64")
    for column in DATE_COLUMNS:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in STRING_COLUMNS:
        frame[column] = frame[column].fillna("").astype("str")
    for column in BOOL_COLUMNS:
        frame[column] = frame[column].astype("boolean")
    return frame.reset_index(drop=True)


def counts_of(counts: dict[tuple[str, str], int], verdict_: str) -> int:
    """Rows with ``verdict_`` over every check."""
    return sum(n for (_, v), n in counts.items() if v == verdict_)


def reconcile_table(workspace: Workspace) -> pa.Table:
    """The ``reconciliation`` table as Arrow, typed as it is written."""
    return workspace.arrow(reconcile_sql()).cast(RECONCILIATION_SCHEMA)


def reconcile_rows(workspace: Workspace) -> Query:
    """The ``reconciliation`` table as a table of the workspace (``reconciliation``), computed
    once: a run publishes it with DuckDB's Parquet writer, and only the few rows its summary
    shows ever become Python objects."""
    typed = ", ".join(f'CAST("{f.name}" AS {duck_type(f.type)}) AS "{f.name}"' for f in RECONCILIATION_SCHEMA)
    # The table's order is by check first (:func:`reconcile_sql`): each check's rows sorted on
    # their own and appended in the checks' order are the same rows in the same order, and
    # four sorts of a quarter are cheaper than one of the union (DuckDB keeps insertion order).
    checks = {"share": shares_sql, "growth": growth_sql, "total": totals_sql, "monthly": monthly_sql}
    for index, check in enumerate(sorted(checks)):
        rows = f"SELECT {typed} FROM ({checks[check]()}) ORDER BY region_code, indicator, period_start, _rid"
        workspace.con.execute(("CREATE TEMP TABLE reconciliation AS " if index == 0 else "INSERT INTO reconciliation ") + rows)
    rows = workspace.sql("SELECT count(*) FROM reconciliation").fetchall()[0][0]
    return Query(workspace, "SELECT * FROM reconciliation", int(rows), RECONCILIATION_SCHEMA)


def reconcile(
    observations: pd.DataFrame | None = None,
    regions: pd.DataFrame | None = None,
    breaks: pd.DataFrame | None = None,
    *,
    workspace: Workspace | None = None,
) -> pd.DataFrame:
    """The ``reconciliation`` table: one row per comparison made, and per reported share or growth
    that could not be checked (``not_checkable``, with what would make it checkable)."""
    own = workspace is None
    workspace = workspace or Workspace(observations, regions, breaks)
    try:
        return as_frame(reconcile_table(workspace))
    finally:
        if own:
            workspace.close()


def summarise(reconciliation: pd.DataFrame | pa.Table | Query, *, limit: int = 10) -> str:
    """A few lines for the end of a run: verdicts per check, then the disagreements (counted in
    DuckDB or Arrow: only the lines shown become pandas rows)."""
    if isinstance(reconciliation, Query):
        counts, total = reconciliation.counts(("check", "verdict")), len(reconciliation)
    else:
        table = reconciliation if isinstance(reconciliation, pa.Table) else pa.Table.from_pandas(
            reconciliation[["check", "verdict"]], preserve_index=False
        )
        grouped = table.group_by(["check", "verdict"]).aggregate([([], "count_all")]).to_pylist()
        counts, total = {(g["check"], g["verdict"]): g["count_all"] for g in grouped}, table.num_rows
    if total == 0:
        return "Reconciliation: no reported figure could be checked against others."
    lines = [f"Reconciliation: {total} check(s)."]
    for check in CHECKS:
        parts = [f"{counts[(check, v)]} {v}" for v in (*VERDICTS, NOT_CHECKABLE) if counts.get((check, v))]
        if parts:
            lines.append(f"  {check}: {', '.join(parts)}")
    inconsistent = counts_of(counts, "inconsistent")
    if isinstance(reconciliation, Query):
        first = as_frame(reconciliation.table(where="verdict = 'inconsistent'", limit=limit))
    elif isinstance(reconciliation, pa.Table):
        mask = pc.equal(reconciliation["verdict"], "inconsistent")
        first = as_frame(reconciliation.filter(mask).slice(0, limit))
    else:
        first = reconciliation.loc[reconciliation["verdict"] == "inconsistent"].head(limit)
    for _, row in first.iterrows():
        lines.append(
            f"  ✗ {row['check']} {row['region_code']} {row['indicator']}/{row['product'] or '-'} "
            f"{row['period_start']:%Y-%m}..{row['period_end']:%Y-%m}: reported {row['reported_value']:.6g} "
            f"[{row['reported_source_id']}], implied {row['implied_value']:.6g}"
        )
    if inconsistent > limit:
        lines.append(f"  ... and {inconsistent - limit} more inconsistent (see reconciliation.parquet)")
    return "\n".join(lines)
