"""Period text as printed becomes a calendar period with the right kind."""

from datetime import date

import pytest

from etl.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "expected_kind"),
    [
        ("2023年1-7月", None, date(2023, 1, 1), date(2023, 7, 31), "ytd"),
        ("2023-01/2023-07", None, date(2023, 1, 1), date(2023, 7, 31), "ytd"),
        ("January-July 2023", None, date(2023, 1, 1), date(2023, 7, 31), "ytd"),
        ("2023年前三季度", None, date(2023, 1, 1), date(2023, 9, 30), "ytd"),
        ("2023 H1", None, date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023年上半年", None, date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023年下半年", None, date(2023, 7, 1), date(2023, 12, 31), "half"),
        ("2023-01/2023-06", "half", date(2023, 1, 1), date(2023, 6, 30), "half"),
        ("2023-01/2023-06", None, date(2023, 1, 1), date(2023, 6, 30), "ytd"),
        ("2023Q1", None, date(2023, 1, 1), date(2023, 3, 31), "quarter"),
        ("2023年一季度", None, date(2023, 1, 1), date(2023, 3, 31), "quarter"),
        ("2023年第三季度", None, date(2023, 7, 1), date(2023, 9, 30), "quarter"),
        ("2023年7月", None, date(2023, 7, 1), date(2023, 7, 31), "month"),
        ("2023-07", None, date(2023, 7, 1), date(2023, 7, 31), "month"),
        ("2023", None, date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("2023年", None, date(2023, 1, 1), date(2023, 12, 31), "year"),
        ("2021-01/2025-12", None, date(2021, 1, 1), date(2025, 12, 31), "span"),
        ("2021-2025年", None, date(2021, 1, 1), date(2025, 12, 31), "span"),
    ],
)
def test_period_text_parses_to_dates_and_kind(text, kind, start, end, expected_kind):
    period = parse_period(text, kind)
    assert (period.start, period.end, period.kind) == (start, end, expected_kind)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        ("2014-06/2022-12", "span", date(2014, 6, 1), date(2022, 12, 31), "2014-06–2022-12"),  # cumulative since June 2014
        ("2023-03/2027-12", "span", date(2023, 3, 1), date(2027, 12, 31), "2023-03–2027-12"),  # a target from March 2023
        ("2023-07/2024-06", None, date(2023, 7, 1), date(2024, 6, 30), "2023-07–2024-06"),  # over a year boundary: a span
        ("2023-03/2023-12", "span", date(2023, 3, 1), date(2023, 12, 31), "2023-03–2023-12"),
        ("2021-01/2025-12", "span", date(2021, 1, 1), date(2025, 12, 31), "2021–2025"),
    ],
)
def test_a_span_keeps_its_real_start(text, kind, start, end, label):
    period = parse_period(text, kind)
    assert (period.start, period.end, period.kind, period.label) == (start, end, "span", label)


def test_january_february_is_one_period_never_two_months():
    period = parse_period("2024年1-2月")
    assert (period.start, period.end, period.kind) == (date(2024, 1, 1), date(2024, 2, 29), "ytd")


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("2023年1-13月", None, "month 13 does not exist"),
        ("1-2月", None, "has no year"),
        ("2023-03/2023-07", "ytd", "must start in January"),
        ("2023-03/2023-07", None, "neither a month"),
        ("2023-07/2024-06", "year", "can only be of kind 'span'"),
        ("2024-06/2014-06", None, "ends before it starts"),
        ("2023年7-3月", None, "ends before it starts"),
        ("last year", None, "cannot parse"),
        ("2023-01/2023-07", "fortnight", "unknown period kind"),
        ("", None, "empty period"),
    ],
)
def test_invalid_periods_are_errors_with_a_reason(text, kind, reason):
    with pytest.raises(PeriodError, match=reason):
        parse_period(text, kind)
