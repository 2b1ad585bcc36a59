"""What every derivation shares: which rows it may use, and how a derived row looks.

A derived figure is only as good as the figures it comes from, so every derivation starts
from the same selection (the ``usable`` view of :mod:`etl.derive.engine`): the row the default
view shows (one per figure, so a revision or a second source never counts twice), with a
value, published as a plain figure (not a forecast, target, bound or suppressed cell). Derived rows carry
``status = derived`` and the source id :data:`DERIVED_SOURCE`; the figures they were
computed from are named in ``label_published`` so a reader can follow them back.
"""

from __future__ import annotations

import pandas as pd

from etl.model import OBSERVATIONS_SCHEMA

#: Every column of ``observations``, in the warehouse's order.
COLUMNS: tuple[str, ...] = tuple(OBSERVATIONS_SCHEMA.names)
#: A series: everything that identifies a figure except its period and provenance.
SERIES = ("region_code", "industry_code", "indicator", "product", "scope", "measure", "share_of", "price_basis", "unit")
#: The source id of every derived row. One fixed id (rather than the inputs' ids joined by
#: ``+``) keeps the observation key short and stable, makes "computed by us" one filter, and
#: can never collide with a publisher's source id; the inputs are listed in ``label_published``.
DERIVED_SOURCE = "derived"
#: The ``sources`` row that explains :data:`DERIVED_SOURCE` wherever a source is shown.
DERIVED_SOURCE_ROW = {
    "source_id": DERIVED_SOURCE,
    "title": "Computed by this project's ETL from published figures (the inputs are named in label_published)",
    "publisher": "regional industry statistics dashboard (derived)",
    "url": "",
    "published_date": None,
    "retrieved_date": None,
    "authority": "",
    "note": "see docs/semantics.md",
}
#: Statuses of figures a derivation may start from. Forecasts (``estimated``), targets and
#: valueless cells are excluded: a difference or ratio of them would look like a fact.
USABLE_STATUSES = ("reported", "provisional", "revised")
#: Currencies: growth of a money level is at current prices; of a count, price basis does not apply.
MONEY_UNITS = ("CNY", "USD", "EUR")
#: When two rows cover the same dates with different kinds (a ``half`` and a ``ytd`` Jan–Jun),
#: they are the same figure for arithmetic; this order picks one.
KIND_PRIORITY = {"ytd": 0, "month": 1, "quarter": 2, "half": 3, "year": 4, "span": 5}
DATE_COLUMNS = ("period_start", "period_end", "vintage")


def derived_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Complete derived rows: provenance columns filled, every column present, in order.

    ``rows`` holds the identifying columns, value, unit and vintage; the rest default to
    what a derived figure is: ``status = derived``, exact, no publisher flags, source
    :data:`DERIVED_SOURCE`, no input file, shown by default (``derive_all`` turns that off
    where a publisher printed the same figure).
    """
    defaults: dict[str, object] = {
        "period_published": "",
        "share_of": "",
        "price_basis": "",
        "unit_published": "",
        "unit_mult_published": 1.0,
        "status": "derived",
        "qualifier": "exact",
        "flags": "",
        "label_published": "",
        "source_id": DERIVED_SOURCE,
        "is_default": True,
        "input_file": "",
        "input_row": 0,
    }
    out = rows.reset_index(drop=True).copy()
    for column, default in defaults.items():
        if column not in out:
            out[column] = default
    missing = [c for c in COLUMNS if c not in out]
    if missing:
        raise ValueError(f"derived rows lack columns {missing}")
    out = out[list(COLUMNS)]
    out["value"] = out["value"].astype("float64")
    out["unit_mult_published"] = out["unit_mult_published"].astype("float64")
    out["input_row"] = out["input_row"].astype("int32")
    out["is_default"] = out["is_default"].astype("bool")
    for column in DATE_COLUMNS:
        out[column] = pd.to_datetime(out[column]).astype("datetime64[ns]")
    return out


def empty_derived() -> pd.DataFrame:
    """No derived rows, with the right columns (so concatenation keeps the dtypes)."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in COLUMNS})
    frame["value"] = frame["value"].astype("float64")
    return derived_frame(frame)


def with_derived_source(sources: pd.DataFrame) -> pd.DataFrame:
    """``sources`` plus the row for :data:`DERIVED_SOURCE` (once)."""
    if (sources["source_id"] == DERIVED_SOURCE).any():
        return sources
    return pd.concat([sources, pd.DataFrame([DERIVED_SOURCE_ROW], columns=sources.columns)], ignore_index=True)
