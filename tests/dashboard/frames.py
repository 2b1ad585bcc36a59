"""Small query-result frames for figure-builder tests (the columns the query layer returns)."""

from __future__ import annotations

from datetime import date

import pandas as pd

NAMES = {"440000": ("广东省", "Guangdong"), "310000": ("上海市", "Shanghai"), "CN": ("中国", "China"),
         "340000": ("安徽省", "Anhui"), "441800": ("清远市", "Qingyuan"), "440300": ("深圳市", "Shenzhen")}


def result(rows: list[dict]) -> pd.DataFrame:
    """Rows with defaults for every column a figure reads."""
    base = {
        "region_code": "440000", "period_start": date(2023, 1, 1), "period_end": date(2023, 7, 31),
        "period_kind": "ytd", "measure": "level", "share_of": "", "value": 1.0, "unit": "vehicles",
        "status": "reported", "qualifier": "exact", "is_default": True, "source_id": "s1",
        "source_title": "A source", "source_publisher": "A bureau", "source_url": "https://example.org/s1",
        "source_published_date": date(2023, 8, 25),
    }
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["region_name_zh"] = frame["region_code"].map(lambda c: NAMES.get(c, (c, c))[0])
    frame["region_name_en"] = frame["region_code"].map(lambda c: NAMES.get(c, (c, c))[1])
    return frame
