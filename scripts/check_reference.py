"""Self-check of the reference tables and the reported-figures files under data/raw/.

Independent of the ETL code (it reads the CSVs with the standard library only), so it can
vouch for the data when the ETL changes. It checks that

- the reference tables are consistent: unique codes, existing parents, no name or alias
  that points at two codes, aliases that name existing indicators and industries;
- every figure resolves: its region (code, name or alias in regions.csv), industry,
  indicator phrase (indicator_aliases.csv or an indicator code/name), unit (after the
  bracketed words, which must all be in qualifiers.csv), period and period kind,
  measure, qualifier, status and price basis; growth and shares are in percent;
- every source_id is defined once, well formed, with a known authority and a
  YYYY-MM-DD date (or none);
- no source gives two different values for the same figure (same region, industry,
  indicator, product, scope, period, measure, share_of and price basis).

Usage (from the repository root)::

    python scripts/check_reference.py [--raw data/raw] [--reference data/reference]

Prints every problem as ``file:row:column: reason`` and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
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
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


class Checker:
    def __init__(self, reference: Path, raw: Path):
        self.reference, self.raw = reference, raw
        self.problems: list[str] = []

    def problem(self, where: str, row: int | None, column: str | None, reason: str) -> None:
        self.problems.append(":".join(str(p) for p in (where, row, column) if p not in (None, "")) + f": {reason}")

    # ---------------------------------------------------------------- reference tables
    def coded(self, name: str) -> tuple[dict[str, str], set[str]]:
        """Every ``<name>*.csv`` file (one per scheme, as the ETL reads them), checked as one table."""
        rows = [(path.name, number, row) for path in sorted(self.reference.glob(f"{name}*.csv"))
                for number, row in enumerate(read_csv(path), start=2)]
        codes: dict[str, str] = {}
        lookup: dict[str, str] = {}
        for where, number, row in rows:
            code = row["code"]
            if not code:
                self.problem(where, number, "code", "empty code")
                continue
            if code in codes:
                self.problem(where, number, "code", f"duplicate code {code!r} (first at {codes[code]})")
            codes[code] = f"{where}:{number}"
            names = [code, row["name_zh"], row["name_en"], *[a for a in row.get("aliases", "").split("|") if a]]
            for alias in names:
                key = fold(alias)
                if not key:
                    continue
                if key in lookup and lookup[key] != code:
                    self.problem(where, number, "aliases", f"name {alias!r} already means {lookup[key]}")
                lookup[key] = code
        for where, number, row in rows:
            if row.get("parent_code") and row["parent_code"] not in codes:
                self.problem(where, number, "parent_code", f"parent {row['parent_code']!r} is not a code")
        return lookup, set(codes)

    def load_reference(self) -> None:
        self.regions, _ = self.coded("regions")
        self.industries, industry_codes = self.coded("industries")
        indicators = read_csv(self.reference / "indicators.csv")
        indicator_codes = {r["code"] for r in indicators}
        self.indicators: dict[str, dict[str, str]] = {}
        for row in indicators:
            for name in (row["code"], row["name_zh"], row["name_en"]):
                self.indicators.setdefault(fold(name), {"indicator": row["code"]})
        for number, row in enumerate(read_csv(self.reference / "indicator_aliases.csv"), start=2):
            if row["indicator"] not in indicator_codes:
                self.problem("indicator_aliases.csv", number, "indicator", f"{row['indicator']!r} is not in indicators.csv")
            if row["industry_code"] and row["industry_code"] not in industry_codes:
                self.problem("indicator_aliases.csv", number, "industry_code", f"{row['industry_code']!r} is not in industries.csv")
            if row["measure"] and row["measure"] not in MEASURES:
                self.problem("indicator_aliases.csv", number, "measure", f"unknown measure {row['measure']!r}")
            if row["price_basis"] not in PRICE_BASES:
                self.problem("indicator_aliases.csv", number, "price_basis", f"unknown price basis {row['price_basis']!r}")
            key = fold(row["alias"])
            implied = {k: v for k, v in row.items() if k != "alias"}
            if key in self.indicators and self.indicators[key] != implied and self.indicators[key] != {"indicator": row["indicator"]}:
                self.problem("indicator_aliases.csv", number, "alias", f"alias {row['alias']!r} is defined twice differently")
            self.indicators[key] = implied
        self.default_unit = {r["code"]: r["default_unit"] for r in indicators}
        self.counted = {r["code"]: r["counted"] == "yes" for r in read_csv(self.reference / "dimensions.csv")}
        self.dimension = {r["code"]: r["dimension"] for r in indicators}
        for number, row in enumerate(indicators, start=2):
            if row["dimension"] not in self.counted:
                self.problem("indicators.csv", number, "dimension", f"unknown dimension {row['dimension']!r} (not in dimensions.csv)")
        self.units: dict[str, tuple[str, float, str]] = {}
        for number, row in enumerate(read_csv(self.reference / "units.csv"), start=2):
            if row["dimension"] and row["dimension"] not in self.counted:
                self.problem("units.csv", number, "dimension", f"unknown dimension {row['dimension']!r} (not in dimensions.csv)")
            if row["base_unit"] and not row["dimension"]:
                self.problem("units.csv", number, "dimension", f"unit {row['symbol']!r} has a base unit but no dimension")
            try:
                self.units[fold(row["symbol"])] = (row["base_unit"], float(row["multiplier"]), row["dimension"])
            except ValueError:
                self.problem("units.csv", number, "multiplier", f"not a number: {row['multiplier']!r}")
        self.qualifiers: dict[str, tuple[str, str]] = {}
        for number, row in enumerate(read_csv(self.reference / "qualifiers.csv"), start=2):
            if row["qualifier"] not in QUALIFIERS or row["status"] not in STATUSES:
                self.problem("qualifiers.csv", number, None, f"unknown qualifier or status in {row}")
            self.qualifiers[fold(row["word"])] = (row["qualifier"], row["status"])

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

    def unit_fits(self, text: str, indicator: str) -> str | None:
        """Why a level's unit does not measure the indicator's dimension, or None when it does."""
        base, _, dimension = self.units[fold(BRACKETS.sub("", text).strip())]
        wanted = self.dimension.get(indicator, "")
        if not wanted or (base and dimension == wanted) or (not base and (not dimension or self.counted.get(wanted))):
            return None
        what = f"measures {dimension}" if base else "is a counting word"
        return f"unit {text!r} {what}, but {indicator} measures {wanted}"

    @staticmethod
    def period_ok(text: str, kind: str) -> str | None:
        if re.fullmatch(r"\d{4}", text):
            return None if kind in ("", "year") else f"a calendar year cannot be of kind {kind!r}"
        match = re.fullmatch(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", text)
        if not match:
            return f"period {text!r} is not YYYY or YYYY-MM/YYYY-MM"
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return f"no such month in {text!r}"
        if y1 != y2:
            return None if (m1, m2, kind) == (1, 12, "span") else f"a period over several years must be Jan–Dec of kind span: {text!r}"
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
        if length < 1:
            return f"period {text!r} ends before it starts"
        return None if kind in allowed else f"period {text!r} cannot be of kind {kind!r} (allowed: {sorted(allowed)})"

    def check_raw(self) -> tuple[int, int]:
        sources: dict[str, str] = {}
        for path in sorted(self.raw.glob("*.sources.csv")):
            for number, row in enumerate(read_csv(path), start=2):
                sid = row["source_id"]
                if not SOURCE_ID.fullmatch(sid):
                    self.problem(path.name, number, "source_id", f"invalid source_id {sid!r}")
                if sid in sources:
                    self.problem(path.name, number, "source_id", f"source {sid!r} defined twice (also {sources[sid]})")
                sources[sid] = f"{path.name}:{number}"
                for column in ("title", "publisher"):
                    if not row[column]:
                        self.problem(path.name, number, column, f"empty {column}")
                if row["authority"] not in AUTHORITIES:
                    self.problem(path.name, number, "authority", f"unknown authority {row['authority']!r}")
                for column in ("published_date", "retrieved_date"):
                    if row[column] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[column]):
                        self.problem(path.name, number, column, f"not a date (YYYY-MM-DD): {row[column]!r}")
        figures_count = 0
        seen: dict[tuple, tuple[str, str]] = {}
        for path in sorted(self.raw.glob("*.figures.csv")):
            for number, row in enumerate(read_csv(path), start=2):
                figures_count += 1
                where = path.name
                region = self.regions.get(fold(row["region"]))
                if region is None:
                    self.problem(where, number, "region", f"unknown region {row['region']!r}")
                implied = self.indicators.get(fold(row["indicator"]))
                if implied is None:
                    self.problem(where, number, "indicator", f"unknown indicator {row['indicator']!r}")
                    implied = {}
                industry = self.industries.get(fold(row["industry"])) if row.get("industry") else ""
                if industry is None:
                    self.problem(where, number, "industry", f"unknown industry {row['industry']!r}")
                industry = implied.get("industry_code") or industry or ""
                if not industry and implied:
                    self.problem(where, number, "industry", "no industry (neither the row nor the indicator phrase gives one)")

                def dim(name: str) -> str:
                    return implied.get(name) or row.get(name, "")

                measure = dim("measure") or "level"
                if measure not in MEASURES:
                    self.problem(where, number, "measure", f"unknown measure {measure!r}")
                if dim("price_basis") not in PRICE_BASES:
                    self.problem(where, number, "price_basis", f"unknown price basis {dim('price_basis')!r}")
                if row.get("qualifier", "") not in QUALIFIERS:
                    self.problem(where, number, "qualifier", f"unknown qualifier {row['qualifier']!r}")
                if row.get("status", "") not in STATUSES:
                    self.problem(where, number, "status", f"unknown status {row['status']!r}")
                if row.get("period_kind", "") not in PERIOD_KINDS:
                    self.problem(where, number, "period_kind", f"unknown period kind {row['period_kind']!r}")
                reason = self.period_ok(row["period"], row.get("period_kind", ""))
                if reason:
                    self.problem(where, number, "period", reason)
                base, reason = self.unit(row["unit"])
                if reason:
                    self.problem(where, number, "unit", reason)
                base = base or self.default_unit.get(implied.get("indicator", ""), "")
                if measure in ("yoy_pct", "share_pct") and not reason and base != "percent":
                    self.problem(where, number, "unit", f"a {measure} figure must be in percent, not {row['unit']!r}")
                if measure == "rank" and not reason and base != "rank":
                    self.problem(where, number, "unit", f"a rank must be in unit rank, not {row['unit']!r}")
                if measure in ("level", "target") and not reason and (misfit := self.unit_fits(row["unit"], implied.get("indicator", ""))):
                    self.problem(where, number, "unit", misfit)
                value = row["value"].replace(",", "")
                if not NUMBER.fullmatch(value) and row.get("status") not in ("suppressed", "not_available"):
                    self.problem(where, number, "value", f"not a number: {row['value']!r}")
                if row["source_id"] not in sources:
                    self.problem(where, number, "source_id", f"unknown source {row['source_id']!r}")
                key = (region, industry, implied.get("indicator"), dim("product"), dim("scope"), row["period"],
                       row.get("period_kind", ""), measure, dim("share_of"), dim("price_basis"), row["source_id"])
                if key in seen and seen[key][1] != value:
                    self.problem(where, number, "value", f"the same figure from the same source has another value at row {seen[key][0]} ({seen[key][1]} vs {value})")
                seen.setdefault(key, (str(number), value))
        return figures_count, len(sources)

    def run(self) -> int:
        self.load_reference()
        figures, sources = self.check_raw()
        for line in self.problems:
            print(line)
        print(f"checked {figures} figures, {sources} sources, {len(self.regions)} region names: "
              f"{len(self.problems)} problem(s)", file=sys.stderr)
        return 1 if self.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check data/reference and data/raw for consistency.")
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--reference", type=Path, default=ROOT / "data" / "reference")
    args = parser.parse_args(argv)
    return Checker(args.reference, args.raw).run()


if __name__ == "__main__":
    sys.exit(main())
