"""Breaks in series: where a series changes its definition, so nothing is derived across it.

A break is data, from two places:

- **a flag** on a published figure: Eurostat's (and SDMX's) ``b``, or ``b`` typed into the
  ``flags`` column of a figures file. The flagged figure is the first on the new basis: the
  break date is its ``period_start``, and it applies to the figure's series (region, industry,
  indicator, product, scope), in every measure;
- **a rule** in the reference table ``series_breaks.csv``: e.g. from 2025 the statistics bureau
  counts vehicles where they are built, not where the maker is registered, so provincial vehicle
  production breaks on 2025-01-01. A rule names the series with ``*`` for "any" (``region_level``
  matches the regions table's ``level``).

What a break does (docs/semantics.md, "Breaks in series"): no monthly difference, growth, share
or rank combines figures on either side of it, nor uses a figure whose period contains it; a
reconciliation across it is ``not_comparable``; and the first observation after it in each
series carries ``b`` in ``flags`` (Eurostat's convention), so a chart can mark it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from etl.problems import Problem

#: The columns of ``series_breaks.csv``.
RULE_COLUMNS = (
    "region",
    "region_level",
    "industry",
    "indicator",
    "product",
    "scope",
    "break_date",
    "note_en",
    "note_zh",
    "source",
)
#: A flags value that marks a break: letters only (Eurostat/SDMX style, so BEA's "(D)" is not
#: one), among them ``b``.
BREAK_FLAG_PATTERN = "^[a-z]*b[a-z]*$"
FLAG_NOTE_EN = "break in series flagged by the publisher (b)"
FLAG_NOTE_ZH = "发布机构标注的统计口径变化（b）"

#: How the warehouse's ``series_breaks`` table is written.
SERIES_BREAKS_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("industry_code", pa.string()),
        ("indicator", pa.string()),
        ("product", pa.string()),
        ("scope", pa.string()),
        ("break_date", pa.date32()),
        ("origin", pa.string()),
        ("note_en", pa.string()),
        ("note_zh", pa.string()),
    ]
)


def check_rules(rules: pd.DataFrame) -> list[Problem]:
    """Problems of a ``series_breaks`` table: a date that is not one, a rule naming no indicator."""
    problems = []
    for row in rules.itertuples(index=False):  # a reference table: a handful of rows
        where = (getattr(row, "ref_file", "series_breaks.csv"), int(getattr(row, "ref_row", 0) or 0))
        try:
            dt.date.fromisoformat(str(row.break_date))
        except ValueError:
            problems.append(Problem(where[0], where[1], "break_date", f"not a date (YYYY-MM-DD): {row.break_date!r}"))
        if not str(row.indicator).strip():
            problems.append(Problem(where[0], where[1], "indicator", "a break rule names an indicator (or * for any)"))
        if not str(row.note_en).strip():
            problems.append(Problem(where[0], where[1], "note_en", "a break rule says what changed (note_en)"))
    return problems


def rules_arrow(rules: pd.DataFrame | None) -> pa.Table:
    """The rules as text columns plus a parsed ``break_date`` (rows with a bad date are left out:
    :func:`check_rules` reports them and the run stops before deriving)."""
    frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in RULE_COLUMNS}) if rules is None else rules
    out = {
        c: (frame[c] if c in frame else pd.Series([""] * len(frame), index=frame.index)).fillna("").astype("str").str.strip()
        for c in RULE_COLUMNS
    }
    dates = pd.to_datetime(out.pop("break_date"), format="%Y-%m-%d", errors="coerce")
    table = pa.Table.from_pandas(pd.DataFrame(out), preserve_index=False)
    return table.append_column("break_date", pa.array(dates, type=pa.timestamp("ns")).cast(pa.date32()))


def break_rows_sql() -> str:
    """SQL for every (series, break date) in the data: rules matched to the series present, and
    the publishers' ``b`` flags. One row per series and date."""
    key = "region_code, industry_code, indicator, product, scope"
    return f"""
    WITH keys AS (SELECT DISTINCT {key} FROM obs),
    from_rules AS (
        SELECT k.region_code, k.industry_code, k.indicator, k.product, k.scope, r.break_date,
               'rule' AS origin, r.note_en, r.note_zh
        FROM keys k
        LEFT JOIN region_ref g ON g.code = k.region_code
        JOIN break_rules r
          ON r.region IN ('*', k.region_code) AND r.region_level IN ('*', coalesce(g.level, ''))
         AND r.industry IN ('*', k.industry_code) AND r.indicator IN ('*', k.indicator)
         AND r.product IN ('*', k.product) AND r.scope IN ('*', k.scope)
        WHERE r.break_date IS NOT NULL
    ),
    from_flags AS (
        SELECT DISTINCT {key}, period_start AS break_date, 'flag' AS origin,
               '{FLAG_NOTE_EN}' AS note_en, '{FLAG_NOTE_ZH}' AS note_zh
        FROM obs
        WHERE regexp_matches(flags, '{BREAK_FLAG_PATTERN}') AND period_start IS NOT NULL
    )
    SELECT {key}, break_date, min(origin) AS origin,
           string_agg(DISTINCT note_en, '; ') AS note, string_agg(DISTINCT note_en, '; ') AS note_en,
           string_agg(DISTINCT note_zh, '；') AS note_zh
    FROM (SELECT * FROM from_rules UNION ALL SELECT * FROM from_flags)
    GROUP BY {key}, break_date
    """


def flagged_rows_sql(rows: str) -> str:
    """SQL for the ``_ord`` of the rows of ``rows`` that are the first after a break in their
    series: per series (every column of the series, the measure and the period kind), the rows
    with the earliest end among those starting on or after the break date, when the series has
    a row that ended before it (otherwise there is nothing on the other side to mark)."""
    series = "region_code, industry_code, indicator, product, scope, measure, share_of, price_basis, unit, period_kind"
    return f"""
    WITH m AS (
        SELECT r._ord, r.period_start, r.period_end, b.break_date, {", ".join("r." + c for c in series.split(", "))}
        FROM ({rows}) r JOIN brk b USING (region_code, industry_code, indicator, product, scope)
    ),
    firsts AS (
        SELECT {series}, break_date,
               min(period_end) FILTER (WHERE period_start >= break_date) AS first_end,
               bool_or(period_end < break_date) AS has_before
        FROM m GROUP BY {series}, break_date
    )
    SELECT DISTINCT m._ord FROM m JOIN firsts USING ({series}, break_date)
    WHERE firsts.has_before AND m.period_start >= m.break_date AND m.period_end = firsts.first_end
    """
