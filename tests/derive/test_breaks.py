"""Breaks in series stop derivations: no growth, monthly difference, share or rank combines
figures on either side of a break (or uses a figure whose period contains one); the first
observation after it carries ``b`` in ``flags``; published figures stay exactly as printed."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from etl.derive import derive_all
from etl.derive.breaks import check_rules
from etl.derive.growth import yoy_growth
from etl.derive.monthly import monthly_from_cumulative
from etl.derive.reconcile import reconcile
from etl.derive.shares import ranks_among_siblings, shares_of_parent
from tests.derive.frames import frame, obs, pick
from tests.derive.test_shares import REGIONS

#: The reference rule of data/reference/series_breaks.csv: from 2025 the bureau counts provincial
#: vehicle output where the vehicles are built.
RULES = pd.DataFrame(
    [
        {
            "region": "*",
            "region_level": "province",
            "industry": "*",
            "indicator": "production",
            "product": "*",
            "scope": "",
            "break_date": "2025-01-01",
            "note_en": "from 2025 counted where the vehicles are built",
            "note_zh": "自2025年起按生产地统计",
            "source": "test",
        }
    ]
)

#: Guangdong's Jan–Feb production, the dashboard's old default KPI: 376.5 thousand (2025, where
#: built) over 525.7 thousand (2024, where the maker is registered) would be −28.38 %.
GD_2024 = obs("2024-01..2024-02", 525700, source_id="snapnutse")
GD_2025 = obs("2025-01..2025-02", 376500, source_id="auto-ce")


def test_no_growth_is_derived_across_the_rule_s_break():
    assert len(yoy_growth(frame(GD_2024, GD_2025))) == 1  # without the rule: the −28.38 %
    assert yoy_growth(frame(GD_2024, GD_2025), RULES, regions=REGIONS).empty


def test_growth_on_one_side_of_the_break_is_still_derived():
    derived = yoy_growth(
        frame(obs("2025-01..2025-03", 665100), obs("2026-01..2026-03", 700000), GD_2024), RULES, regions=REGIONS
    )
    assert derived["period_start"].tolist() == [pd.Timestamp("2026-01-01")]
    assert derived.iloc[0].value == pytest.approx((700000 / 665100 - 1) * 100)


def test_the_rule_applies_to_the_regions_of_its_level_only():
    """The rule names provinces: the nation's growth (not a province) is still derived."""
    national = [obs(p, v, region_code="CN") for p, v in (("2024-01..2024-02", 4000000), ("2025-01..2025-02", 4454000))]
    with derive_all(frame(GD_2024, GD_2025, *national), REGIONS, RULES) as result:
        out = result.observations
        growth = out.loc[(out["measure"] == "yoy_pct") & (out["status"] == "derived")]
        assert growth["region_code"].tolist() == ["CN"]


def test_a_publisher_b_flag_is_a_break_from_that_figure_on():
    """Eurostat's ``b``: the flagged figure is the first on the new basis; its period start is
    the break date, for every measure of its series."""
    levels = frame(
        obs("2022", 100, period_kind="year"),
        obs("2023", 120, period_kind="year", flags="b"),
        obs("2024", 130, period_kind="year"),
    )
    growth = yoy_growth(levels)
    assert growth["period_start"].tolist() == [pd.Timestamp("2024-01-01")]  # 2023/2022 crosses the break


def test_no_monthly_difference_uses_a_cumulative_figure_that_contains_a_break():
    """A break on 1 April (flagged on April's own figure): every cumulative figure from 1-4月 on
    starts before it and ends after it, so no month is differenced from them. Without the
    break, April, May and June are derived."""
    cumulative = [obs(f"2023-01..2023-{m:02d}", 100 * m) for m in range(3, 7)]
    april = obs("2023-04..2023-04", 100, period_kind="month", flags="b")
    derived = monthly_from_cumulative(frame(*cumulative, april))
    assert derived.empty
    without_break = monthly_from_cumulative(frame(*cumulative))
    assert without_break["period_start"].dt.month.tolist() == [4, 5, 6]


def test_no_share_or_rank_from_a_level_whose_period_contains_a_break():
    """A mid-year break in Guangdong's series: its Jan–Jul level mixes two bases, so it is
    neither a share of the nation nor ranked; Shanghai's level is still ranked (with Jilin)."""
    mid_year = pd.DataFrame(
        [{**RULES.iloc[0].to_dict(), "region": "440000", "region_level": "*", "break_date": "2023-04-01"}]
    )
    rows = frame(
        obs("2023-01..2023-07", 2738100),
        obs("2023-01..2023-07", 1000000, region_code="310000"),
        obs("2023-01..2023-07", 500000, region_code="220000"),
        obs("2023-01..2023-07", 15382500, region_code="CN"),
    )
    assert set(shares_of_parent(rows, REGIONS)["region_code"]) == {"440000", "310000", "220000"}
    shares = shares_of_parent(rows, REGIONS, mid_year)
    assert set(shares["region_code"]) == {"310000", "220000"}
    ranks = ranks_among_siblings(rows, REGIONS, mid_year)
    assert dict(zip(ranks["region_code"], ranks["value"], strict=True)) == {"310000": 1.0, "220000": 2.0}


def test_the_first_observation_after_a_break_carries_b_and_the_break_is_a_table_row():
    published = frame(GD_2024, GD_2025, obs("2025-01..2025-03", 665100, flags="p"))
    with derive_all(published, REGIONS, RULES) as result:
        out = result.observations
        assert pick(out, period_start="2025-01-01", period_end="2025-02-28", measure="level")["flags"].tolist() == ["b"]
        assert pick(out, period_end="2024-02-29", measure="level")["flags"].tolist() == [""]
        # Not the first after the break (Jan–Feb is): its own flag stays alone.
        assert pick(out, period_start="2025-01-01", period_end="2025-03-31", measure="level")["flags"].tolist() == ["p"]
        breaks = result.series_breaks.to_pylist()
    assert [(b["region_code"], b["indicator"], b["break_date"], b["origin"]) for b in breaks] == [
        ("440000", "production", date(2025, 1, 1), "rule")
    ]


def test_a_published_growth_across_the_break_stays_exactly_as_printed():
    """The publisher's growth compares like with like on its own basis: it is kept as printed,
    never replaced; reconciliation says its levels are on either side of the break."""
    printed = obs(
        "2025-01..2025-02", -28.4, measure="yoy_pct", unit="percent", unit_published="%", unit_mult_published=1.0
    )
    with derive_all(frame(GD_2024, GD_2025, printed), REGIONS, RULES) as result:
        growth = result.observations.loc[lambda o: o["measure"] == "yoy_pct"]
        assert growth[["status", "value"]].values.tolist() == [["reported", -28.4]]
        row = result.reconciliation.iloc[0]
    assert (row["check"], row["verdict"]) == ("growth", "not_comparable")
    assert "break in series" in row["note"] and "where the vehicles are built" in row["note"]
    # Without the rule the arithmetic agrees (−28.38 % is within the rounding of −28.4 %): it is
    # the break, not the numbers, that makes the comparison meaningless.
    assert reconcile(frame(GD_2024, GD_2025, printed), REGIONS).iloc[0]["verdict"] == "consistent"


def test_a_bad_rule_is_a_located_problem():
    bad = RULES.assign(break_date="2025-13-01", ref_file="series_breaks.csv", ref_row=2)
    problems = check_rules(bad)
    assert [(p.file, p.row, p.column) for p in problems] == [("series_breaks.csv", 2, "break_date")]
    assert "not a date" in problems[0].reason


# The bundled dataset --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def observations(default_warehouse):
    return pd.read_parquet(default_warehouse / "current" / "observations.parquet")


def test_guangdong_s_jan_feb_2025_growth_is_not_derived_across_the_counting_change(observations):
    """The −28.38 % (376.5 over 525.7 thousand) the default KPI showed is gone; the level is
    published as printed and carries the break flag."""
    gd = observations.loc[
        (observations["region_code"] == "440000")
        & (observations["product"] == "automobiles")
        & (observations["period_start"] == date(2025, 1, 1))
        & (observations["period_end"] == date(2025, 2, 28))
    ]
    assert gd.loc[gd["measure"] == "yoy_pct"].empty
    level = gd.loc[(gd["measure"] == "level") & (gd["status"] == "reported")]
    assert level[["value", "unit_published", "flags"]].values.tolist() == [[376500.0, "万辆", "b"]]
    derived = observations.loc[(observations["status"] == "derived") & (observations["measure"] == "yoy_pct")]
    provincial_2025 = derived.loc[
        (derived["indicator"] == "production")
        & derived["region_code"].str.fullmatch(r"\d\d0000")
        & (pd.to_datetime(derived["period_start"]).dt.year == 2025)
    ]
    assert provincial_2025.empty


def test_published_growth_of_2025_provincial_production_stays_as_printed(observations):
    printed = observations.loc[
        (observations["region_code"] == "440000")
        & (observations["product"] == "nev")
        & (observations["measure"] == "yoy_pct")
        & (observations["period_start"] == date(2025, 1, 1))
        & (observations["period_end"] == date(2025, 8, 31))
    ]
    assert printed[["status", "value", "unit_published"]].values.tolist() == [["reported", 21.9, "%"]]


def test_the_warehouse_lists_the_breaks_it_applied(default_warehouse):
    breaks = pd.read_parquet(default_warehouse / "current" / "series_breaks.parquet")
    gd = breaks.loc[(breaks["region_code"] == "440000") & (breaks["product"] == "automobiles")]
    assert gd[["break_date", "origin"]].values.tolist() == [[date(2025, 1, 1), "rule"]]
    assert "where they are built" in gd.iloc[0]["note_en"]
    assert set(breaks["region_code"]) <= {c for c in breaks["region_code"] if c.endswith("0000")}
