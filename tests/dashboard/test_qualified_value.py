"""Values read with their qualifier, and a lower-bound rank reads as "or lower"."""

import pandas as pd
import pytest

from dashboard.figures.common import qualified_value


@pytest.mark.parametrize(
    ("value", "unit", "measure", "qualifier", "lang", "expected"),
    [
        (5_300_000.0, "vehicles", "level", "at_least", "zh", "超过 530万辆"),
        (5_300_000.0, "vehicles", "level", "at_least", "en", "at least 5.3 million vehicles"),
        (17.0, "percent", "share_pct", "about", "en", "about 17%"),
        (145_980_000_000.0, "CNY", "level", "exact", "en", "145.98 billion yuan"),
        (3.0, "rank", "rank", "at_least", "en", "3rd or lower"),
        (3.0, "rank", "rank", "at_least", "zh", "第3位或更后"),
        (3.0, "rank", "rank", "exact", "zh", "第3位"),
    ],
)
def test_value_with_its_qualifier(value, unit, measure, qualifier, lang, expected):
    row = pd.Series({"value": value, "unit": unit, "measure": measure, "qualifier": qualifier})
    assert qualified_value(row, lang) == expected
