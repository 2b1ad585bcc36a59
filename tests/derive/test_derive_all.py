"""The stage as a whole: published rows untouched, derived rows added, key unique."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.derive import derive_all
from etl.derive.common import DERIVED_SOURCE, with_derived_source
from tests.derive.frames import frame, obs
from tests.derive.test_shares import REGIONS

PUBLISHED = [
    obs(
        "2023-01..2023-06",
        2314700,
        period_kind="half",
        source_id="first-release",
        vintage="2023-07-20",
        is_default=False,
    ),
    obs("2023-01..2023-06", 2320000, period_kind="half", source_id="revision", vintage="2023-09-01"),
    obs("2023-01..2023-07", 2738100, source_id="qingyuan"),
    obs("2023-01..2023-07", 17.8, measure="share_pct", unit="percent", unit_mult_published=1.0, source_id="qingyuan"),
    obs("2023-01..2023-07", 15382000, region_code="CN", source_id="nbs"),
    obs("2023-01..2023-07", None, region_code="310000", status="suppressed", flags="(D)", source_id="sh"),
    obs(
        "2023-01..2023-06",
        1300000,
        region_code="310000",
        period_kind="half",
        status="provisional",
        flags="p",
        source_id="sh",
    ),
    obs("2022-01..2022-07", 2200000, source_id="old"),
]


@pytest.fixture
def result():
    return derive_all(frame(*PUBLISHED), REGIONS)


def derived_rows(result, **where):
    out = result.observations.loc[result.observations["source_id"] == DERIVED_SOURCE]
    for column, value in where.items():
        out = out.loc[out[column] == value]
    return out


def test_every_published_row_is_kept_unchanged(result):
    published = result.observations.loc[result.observations["source_id"] != DERIVED_SOURCE].reset_index(drop=True)
    pd.testing.assert_frame_equal(published, frame(*PUBLISHED), check_dtype=False)


def test_both_vintages_of_a_revised_figure_stay_and_derivations_use_the_default_one(result):
    o = result.observations
    halves = o.loc[(o["period_kind"] == "half") & (o["region_code"] == "440000") & (o["measure"] == "level")]
    assert sorted(halves["value"]) == [2314700.0, 2320000.0]
    july = derived_rows(result, measure="level", region_code="440000")
    assert list(july["value"]) == [418100.0]  # 2738100 − 2320000 (the revision), not − 2314700
    assert "[revision]" in july.iloc[0]["label_published"]


def test_derived_rows_are_marked_and_named(result):
    derived = derived_rows(result)
    assert set(derived["status"]) == {"derived"}
    assert set(derived["input_file"]) == {""} and set(derived["input_row"]) == {0}
    assert derived["label_published"].str.startswith("derived: ").all()
    growth = derived_rows(result, measure="yoy_pct")
    assert growth["value"].round(4).tolist() == [24.4591]
    assert growth.iloc[0]["vintage"] == pd.Timestamp("2023-08-25")  # the latest of the inputs' vintages


def test_a_reported_share_stays_the_default_and_the_derived_one_sits_beside_it(result):
    shares = result.observations.loc[
        (result.observations["measure"] == "share_pct") & (result.observations["region_code"] == "440000")
    ]
    assert sorted(zip(shares["status"], shares["is_default"], shares["value"].round(4), strict=False)) == [
        ("derived", False, 17.8007),
        ("reported", True, 17.8),
    ]
    assert result.reconciliation["verdict"].tolist() == ["consistent"]


def test_suppressed_and_provisional_values_are_carried_through_and_never_used(result):
    shanghai = result.observations.loc[
        (result.observations["region_code"] == "310000") & (result.observations["source_id"] == "sh")
    ]
    suppressed = shanghai.loc[shanghai["status"] == "suppressed"].iloc[0]
    assert pd.isna(suppressed["value"]) and suppressed["flags"] == "(D)"
    assert shanghai.loc[shanghai["status"] == "provisional", "flags"].tolist() == ["p"]
    july_shares = derived_rows(result, measure="share_pct")
    assert july_shares["region_code"].tolist() == ["440000"]  # no share (nor zero) for the suppressed Shanghai July
    ranks = derived_rows(result, measure="rank")
    # July: Shanghai is suppressed, so Guangdong has no sibling to rank against. June: the
    # provisional Shanghai figure is a figure, and ranks against Guangdong's revision.
    assert sorted(zip(ranks["region_code"], ranks["period_end"], ranks["value"], strict=False)) == [
        ("310000", pd.Timestamp("2023-06-30"), 2.0),
        ("440000", pd.Timestamp("2023-06-30"), 1.0),
    ]


def test_every_figure_has_exactly_one_default_row_derived_or_published(result):
    from etl.model import FIGURE_KEY

    o = result.observations
    defaults = o[o["is_default"]].groupby(list(FIGURE_KEY), dropna=False).size()
    assert (defaults == 1).all()
    assert len(defaults) == o.groupby(list(FIGURE_KEY), dropna=False).ngroups


def test_the_observation_key_stays_unique_and_dates_keep_the_input_representation():
    observations = frame(*PUBLISHED)
    for column in ("period_start", "period_end", "vintage"):
        observations[column] = observations[column].dt.date
    result = derive_all(observations, REGIONS)
    key = [
        "region_code",
        "industry_code",
        "indicator",
        "product",
        "scope",
        "period_start",
        "period_end",
        "period_kind",
        "measure",
        "share_of",
        "price_basis",
        "source_id",
        "vintage",
    ]
    assert not result.observations.duplicated(key).any()
    assert isinstance(result.observations["period_end"].iloc[-1], date)


def test_the_derived_source_is_added_to_the_sources_table_once():
    sources = pd.DataFrame(
        {
            "source_id": ["a"],
            "title": ["t"],
            "publisher": ["p"],
            "url": [""],
            "published_date": [None],
            "retrieved_date": [None],
            "authority": ["official"],
            "note": [""],
        }
    )
    once = with_derived_source(sources)
    assert once["source_id"].tolist() == ["a", "derived"]
    assert with_derived_source(once)["source_id"].tolist() == ["a", "derived"]


def test_messages_count_derived_rows_by_kind(result):
    lines = result.messages()
    assert lines[0] == "Derived 5 observation(s): 1 monthly, 1 growth, 1 share, 2 rank."
    assert lines[1] == "Targets: 0, 0 with a level to measure progress against."
    assert lines[2].startswith("Reconciliation: 1 check(s).")


def test_a_reported_growth_is_kept_as_published_beside_the_computed_one():
    money = {
        "indicator": "value_added",
        "product": "",
        "unit": "CNY",
        "unit_published": "亿元",
        "unit_mult_published": 1e8,
    }
    reported = obs(
        "2023-01..2023-07",
        2.6,
        measure="yoy_pct",
        unit="percent",
        indicator="value_added",
        product="",
        price_basis="comparable",
        source_id="gd-stats",
    )
    result = derive_all(
        frame(reported, obs("2022-01..2022-07", 2.2e12, **money), obs("2023-01..2023-07", 2.26e12, **money)), REGIONS
    )
    growth = result.observations.loc[result.observations["measure"] == "yoy_pct"]
    assert sorted(
        zip(growth["status"], growth["price_basis"], growth["value"].round(4), growth["is_default"], strict=True)
    ) == [
        ("derived", "current", 2.7273, True),
        ("reported", "comparable", 2.6, True),
    ]
    assert result.reconciliation["verdict"].tolist() == ["not_comparable"]
