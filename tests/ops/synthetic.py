"""Synthetic warehouses for operations tests, built directly with pyarrow in a temporary directory.

Synthetic rows live only in ``tmp_path`` (never in ``data/raw``): they exercise volume
(streaming a million rows) and hostile text (formula injection), which the real data lacks.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from etl.model import OBSERVATIONS_SCHEMA, SOURCES_SCHEMA

REGIONS = [("CN", "", "country", "全国", "China")] + [
    (f"{p}0000", "CN", "province", f"省{p}", f"Province {p}") for p in range(11, 66)
]


def observations_table(n: int, *, seed: int = 0) -> pa.Table:
    """``n`` observations over 56 regions, 3 indicators and monthly periods; values include negatives."""
    rng = np.random.default_rng(seed)
    index = np.arange(n)
    region = np.array([r[0] for r in REGIONS])[index % len(REGIONS)]
    indicator = np.array(["production", "value_added", "revenue"])[(index // len(REGIONS)) % 3]
    months = (index // (len(REGIONS) * 3)) % 600
    year = 1990 + months // 12
    month = months % 12 + 1
    start = np.array([date(int(y), int(m), 1) for y, m in zip(year[:7200], month[:7200], strict=True)])
    period_start = start[index % 7200] if n > 7200 else start[:n]
    columns = {
        "region_code": region,
        "industry_code": np.full(n, "C36"),
        "indicator": indicator,
        "product": np.full(n, ""),
        "scope": np.full(n, ""),
        "period_start": period_start,
        "period_end": period_start,
        "period_kind": np.full(n, "month"),
        "period_published": np.full(n, ""),
        "measure": np.where(index % 2 == 0, "level", "yoy_pct"),
        "share_of": np.full(n, ""),
        "price_basis": np.full(n, ""),
        "value": np.round(rng.normal(0, 50, n), 1),
        "unit": np.full(n, "percent"),
        "unit_published": np.full(n, "%"),
        "unit_mult_published": np.ones(n),
        "status": np.full(n, "reported"),
        "qualifier": np.full(n, "exact"),
        "flags": np.full(n, ""),
        "label_published": np.full(n, "synthetic figure for a volume test"),
        "source_id": np.full(n, "synthetic-1"),
        "vintage": np.full(n, date(2024, 1, 1)),
        "is_default": np.ones(n, dtype=bool),
        "input_file": np.full(n, "synthetic.csv"),
        "input_row": (index % 1_000_000 + 2).astype("int32"),
    }
    return pa.table(columns, schema=OBSERVATIONS_SCHEMA)


def write_warehouse(root: Path, observations: pa.Table, *, sources: list[dict] | None = None,
                    snapshot_id: str = "20240101T000000000000Z-synthetic") -> Path:
    """A published warehouse (snapshot + manifest + ``current``) holding ``observations``."""
    snapshot = root / "snapshots" / snapshot_id
    snapshot.mkdir(parents=True)
    pq.write_table(observations, snapshot / "observations.parquet", row_group_size=100_000)
    regions = pa.table({
        "code": [r[0] for r in REGIONS], "parent_code": [r[1] for r in REGIONS], "level": [r[2] for r in REGIONS],
        "name_zh": [r[3] for r in REGIONS], "name_en": [r[4] for r in REGIONS],
    })
    pq.write_table(regions, snapshot / "regions.parquet")
    pq.write_table(pa.table({"code": ["C36"], "name_zh": ["汽车制造业"], "name_en": ["Automobile manufacturing"]}),
                   snapshot / "industries.parquet")
    pq.write_table(pa.table({
        "code": ["production", "value_added", "revenue"], "name_zh": ["产量", "增加值", "营业收入"],
        "name_en": ["Production", "Value added", "Revenue"], "default_unit": ["vehicles", "CNY", "CNY"],
    }), snapshot / "indicators.parquet")
    sources = sources or [{
        "source_id": "synthetic-1", "title": "Synthetic source", "publisher": "tests", "url": "",
        "published_date": date(2024, 1, 1), "retrieved_date": None, "authority": "official", "note": "",
    }]
    pq.write_table(pa.Table.from_pylist(sources, schema=SOURCES_SCHEMA), snapshot / "sources.parquet")
    manifest = {"snapshot_id": snapshot_id, "created_at": datetime.now(UTC).isoformat(), "schema_version": 1,
                "inputs": {}, "code_version": "synthetic", "row_counts": {"observations": observations.num_rows}}
    (snapshot / "manifest.json").write_text(json.dumps(manifest))
    os.symlink(Path("snapshots") / snapshot_id, root / "current")
    return root
