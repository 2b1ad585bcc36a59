"""The warehouse's tables: column names, types and vocabularies, in one place.

Parquet files are written with these schemas (never with whatever pandas inferred), so a
change of type is a deliberate edit here, and the dashboard can rely on them.
"""

from __future__ import annotations

import pyarrow as pa

MEASURES = ("level", "yoy_pct", "share_pct", "rank", "target", "mom_pct", "pp_change", "pp_change_prev", "contribution_pp")
#: ``mom_pct``: growth on the previous period. ``pp_change``: change in percentage points on the
#: same period a year earlier — of the figure's own rate (an indicator in percent, such as the
#: sales ratio; a share) or, for an indicator counted in money or things, of its year-on-year
#: growth. ``pp_change_prev``: the same on the previous period (the previous month, or 1-6月 for
#: 1-7月). ``contribution_pp``: the points of its parent's growth a part contributed (拉动).
#: Each measure's unit and bounds are in data/reference/measures.csv.
STATUSES = ("reported", "derived", "estimated", "provisional", "revised", "target", "suppressed", "not_available")
QUALIFIERS = ("exact", "at_least", "at_most", "about")
PRICE_BASES = ("", "current", "comparable")
#: Statuses whose value may be missing: the figure exists but is not published.
VALUELESS_STATUSES = ("suppressed", "not_available")
#: Which publisher the default view prefers when sources disagree (lower is preferred).
AUTHORITY_RANK = {"official": 0, "association": 1, "company": 2, "media": 3, "": 4}

#: Columns that identify one figure; unique in ``observations``.
OBSERVATION_KEY = (
    "region_code", "industry_code", "indicator", "product", "scope", "period_start", "period_end",
    "period_kind", "measure", "share_of", "price_basis", "source_id", "vintage",
)
#: The key without its provenance: rows equal on it are the same figure from different sources or vintages.
FIGURE_KEY = tuple(c for c in OBSERVATION_KEY if c not in ("source_id", "vintage"))

#: The order of ``observations.parquet``: a query for one indicator and region reads few row groups.
WAREHOUSE_ORDER = ("indicator", "region_code", "industry_code", "period_start", "measure")

OBSERVATIONS_SCHEMA = pa.schema(
    [
        ("region_code", pa.string()),
        ("industry_code", pa.string()),
        ("indicator", pa.string()),
        ("product", pa.string()),
        ("scope", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("period_kind", pa.string()),
        ("period_published", pa.string()),
        ("measure", pa.string()),
        ("share_of", pa.string()),
        ("price_basis", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("unit_published", pa.string()),
        ("unit_mult_published", pa.float64()),
        ("status", pa.string()),
        ("qualifier", pa.string()),
        ("flags", pa.string()),
        ("label_published", pa.string()),
        ("source_id", pa.string()),
        ("vintage", pa.date32()),
        ("is_default", pa.bool_()),
        ("input_file", pa.string()),
        ("input_row", pa.int32()),
    ]
)

SOURCES_SCHEMA = pa.schema(
    [
        ("source_id", pa.string()),
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("url", pa.string()),
        ("published_date", pa.date32()),
        ("retrieved_date", pa.date32()),
        ("authority", pa.string()),
        ("note", pa.string()),
    ]
)
