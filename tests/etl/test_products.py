"""Products: names resolve to codes, and a product's output is measured in its own unit."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.pipeline import run
from etl.problems import InputError
from tests.readers.helpers import REFERENCE_DIR

HEADER = "region,industry,indicator,product,period,period_kind,measure,value,unit,source_id\n"
SOURCE = "source_id,title,publisher,published_date\ns1,Bulletin,国家统计局,2019-08-14\n"


def _run(tmp_path: Path, *rows: str):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.figures.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    (raw / "t.sources.csv").write_text(SOURCE, encoding="utf-8")
    return run(raw, tmp_path / "warehouse", REFERENCE_DIR)


def test_steel_in_tonnes_and_electricity_in_kwh_are_production(tmp_path: Path) -> None:
    import pandas as pd

    _run(tmp_path, "CN,黑色金属冶炼和压延加工业,production,钢材,2019-07,month,level,10529,万吨,s1",
         "CN,D44,产量,electricity,2019-07,month,level,6236,亿千瓦时,s1")
    frame = pd.read_parquet(tmp_path / "warehouse" / "current" / "observations.parquet")
    published = frame[frame["status"] == "reported"].set_index("product")
    assert published.loc["steel_products", ["value", "unit"]].tolist() == [105_290_000.0, "tonnes"]
    assert published.loc["electricity", ["value", "unit"]].tolist() == [623_600_000_000.0, "kWh"]


def test_a_unit_that_does_not_fit_the_product_and_an_unknown_product_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        _run(tmp_path, "CN,C31,production,steel_products,2019-07,month,level,10529,万辆,s1",
             "CN,C31,production,钢铁块,2019-07,month,level,1,万吨,s1")
    lines = [str(p) for p in error.value.problems]
    assert lines[0].startswith("t.figures.csv:2:unit: unit '万辆' measures vehicles, but production measures mass")
    assert "t.figures.csv:3:product: unknown product '钢铁块'" in lines[1]
