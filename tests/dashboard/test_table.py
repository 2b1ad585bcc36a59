"""The table: every observation in the reader's language, numbers the grid sorts as numbers, sources
early and kept, derivations in words."""

from __future__ import annotations

from datetime import date

from dashboard.table import column_defs, derivation_words, table_rows
from tests.dashboard.frames import result

PUBLISHERS = {"qingyuan-gov-2023-08-25-1": "Qingyuan Municipal People's Government", "yingyin-1": "Yingyin"}
NAMES = {"440000": "Guangdong", "CN": "China"}


def test_a_monthly_difference_is_said_in_words():
    text = ("derived: 440000 ytd 2023-01..2023-07 = 2738100 [qingyuan-gov-2023-08-25-1] − "
            "440000 half 2023-01..2023-06 = 2314700 [qingyuan-gov-2023-08-25-1]")
    assert derivation_words(text, "en", PUBLISHERS, NAMES) == (
        "Jan–Jul 2023 minus Jan–Jun 2023, both from Qingyuan Municipal People's Government")
    assert derivation_words(text, "zh", PUBLISHERS, NAMES) == (
        "2023年1-7月减去2023年1-6月，均来自Qingyuan Municipal People's Government")


def test_a_share_and_a_growth_and_a_rank_are_said_in_words():
    share = ("derived: 440000 half 2023-01..2023-06 = 2314700 [yingyin-1] / "
             "CN half 2023-01..2023-06 = 13103000 [qingyuan-gov-2023-08-25-1]")
    assert derivation_words(share, "en", PUBLISHERS, NAMES) == (
        "Guangdong Jan–Jun 2023 divided by China Jan–Jun 2023, from Yingyin and Qingyuan Municipal People's Government")
    growth = ("derived: 440000 year 2024-01..2024-12 = 5.7074e+06 [yingyin-1] / "
              "440000 year 2023-01..2023-12 = 5.19e+06 [yingyin-1] − 1")
    assert derivation_words(growth, "en", PUBLISHERS, NAMES) == "2024 divided by 2023, minus 1 (year on year), both from Yingyin"
    rank = "derived: rank among 2 of 31 regions under CN with this figure"
    assert derivation_words(rank, "en", PUBLISHERS, NAMES) == "rank among the 2 of 31 regions of China with this figure"
    assert "label_published" not in derivation_words("derived: something else", "en", PUBLISHERS, NAMES)


def test_values_are_numbers_formatted_by_the_grid_and_sources_come_early():
    frame = result([{"value": 2_738_100.0}, {"value": 376_500.0}]).assign(
        industry_code="C36", industry_name_zh="汽车制造业", industry_name_en="Automobile manufacturing",
        label_published="汽车产量")
    rows = table_rows(frame, "en")
    assert [r["value"] for r in rows] == [2_738_100.0, 376_500.0]
    assert rows[0]["display_value"] == "2.7381 million vehicles"
    assert rows[0]["source_url"] == "[https://example.org/s1](https://example.org/s1)"
    defs = column_defs("zh")
    fields = [d["field"] for d in defs]
    assert fields[:7] == ["region", "period", "value", "source_title", "source_publisher", "source_published_date", "source_url"]
    value = defs[2]
    assert value["filter"] == "agNumberColumnFilter" and "display_value" in value["valueFormatter"]["function"]
    assert value["headerName"] == "数值"


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
