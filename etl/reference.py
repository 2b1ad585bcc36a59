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

from etl.encoding import DecodeError, read_text
from etl.problems import Problem

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("code", "parent_code", "level", "name_zh", "name_en", "scheme", "valid_from", "valid_to", "aliases"),
    "industries": ("code", "parent_code", "classification", "version", "name_zh", "name_en", "isic", "aliases"),
    "indicators": ("code", "name_zh", "name_en", "default_unit", "definition"),
    "indicator_aliases": ("alias", "indicator", "product", "industry_code", "measure", "share_of", "scope", "price_basis"),
    "units": ("symbol", "base_unit", "multiplier"),
    "qualifiers": ("word", "qualifier", "status"),
    "products": ("code", "name_zh", "name_en", "industry_code", "unit", "aliases"),
    "scopes": ("code", "kind", "name_zh", "name_en", "aliases"),
}
#: Default units of indicators that measure money or ratios: never replaced by a product's unit.
NON_PHYSICAL_UNITS = frozenset({"", "CNY", "USD", "EUR", "percent", "CNY_per_person", "index"})
#: Tables a reference directory may lack (older or hand-made directories): an empty table, no problem.
OPTIONAL_TABLES = {"products", "scopes"}
#: Columns a table may omit (filled with "").
OPTIONAL_COLUMNS = {"scheme", "valid_from", "valid_to", "aliases", "isic", "version", "definition", "kind", "unit", "industry_code"}


def fold(text: str) -> str:
    """The form names are matched in: trimmed, inner whitespace collapsed, case-folded."""
    return " ".join(str(text).split()).casefold()


@dataclass
class Reference:
    """Loaded reference tables and the lookups built from them."""

    tables: dict[str, pd.DataFrame]
    region_lookup: dict[str, str] = field(default_factory=dict)
    industry_lookup: dict[str, str] = field(default_factory=dict)
    indicator_lookup: dict[str, dict[str, str]] = field(default_factory=dict)
    unit_lookup: dict[str, tuple[str, float]] = field(default_factory=dict)
    qualifier_lookup: dict[str, tuple[str, str]] = field(default_factory=dict)
    product_lookup: dict[str, str] = field(default_factory=dict)
    scope_lookup: dict[str, str] = field(default_factory=dict)
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

    def default_unit(self, indicator: str, product: str = "") -> str:
        """The base unit an indicator is measured in when the printed unit is only a scale.

        A physical indicator (production, sales or exports volumes: a default unit that is
        not money or a percentage) takes its product's unit: steel is counted in tonnes,
        phones in units, electricity in kWh (products.csv); money indicators keep theirs.
        """
        row = self.indicators.loc[self.indicators["code"] == indicator, "default_unit"]
        unit = str(row.iloc[0]) if len(row) else ""
        if product and unit not in NON_PHYSICAL_UNITS:
            own = self.products.loc[self.products["code"] == product, "unit"]
            if len(own) and own.iloc[0]:
                return str(own.iloc[0])
        return unit


def _read_table(path: Path, name: str, root: Path, problems: list[Problem]) -> pd.DataFrame | None:
    rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        text, _ = read_text(path)
    except DecodeError as error:
        problems.append(Problem(rel, None, None, str(error)))
        return None
    from io import StringIO

    frame = pd.read_csv(StringIO(text), dtype="str", keep_default_na=False, skipinitialspace=False)
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in TABLE_COLUMNS[name] if c not in frame.columns and c not in OPTIONAL_COLUMNS]
    if missing:
        problems.append(Problem(rel, 1, None, f"missing column(s) {', '.join(missing)}"))
        return None
    for column in TABLE_COLUMNS[name]:
        if column not in frame:
            frame[column] = ""
        frame[column] = frame[column].astype("str").str.strip()
    frame["ref_file"] = rel
    frame["ref_row"] = range(2, len(frame) + 2)
    return frame


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


def table_files(directory: Path, name: str) -> list[Path]:
    """The files that hold reference table ``name`` (``<name>*.csv``), in a stable order."""
    paths = sorted(directory.glob(f"{name}*.csv"))
    if name == "indicators":
        paths = [p for p in paths if not p.name.startswith("indicator_aliases")]
    return paths


def reference_files(directory: Path) -> list[Path]:
    """Every file :func:`load_reference` reads — hashed by incremental runs without parsing."""
    return [path for name in TABLE_COLUMNS for path in table_files(directory, name)]


def load_reference(directory: Path) -> tuple[Reference, list[Problem]]:
    """Load every reference table under ``directory``; return it with the problems found."""
    problems: list[Problem] = []
    tables: dict[str, pd.DataFrame] = {}
    files: list[Path] = []
    for name, columns in TABLE_COLUMNS.items():
        paths = table_files(directory, name)
        frames = []
        for path in paths:
            files.append(path)
            frame = _read_table(path, name, directory, problems)
            if frame is not None:
                frames.append(frame)
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

    for row in tables["units"].itertuples(index=False):
        try:
            multiplier = float(row.multiplier)
        except ValueError:
            problems.append(Problem(row.ref_file, row.ref_row, "multiplier", f"not a number: {row.multiplier!r}"))
            continue
        reference.unit_lookup[fold(row.symbol)] = (row.base_unit, multiplier)
    for row in tables["qualifiers"].itertuples(index=False):
        reference.qualifier_lookup[fold(row.word)] = (row.qualifier, row.status)
    return reference, problems
