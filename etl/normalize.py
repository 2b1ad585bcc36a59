"""Figures as published → observations in the warehouse model.

Each step resolves one dimension — names to codes, period text to dates, printed units to
base units — and records a :class:`~etl.problems.Problem` for every row it cannot resolve,
instead of stopping at the first. Lookups run once per *distinct* text, not per row, so a
million figures with a few hundred distinct regions cost a few hundred lookups.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl import numbers
from etl.model import (
    AUTHORITY_RANK,
    FIGURE_KEY,
    MEASURES,
    OBSERVATION_KEY,
    PRICE_BASES,
    QUALIFIERS,
    STATUSES,
    VALUELESS_STATUSES,
)
from etl.periods import PeriodError, parse_period
from etl.problems import Problem
from etl.readers.sidecar import unpack
from etl.reference import Reference, fold
from etl.units import UnitError, parse_unit

_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")


#: Columns a reader may add to its figures, with their defaults: the decimal mark its sidecar
#: declares, the period text as printed (when the period field is rebuilt from a header).
HIDDEN_FIELDS = {"_decimal": ".", "_period_published": ""}


@dataclass
class Normalised:
    observations: pd.DataFrame
    sources: pd.DataFrame
    problems: list[Problem]
    #: Per observation (same index): the value's column in its file and the value as printed,
    #: for checks that report a cell (etl/checks.py).
    cells: pd.DataFrame | None = None


class _Collector:
    """Problems for rows whose value failed a per-distinct-text lookup.

    A value that came from one place for many figures — a sidecar key, an NBS column header,
    the ``指标：`` line — is reported once, at that place, not once per figure: readers put
    its location in ``_at_<field>`` (etl/readers/sidecar.py :func:`location`).
    """

    def __init__(self, figures: pd.DataFrame):
        self.figures = figures
        self.problems: list[Problem] = []
        #: Rows with a problem: later checks (duplicates, plausibility) skip them, so one
        #: mistake is reported once, not again as its consequences.
        self.flagged = np.zeros(len(figures), dtype=bool)

    def rows(self, mask: pd.Series, column: str | Callable[[pd.Series], str], reason: str | Callable[[pd.Series], str],
             field: str | None = None) -> None:
        if not mask.any():
            return
        self.flagged |= mask.to_numpy(dtype=bool)
        origin = f"_at_{field or (column if isinstance(column, str) else '')}"
        selected = self.figures.loc[mask]
        if origin in selected:
            # Empty or missing (NaN where another file's rows brought the column): the cell itself is the place.
            placed = selected[origin].notna() & (selected[origin] != "")
            seen: set[tuple[str, str]] = set()
            for _, row in selected.loc[placed].drop_duplicates(origin).iterrows():
                why = reason(row) if callable(reason) else reason
                if (row[origin], why) not in seen:
                    seen.add((row[origin], why))
                    self.problems.append(Problem(*unpack(row[origin]), why))
            selected = selected.loc[~placed]
        for _, row in selected.iterrows():
            col = column(row) if callable(column) else column
            why = reason(row) if callable(reason) else reason
            self.problems.append(Problem(row["_file"], int(row["_row"]), col, why))


def _map_unique(values: pd.Series, function: Callable[[Hashable], object]) -> pd.Series:
    """Apply ``function`` once per distinct value (factorised: a lookup per distinct value and
    one ``take``, never a Python call or dict lookup per row)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    table = np.empty(len(uniques), dtype=object)
    table[:] = [function(v) for v in uniques]
    return _spread(table, codes, values.index)


def _spread(table: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``table[codes]`` as a Series: the distinct results become a Series first (its type inferred
    from them, as it would be from every row's) and are then taken by code, so a million strings
    are one Arrow ``take``, not a million Python objects turned into Arrow strings."""
    return pd.Series(pd.Series(table).array.take(codes), index=index)


def lookup(values: pd.Series, mapping: dict) -> pd.Series:
    """``values.map(mapping)`` (None where a value is not in it), one lookup per distinct value."""
    return _map_unique(values, mapping.get)


class _Resolved:
    """``function`` applied once per distinct value, kept as (codes, results): reading an attribute
    of every row's result is then one call per distinct value, not a Python call per row."""

    def __init__(self, codes: np.ndarray, results: list[object], index: pd.Index):
        self.codes, self.results, self.index = codes, results, index

    @classmethod
    def of(cls, values: pd.Series, function: Callable[[Hashable], object]) -> _Resolved:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return cls(codes, [function(v) for v in uniques], values.index)

    @classmethod
    def of_pairs(cls, first: pd.Series, second: pd.Series, function: Callable[[tuple], object]) -> _Resolved:
        codes_a, uniques_a = pd.factorize(first, use_na_sentinel=False)
        codes_b, uniques_b = pd.factorize(second, use_na_sentinel=False)
        width = max(len(uniques_b), 1)
        codes, pairs = pd.factorize(codes_a.astype("int64") * width + codes_b)
        return cls(codes, [function((uniques_a[p // width], uniques_b[p % width])) for p in pairs], first.index)

    def get(self, attribute: Callable[[object], object], dtype: str | None = None) -> pd.Series:
        """``attribute(result)`` for every row."""
        table = np.empty(len(self.results), dtype=dtype or object)
        table[:] = [attribute(r) for r in self.results]
        return _spread(table, self.codes, self.index)


def _scale_number(text: str, multiplier: float) -> float:
    """``text`` × ``multiplier`` without binary rounding noise (145.98 × 1e9 = 145980000000.0).

    Multipliers are powers of ten, so the product is exactly the decimal number with its
    exponent shifted; parsing that string gives the nearest double to the true value.
    """
    exponent = math.log10(multiplier) if multiplier > 0 else float("nan")
    if exponent == int(exponent):
        mantissa, _, printed_exponent = text.lower().partition("e")  # "1e3" thousand → 1e6
        return float(f"{mantissa}e{int(exponent) + int(printed_exponent or 0)}")
    return float(text) * multiplier


def _scale_numbers(text: pd.Series, multiplier: pd.Series, ok: pd.Series) -> pd.Series:
    """:func:`_scale_number` for every row where ``ok`` (NaN elsewhere), vectorised.

    The decimal strings are built with string operations and parsed by ``float`` inside numpy's
    object → float64 conversion, so each value is the same double the scalar version gives.
    """
    value = np.full(len(text), np.nan)
    ok_array = ok.to_numpy(dtype=bool)
    mult = multiplier.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.where(mult > 0, np.log10(np.where(mult > 0, mult, 1.0)), np.nan)
    power_of_ten = ok_array & (exponent == np.round(exponent))
    has_e = pc.match_substring(pa.array(text.to_numpy(dtype=object), type=pa.string()), "e", ignore_case=True)
    printed_exponent = power_of_ten & has_e.to_numpy(zero_copy_only=False).astype(bool)
    for position in np.flatnonzero(printed_exponent):  # rare: "1.2e3" as printed
        value[position] = _scale_number(text.iloc[position], float(mult[position]))
    power_of_ten &= ~printed_exponent
    if power_of_ten.any():
        # "145.98" and 9 → "145.98e9", parsed by Arrow (correctly rounded, like ``float``: the same double).
        exponents = pa.array(exponent[power_of_ten].astype("int64")).cast(pa.string())
        digits = pa.array(text[power_of_ten].to_numpy(dtype=object), type=pa.string())
        value[power_of_ten] = pc.cast(pc.binary_join_element_wise(digits, exponents, "e"), pa.float64()).to_numpy(
            zero_copy_only=False)
    other = ok_array & ~power_of_ten
    if other.any():
        with np.errstate(over="ignore"):  # an overflow is reported by the caller (inf is out of range)
            value[other] = text[other].to_numpy(dtype=object).astype("float64") * mult[other]
    return pd.Series(value, index=text.index, dtype="float64")


def _check_dimensions(
    out: _Collector, figures: pd.DataFrame, reference: Reference, indicator: pd.Series, product: pd.Series,
    measure: pd.Series, units: _Resolved, bad_unit: pd.Series, base_unit: pd.Series,
) -> None:
    """A unit must measure what its figure measures (``measures.csv``, ``indicators.csv``, ``units*.csv``).

    A growth or share is in percent and a rank in rank (the measure's own base unit); a level
    or target is in a unit of the indicator's dimension: 亿元 fits value_added (money), 个 does
    not — a counting word fits only counted dimensions (vehicles, count), a bare scale (万)
    fits any. Checked once per distinct (unit, indicator, measure), reported per row.
    """
    rules = reference.measure_rules
    own_unit = lookup(measure, {code: rule.base_unit for code, rule in rules.items()}).fillna("")
    figures["_measure"] = measure
    figures["_own_unit"] = own_unit
    needs_own = (own_unit != "") & ~bad_unit
    out.rows(needs_own & (base_unit != own_unit), "unit",
             lambda r: f"a {r['_measure']} figure must be in {r['_own_unit']}, not {r['unit']!r}")
    unit_base = units.get(lambda u: u.base_unit if u is not None else "")
    unit_dimension = units.get(lambda u: u.dimension if u is not None else "")
    # A physical indicator measures its product's dimension: production of steel is mass.
    indicator_dimension = _Resolved.of_pairs(indicator, product, lambda pair: reference.dimension(*pair)).get(lambda d: d)
    counted = lookup(indicator_dimension, reference.dimensions).eq(True)
    fits = ((unit_base != "") & (unit_dimension == indicator_dimension)) | (
        (unit_base == "") & ((unit_dimension == "") | counted)
    )
    wrong = (own_unit == "") & ~bad_unit & (indicator_dimension != "") & ~fits
    if wrong.any():
        figures["_unit_base"] = unit_base
        figures["_unit_dimension"] = unit_dimension
        figures["_indicator_code"] = indicator
        figures["_product_code"] = product
        figures["_indicator_dimension"] = indicator_dimension

        def reason(row: pd.Series) -> str:
            what = f"measures {row['_unit_dimension']}" if row["_unit_base"] else "is a counting word"
            return (f"unit {row['unit']!r} {what}, but {row['_indicator_code']} measures {row['_indicator_dimension']} "
                    f"(base unit {reference.default_unit(row['_indicator_code'], row['_product_code'])}): the unit does not fit the indicator")

        out.rows(wrong, "unit", reason)


def sources_table(raw_sources: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate and de-duplicate the sources cited by all files."""
    problems: list[Problem] = []
    frame = raw_sources.copy()
    for column in ("_file", "_row"):
        if column not in frame:
            frame[column] = "" if column == "_file" else 0
    seen: dict[str, pd.Series] = {}
    keep = []
    for index, row in frame.iterrows():
        sid = row["source_id"]
        if not _SOURCE_ID.fullmatch(sid):
            problems.append(Problem(row["_file"], int(row["_row"]), "source_id", f"invalid source_id {sid!r} (letters, digits, . _ + -)"))
            continue
        if row["authority"] not in AUTHORITY_RANK:
            problems.append(Problem(row["_file"], int(row["_row"]), "authority", f"unknown authority {row['authority']!r} (expected one of {', '.join(a for a in AUTHORITY_RANK if a)})"))
        if sid in seen:
            first = seen[sid]
            if any(first[c] != row[c] for c in ("title", "publisher", "url", "published_date")):
                problems.append(Problem(row["_file"], int(row["_row"]), "source_id", f"source {sid!r} is defined differently at {first['_file']}:{first['_row']}"))
            continue
        seen[sid] = row
        keep.append(index)
    frame = frame.loc[keep]
    for column in ("published_date", "retrieved_date"):
        parsed = pd.to_datetime(frame[column].where(frame[column] != ""), format="%Y-%m-%d", errors="coerce")
        for _, row in frame.loc[parsed.isna() & (frame[column] != "")].iterrows():
            problems.append(Problem(row["_file"], int(row["_row"]), column, f"not a date (YYYY-MM-DD): {row[column]!r}"))
        frame[column] = parsed.dt.date
    columns = ["source_id", "title", "publisher", "url", "published_date", "retrieved_date", "authority", "note"]
    return frame[columns].reset_index(drop=True), problems


def normalise(figures: pd.DataFrame, raw_sources: pd.DataFrame, reference: Reference) -> Normalised:
    """Resolve every figure; return observations, sources and all problems found."""
    figures = figures.reset_index(drop=True)
    for column, default in HIDDEN_FIELDS.items():  # optional reader columns (etl/readers/base.py)
        figures[column] = figures[column].fillna(default).astype("str") if column in figures else default
    sources, problems = sources_table(raw_sources)
    out = _Collector(figures)

    # Region: a code, a name or an alias.
    region_code = _map_unique(figures["region"], lambda t: reference.region_lookup.get(fold(t)))
    out.rows(region_code.isna() & (figures["region"] != ""), "region",
             lambda r: f"unknown region {r['region']!r} (not a code, name or alias in data/reference/regions*.csv)")
    out.rows(figures["region"] == "", "region", "missing region")

    # Indicator phrase → indicator code and the dimensions the phrase implies.
    implied = _Resolved.of(figures["indicator"], lambda t: reference.indicator_lookup.get(fold(t)))
    out.rows(implied.get(lambda d: d is None, "bool") & (figures["indicator"] != ""), "indicator",
             lambda r: f"unknown indicator {r['indicator']!r} (not in data/reference/indicators.csv or indicator_aliases.csv)")
    out.rows(figures["indicator"] == "", "indicator", "missing indicator")
    implied.results = [d if isinstance(d, dict) else {} for d in implied.results]

    def dimension(name: str, alias_key: str | None = None) -> pd.Series:
        from_alias = implied.get(lambda d: d.get(alias_key or name, ""))
        return from_alias.where(from_alias != "", figures.get(name, ""))

    indicator = implied.get(lambda d: d.get("indicator", ""))
    if reference.product_lookup:  # product names and aliases → codes (products.csv)
        product_code = _map_unique(figures["product"], lambda t: reference.product_lookup.get(fold(t)) if t else "")
        out.rows(product_code.isna(), "product",
                 lambda r: f"unknown product {r['product']!r} (not a code, name or alias in data/reference/products.csv)")
        figures["product"] = product_code.fillna(figures["product"])
    product = dimension("product")
    # A share target ("more than 18% of the nation by 2025") stays a share, with status target.
    measure = dimension("measure").replace("", "level")
    share_of = dimension("share_of")
    scope = dimension("scope")
    price_basis = dimension("price_basis")

    industry_from_alias = implied.get(lambda d: d.get("industry_code", ""))
    industry_from_row = _map_unique(figures["industry"], lambda t: reference.industry_lookup.get(fold(t)) if t else "")
    out.rows(industry_from_row.isna(), "industry",
             lambda r: f"unknown industry {r['industry']!r} (not a code, name or alias in data/reference/industries*.csv)")
    industry_code = industry_from_alias.where(industry_from_alias != "", industry_from_row.fillna(""))
    out.rows((industry_code == "") & industry_from_row.notna() & implied.get(bool, "bool"), "industry",
             "missing industry (the row names none and the indicator phrase implies none)")

    out.rows(~measure.isin(MEASURES), "measure", lambda r: f"unknown measure (expected one of {', '.join(MEASURES)})")
    out.rows(~price_basis.isin(PRICE_BASES), "price_basis", "unknown price basis (expected current or comparable)")

    # Period text (with an optional kind) → dates.
    def period_of(pair: tuple[str, str]) -> object:
        try:
            return parse_period(pair[0], pair[1] or None)
        except PeriodError as error:
            return error

    periods = _Resolved.of_pairs(figures["period"], figures["period_kind"], period_of)
    bad_period = periods.get(lambda p: isinstance(p, PeriodError), "bool")
    out.rows(bad_period, lambda r: "period" if r["_column"] in ("", "value") else r["_column"],
             lambda r: str(period_of((r["period"], r["period_kind"]))), field="period")

    # Printed unit → base unit, scale, qualifier.
    def unit_of(text: str) -> object:
        try:
            return parse_unit(text, reference)
        except UnitError as error:
            return error

    units = _Resolved.of(figures["unit"], unit_of)
    bad_unit = units.get(lambda u: isinstance(u, UnitError), "bool")
    out.rows(bad_unit, "unit", lambda r: str(unit_of(r["unit"])))
    good_units = _Resolved(units.codes, [None if isinstance(u, UnitError) else u for u in units.results], units.index)
    base_unit = good_units.get(lambda u: u.base_unit if u is not None else "")
    default_units = _Resolved.of_pairs(indicator, product, lambda pair: reference.default_unit(*pair)).get(lambda u: u)
    base_unit = base_unit.where(base_unit != "", default_units)
    multiplier = good_units.get(lambda u: u.multiplier if u is not None else 1.0, "float64")
    _check_dimensions(out, figures, reference, indicator, product, measure, good_units, bad_unit, base_unit)

    qualifier = figures["qualifier"].where(figures["qualifier"] != "", good_units.get(lambda u: u.qualifier if u is not None else "exact"))
    out.rows(~qualifier.isin(QUALIFIERS), "qualifier", lambda r: f"unknown qualifier {r['qualifier']!r} (expected one of {', '.join(QUALIFIERS)})")
    unit_status = good_units.get(lambda u: u.status if u is not None else "")
    status = figures["status"].where(figures["status"] != "", unit_status)
    status = status.where(status != "", np.where(measure == "target", "target", "reported"))
    out.rows(~status.isin(STATUSES), "status", lambda r: f"unknown status {r['status']!r} (expected one of {', '.join(STATUSES)})")

    # Value: a number as printed (etl/numbers.py: one strict parser for every reader), in the printed scale.
    decimal = figures.get("_decimal", ".")
    text, is_number = numbers.parse(figures["value"], decimal)
    empty = figures["value"].str.strip() == ""
    valueless = status.isin(VALUELESS_STATUSES)
    out.rows(empty & ~valueless, lambda r: r["_column"] or "value", "missing value (leave it empty only with status suppressed or not_available)")
    out.rows(~empty & ~is_number, lambda r: r["_column"] or "value", lambda r: numbers.reason(r["value"], r.get("_decimal", ".")))
    value = _scale_numbers(text, multiplier, is_number & ~bad_unit)
    out_of_range = (is_number & ~bad_unit).to_numpy(dtype=bool) & ~numbers.finite(value.to_numpy())
    if out_of_range.any():
        out.rows(pd.Series(out_of_range, index=figures.index), lambda r: r["_column"] or "value",
                 lambda r: f"number out of range: {r['value']!r} in {r['unit']!r} is beyond what a double can hold")
        value[out_of_range] = np.nan

    # Source → vintage.
    known = sources.set_index("source_id")
    out.rows(figures["source_id"] == "", "source_id", "missing source")
    out.rows((figures["source_id"] != "") & ~figures["source_id"].isin(known.index), "source_id",
             lambda r: f"unknown source {r['source_id']!r} (not in any *.sources.csv)")
    # Dates stay datetime.date objects (the Parquet schema's date32), never inferred datetimes;
    # looked up once per distinct source.
    published = known["published_date"].to_dict() if len(known) else {}
    retrieved = known["retrieved_date"].to_dict() if len(known) else {}

    def vintage_of(source_id: Hashable) -> object:
        date = published.get(source_id)
        date = date if date is not None and not pd.isna(date) else retrieved.get(source_id)
        return None if date is None or pd.isna(date) else date

    vintage = _Resolved.of(figures["source_id"], vintage_of).get(lambda d: d)

    good_periods = _Resolved(periods.codes, [None if isinstance(p, PeriodError) else p for p in periods.results], periods.index)
    observations = pd.DataFrame(
        {
            "region_code": region_code.fillna(""),
            "industry_code": industry_code,
            "indicator": indicator,
            "product": product,
            "scope": scope,
            "period_start": good_periods.get(lambda p: p.start if p is not None else None),
            "period_end": good_periods.get(lambda p: p.end if p is not None else None),
            "period_kind": good_periods.get(lambda p: p.kind if p is not None else ""),
            "period_published": figures["_period_published"].where(figures["_period_published"] != "", figures["period"]),
            "measure": measure,
            "share_of": share_of,
            "price_basis": price_basis,
            "value": value,
            "unit": base_unit,
            "unit_published": figures["unit"],
            "unit_mult_published": multiplier,
            "status": status,
            "qualifier": qualifier,
            "flags": figures["flags"],
            "label_published": figures["label_published"].where(figures["label_published"] != "", figures["indicator"]),
            "source_id": figures["source_id"],
            "vintage": vintage,
            "input_file": figures["_file"],
            "input_row": figures["_row"].astype("int32"),
            "_column": figures["_column"].where(figures["_column"] != "", "value"),
            "_value_text": figures["value"],
        }
    )
    problems.extend(out.problems)
    observations["_flagged"] = out.flagged
    keys = _key_codes(observations, OBSERVATION_KEY)
    problems.extend(_duplicates(observations.loc[~out.flagged], keys[~out.flagged]))
    observations = _drop_repeats(observations, keys)
    cells = observations[["_column", "_value_text", "_flagged"]].rename(
        columns={"_column": "column", "_value_text": "value_text", "_flagged": "flagged"})
    observations = observations.drop(columns=["_column", "_value_text", "_flagged"])
    observations["is_default"] = default_rows(observations, sources)
    return Normalised(observations, sources, problems, cells)


def _key_codes(observations: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """One integer per row, equal exactly where the rows are equal on ``columns`` (a missing
    value equal to a missing value): each column factorised once, the codes combined column by
    column, so finding repeats compares integers, not thirteen columns of text."""
    combined, distinct = np.zeros(len(observations), dtype="int64"), 1
    for column in columns:
        codes, uniques = pd.factorize(observations[column], use_na_sentinel=False)
        width = len(uniques) + 1
        if distinct * width >= 1 << 62:  # renumber densely before the product could overflow
            combined, found = pd.factorize(combined)
            distinct = len(found)
        combined = combined * width + codes.astype("int64")
        distinct *= width
    return combined


def _duplicates(observations: pd.DataFrame, keys: np.ndarray | None = None) -> list[Problem]:
    """Two rows for the same figure from the same source with different values (``keys``: the
    rows' :func:`_key_codes` on the observation key, when the caller has them)."""
    keys = _key_codes(observations, OBSERVATION_KEY) if keys is None else keys
    dup = pd.Series(keys, index=observations.index).duplicated(keep=False)
    problems = []
    if not dup.any():
        return problems
    subset = observations.loc[dup]
    for _, group in subset.groupby(keys[dup.to_numpy()], sort=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            same = (pd.isna(row["value"]) and pd.isna(first["value"])) or row["value"] == first["value"]
            if not same:
                problems.append(Problem(
                    row["input_file"], int(row["input_row"]), "value",
                    f"the same figure from the same source has another value at {first['input_file']}:{first['input_row']} ({first['value']:g} vs {row['value']:g})",
                ))
    return problems


def _drop_repeats(observations: pd.DataFrame, keys: np.ndarray | None = None) -> pd.DataFrame:
    """The same figure typed twice with the same value is one observation."""
    keys = _key_codes(observations, OBSERVATION_KEY) if keys is None else keys
    return observations.loc[~pd.Series(keys, index=observations.index).duplicated(keep="first")].reset_index(drop=True)


def default_rows(observations: pd.DataFrame, sources: pd.DataFrame) -> pd.Series:
    """Mark the row the default view shows among rows that are the same figure.

    The same figure can come from several sources (a bureau and a newspaper) or vintages (a
    first release and a revision). The default view shows one: the most authoritative
    publisher, then the latest vintage, then the lowest source id (so the choice is stable).
    The others stay in the warehouse, queryable, and the disagreement stays visible.
    """
    if observations.empty:
        return pd.Series([], dtype="bool")
    source_codes, source_ids = pd.factorize(observations["source_id"], sort=True, use_na_sentinel=False)
    rank = {} if not len(sources) else sources.set_index("source_id")["authority"].map(AUTHORITY_RANK).to_dict()
    authority = np.array([rank.get(s, 4) for s in source_ids], dtype="float64")[source_codes]
    authority[np.isnan(authority)] = 4
    vintage = pd.to_datetime(observations["vintage"]).astype("datetime64[us]").fillna(pd.Timestamp("1900-01-01"))
    # Sorted on numbers only: authority, the latest vintage first, the source id's place in sorted order.
    ranked = pd.DataFrame({
        "_authority": authority,
        "_vintage": -vintage.to_numpy().astype("int64"),
        "_source": source_codes,
    }, index=observations.index).sort_values(["_authority", "_vintage", "_source"], kind="stable")
    figures = _key_codes(observations, FIGURE_KEY)
    first = ~pd.Series(figures[observations.index.get_indexer(ranked.index)], index=ranked.index).duplicated(keep="first")
    return first.reindex(observations.index)
