"""A synthetic national-scale dataset for benchmarks: ``python -m etl.synth --observations N --out DIR``.

SYNTHETIC — NOT REAL DATA. The numbers are random; only the *shape* is realistic: the real
prefecture cities and provinces of ``data/reference/regions.csv`` (GB/T 2260), the real
GB/T 4754-2017 industry divisions, six indicators, ten years of year-to-date releases (Jan–Feb
published together, so 11 releases a year), growth rates and shares, a few revisions (a second
vintage) and flags. Every source row is titled "SYNTHETIC benchmark data — not real" and the
output directory gets a README saying so. It never writes into ``data/raw``.

Two output formats:

* ``csv``: input files in the reported-figures format (docs/input-format.md) under ``DIR/raw``,
  one ``*.figures.csv`` per year plus the revisions, and one ``*.sources.csv``; run the ETL on them
  with ``--raw DIR/raw --reference DIR/reference``.
* ``warehouse``: the observations the ETL would produce from those files, published directly
  (``DIR/warehouse``) — building 10 M rows through the CSV path would benchmark the ETL, not
  the dashboard.

Everything is vectorised (numpy) and deterministic for a seed.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from etl.model import OBSERVATIONS_SCHEMA, SOURCES_SCHEMA
from etl.publish import publish

#: Bump when the output changes for the same arguments (benchmarks cache by it).
GENERATOR_VERSION = 2
SYNTHETIC_TITLE = "SYNTHETIC benchmark data — not real"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO / "data" / "reference"
FIRST_YEAR, YEARS = 2016, 10
#: Releases per year: January and February are published together, so months 2..12 of the year to date.
RELEASE_MONTHS = np.arange(2, 13)
#: Share of level figures published a second time (a revision, a later vintage).
REVISION_RATE = 0.01
FLAG_RATE = 0.005

#: Indicator code → (printed unit for provinces and the country, printed unit for cities, base unit).
INDICATORS = {
    "value_added": ("亿元", "万元", "CNY"),
    "output_value": ("亿元", "万元", "CNY"),
    "revenue": ("亿元", "万元", "CNY"),
    "profit": ("亿元", "万元", "CNY"),
    "tax": ("亿元", "万元", "CNY"),
    "enterprises": ("家", "家", "enterprises"),
}
#: Indicators also published as a share of the parent region (share_pct).
SHARE_INDICATORS = ("value_added", "revenue")

#: GB/T 4754-2017 divisions of mining (B), manufacturing (C) and utilities (D), with their sections.
DIVISIONS = [
    ("B", "BCD", "采矿业", "Mining"),
    ("B06", "B", "煤炭开采和洗选业", "Mining and washing of coal"),
    ("B07", "B", "石油和天然气开采业", "Extraction of petroleum and natural gas"),
    ("B08", "B", "黑色金属矿采选业", "Mining and processing of ferrous metal ores"),
    ("B09", "B", "有色金属矿采选业", "Mining and processing of non-ferrous metal ores"),
    ("B10", "B", "非金属矿采选业", "Mining and processing of non-metal ores"),
    ("B11", "B", "开采专业及辅助性活动", "Professional and support activities for mining"),
    ("B12", "B", "其他采矿业", "Other mining"),
    ("C13", "C", "农副食品加工业", "Processing of food from agricultural products"),
    ("C14", "C", "食品制造业", "Manufacture of foods"),
    ("C15", "C", "酒、饮料和精制茶制造业", "Manufacture of liquor, beverages and refined tea"),
    ("C16", "C", "烟草制品业", "Manufacture of tobacco"),
    ("C17", "C", "纺织业", "Manufacture of textiles"),
    ("C18", "C", "纺织服装、服饰业", "Manufacture of textile wearing apparel and accessories"),
    ("C19", "C", "皮革、毛皮、羽毛及其制品和制鞋业", "Manufacture of leather, fur, feather and related products and footwear"),
    ("C20", "C", "木材加工和木、竹、藤、棕、草制品业", "Processing of timber; manufacture of wood, bamboo, rattan, palm and straw products"),
    ("C21", "C", "家具制造业", "Manufacture of furniture"),
    ("C22", "C", "造纸和纸制品业", "Manufacture of paper and paper products"),
    ("C23", "C", "印刷和记录媒介复制业", "Printing and reproduction of recording media"),
    ("C24", "C", "文教、工美、体育和娱乐用品制造业", "Manufacture of articles for culture, education, arts and crafts, sport and entertainment"),
    ("C25", "C", "石油、煤炭及其他燃料加工业", "Processing of petroleum, coal and other fuels"),
    ("C26", "C", "化学原料和化学制品制造业", "Manufacture of raw chemical materials and chemical products"),
    ("C27", "C", "医药制造业", "Manufacture of medicines"),
    ("C28", "C", "化学纤维制造业", "Manufacture of chemical fibres"),
    ("C29", "C", "橡胶和塑料制品业", "Manufacture of rubber and plastic products"),
    ("C30", "C", "非金属矿物制品业", "Manufacture of non-metallic mineral products"),
    ("C31", "C", "黑色金属冶炼和压延加工业", "Smelting and pressing of ferrous metals"),
    ("C32", "C", "有色金属冶炼和压延加工业", "Smelting and pressing of non-ferrous metals"),
    ("C33", "C", "金属制品业", "Manufacture of metal products"),
    ("C34", "C", "通用设备制造业", "Manufacture of general-purpose machinery"),
    ("C35", "C", "专用设备制造业", "Manufacture of special-purpose machinery"),
    ("C36", "C", "汽车制造业", "Automobile manufacturing"),
    ("C37", "C", "铁路、船舶、航空航天和其他运输设备制造业", "Manufacture of railway, ship, aerospace and other transport equipment"),
    ("C38", "C", "电气机械和器材制造业", "Manufacture of electrical machinery and equipment"),
    ("C39", "C", "计算机、通信和其他电子设备制造业", "Manufacture of computers, communication and other electronic equipment"),
    ("C40", "C", "仪器仪表制造业", "Manufacture of measuring instruments"),
    ("C41", "C", "其他制造业", "Other manufacturing"),
    ("C42", "C", "废弃资源综合利用业", "Comprehensive utilisation of waste resources"),
    ("C43", "C", "金属制品、机械和设备修理业", "Repair of metal products, machinery and equipment"),
    ("D", "BCD", "电力、热力、燃气及水生产和供应业", "Production and supply of electricity, heat, gas and water"),
    ("D44", "D", "电力、热力生产和供应业", "Production and supply of electricity and heat"),
    ("D45", "D", "燃气生产和供应业", "Production and supply of gas"),
    ("D46", "D", "水生产和供应业", "Production and supply of water"),
]


class SynthError(ValueError):
    """The generator refuses (e.g. an output directory inside data/raw)."""


@dataclass(frozen=True)
class Universe:
    """The dimensions the rows are drawn from."""

    region_codes: np.ndarray  # str
    region_parent: np.ndarray  # index into region_codes, -1 for the country
    region_level: np.ndarray  # 0 country, 1 province, 2 city
    region_province: np.ndarray  # index of the province (itself for a province; the country for itself)
    industries: np.ndarray  # str codes: BCD (all industry) and the divisions
    indicators: np.ndarray  # str codes


def check_output(out: Path) -> None:
    """Refuse to write synthetic rows where real inputs live."""
    resolved = out.resolve()
    raw = (REPO / "data" / "raw").resolve()
    parts = resolved.parts
    inside_raw = resolved == raw or raw in resolved.parents
    named_raw = any(a == "data" and b == "raw" for a, b in itertools.pairwise(parts))
    if inside_raw or named_raw:
        raise SynthError(f"refusing to write synthetic data into {out} (data/raw holds real data only)")


def universe(reference: Path = DEFAULT_REFERENCE) -> Universe:
    """Country, the 31 mainland provinces and their prefecture cities; industries; indicators."""
    regions = pd.read_csv(reference / "regions.csv", dtype="str", keep_default_na=False)
    country = regions[regions["level"] == "country"]
    provinces = regions[(regions["level"] == "province") & (regions["code"] < "700000")]
    cities = regions[(regions["level"] == "city") & regions["parent_code"].isin(provinces["code"])]
    frame = pd.concat([country, provinces, cities], ignore_index=True)
    position = {code: i for i, code in enumerate(frame["code"])}
    parent = frame["parent_code"].map(position).fillna(-1).astype("int64").to_numpy()
    level = np.where(frame["level"] == "country", 0, np.where(frame["level"] == "province", 1, 2))
    province = np.where(level == 2, parent, np.arange(len(frame)))
    industries = np.array(["BCD", *[code for code, *_ in DIVISIONS if len(code) == 3]])
    return Universe(frame["code"].to_numpy(dtype=object), parent, level, province, industries, np.array(list(INDICATORS)))


def _month_end(years: np.ndarray, months: np.ndarray) -> np.ndarray:
    first = (years - 1970) * 12 + (months - 1)
    return (first + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")


UNITS = np.array(["亿元", "万元", "家", "%"])
MEASURE_NAMES = np.array(["level", "yoy_pct", "share_pct"])
KIND_NAMES = np.array(["ytd", "month"])
#: Base unit of a level figure, per indicator (position in ``INDICATORS``).
LEVEL_BASE_UNITS = np.array([v[2] for v in INDICATORS.values()])


@dataclass(frozen=True)
class Generated:
    """The generated figures as integer codes into small vocabularies (cheap at 10 M rows), and the sources."""

    universe: Universe
    rows: pd.DataFrame
    sources: pd.DataFrame
    source_index: np.ndarray  # per row, the position of its source in ``sources``


def generate(observations: int, seed: int = 42, reference: Path = DEFAULT_REFERENCE) -> Generated:
    """The figures in input-file order (``file_i``, ``row``), with everything the writers need; vectorised."""
    rng = np.random.default_rng(seed)
    u = universe(reference)
    n_regions, n_ind, n_indic = len(u.region_codes), len(u.industries), len(u.indicators)
    releases = YEARS * len(RELEASE_MONTHS)
    revisions = int(observations * REVISION_RATE)
    base_rows = observations - revisions

    # Series = (region, industry, indicator); the country and provinces first, then cities in random order.
    region_i, industry_i, indic_i = (a.ravel() for a in np.meshgrid(np.arange(n_regions), np.arange(n_ind), np.arange(n_indic), indexing="ij"))
    is_share = np.isin(u.indicators[indic_i], SHARE_INDICATORS) & (u.region_level[region_i] > 0)
    measures_per = 2 + is_share.astype("int64")
    order = np.lexsort((rng.random(len(region_i)), u.region_level[region_i] == 2))
    per_series = measures_per[order] * releases
    take = int(np.searchsorted(np.cumsum(per_series), base_rows) + 1)
    chosen = np.sort(order[:take])  # generation order: region, industry, indicator
    region_i, industry_i, indic_i, n_meas = region_i[chosen], industry_i[chosen], indic_i[chosen], measures_per[chosen]

    # Per-series shape: size by level and industry, a trend, a share of the parent.
    n_series = len(chosen)
    level_scale = np.array([5e12, 2e11, 1.5e10])[u.region_level[region_i]]
    industry_weight = rng.lognormal(0, 0.8, n_ind)[industry_i]
    industry_weight[industry_i == 0] = 25.0
    indicator_scale = np.array([0.25, 1.0, 1.05, 0.06, 0.03, 1e-8])[indic_i]
    annual = level_scale * industry_weight * indicator_scale * rng.lognormal(0, 0.5, n_series)
    trend = rng.normal(0.06, 0.04, n_series)
    share = rng.uniform(0.5, 30, n_series)

    # Rows: series × release × measure, trimmed to the requested size.
    rows_per_series = n_meas * releases
    series = np.repeat(np.arange(n_series), rows_per_series)
    within = np.arange(len(series)) - np.repeat(np.cumsum(rows_per_series) - rows_per_series, rows_per_series)
    series, within = series[:base_rows], within[:base_rows]
    release, measure_i = within // n_meas[series], within % n_meas[series]
    year = FIRST_YEAR + release // len(RELEASE_MONTHS)
    month = RELEASE_MONTHS[release % len(RELEASE_MONTHS)]
    n = len(series)
    row_indic = indic_i[series]
    is_stock = u.indicators[row_indic] == "enterprises"
    city = u.region_level[region_i[series]] == 2

    growth = trend[series] + rng.normal(0, 0.03, n)
    level_value = annual[series] * (1 + trend[series]) ** (year - FIRST_YEAR) * np.where(is_stock, 1.0, month / 12) * rng.normal(1, 0.02, n)
    # Provinces and the country print 亿元, cities 万元; counts in 家; growth and shares in %.
    unit_i = np.where(measure_i > 0, 3, np.where(is_stock, 2, np.where(city, 1, 0)))
    mult = np.array([1e8, 1e4, 1.0, 1.0])[unit_i]
    # Printed numbers as integers of their last printed digit: levels to 2 decimals (0 for counts), percentages to 1.
    decimals = np.where(measure_i == 0, np.where(is_stock, 0, 2), 1)
    raw = np.select([measure_i == 0, measure_i == 1], [level_value / mult, growth * 100], share[series] * rng.normal(1, 0.02, n))
    digits = np.rint(raw * 10.0**decimals).astype("int64")

    rows = pd.DataFrame({
        "region_i": region_i[series],
        "province_i": u.region_province[region_i[series]],
        "industry_i": industry_i[series],
        "indic_i": row_indic,
        "year": year,
        "month": month,
        "measure_i": measure_i,
        "digits": digits,
        "decimals": decimals,
        "unit_i": unit_i,
        "kind_i": is_stock.astype("int64"),
        "comparable": (measure_i == 1) & (u.indicators[row_indic] == "value_added"),
        "flag": rng.random(n) < FLAG_RATE,
        "revision": False,
        "revised": False,
    })

    # Revisions: a later vintage of a few level figures, with a slightly different value.
    levels = np.flatnonzero(measure_i == 0)
    picked = np.sort(rng.choice(levels, size=min(revisions, len(levels)), replace=False)) if revisions else np.array([], "int64")
    rows.loc[picked, "revised"] = True
    extra = rows.iloc[picked].copy()
    extra["digits"] = np.rint(extra["digits"].to_numpy() * rng.normal(1, 0.01, len(extra))).astype("int64")
    extra["flag"] = False
    extra["revision"] = True
    extra["revised"] = False
    rows = pd.concat([rows, extra], ignore_index=True)
    rows["file_i"] = np.where(rows["revision"], YEARS, rows["year"] - FIRST_YEAR)
    rows["row"] = rows.groupby("file_i", sort=False).cumcount().to_numpy() + 2
    sources, source_index = _sources(u, rows)
    return Generated(u, rows, sources, source_index)


def file_names() -> np.ndarray:
    return np.array([*(f"synth-{FIRST_YEAR + i}.figures.csv" for i in range(YEARS)), "synth-revisions.figures.csv"])


def _sources(u: Universe, rows: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One release per province (or the country) and month, one revision release per province and year."""
    key = rows["province_i"].to_numpy() * 10_000 + (rows["year"].to_numpy() - FIRST_YEAR) * 100 + np.where(rows["revision"], 99, rows["month"])
    unique, index = np.unique(key, return_inverse=True)
    province, year, month = unique // 10_000, FIRST_YEAR + (unique // 100) % 100, unique % 100
    revision = month == 99
    ids = [
        f"synth-{u.region_codes[p]}-{y}-revised" if r else f"synth-{u.region_codes[p]}-{y}-{m:02d}"
        for p, y, m, r in zip(province, year, month, revision, strict=True)
    ]
    release_end = _month_end(year, np.where(revision, 12, month))
    published = release_end + np.where(revision, 75, 20).astype("timedelta64[D]")
    sources = pd.DataFrame({
        "source_id": ids,
        "title": SYNTHETIC_TITLE,
        "publisher": "etl.synth (synthetic, not a real publisher)",
        "url": "",
        "published_date": pd.Series(published).dt.strftime("%Y-%m-%d"),
        "retrieved_date": "",
        "authority": "official",
        "note": "Random numbers with a realistic shape, for benchmarks only.",
    })
    # Sorted by id, as a reader would list them; rows point into the sorted table.
    order = np.argsort(np.array(ids), kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return sources.iloc[order].reset_index(drop=True), position[index]


def printed_value(digits: pd.Series, decimals: pd.Series) -> pd.Series:
    """Integers of the last printed digit → the number as printed (``-123`` with 2 decimals → ``-1.23``)."""
    digits, decimals = pd.Series(np.asarray(digits)), pd.Series(np.asarray(decimals))
    sign = pd.Series(np.where(digits < 0, "-", ""))
    magnitude = digits.abs()
    scale = 10**decimals
    whole = (magnitude // scale).astype("str")
    frac = (magnitude % scale).astype("str").str.zfill(2)
    frac = frac.where(decimals != 1, frac.str[-1:])
    frac = ("." + frac).where(decimals != 0, "")
    return sign + whole + frac


def _dates(g: Generated) -> tuple[np.ndarray, np.ndarray]:
    rows = g.rows
    months_since_1970 = (rows["year"].to_numpy() - 1970) * 12
    year_start = months_since_1970.astype("datetime64[M]").astype("datetime64[D]")
    month_start = (months_since_1970 + rows["month"].to_numpy() - 1).astype("datetime64[M]").astype("datetime64[D]")
    start = np.where(rows["kind_i"].to_numpy() == 0, year_start, month_start)
    return start, _month_end(rows["year"].to_numpy(), rows["month"].to_numpy())


def _text(codes: np.ndarray, names: np.ndarray) -> pd.Categorical:
    """A string column as a categorical over a small vocabulary (written to Parquet as strings)."""
    unique, position = np.unique(np.asarray(names, dtype="object"), return_inverse=True)
    return pd.Categorical.from_codes(position[np.asarray(codes)], categories=pd.Index(unique, dtype="object"))


def write_reference(out: Path, reference: Path = DEFAULT_REFERENCE) -> Path:
    """A copy of the reference tables plus the GB/T 4754 divisions, in the output's own folder."""
    target = out / "reference"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(reference, target, ignore=shutil.ignore_patterns("*.md"))
    existing = set(pd.read_csv(reference / "industries.csv", dtype="str", keep_default_na=False)["code"])
    divisions = pd.DataFrame(
        [(code, parent, "GB/T 4754", "2017", zh, en, "", "") for code, parent, zh, en in DIVISIONS if code not in existing],
        columns=["code", "parent_code", "classification", "version", "name_zh", "name_en", "isic", "aliases"],
    )
    divisions.to_csv(target / "industries_divisions.csv", index=False)
    return target


def write_readme(out: Path, observations: int, seed: int, fmt: str) -> None:
    (out / "README.md").write_text(
        f"# {SYNTHETIC_TITLE}\n\n"
        f"Generated by `python -m etl.synth --observations {observations} --seed {seed} --format {fmt}` "
        f"(generator version {GENERATOR_VERSION}). The numbers are random; only the shape (real regions and "
        "GB/T 4754 divisions, six indicators, ten years of year-to-date releases, growth rates, shares, "
        "revisions, flags) is realistic. For benchmarks only: never copy these files into data/raw.\n",
        encoding="utf-8",
    )


def write_csv(g: Generated, raw: Path) -> list[Path]:
    """Input files in the reported-figures format, one per year plus the revisions."""
    raw.mkdir(parents=True, exist_ok=True)
    rows, u = g.rows, g.universe
    period = period_text(rows)
    table = pd.DataFrame({
        "region": _text(rows["region_i"], u.region_codes),
        "industry": _text(rows["industry_i"], u.industries),
        "indicator": _text(rows["indic_i"], u.indicators),
        "period": period,
        "period_kind": _text(rows["kind_i"], KIND_NAMES),
        "measure": _text(rows["measure_i"], MEASURE_NAMES),
        "value": printed_value(rows["digits"], rows["decimals"]),
        "unit": _text(rows["unit_i"], UNITS),
        "status": np.where(rows["revision"], "revised", ""),
        "price_basis": np.where(rows["comparable"], "comparable", ""),
        "flags": np.where(rows["flag"], "p", ""),
        "source_id": _text(g.source_index, g.sources["source_id"].to_numpy()),
    })
    written = []
    names = file_names()
    for file_i, part in table.groupby(rows["file_i"].to_numpy(), sort=True):
        path = raw / str(names[file_i])
        part.to_csv(path, index=False, encoding="utf-8")
        written.append(path)
    sources_path = raw / "synth.sources.csv"
    g.sources.to_csv(sources_path, index=False, encoding="utf-8")
    written.append(sources_path)
    return written


def period_text(rows: pd.DataFrame) -> np.ndarray:
    """The period as printed: ``2016年1-7月`` (year to date) or ``2016年7月``."""
    return np.where(
        rows["kind_i"] == 0,
        rows["year"].astype("str") + "年1-" + rows["month"].astype("str") + "月",
        rows["year"].astype("str") + "年" + rows["month"].astype("str") + "月",
    )


def _sort_rank(names: np.ndarray) -> np.ndarray:
    """Position of each vocabulary entry in string order (to sort codes as the strings would sort)."""
    order = np.argsort(np.asarray(names, dtype="str"), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank


def observations_frame(g: Generated) -> pd.DataFrame:
    """What the ETL makes of the CSV files, computed directly (same columns, order and values).

    The revised figure is the default (same publisher, later vintage); the first release it
    replaces is kept but not default — as :func:`etl.normalize.default_rows` decides.
    """
    rows, u = g.rows, g.universe
    in_file_order = np.argsort(rows["file_i"].to_numpy(), kind="stable")  # rows are numbered in generation order
    start, end = _dates(g)
    key = [
        rows["measure_i"].to_numpy(),  # level < share_pct < yoy_pct in string order too
        start.astype("int64"),
        _sort_rank(u.industries)[rows["industry_i"].to_numpy()],
        _sort_rank(u.region_codes)[rows["region_i"].to_numpy()],
        _sort_rank(u.indicators)[rows["indic_i"].to_numpy()],
    ]
    key[0] = _sort_rank(MEASURE_NAMES)[key[0]]
    order = in_file_order[np.lexsort([k[in_file_order] for k in key])]
    r = rows.iloc[order]
    pick = lambda a: np.asarray(a)[order]  # noqa: E731
    mult = np.array([1e8, 1e4, 1.0, 1.0])[r["unit_i"].to_numpy()]
    # Exactly the double the ETL parses from the printed text: integer digits shifted by a power of ten.
    exponent = np.log10(mult).round().astype("int64") - r["decimals"].to_numpy()
    digits = r["digits"].to_numpy().astype("float64")
    value = np.where(exponent >= 0, digits * 10.0 ** np.maximum(exponent, 0), digits / 10.0 ** np.maximum(-exponent, 0))
    measure_i = r["measure_i"].to_numpy()
    unit = np.where(measure_i == 0, r["indic_i"].to_numpy(), len(LEVEL_BASE_UNITS))
    vintages = pd.to_datetime(g.sources["published_date"]).to_numpy().astype("datetime64[D]")
    empty = _text(np.zeros(len(r), "int64"), np.array([""]))
    return pd.DataFrame({
        "region_code": _text(r["region_i"], u.region_codes),
        "industry_code": _text(r["industry_i"], u.industries),
        "indicator": _text(r["indic_i"], u.indicators),
        "product": empty,
        "scope": empty,
        "period_start": pick(start),
        "period_end": pick(end),
        "period_kind": _text(r["kind_i"], KIND_NAMES),
        "period_published": period_text(r),
        "measure": _text(measure_i, MEASURE_NAMES),
        "share_of": empty,
        "price_basis": _text(r["comparable"].astype("int64"), np.array(["", "comparable"])),
        "value": value,
        "unit": _text(unit, np.array([*LEVEL_BASE_UNITS, "percent"])),
        "unit_published": _text(r["unit_i"], UNITS),
        "unit_mult_published": mult,
        "status": _text(r["revision"].astype("int64"), np.array(["reported", "revised"])),
        "qualifier": _text(np.zeros(len(r), "int64"), np.array(["exact"])),
        "flags": _text(r["flag"].astype("int64"), np.array(["", "p"])),
        "label_published": _text(r["indic_i"], u.indicators),
        "source_id": _text(pick(g.source_index), g.sources["source_id"].to_numpy()),
        "vintage": vintages[pick(g.source_index)],
        "is_default": ~r["revised"].to_numpy(),
        "input_file": _text(r["file_i"], file_names()),
        "input_row": r["row"].to_numpy().astype("int32"),
    })


def write_warehouse(g: Generated, warehouse: Path, reference: Path) -> str:
    """Publish the observations directly, as the ETL would (same schema, sort and reference tables)."""
    from etl.reference import load_reference

    ref, _ = load_reference(reference)
    src = g.sources.assign(published_date=pd.to_datetime(g.sources["published_date"]).dt.date, retrieved_date=None)
    tables: dict[str, tuple[pd.DataFrame, object]] = {
        "observations": (observations_frame(g), OBSERVATIONS_SCHEMA),
        "sources": (src, SOURCES_SCHEMA),
    }
    for name in ("regions", "industries", "indicators", "units"):
        tables[name] = (ref.tables[name].drop(columns=["ref_file", "ref_row"]), None)
    manifest = {"inputs": {"synthetic": f"v{GENERATOR_VERSION}-n{len(g.rows)}"}, "synthetic": True, "generator_version": GENERATOR_VERSION}
    return publish(warehouse, tables, manifest, now=datetime.now(UTC))  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.synth", description="Write SYNTHETIC benchmark data (not real).")
    parser.add_argument("--observations", type=lambda s: int(s.replace("_", "")), default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("csv", "warehouse"), default="csv")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE, help="reference tables to start from")
    args = parser.parse_args(argv)
    try:
        check_output(args.out)
    except SynthError as error:
        parser.error(str(error))
    args.out.mkdir(parents=True, exist_ok=True)
    generated = generate(args.observations, args.seed, args.reference)
    reference = write_reference(args.out, args.reference)
    write_readme(args.out, args.observations, args.seed, args.format)
    if args.format == "csv":
        files = write_csv(generated, args.out / "raw")
        print(f"Wrote {len(generated.rows)} synthetic figures in {len(files)} files under {args.out / 'raw'} (reference: {reference}).")
    else:
        snapshot = write_warehouse(generated, args.out / "warehouse", reference)
        print(f"Published {len(generated.rows)} synthetic observations as snapshot {snapshot} under {args.out / 'warehouse'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
