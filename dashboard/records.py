"""A frame's rows as plain dicts, fast.

``DataFrame.to_dict("records")`` boxes every cell through pandas' scalar machinery, which for
Arrow-backed text columns costs ~8x building the dicts from each column's ``tolist()``
(measured: 15 ms against 1.9 ms for 550 rows of 16 columns). Figures, the table and the KPI
cards turn every row they show into a dict, on every click.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def records(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict]:
    """The rows of ``frame`` (only ``columns`` that it has, when given) as dicts; missing values
    come as pandas gives them (NaN for numbers, None or NaN for text)."""
    names = list(frame.columns) if columns is None else [c for c in columns if c in frame.columns]
    values = [frame[name].tolist() for name in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)] if names else [{} for _ in range(len(frame))]
