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


def test_a_chinese_page_downloads_chinese_headers_and_filename(default_warehouse):
    from dashboard.callbacks.downloads import _name, csv_frame
    from dashboard.query import Warehouse, empty_result

    snapshot = Warehouse(default_warehouse).snapshot()
    state = {"lang": "zh", "indicator": "production", "view": "timeseries"}
    assert _name(state, snapshot.snapshot_id, "csv", snapshot) == f"产量-时间序列-{snapshot.snapshot_id}.csv"
    assert _name({**state, "lang": "en"}, snapshot.snapshot_id, "csv", snapshot).startswith("production-timeseries-")
    columns = list(csv_frame(empty_result(), "zh").columns)
    assert columns[:3] == ["地区代码", "地区名称（中文）", "地区名称（英文）"] and "数值" in columns
    assert csv_frame(empty_result(), "en").columns[0] == "region_code"


def test_a_streamed_batch_is_neutralised_cell_by_cell_like_a_frame():
    """Every slice of a text column (Arrow offsets not starting at 0), plain and large strings,
    empty cells and nulls: the batch path prefixes exactly the cells :func:`neutralise_text` does."""
    import pyarrow as pa

    from dashboard.export import neutralise_batch, neutralise_text

    cells = ["=1+1", "ok", None, "", "-3", "中文", "@x", "\tq", "a=b", "\r", "+", "广东=省"]
    for kind in (pa.string(), pa.large_string()):
        column = pa.array(cells, type=kind)
        for start in range(len(cells)):
            for stop in range(start, len(cells) + 1):
                part = column.slice(start, stop - start)
                batch = pa.record_batch([part, pa.array(range(len(part)))], names=["text", "n"])
                out = neutralise_batch(batch)
                assert out.column(0).to_pylist() == [neutralise_text(c) for c in cells[start:stop]], (kind, start, stop)
                assert out.column(0).type == kind and out.column(1).to_pylist() == list(range(len(part)))
