"""The table's rows: every observation, names and values in the reader's language, sources kept."""

from __future__ import annotations

from datetime import date

from dashboard.table import table_rows
from tests.dashboard.frames import result


def frame():
    data = result([
        {"region_code": "440000", "value": 2_738_100.0},
        {"region_code": "310000", "value": float("nan"), "is_default": False, "source_url": ""},
    ])
    data["industry_code"] = "C36"
    data["industry_name_zh"] = "汽车制造业"
    data["industry_name_en"] = "Automobile manufacturing"
    data["label_published"] = "汽车产量"
    return data


def test_one_row_per_observation_in_english():
    first, second = table_rows(frame(), "en")
    assert first["region"] == "Guangdong" and first["region_code"] == "440000"
    assert first["period"] == "Jan–Jul 2023"
    assert first["industry"] == "Automobile manufacturing"
    assert first["value"] == 2_738_100.0 and first["unit"] == "vehicles"
    assert "2.7381" in first["display_value"]
    assert first["source_title"] == "A source" and first["source_published_date"] == str(date(2023, 8, 25))
    assert first["source_url"] == "[https://example.org/s1](https://example.org/s1)"
    assert second["value"] is None  # a missing figure stays missing, not 0
    assert second["status"].endswith(" *")  # not the default source: marked
    assert second["source_url"] == ""


def test_chinese_names_and_periods():
    first, _ = table_rows(frame(), "zh")
    assert first["region"] == "广东省"
    assert first["period"] == "2023年1-7月"
    assert first["industry"] == "汽车制造业"
    assert "万辆" in first["display_value"]
