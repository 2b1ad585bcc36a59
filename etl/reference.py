"""Reference tables (regions, industries, indicators, units, qualifiers) from reviewed CSVs.

They live under ``data/reference/`` and are loaded and validated like any input: a
duplicate code, a parent that does not exist or a name that points at two codes is a
problem with a location, not a silent overwrite. Several files may hold one table
(``regions.csv`` for China, ``regions_us.csv`` for the BEA's states, ...): every
``<table>*.csv`` is read, so a new scheme is a new file, not an edit of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.csvtable import read_table
from etl.encoding import DecodeError, read_text
from etl.inputs import REFERENCE_TABLES, file_key, local_directory, reference_files, table_files
from etl.model import MEASURES, STATUSES
from etl.problems import Problem

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("code", "parent_code", "level", "name_zh", "name_en", "scheme", "valid_from", "valid_to", "aliases"),
    "industries": ("code", "parent_code", "classification", "version", "name_zh", "name_en", "isic", "aliases"),
    "indicators": ("code", "name_zh", "name_en", "default_unit", "dimension", "min_level", "definition"),
    "indicator_aliases": ("alias", "indicator", "product", "industry_code", "measure", "share_of", "scope", "price_basis"),
    "units": ("symbol", "base_unit", "multiplier", "dimension"),
    "qualifiers": ("word", "qualifier", "status"),
    "dimensions": ("code", "counted", "name_zh", "name_en", "description"),
    "measures": ("code", "name_zh", "name_en", "base_unit", "min", "max", "future_periods", "improbable_ratio", "definition"),
    "statuses": ("code", "name_zh", "name_en", "future_periods", "definition"),
    "products": ("code", "name_zh", "name_en", "industry_code", "unit", "aliases"),
    "scopes": ("code", "kind", "name_zh", "name_en", "aliases"),
    "series_breaks": (
        "region", "region_level", "industry", "indicator", "product", "scope", "break_date", "note_en", "note_zh", "source",
    ),
}
if tuple(TABLE_COLUMNS) != REFERENCE_TABLES:  # one list of tables, two modules
    raise ImportError("etl.inputs.REFERENCE_TABLES differs from etl.reference.TABLE_COLUMNS")
__all__ = ["TABLE_COLUMNS", "file_key", "local_directory", "reference_files", "table_files"]
#: Tables a reference folder may leave out (no file: no rows).
OPTIONAL_TABLES = {"series_breaks", "products", "scopes"}
#: Dimensions that are not physical: an indicator measuring one never takes its product's unit.
NON_PHYSICAL_DIMENSIONS = frozenset({"", "money", "money_per_person", "dimensionless"})
#: Columns a table may omit (filled with "").
OPTIONAL_COLUMNS = {"scheme", "valid_from", "valid_to", "aliases", "isic", "version", "definition", "description", "min_level",
                    "kind", "unit", "industry_code"}


def fold(text: str) -> str:
    """The form names are matched in: trimmed, inner whitespace collapsed, case-folded."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class UnitDef:
    """A unit symbol: its base unit and scale, and the dimension it measures.

    ``base_unit`` empty: a bare scale (万, million; ``dimension`` empty, it fits any indicator)
    or a counting word (个, 台, units; ``dimension`` ``count``, it fits counted dimensions).
    """

    base_unit: str
    multiplier: float
    dimension: str


@dataclass(frozen=True)
class IndicatorDef:
    """What an indicator measures: its dimension and base unit, and its lowest possible level."""

    base_unit: str
    dimension: str
    min_level: float | None


@dataclass(frozen=True)
class MeasureRule:
    """The plausibility rule of a measure (``measures.csv``): the unit it needs and its bounds."""

    base_unit: str  # "" = the indicator's dimension
    min: float | None
    max: float | None
    future_periods: bool
    improbable_ratio: float | None


@dataclass
class Reference:
    """Loaded reference tables and the lookups built from them."""

    tables: dict[str, pd.DataFrame]
    region_lookup: dict[str, str] = field(default_factory=dict)
    industry_lookup: dict[str, str] = field(default_factory=dict)
    indicator_lookup: dict[str, dict[str, str]] = field(default_factory=dict)
    unit_lookup: dict[str, UnitDef] = field(default_factory=dict)
    qualifier_lookup: dict[str, tuple[str, str]] = field(default_factory=dict)
    indicator_defs: dict[str, IndicatorDef] = field(default_factory=dict)
    #: Dimension code → whether counting words (个, 台, units) fit it.
    dimensions: dict[str, bool] = field(default_factory=dict)
    measure_rules: dict[str, MeasureRule] = field(default_factory=dict)
    #: Status → whether a figure of that status may be for a period after its publication.
    future_statuses: dict[str, bool] = field(default_factory=dict)
    #: Base unit → the dimension it measures (tonnes → mass).
    base_dimensions: dict[str, str] = field(default_factory=dict)
    product_lookup: dict[str, str] = field(default_factory=dict)
    scope_lookup: dict[str, str] = field(default_factory=dict)
    #: Product code → the base unit its output is counted in (products.csv).
    product_units: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def regions(self) -> pd.DataFrame:
        return self.tables["regions"]

    @property
    def industries(self) -> pd.DataFrame:
        return self.tables["industries"]

    @property
    def indicators(self) -> pd.DataFrame:
        return self.tables["indicators"]

    @property
    def products(self) -> pd.DataFrame:
        return self.tables["products"]

    @property
    def scopes(self) -> pd.DataFrame:
        return self.tables["scopes"]

    def _physical_product_unit(self, indicator: str, product: str) -> str:
        """The product's own base unit when the indicator counts physical output (production,
        sales or exports volumes): steel in tonnes, electricity in kWh, phones in items."""
        found = self.indicator_defs.get(indicator)
        if not product or found is None or found.dimension in NON_PHYSICAL_DIMENSIONS:
            return ""
        return self.product_units.get(product, "")

    def default_unit(self, indicator: str, product: str = "") -> str:
        """The base unit an indicator is measured in when the printed unit is only a scale."""
        own = self._physical_product_unit(indicator, product)
        if own:
            return own
        found = self.indicator_defs.get(indicator)
        return found.base_unit if found else ""

    def dimension(self, indicator: str, product: str = "") -> str:
        """The dimension an indicator measures (money, vehicles, count, ...), for a product its
        unit's (production of steel measures mass); "" if unknown."""
        own = self._physical_product_unit(indicator, product)
        if own:
            return self.base_dimensions.get(own, "")
        found = self.indicator_defs.get(indicator)
        return found.dimension if found else ""


#: Numeric columns: a file cut in one of them, on its last line, is an error (etl/csvtable.py).
NUMBER_COLUMNS = ("multiplier", "min", "max", "min_level", "improbable_ratio")


def _read_table(path: Path, name: str, root: Path, problems: list[Problem]) -> pd.DataFrame | None:
    """One reference CSV, read as strictly as any input: every row the header's width, every
    quote closed, no unknown column (a misspelt one would silently be empty)."""
    rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        text, _ = read_text(path)
    except DecodeError as error:
        problems.append(Problem(rel, error.line, None, str(error)))
        return None
    table = read_table(text, rel, problems, number_columns=NUMBER_COLUMNS)
    if table is None:
        return None
    frame = table.frame
    missing = [c for c in TABLE_COLUMNS[name] if c not in table.header and c not in OPTIONAL_COLUMNS]
    unknown = [c for c in table.header if c not in TABLE_COLUMNS[name]]
    if missing or unknown:
        for column in missing:
            problems.append(Problem(rel, 1, column, "required column is missing"))
        for column in unknown:
            problems.append(Problem(rel, 1, column, f"unknown column (expected some of {', '.join(TABLE_COLUMNS[name])})"))
        return None
    for column in TABLE_COLUMNS[name]:
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].astype("str")
    frame = frame.rename(columns={"_row": "ref_row"})
    frame["ref_file"] = rel
    return frame[[*TABLE_COLUMNS[name], "ref_file", "ref_row"]]


def _add_names(
    lookup: dict[str, str], names: list[str], code: str, where: tuple[str, int], table: str,
    owners: dict[str, tuple[str, tuple[str, int]]], problems: list[Problem],
) -> None:
    for name in names:
        key = fold(name)
        if not key:
            continue
        previous = owners.get(key)
        if previous is not None and previous[0] != code:
            problems.append(
                Problem(where[0], where[1], "aliases",
                        f"{table} name {name!r} already means {previous[0]} ({previous[1][0]}:{previous[1][1]})")
            )
            continue
        owners[key] = (code, where)
        lookup[key] = code


def _coded_lookup(frame: pd.DataFrame, table: str, problems: list[Problem]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    owners: dict[str, tuple[str, tuple[str, int]]] = {}
    seen: dict[str, tuple[str, int]] = {}
    for row in frame.itertuples(index=False):
        where = (row.ref_file, row.ref_row)
        if not row.code:
            problems.append(Problem(row.ref_file, row.ref_row, "code", "empty code"))
            continue
        if row.code in seen:
            problems.append(Problem(row.ref_file, row.ref_row, "code", f"duplicate {table} code {row.code!r} (first at {seen[row.code][0]}:{seen[row.code][1]})"))
            continue
        seen[row.code] = where
        aliases = [a for a in str(row.aliases).split("|")] if row.aliases else []
        _add_names(lookup, [row.code, row.name_zh, row.name_en, *aliases], row.code, where, table, owners, problems)
    codes = set(frame["code"])
    for row in frame.itertuples(index=False):
        if row.parent_code and row.parent_code not in codes:
            problems.append(Problem(row.ref_file, row.ref_row, "parent_code", f"parent {row.parent_code!r} is not a {table} code"))
    return lookup


def load_reference(
    directory: Path, *, extra: dict[str, list[dict[str, object]]] | None = None
) -> tuple[Reference, list[Problem]]:
    """Load every reference table under ``directory`` and ``<directory>.local/``, plus ``extra``
    rows (from sidecars: table → rows with ``ref_file``/``ref_row``); return them with the
    problems found. Local and extra rows are checked exactly like the project's own."""
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    files: list[Path] = []
    local = local_directory(directory)
    for name, columns in TABLE_COLUMNS.items():
        paths = [p for root in (directory, local) if root.is_dir() for p in table_files(root, name)]
        frames = []
        for path in paths:
            files.append(path)
            frame = _read_table(path, name, path.parent, problems)
            if frame is not None:
                frames.append(frame)
        rows = (extra or {}).get(name, [])
        if rows:
            added = pd.DataFrame.from_records(rows)
            for column in columns:
                if column not in added:
                    added[column] = ""
            frames.append(added[[*columns, "ref_file", "ref_row"]].astype({c: "str" for c in columns}))
        if not frames and name not in OPTIONAL_TABLES:
            problems.append(Problem(str(directory / f"{name}.csv"), None, None, f"no {name} reference table"))
        if not frames:
            frames = [pd.DataFrame({c: pd.Series([], dtype="str") for c in (*columns, "ref_file")}).assign(ref_row=pd.Series([], dtype="int64"))]
        tables[name] = pd.concat(frames, ignore_index=True)

    reference = Reference(tables=tables, files=files)
    reference.region_lookup = _coded_lookup(tables["regions"], "region", problems)
    reference.industry_lookup = _coded_lookup(tables["industries"], "industry", problems)
    tables["products"]["parent_code"] = ""
    tables["scopes"]["parent_code"] = ""
    reference.product_lookup = _coded_lookup(tables["products"], "product", problems)
    reference.scope_lookup = _coded_lookup(tables["scopes"], "scope", problems)
    industry_codes = set(tables["industries"]["code"])
    for row in tables["products"].itertuples(index=False):
        if row.industry_code and row.industry_code not in industry_codes:
            problems.append(Problem(row.ref_file, row.ref_row, "industry_code", f"industry {row.industry_code!r} is not in industries"))

    indicator_codes = set(tables["indicators"]["code"])
    for row in tables["indicators"].itertuples(index=False):
        for name in (row.code, row.name_zh, row.name_en):
            if name:
                reference.indicator_lookup.setdefault(fold(name), {"indicator": row.code})
    for row in tables["indicator_aliases"].itertuples(index=False):
        if row.indicator not in indicator_codes:
            problems.append(Problem(row.ref_file, row.ref_row, "indicator", f"indicator {row.indicator!r} is not in indicators"))
            continue
        if row.industry_code and row.industry_code not in set(tables["industries"]["code"]):
            problems.append(Problem(row.ref_file, row.ref_row, "industry_code", f"industry {row.industry_code!r} is not in industries"))
        implied = {c: getattr(row, c) for c in TABLE_COLUMNS["indicator_aliases"][1:]}
        key = fold(row.alias)
        previous = reference.indicator_lookup.get(key)
        if previous is not None and previous != implied and previous != {"indicator": row.indicator}:
            problems.append(Problem(row.ref_file, row.ref_row, "alias", f"alias {row.alias!r} is defined twice differently"))
            continue
        reference.indicator_lookup[key] = implied

    for row in tables["qualifiers"].itertuples(index=False):
        reference.qualifier_lookup[fold(row.word)] = (row.qualifier, row.status)
    _load_dimensions(reference, tables, problems)
    for row in tables["products"].itertuples(index=False):
        if row.unit and row.unit not in reference.base_dimensions:
            problems.append(Problem(row.ref_file, row.ref_row, "unit", f"base unit {row.unit!r} is not the base unit of any unit in units*.csv"))
        elif row.unit:
            reference.product_units[row.code] = row.unit
    from etl.derive.breaks import check_rules  # the rules' meaning lives with the derivations

    problems.extend(check_rules(tables["series_breaks"]))
    return reference, problems


def _number(text: str, where: tuple[str, int], column: str, problems: list[Problem]) -> float | None:
    """A finite number from a reference cell, or None (empty) — a bad one is a problem."""
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(Problem(where[0], where[1], column, f"not a number: {text!r}"))
        return None
    return value


def _load_dimensions(reference: Reference, tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """Units, indicators and measures with the dimensions they measure, checked against each other.

    Every unit with a base unit and every indicator declares a dimension from ``dimensions.csv``;
    all symbols of one base unit share its dimension; an indicator's base unit measures the
    indicator's dimension. These are the facts the ETL's unit check (``value_added`` in 个 is an
    error) relies on, so a table that breaks them stops the run.
    """
    for row in tables["dimensions"].itertuples(index=False):
        if row.counted not in ("yes", "no"):
            problems.append(Problem(row.ref_file, row.ref_row, "counted", f"expected yes or no, not {row.counted!r}"))
        if row.code in reference.dimensions:
            problems.append(Problem(row.ref_file, row.ref_row, "code", f"duplicate dimension {row.code!r}"))
        reference.dimensions[row.code] = row.counted == "yes"

    base_dimension: dict[str, tuple[str, tuple[str, int]]] = {}
    for row in tables["units"].itertuples(index=False):
        where = (row.ref_file, row.ref_row)
        multiplier = _number(row.multiplier, where, "multiplier", problems)
        if multiplier is None or multiplier <= 0:
            if multiplier is not None or not row.multiplier:
                problems.append(Problem(row.ref_file, row.ref_row, "multiplier", f"a multiplier must be a positive number, not {row.multiplier!r}"))
            continue
        if row.dimension and row.dimension not in reference.dimensions:
            problems.append(Problem(row.ref_file, row.ref_row, "dimension", f"unknown dimension {row.dimension!r} (not in dimensions.csv)"))
            continue
        if row.base_unit:
            if not row.dimension:
                problems.append(Problem(row.ref_file, row.ref_row, "dimension", f"unit {row.symbol!r} has base unit {row.base_unit!r} but no dimension"))
                continue
            previous = base_dimension.setdefault(row.base_unit, (row.dimension, where))
            if previous[0] != row.dimension:
                problems.append(Problem(row.ref_file, row.ref_row, "dimension",
                                        f"base unit {row.base_unit!r} is {previous[0]} at {previous[1][0]}:{previous[1][1]}, not {row.dimension}"))
                continue
        elif row.dimension and not reference.dimensions.get(row.dimension):
            problems.append(Problem(row.ref_file, row.ref_row, "dimension",
                                    f"a unit without a base unit is a bare scale (no dimension) or a counting word (a counted dimension), not {row.dimension!r}"))
            continue
        key = fold(row.symbol)
        defined = UnitDef(row.base_unit, multiplier, row.dimension)
        if key in reference.unit_lookup and reference.unit_lookup[key] != defined:
            problems.append(Problem(row.ref_file, row.ref_row, "symbol", f"unit {row.symbol!r} is defined twice differently"))
            continue
        reference.unit_lookup[key] = defined

    reference.base_dimensions = {base: dimension for base, (dimension, _) in base_dimension.items()}
    for row in tables["indicators"].itertuples(index=False):
        where = (row.ref_file, row.ref_row)
        if row.dimension not in reference.dimensions:
            problems.append(Problem(row.ref_file, row.ref_row, "dimension",
                                    f"indicator {row.code!r} needs a dimension from dimensions.csv, not {row.dimension!r}"))
            continue
        unit = base_dimension.get(row.default_unit)
        if unit is None:
            problems.append(Problem(row.ref_file, row.ref_row, "default_unit", f"base unit {row.default_unit!r} is not the base unit of any unit in units*.csv"))
            continue
        if unit[0] != row.dimension:
            problems.append(Problem(row.ref_file, row.ref_row, "default_unit",
                                    f"base unit {row.default_unit!r} measures {unit[0]}, not the indicator's dimension {row.dimension}"))
            continue
        reference.indicator_defs[row.code] = IndicatorDef(row.default_unit, row.dimension, _number(row.min_level, where, "min_level", problems))

    for row in tables["measures"].itertuples(index=False):
        where = (row.ref_file, row.ref_row)
        if row.base_unit and row.base_unit not in base_dimension:
            problems.append(Problem(row.ref_file, row.ref_row, "base_unit", f"base unit {row.base_unit!r} is not the base unit of any unit in units*.csv"))
        if row.future_periods not in ("yes", "no"):
            problems.append(Problem(row.ref_file, row.ref_row, "future_periods", f"expected yes or no, not {row.future_periods!r}"))
        if row.code not in MEASURES:
            problems.append(Problem(row.ref_file, row.ref_row, "code", f"unknown measure {row.code!r} (the model's measures are {', '.join(MEASURES)})"))
            continue
        reference.measure_rules[row.code] = MeasureRule(
            row.base_unit, _number(row.min, where, "min", problems), _number(row.max, where, "max", problems),
            row.future_periods == "yes", _number(row.improbable_ratio, where, "improbable_ratio", problems),
        )
    for code in MEASURES:
        if code not in reference.measure_rules and tables["measures"]["ref_file"].size:
            problems.append(Problem(str(tables["measures"]["ref_file"].iloc[0]), None, None, f"measure {code!r} has no row"))
    for row in tables["statuses"].itertuples(index=False):
        if row.code not in STATUSES:
            problems.append(Problem(row.ref_file, row.ref_row, "code", f"unknown status {row.code!r} (the model's statuses are {', '.join(STATUSES)})"))
            continue
        if row.future_periods not in ("yes", "no"):
            problems.append(Problem(row.ref_file, row.ref_row, "future_periods", f"expected yes or no, not {row.future_periods!r}"))
        reference.future_statuses[row.code] = row.future_periods == "yes"
    for code in STATUSES:
        if code not in reference.future_statuses and tables["statuses"]["ref_file"].size:
            problems.append(Problem(str(tables["statuses"]["ref_file"].iloc[0]), None, None, f"status {code!r} has no row"))
