"""CSV downloads: a BOM for Excel, formulas neutralised, numbers left as numbers."""

import io

import pandas as pd

from dashboard.export import to_csv_text


def test_csv_starts_with_a_bom_and_keeps_chinese_text():
    text = to_csv_text(pd.DataFrame({"region_name_zh": ["广东省"], "value": [1.4598e11]}))
    assert text.startswith("\ufeff")
    assert "广东省" in text


def test_formula_like_text_is_neutralised_but_negative_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "source_title": ['=HYPERLINK("http://evil")', "+1", "@SUM(A1)", "-cmd", "normal"],
            "value": [-3.2, 1.0, 2.0, 3.0, 4.0],
        }
    )
    back = pd.read_csv(io.StringIO(to_csv_text(frame).lstrip("\ufeff")))
    assert back["source_title"].tolist() == ['\'=HYPERLINK("http://evil")', "'+1", "'@SUM(A1)", "'-cmd", "normal"]
    assert back["value"].tolist() == [-3.2, 1.0, 2.0, 3.0, 4.0]
    assert back["value"].dtype == "float64"


def test_large_values_are_written_in_full_not_rounded():
    text = to_csv_text(pd.DataFrame({"value": [145_980_000_000.0, 2_738_100.0, 17.8]}))
    assert text.splitlines()[1:] == ["145980000000", "2738100", "17.8"]
