"""Small hand-made observation frames, written the way a test reads best."""

from __future__ import annotations

import pandas as pd

from etl.derive.common import COLUMNS, derived_frame

#: What a row is unless a test says otherwise: Guangdong's automobile production, reported.
BASE: dict[str, object] = {
    "region_code": "440000",
    "industry_code": "C36",
    "indicator": "production",
    "product": "automobiles",
    "scope": "",
    "period_kind": "ytd",
    "measure": "level",
    "share_of": "",
    "price_basis": "",
    "unit": "vehicles",
    "unit_published": "万辆",
    "unit_mult_published": 1e4,
    "status": "reported",
    "qualifier": "exact",
    "flags": "",
    "label_published": "汽车产量",
    "source_id": "src",
    "vintage": "2023-08-25",
    "is_default": True,
    "input_file": "test.figures.csv",
    "input_row": 2,
}


def obs(period: str, value: float | None, **overrides: object) -> dict[str, object]:
    """One observation; ``period`` is ``YYYY-MM..YYYY-MM`` (months inclusive) or ``YYYY``."""
    if ".." in period:
        first, last = period.split("..")
    else:
        first, last = f"{period}-01", f"{period}-12"
    start = pd.Timestamp(f"{first}-01")
    end = pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    row = {**BASE, "period_start": start, "period_end": end, "value": float("nan") if value is None else value}
    row.update(overrides)
    return row


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    """An observations frame with every column, typed like the pipeline's."""
    table = pd.DataFrame(list(rows))
    for column in COLUMNS:
        if column not in table:
            table[column] = BASE.get(column, "")
    table["vintage"] = pd.to_datetime(table["vintage"])
    out = derived_frame(table[list(COLUMNS)])
    return out


def pick(frame_: pd.DataFrame, **where: object) -> pd.DataFrame:
    """Rows matching every ``column=value``; dates may be given as text."""
    mask = pd.Series(True, index=frame_.index)
    for column, value in where.items():
        if column in ("period_start", "period_end", "vintage"):
            value = pd.Timestamp(value)
        mask &= frame_[column] == value
    return frame_.loc[mask]
