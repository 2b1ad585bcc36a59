"""Monthly levels from cumulative (year-to-date) levels."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.derive.monthly import monthly_from_cumulative
from tests.derive.frames import frame, obs, pick


def months(derived: pd.DataFrame) -> dict[str, float]:
    return {f"{r.period_start:%Y-%m}": r.value for r in derived.itertuples()}


def test_a_month_is_the_difference_of_consecutive_year_to_date_levels():
    derived = monthly_from_cumulative(frame(obs("2023-01..2023-06", 2314700), obs("2023-01..2023-07", 2738100)))
    assert months(derived) == {"2023-07": 423400.0}
    row = derived.iloc[0]
    assert (row.period_start, row.period_end) == (pd.Timestamp("2023-07-01"), pd.Timestamp("2023-07-31"))
    assert row.period_kind == "month"
    assert row.status == "derived"
    assert row.source_id == "derived"
    assert row.measure == "level"
    assert row.input_file == "" and row.input_row == 0


def test_january_february_is_never_split_and_march_is_the_first_derived_month():
    derived = monthly_from_cumulative(
        frame(obs("2024-01..2024-02", 525700), obs("2024-01..2024-03", 968700), obs("2024-01..2024-04", 1362700))
    )
    assert months(derived) == {"2024-03": 443000.0, "2024-04": 394000.0}
    assert not (derived["period_start"].dt.month <= 2).any()


def test_february_is_derived_only_when_january_was_published_alone():
    derived = monthly_from_cumulative(
        frame(obs("2024-01..2024-01", 240000, period_kind="month"), obs("2024-01..2024-02", 525700))
    )
    assert months(derived) == {"2024-02": 285700.0}


def test_nothing_is_derived_across_a_missing_month():
    derived = monthly_from_cumulative(
        frame(obs("2023-01..2023-06", 100), obs("2023-01..2023-08", 180), obs("2023-01..2023-09", 200))
    )
    assert months(derived) == {"2023-09": 20.0}


def test_nothing_is_derived_across_a_year_boundary():
    derived = monthly_from_cumulative(
        frame(obs("2022", 400, period_kind="year"), obs("2023-01..2023-01", 30, period_kind="month"))
    )
    assert derived.empty


def test_a_quarter_a_half_and_a_year_starting_in_january_are_cumulative_points():
    derived = monthly_from_cumulative(
        frame(
            obs("2023-01..2023-03", 30, period_kind="quarter"),
            obs("2023-01..2023-04", 41),
            obs("2023-01..2023-05", 50),
            obs("2023-01..2023-06", 62, period_kind="half"),
            obs("2023-01..2023-11", 110),
            obs("2023", 121, period_kind="year"),
        )
    )
    assert months(derived) == {"2023-04": 11.0, "2023-05": 9.0, "2023-06": 12.0, "2023-12": 11.0}


def test_a_quarter_that_does_not_start_in_january_is_not_cumulative():
    derived = monthly_from_cumulative(
        frame(obs("2023-01..2023-06", 60), obs("2023-07..2023-09", 30, period_kind="quarter"))
    )
    assert derived.empty


def test_growth_rates_shares_and_other_series_are_never_differenced():
    derived = monthly_from_cumulative(
        frame(
            obs("2023-01..2023-06", 6.1, measure="yoy_pct", unit="percent"),
            obs("2023-01..2023-07", 6.5, measure="yoy_pct", unit="percent"),
            obs("2023-01..2023-06", 100, scope="caam"),
            obs("2023-01..2023-07", 130),
            obs("2023-01..2023-06", 10, region_code="CN"),
            obs("2023-01..2023-07", 12, product="nev"),
        )
    )
    assert derived.empty


def test_suppressed_estimated_and_bounded_figures_are_never_differenced():
    base = obs("2023-01..2023-06", 100)
    for bad in (
        obs("2023-01..2023-07", None, status="suppressed", flags="(D)"),
        obs("2023-01..2023-07", 130, status="estimated"),
        obs("2023-01..2023-07", 130, qualifier="at_least"),
    ):
        assert monthly_from_cumulative(frame(base, bad)).empty


def test_a_revision_is_used_and_the_first_release_is_not():
    derived = monthly_from_cumulative(
        frame(
            obs("2023-01..2023-06", 100),
            obs("2023-01..2023-07", 125, source_id="first", vintage="2023-08-15", is_default=False),
            obs("2023-01..2023-07", 130, source_id="revised", vintage="2023-09-15"),
        )
    )
    assert months(derived) == {"2023-07": 30.0}
    assert derived.iloc[0].vintage == pd.Timestamp("2023-09-15")
    assert "[revised]" in derived.iloc[0].label_published and "[first]" not in derived.iloc[0].label_published


def test_the_derived_row_names_its_inputs_and_takes_the_latest_vintage():
    derived = monthly_from_cumulative(
        frame(
            obs("2023-01..2023-06", 100, source_id="a", vintage="2023-07-20"),
            obs("2023-01..2023-07", 130, source_id="b", vintage="2023-08-25"),
        )
    )
    row = derived.iloc[0]
    assert row.vintage == pd.Timestamp("2023-08-25")
    assert (
        row.label_published == "derived: 440000 ytd 2023-01..2023-07 = 130 [b] − 440000 ytd 2023-01..2023-06 = 100 [a]"
    )
    assert row.unit_published == "万辆" and row.unit_mult_published == 1e4


def test_pick_helper_finds_rows():  # the helper other tests rely on
    table = frame(obs("2023-01..2023-06", 100), obs("2023-01..2023-07", 130))
    assert list(pick(table, period_end="2023-07-31")["value"]) == [130.0]


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(2000, 2030),
    monthly=st.lists(st.integers(0, 10**7), min_size=12, max_size=12),
    published=st.sets(st.integers(2, 12), min_size=1),
)
def test_summing_derived_months_gives_back_the_cumulative_values(year, monthly, published):
    """Difference, then add up: every published cumulative figure is recovered exactly
    from the first published one and the derived months after it."""
    ends = sorted(published)
    rows = [obs(f"{year}-01..{year}-{end:02d}", float(sum(monthly[:end]))) for end in ends]
    derived = months(monthly_from_cumulative(frame(*rows)))
    cumulative = {end: float(sum(monthly[:end])) for end in ends}
    first = ends[0]
    running = cumulative[first]
    for end in range(first + 1, 13):
        key = f"{year}-{end:02d}"
        if end in cumulative and end - 1 in cumulative:
            assert derived[key] == monthly[end - 1]
            running += derived[key]
            assert running == cumulative[end]
        elif end in cumulative:
            assert key not in derived  # a gap: nothing derived, restart the sum
            running = cumulative[end]
    assert set(derived) == {f"{year}-{e:02d}" for e in ends if e - 1 in cumulative}
