"""Self-check of the reference tables and the reported-figures files under data/raw/.

Two checks, both printed as ``file:row:column: reason``; the exit code is 1 if either finds
anything:

1. **Independent** (the standard library only, so it can vouch for the data when the ETL
   changes): every CSV is read strictly — each row the header's width (an unquoted comma in
   a name shifts a row: an error, not a silently different table), every quote closed, no
   row cut at the end of the file — and

   - the reference tables are consistent: unique codes, existing parents, no name or alias
     that points at two codes, aliases that name existing indicators and industries; every
     indicator and unit has a dimension from dimensions.csv, one per base unit, and each
     indicator's base unit measures its dimension;
   - every figure resolves: its region, industry, indicator phrase, unit (after the bracketed
     words, which must all be in qualifiers.csv), period and period kind (a span may start in
     any month), measure, qualifier, status and price basis; growth and shares are in
     percent, ranks in rank, levels in a unit of the indicator's dimension;
   - every value is a number in the ETL's strict sense (thousands separators only in place)
     and possible (measures.csv bounds, indicators.csv min_level), and no period starts
     after its source's publication unless it is a target or a forecast;
   - every source_id is defined once, well formed, with a known authority and a YYYY-MM-DD
     date (or none); no source gives two values for the same figure.

2. **What the ETL would trip on**: the ETL's own build (``etl.pipeline.build``) over the same
   directories, so nothing the run would reject is called clean here — including the
   publishers' formats and sidecars this script does not parse itself. Problems already
   reported by the first check at the same place are not repeated.

Usage (from the repository root)::

    python scripts/check_reference.py [--raw data/raw] [--reference data/reference] [--no-etl]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURES = {"level", "yoy_pct", "share_pct", "rank", "target", "mom_pct", "pp_change", "pp_change_prev", "contribution_pp"}
STATUSES = {"", "reported", "derived", "estimated", "provisional", "revised", "target", "suppressed", "not_available"}
QUALIFIERS = {"", "exact", "at_least", "at_most", "about"}
PRICE_BASES = {"", "current", "comparable"}
AUTHORITIES = {"", "official", "association", "company", "media"}
PERIOD_KINDS = {"", "month", "quarter", "half", "year", "ytd", "span"}
BRACKETS = re.compile(r"[(（\[]([^)）\]]*)[)）\]]")
SPLIT = re.compile(r"[,，、;；/]|\s+and\s+")
SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
#: A number as etl/numbers.py reads it with a decimal point: plain, or grouped by commas in thousands.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
WIDE = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "．": ".", "，": ",", "－": "-", "\u2212": "-", "＋": "+"})
#: Dimensions of indicators that never take their product's unit (etl/reference.py NON_PHYSICAL_DIMENSIONS).
NON_PHYSICAL = {"", "money", "money_per_person", "dimensionless"}
#: Columns whose cut cannot be seen: a file ending in one of them without a line break is an error.
NUMBER_COLUMNS = {"value", "multiplier", "min", "max", "min_level", "improbable_ratio"}


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def number(text: str) -> float | None:
    """The value of a cell the ETL would read as a number, else None."""
    cell = text.translate(WIDE).strip()
    if not NUMBER.fullmatch(cell):
        return None
    value = float(cell.replace(",", ""))
    return value if value not in (float("inf"), float("-inf")) else None


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM) or GBK, as the reference tables and the figures files may be."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


class Checker:
    def __init__(self, reference: Path, raw: Path):
        self.reference, self.raw = reference, raw
        self.problems: list[str] = []
        self.places: set[tuple[str, str]] = set()

    def problem(self, where: str, row: int | None, column: str | None, reason: str) -> None:
        self.places.add((Path(where).name, "" if row is None else str(row)))
        self.problems.append(":".join(str(p) for p in (where, row, column) if p not in (None, "")) + f": {reason}")

    # ---------------------------------------------------------------- strict CSV
    def read_csv(self, path: Path, where: str | None = None) -> list[tuple[int, dict[str, str]]]:
        """``(line, row)`` for every well-formed row; each malformed one is a problem."""
        where = where or path.name
        try:
            text = decode(path.read_bytes())
        except UnicodeDecodeError as error:
            self.problem(where, None, None, f"not UTF-8 and not GBK: {error}")
            return []
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records, start = [], 1
        try:
            for cells in reader:
                records.append((start, cells))
                start = reader.line_num + 1
        except csv.Error as error:
            self.problem(where, start, None, f"broken quoting ({error}): a quote opened in this row is not closed")
        if not records:
            return []
        header = [h.strip() for h in records[0][1]]
        if len(set(header)) != len(header):
            self.problem(where, 1, None, "a column name appears twice in the header")
        rows = []
        for index, (line, cells) in enumerate(records[1:], start=1):
            if not "".join(cells).strip():
                continue
            if any("\n" in c and any(part.count(",") >= len(header) - 2 for part in c.splitlines()[1:]) for c in cells) and len(header) >= 3:
                self.problem(where, line, None, "a quoted cell takes in whole rows: a quote opened in this row is closed too late")
                continue
            if len(cells) != len(header):
                self.problem(where, line, None, f"{len(cells)} cells, the header has {len(header)} (an unquoted comma, or a cut row?)")
                continue
            if index == len(records) - 1 and not text.endswith(("\n", "\r")) and header[-1] in NUMBER_COLUMNS:
                self.problem(where, line, header[-1], "the file ends in this row without a line break: its last cell may have been cut")
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
        return rows

    def table(self, name: str) -> list[tuple[str, int, dict[str, str]]]:
        """Every row of every ``<name>*.csv`` in the reference folder and its ``.local`` sibling."""
        out = []
        for folder in (self.reference, self.reference.with_name(self.reference.name + ".local")):
            paths = sorted(folder.glob(f"{name}*.csv")) if folder.is_dir() else []
            if name == "indicators":
                paths = [p for p in paths if not p.name.startswith("indicator_aliases")]
            for path in paths:
                where = f"{folder.name}/{path.name}" if folder != self.reference else path.name
                out.extend((where, line, row) for line, row in self.read_csv(path, where))
        return out

    # ---------------------------------------------------------------- reference tables
    def coded(self, name: str) -> tuple[dict[str, str], set[str]]:
        rows = self.table(name)
        codes: dict[str, str] = {}
        lookup: dict[str, str] = {}
        for where, number_, row in rows:
            code = row.get("code", "")
            if not code:
                self.problem(where, number_, "code", "empty code")
                continue
            if code in codes:
                self.problem(where, number_, "code", f"duplicate code {code!r} (first at {codes[code]})")
            codes[code] = f"{where}:{number_}"
            names = [code, row.get("name_zh", ""), row.get("name_en", ""), *[a for a in row.get("aliases", "").split("|") if a]]
            for alias in names:
                key = fold(alias)
                if not key:
                    continue
                if key in lookup and lookup[key] != code:
                    self.problem(where, number_, "aliases", f"name {alias!r} already means {lookup[key]}")
                lookup[key] = code
        for where, number_, row in rows:
            if row.get("parent_code") and row["parent_code"] not in codes:
                self.problem(where, number_, "parent_code", f"parent {row['parent_code']!r} is not a code")
        return lookup, set(codes)

    def load_reference(self) -> None:
        self.regions, _ = self.coded("regions")
        self.industries, industry_codes = self.coded("industries")
        self.counted = {row["code"]: row.get("counted") == "yes" for _, _, row in self.table("dimensions")}
        self.units: dict[str, tuple[str, float, str]] = {}
        base_dimension: dict[str, str] = {}
        for where, line, row in self.table("units"):
            multiplier = number(row.get("multiplier", ""))
            if multiplier is None or multiplier <= 0:
                self.problem(where, line, "multiplier", f"not a positive number: {row.get('multiplier')!r}")
                continue
            base, dimension = row.get("base_unit", ""), row.get("dimension", "")
            if dimension and dimension not in self.counted:
                self.problem(where, line, "dimension", f"unknown dimension {dimension!r} (not in dimensions.csv)")
            if base and not dimension:
                self.problem(where, line, "dimension", f"unit {row['symbol']!r} has a base unit but no dimension")
            if base and base_dimension.setdefault(base, dimension) != dimension:
                self.problem(where, line, "dimension", f"base unit {base!r} is {base_dimension[base]}, not {dimension}")
            self.units[fold(row["symbol"])] = (base, multiplier, dimension)
        self.base_dimension = base_dimension
        self.products, _ = self.coded("products")
        self.product_unit = {row["code"]: row.get("unit", "") for _, _, row in self.table("products")}
        indicators = self.table("indicators")
        indicator_codes = {r["code"] for _, _, r in indicators}
        self.indicators: dict[str, dict[str, str]] = {}
        self.default_unit: dict[str, str] = {}
        self.dimension: dict[str, str] = {}
        self.min_level: dict[str, float | None] = {}
        for where, line, row in indicators:
            for name in (row["code"], row.get("name_zh", ""), row.get("name_en", "")):
                if name:
                    self.indicators.setdefault(fold(name), {"indicator": row["code"]})
            self.default_unit[row["code"]] = row.get("default_unit", "")
            self.dimension[row["code"]] = row.get("dimension", "")
            self.min_level[row["code"]] = number(row["min_level"]) if row.get("min_level") else None
            if row.get("dimension") not in self.counted:
                self.problem(where, line, "dimension", f"unknown dimension {row.get('dimension')!r} (not in dimensions.csv)")
            elif base_dimension.get(row.get("default_unit", "")) != row["dimension"]:
                self.problem(where, line, "default_unit", f"base unit {row.get('default_unit')!r} does not measure {row['dimension']}")
        for where, line, row in self.table("indicator_aliases"):
            if row["indicator"] not in indicator_codes:
                self.problem(where, line, "indicator", f"{row['indicator']!r} is not in indicators.csv")
            if row["industry_code"] and row["industry_code"] not in industry_codes:
                self.problem(where, line, "industry_code", f"{row['industry_code']!r} is not in industries.csv")
            if row["measure"] and row["measure"] not in MEASURES:
                self.problem(where, line, "measure", f"unknown measure {row['measure']!r}")
            if row["price_basis"] not in PRICE_BASES:
                self.problem(where, line, "price_basis", f"unknown price basis {row['price_basis']!r}")
            key = fold(row["alias"])
            implied = {k: v for k, v in row.items() if k != "alias"}
            if key in self.indicators and self.indicators[key] != implied and self.indicators[key] != {"indicator": row["indicator"]}:
                self.problem(where, line, "alias", f"alias {row['alias']!r} is defined twice differently")
            self.indicators[key] = implied
        self.qualifiers: dict[str, tuple[str, str]] = {}
        for where, line, row in self.table("qualifiers"):
            if row["qualifier"] not in QUALIFIERS or row["status"] not in STATUSES:
                self.problem(where, line, None, f"unknown qualifier or status in {row}")
            self.qualifiers[fold(row["word"])] = (row["qualifier"], row["status"])
        self.measures = {row["code"]: row for _, _, row in self.table("measures")}
        for code in MEASURES - set(self.measures):
            self.problem("measures.csv", None, None, f"measure {code!r} has no row")
        self.future_statuses = {row["code"] for _, _, row in self.table("statuses") if row.get("future_periods") == "yes"}

    # ---------------------------------------------------------------- raw files
    def unit(self, text: str) -> tuple[str, str | None]:
        """(base unit, reason it does not parse or None)."""
        words = [w.strip() for inner in BRACKETS.findall(text) for w in SPLIT.split(inner) if w.strip()]
        symbol = BRACKETS.sub("", text).strip()
        if fold(symbol) not in self.units:
            return "", f"unknown unit {symbol!r} (not in units.csv)"
        unknown = [w for w in words if fold(w) not in self.qualifiers]
        if unknown:
            return "", f"unknown qualifier word(s) {unknown} in unit {text!r} (not in qualifiers.csv)"
        return self.units[fold(symbol)][0], None

    def wanted(self, indicator: str, product: str) -> tuple[str, str]:
        """(dimension, base unit) a level of ``indicator`` measures: a physical indicator takes its
        product's unit (production of steel is mass, in tonnes), as the ETL does."""
        code = self.products.get(fold(product), product) if product else ""
        own = self.product_unit.get(code, "")
        if own and self.dimension.get(indicator, "") not in NON_PHYSICAL:
            return self.base_dimension.get(own, ""), own
        return self.dimension.get(indicator, ""), self.default_unit.get(indicator, "")

    def unit_fits(self, text: str, indicator: str, product: str = "") -> str | None:
        """Why a level's unit does not measure the indicator's dimension, or None when it does."""
        base, _, dimension = self.units[fold(BRACKETS.sub("", text).strip())]
        wanted = self.wanted(indicator, product)[0]
        if not wanted or (base and dimension == wanted) or (not base and (not dimension or self.counted.get(wanted))):
            return None
        what = f"measures {dimension}" if base else "is a counting word"
        return f"unit {text!r} {what}, but {indicator} measures {wanted}"

    @staticmethod
    def period_of(text: str, kind: str) -> tuple[date | None, str | None]:
        """(first day, reason the period is not one) for ``YYYY`` or ``YYYY-MM/YYYY-MM``."""
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), None if kind in ("", "year") else f"a calendar year cannot be of kind {kind!r}"
        match = re.fullmatch(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", text)
        if not match:
            return None, f"period {text!r} is not YYYY or YYYY-MM/YYYY-MM"
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None, f"no such month in {text!r}"
        if (y2, m2) < (y1, m1):
            return None, f"period {text!r} ends before it starts"
        start = date(y1, m1, 1)
        if y1 != y2 or kind == "span":
            return start, None if kind in ("", "span") else f"period {text!r} over several years can only be of kind span"
        length = m2 - m1 + 1
        allowed = set()
        if length == 1:
            allowed.add("month")
        if m1 == 1:
            allowed.add("ytd")
        if m1 == 1 and length == 12:
            allowed.add("year")
        if length == 3 and m1 in (1, 4, 7, 10):
            allowed.add("quarter")
        if length == 6 and m1 in (1, 7):
            allowed.add("half")
        return start, None if kind in allowed else f"period {text!r} cannot be of kind {kind!r} (allowed: {sorted(allowed)})"

    def check_raw(self) -> tuple[int, int]:
        sources: dict[str, str] = {}
        published: dict[str, date] = {}
        for path in sorted(self.raw.rglob("*.sources.csv")):
            where = path.relative_to(self.raw).as_posix()
            for line, row in self.read_csv(path, where):
                sid = row.get("source_id", "")
                if not SOURCE_ID.fullmatch(sid):
                    self.problem(where, line, "source_id", f"invalid source_id {sid!r}")
                if sid in sources:
                    self.problem(where, line, "source_id", f"source {sid!r} defined twice (also {sources[sid]})")
                sources[sid] = f"{where}:{line}"
                for column in ("title", "publisher"):
                    if not row.get(column):
                        self.problem(where, line, column, f"empty {column}")
                if row.get("authority", "") not in AUTHORITIES:
                    self.problem(where, line, "authority", f"unknown authority {row['authority']!r}")
                for column in ("published_date", "retrieved_date"):
                    if row.get(column) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column]):
                        self.problem(where, line, column, f"not a date (YYYY-MM-DD): {row[column]!r}")
                dated = row.get("published_date") or row.get("retrieved_date")
                if dated and re.fullmatch(r"\d{4}-\d{2}-\d{2}", dated):
                    published[sid] = date.fromisoformat(dated)
        figures_count = 0
        seen: dict[tuple, tuple[str, str]] = {}
        for path in sorted(self.raw.rglob("*.figures.csv")):
            where = path.relative_to(self.raw).as_posix()
            for line, row in self.read_csv(path, where):
                figures_count += 1
                self.check_figure(where, line, row, sources, published, seen)
        return figures_count, len(sources)

    def check_figure(self, where: str, number_: int, row: dict[str, str], sources: dict[str, str],
                     published: dict[str, date], seen: dict[tuple, tuple[str, str]]) -> None:
        region = self.regions.get(fold(row.get("region", "")))
        if region is None:
            self.problem(where, number_, "region", f"unknown region {row.get('region')!r}")
        implied = self.indicators.get(fold(row.get("indicator", "")))
        if implied is None:
            self.problem(where, number_, "indicator", f"unknown indicator {row.get('indicator')!r}")
            implied = {}
        industry = self.industries.get(fold(row["industry"])) if row.get("industry") else ""
        if industry is None:
            self.problem(where, number_, "industry", f"unknown industry {row['industry']!r}")
        industry = implied.get("industry_code") or industry or ""
        if not industry and implied:
            self.problem(where, number_, "industry", "no industry (neither the row nor the indicator phrase gives one)")

        def dim(name: str) -> str:
            return implied.get(name) or row.get(name, "")

        measure = dim("measure") or "level"
        indicator = implied.get("indicator", "")
        status = row.get("status", "") or ("target" if measure == "target" else "")
        if measure not in MEASURES:
            self.problem(where, number_, "measure", f"unknown measure {measure!r}")
        if dim("price_basis") not in PRICE_BASES:
            self.problem(where, number_, "price_basis", f"unknown price basis {dim('price_basis')!r}")
        if row.get("qualifier", "") not in QUALIFIERS:
            self.problem(where, number_, "qualifier", f"unknown qualifier {row['qualifier']!r}")
        if row.get("status", "") not in STATUSES:
            self.problem(where, number_, "status", f"unknown status {row['status']!r}")
        if row.get("period_kind", "") not in PERIOD_KINDS:
            self.problem(where, number_, "period_kind", f"unknown period kind {row['period_kind']!r}")
        start, reason = self.period_of(row.get("period", ""), row.get("period_kind", ""))
        if reason:
            self.problem(where, number_, "period", reason)
        sid = row.get("source_id", "")
        look_ahead = status in self.future_statuses or self.measures.get(measure, {}).get("future_periods") == "yes"
        if start and sid in published and start > published[sid] and not look_ahead:
            self.problem(where, number_, "period", f"the period starts after its source was published ({published[sid]})")
        base, reason = self.unit(row.get("unit", ""))
        if reason:
            self.problem(where, number_, "unit", reason)
        base = base or self.wanted(indicator, dim("product"))[1]
        needed = self.measures.get(measure, {}).get("base_unit", "")
        if needed and not reason and base != needed:
            self.problem(where, number_, "unit", f"a {measure} figure must be in {needed}, not {row['unit']!r}")
        if not needed and not reason and (misfit := self.unit_fits(row["unit"], indicator, dim("product"))):
            self.problem(where, number_, "unit", misfit)
        value = number(row.get("value", ""))
        if value is None and row.get("status") not in ("suppressed", "not_available"):
            self.problem(where, number_, "value", f"not a number: {row.get('value')!r}")
        elif value is not None:
            rule = self.measures.get(measure, {})
            low = self.min_level.get(indicator) if not needed else (number(rule.get("min", "")) if rule.get("min") else None)
            high = number(rule["max"]) if needed and rule.get("max") else None
            if low is not None and value < low:
                self.problem(where, number_, "value", f"impossible value {row['value']!r}: below {low:g}")
            if high is not None and value > high:
                self.problem(where, number_, "value", f"impossible value {row['value']!r}: above {high:g}")
        if sid not in sources:
            self.problem(where, number_, "source_id", f"unknown source {sid!r}")
        key = (region, industry, indicator, dim("product"), dim("scope"), row.get("period"),
               row.get("period_kind", ""), measure, dim("share_of"), dim("price_basis"), sid)
        text = row.get("value", "")
        if key in seen and seen[key][1] != text:
            self.problem(where, number_, "value", f"the same figure from the same source has another value at row {seen[key][0]} ({seen[key][1]} vs {text})")
        seen.setdefault(key, (str(number_), text))

    def check_with_etl(self) -> int:
        """Problems the ETL's own build finds that the checks above did not (a missed case is a bug here)."""
        sys.path.insert(0, str(ROOT))
        from etl.pipeline import build
        from etl.problems import InputError

        try:
            build(self.raw, self.reference)
        except InputError as error:
            new = [p for p in error.problems if (Path(p.file).name, "" if p.row is None else str(p.row)) not in self.places]
            for p in new:
                self.problems.append(f"{p} [ETL]")
            return len(new)
        return 0

    def run(self, with_etl: bool = True) -> int:
        self.load_reference()
        figures, sources = self.check_raw()
        from_etl = self.check_with_etl() if with_etl else 0
        for line in self.problems:
            print(line)
        print(f"checked {figures} figures, {sources} sources, {len(self.regions)} region names: "
              f"{len(self.problems)} problem(s)" + (f", {from_etl} found only by the ETL's build" if from_etl else ""),
              file=sys.stderr)
        return 1 if self.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check data/reference and data/raw for consistency.")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--reference", type=Path, default=ROOT / "data" / "reference")
    parser.add_argument("--no-etl", action="store_true", help="skip the second check (the ETL's own build)")
    args = parser.parse_args(argv)
    return Checker(args.reference, args.raw).run(with_etl=not args.no_etl)


if __name__ == "__main__":
    sys.exit(main())
