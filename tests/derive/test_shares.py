"""Shares of the parent region and ranks among siblings."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.derive.shares import ranks_among_siblings, shares_of_parent
from tests.derive.frames import frame, obs

REGIONS = pd.DataFrame(
    {
        "code": ["CN", "440000", "310000", "220000", "441800"],
        "parent_code": ["", "CN", "CN", "CN", "440000"],
        "level": ["country", "province", "province", "province", "city"],
        "name_zh": ["中国", "广东省", "上海市", "吉林省", "清远市"],
        "name_en": ["China", "Guangdong", "Shanghai", "Jilin", "Qingyuan"],
        "valid_to": ["", "", "", "", ""],
    }
)


def test_a_share_is_the_region_level_over_the_parent_level_of_the_same_period():
    derived = shares_of_parent(
        frame(obs("2023-01..2023-07", 2738100), obs("2023-01..2023-07", 15382500, region_code="CN")), REGIONS
    )
    assert len(derived) == 1
    row = derived.iloc[0]
    assert row.region_code == "440000"
    assert row.value == pytest.approx(17.8, abs=1e-3)
    assert (row.measure, row.unit, row.share_of, row.status) == ("share_pct", "percent", "", "derived")


def test_no_share_when_the_parent_period_does_not_match():
    derived = shares_of_parent(
        frame(obs("2023-01..2023-07", 2738100), obs("2023-01..2023-06", 13103000, region_code="CN")), REGIONS
    )
    assert derived.empty


def test_no_share_across_scopes_products_or_units():
    children = obs("2023-01..2023-06", 2314700)
    for parent in (
        obs("2023-01..2023-06", 13248000, region_code="CN", scope="caam"),
        obs("2023-01..2023-06", 13103000, region_code="CN", product="nev"),
        obs("2023-01..2023-06", 13103000, region_code="CN", unit="units"),
    ):
        assert shares_of_parent(frame(children, parent), REGIONS).empty


def test_a_half_and_a_ytd_with_the_same_dates_are_the_same_period():
    derived = shares_of_parent(
        frame(
            obs("2023-01..2023-06", 2314700, period_kind="half"), obs("2023-01..2023-06", 13103000, region_code="CN")
        ),
        REGIONS,
    )
    assert derived.iloc[0].value == pytest.approx(17.665420)
    assert derived.iloc[0].period_kind == "half"


def test_a_reported_share_is_kept_and_a_derived_one_is_added_beside_it():
    reported = obs("2023-01..2023-07", 17.8, measure="share_pct", unit="percent")
    derived = shares_of_parent(
        frame(reported, obs("2023-01..2023-07", 2738100), obs("2023-01..2023-07", 16000000, region_code="CN")), REGIONS
    )
    assert list(derived["value"].round(4)) == [17.1131]


def test_suppressed_parent_gives_no_share():
    derived = shares_of_parent(
        frame(
            obs("2023", 10, period_kind="year"),
            obs("2023", None, period_kind="year", region_code="CN", status="suppressed"),
        ),
        REGIONS,
    )
    assert derived.empty


def ranks(derived: pd.DataFrame) -> dict[str, tuple[float, str]]:
    return {r.region_code: (r.value, r.qualifier) for r in derived.itertuples()}


def test_rank_among_siblings_is_at_least_when_some_siblings_are_missing():
    derived = ranks_among_siblings(
        frame(obs("2023", 5190000, period_kind="year"), obs("2023", 1300000, period_kind="year", region_code="310000")),
        REGIONS,
    )
    assert ranks(derived) == {"440000": (1.0, "at_least"), "310000": (2.0, "at_least")}
    assert set(derived["measure"]) == {"rank"} and set(derived["status"]) == {"derived"}


def test_rank_is_exact_when_every_sibling_has_the_figure_and_ties_share_a_rank():
    derived = ranks_among_siblings(
        frame(
            obs("2023", 500, period_kind="year"),
            obs("2023", 700, period_kind="year", region_code="310000"),
            obs("2023", 500, period_kind="year", region_code="220000"),
        ),
        REGIONS,
    )
    assert ranks(derived) == {"440000": (2.0, "exact"), "310000": (1.0, "exact"), "220000": (2.0, "exact")}


def test_hong_kong_macao_and_taiwan_are_not_siblings_of_the_mainland_provinces():
    regions = pd.concat(
        [
            REGIONS,
            pd.DataFrame(
                {
                    "code": ["810000", "710000"],
                    "parent_code": ["CN", "CN"],
                    "level": ["province"] * 2,
                    "name_zh": ["香港特别行政区", "台湾省"],
                    "name_en": ["Hong Kong", "Taiwan"],
                    "valid_to": ["", ""],
                }
            ),
        ],
        ignore_index=True,
    )
    rows = [obs("2023", v, period_kind="year", region_code=c) for c, v in (("440000", 5), ("310000", 7), ("220000", 6))]
    assert ranks(ranks_among_siblings(frame(*rows), regions)) == {
        "310000": (1.0, "exact"),
        "220000": (2.0, "exact"),
        "440000": (3.0, "exact"),
    }


def test_a_region_alone_under_its_parent_has_no_rank():
    assert ranks_among_siblings(
        frame(obs("2023", 5, period_kind="year"), obs("2023", 50, period_kind="year", region_code="CN")), REGIONS
    ).empty
